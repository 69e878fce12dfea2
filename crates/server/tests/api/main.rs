//! API tests: the real server on a free port with a fresh database, spoken to over HTTP.
//! Every test runs twice, on SQLite and on PostgreSQL (see `helpers.rs`).

mod accounts;
mod accounts_audit;
mod accounts_two_factor;
mod admin_content;
mod after;
mod attachments;
mod audit_anchor;
mod auth;
mod binary;
mod casework;
mod checkin;
mod content;
mod contract;
mod flags;
mod flags_lookup;
mod flags_reminders;
mod flags_review;
mod followup;
mod followup_recognise;
mod hardening;
mod helpers;
mod inbox;
mod invitation_lang;
mod jobs;
mod key_rotation;
mod mail;
mod manifest;
mod notices;
mod reminders;
mod reports;
mod retention;
mod roster;
mod secrets;
mod security;
mod stats;
mod stats_columns;
mod throttles;
mod traces;
mod transport;
mod two_factor;
mod under_load;
mod waiting;
mod wire_fixtures;

/// Declares each listed `async fn(&TestApp)` as a test on both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let app = $crate::helpers::spawn($crate::helpers::Backend::Sqlite).await.expect("sqlite");
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(app) = $crate::helpers::spawn($crate::helpers::Backend::Postgres).await else { return };
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
    };
    // The same, over a server whose configuration `$adjust` changed first.
    (with $adjust:expr => $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let app = $crate::helpers::spawn_with($crate::helpers::Backend::Sqlite, $adjust).await.expect("sqlite");
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(app) = $crate::helpers::spawn_with($crate::helpers::Backend::Postgres, $adjust).await else { return };
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
    };
}

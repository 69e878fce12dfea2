//! Mail over real SMTP (a throwaway aiosmtpd per test, read back from its Maildir): an urgent
//! report reaches the on-duty address once, with a link and no report content; a reporter's
//! message reaches the assignee; a resend after a crash keeps its Message-ID; a mail server
//! that is down at start is a warning, and the mail goes out once it is up (nothing lost);
//! an invitation carries its link, which the database holds sealed; an account's holder hears
//! of a password change.

#[path = "../support/smtp_sink.rs"]
pub(crate) mod smtp_sink;

use crate::helpers::{TestApp, job_when, new_key, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};
use smtp_sink::Sink;
use std::time::Duration;
use trygg_server::config::Config;
use trygg_server::jobs::handlers::{self, kinds};

const ON_DUTY: &str = "jour@region.se";

/// An urgent report whose every free text carries a marker that must never reach a mail.
fn marked_report() -> Value {
    json!({
        "kind": "violence",
        "channel": "in_person",
        "occurred_at": "2026-01-15T14:30:00+01:00",
        "location": "PLATSMARKOR Akutmottagningen",
        "description": "TEXTMARKOR En anhörig slog till mig i korridoren.",
        "perpetrator_description": "GARNINGSMARKOR lång man",
        "witnesses": "VITTNESMARKOR",
        "role": "healthcare",
        "phase": "after",
        "identity": "named",
        "reporter_name": "NAMNMARKOR Andersson",
        "reporter_phone": "0701234567",
        "reporter_email": "anna.rapportor@example.se"
    })
}

const MARKERS: [&str; 7] =
    ["PLATSMARKOR", "TEXTMARKOR", "GARNINGSMARKOR", "VITTNESMARKOR", "NAMNMARKOR", "0701234567", "anna.rapportor"];

fn mail_config(smtp: String) -> impl FnOnce(&mut Config) {
    move |c: &mut Config| {
        c.smtp_url = Some(smtp.into());
        c.mail_from = "Trygg <trygg@region.se>".into();
        c.public_url = "https://trygg.region.se".into();
        c.notify_fallback_email = Some(ON_DUTY.into());
        c.job_poll_millis = 50;
    }
}

async fn start(pg: bool, sink_port: u16) -> Option<TestApp> {
    let backend = if pg { crate::helpers::Backend::Postgres } else { crate::helpers::Backend::Sqlite };
    spawn_with(backend, mail_config(format!("smtp://127.0.0.1:{sink_port}"))).await
}

async fn an_urgent_report_is_mailed_once_with_a_link_and_no_content(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start(pg, sink.port).await else { return };
    let key = new_key();
    let res = app.submit(&key, &marked_report()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(app.submit(&key, &marked_report()).await.status(), StatusCode::OK, "a retry");
    let mails = sink.wait_for(1, 10).await;
    assert_eq!(mails.len(), 1, "one mail: {mails:?}");
    let m = &mails[0];
    assert!(m.to.contains(ON_DUTY), "{}", m.to);
    assert!(m.body.contains(&format!("https://trygg.region.se/samordnare/inkorg/{id}")), "{}", m.body);
    assert!(m.body.contains("Logga in i Trygg"), "Swedish by default: {}", m.body);
    for marker in MARKERS {
        assert!(!m.raw.contains(marker) && !m.body.contains(marker), "{marker} leaked into the mail");
    }
    // The Message-ID is the job's: `<job-id@host>`.
    let job = app.db.job_by_key(&format!("urgent_report:{id}")).await.unwrap().unwrap();
    assert_eq!(m.message_id, format!("<{}@trygg.region.se>", job.id));
    // Done, and nothing more is sent well past the lease and every retry's back-off (the first
    // reminder of an urgent report, a mail of its own, falls due after an hour).
    for _ in 0..100 {
        if app.db.job(job.id).await.unwrap().unwrap().state == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.db.job(job.id).await.unwrap().unwrap().state, "done");
    app.clock.advance(Duration::from_secs(50 * 60));
    // Asked directly instead of waiting for a worker: no mail job is due any more (a probe
    // that claims whatever is due also keeps the worker from sending it).
    let due = app.db.claim_jobs("probe", app.clock.now_ms(), 60_000, 1000).await.unwrap();
    assert!(!due.iter().any(|c| c.kind.starts_with("mail.")), "{due:?}");
    assert_eq!(sink.mails().len(), 1);
    app.stop().await;
}

async fn urgent_reports_of_one_batch_share_one_mail_that_links_the_inbox(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start(pg, sink.port).await else { return };
    let mut ids = Vec::new();
    for _ in 0..3 {
        let res = app.submit(&new_key(), &marked_report()).await;
        ids.push(res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse::<uuid::Uuid>().unwrap());
    }
    // Each submit above had its own job and mail; a batch of the three, as the group commit
    // writes when they arrive together, is one more job and ONE mail that links the inbox.
    let _ = sink.wait_for(3, 10).await;
    let at = app.clock.now_ms();
    let mut batch = handlers::urgent_reports(&ids, at).unwrap();
    batch.unique_key = "urgent_report:batch-test".into();
    app.db.enqueue_jobs(&[batch]).await.unwrap();
    trygg_server::jobs::wake();
    let mails = sink.wait_for(4, 10).await;
    assert_eq!(mails.len(), 4, "{mails:?}");
    let m = mails.iter().find(|m| m.body.contains("Flera nya rapporter")).expect("the batch's mail");
    assert!(m.body.contains("https://trygg.region.se/samordnare/inkorg"), "{}", m.body);
    assert!(!ids.iter().any(|id| m.body.contains(&id.to_string())), "{}", m.body);
    for marker in MARKERS {
        assert!(!m.raw.contains(marker), "{marker} leaked into the mail");
    }
    app.stop().await;
}

async fn a_resend_after_a_crash_keeps_the_message_id(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start(pg, sink.port).await else { return };
    let res = app.submit(&new_key(), &marked_report()).await;
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(sink.wait_for(1, 10).await.len(), 1);
    let job = app.db.job_by_key(&format!("urgent_report:{id}")).await.unwrap().unwrap();
    for _ in 0..100 {
        if app.db.job(job.id).await.unwrap().unwrap().state == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A server that sent the mail and died before recording it: its job is running under a
    // lease that runs out; another server (here: this one) takes it over and sends again.
    let lease_end = app.clock.now_ms() + 60_000;
    app.sql(&format!("UPDATE jobs SET state = 'running', lease_owner = 'dead-server', lease_until = {lease_end} WHERE kind = 'mail.urgent_report'"))
        .await
        .unwrap();
    let claimed = app.db.claim_jobs("probe", app.clock.now_ms(), 60_000, 1000).await.unwrap();
    assert!(!claimed.iter().any(|c| c.id == job.id), "nobody takes it while the lease holds");
    assert_eq!(sink.mails().len(), 1, "not before the lease runs out");
    app.clock.advance(Duration::from_secs(61));
    let mails = sink.wait_for(2, 10).await;
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[0].message_id, mails[1].message_id, "the resend is recognisable as the same mail");
    app.stop().await;
}

async fn a_mail_server_down_at_start_is_a_warning_and_the_mail_goes_out_once_it_is_up(pg: bool) {
    let port = smtp_sink::free_port();
    let Some(app) = start(pg, port).await else { return };
    let res = app.submit(&new_key(), &marked_report()).await;
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let key = format!("urgent_report:{id}");
    let job = job_when(&app, &key, |j| j.attempts >= 1 && j.state == "queued").await;
    let job = job.expect("the first attempt failed and the job waits for its retry");
    assert!(job.last_error.as_deref().is_some_and(|e| !e.contains("127.0.0.1")), "{job:?}");
    // The administrators see the warning.
    app.create_admin().await;
    app.login_as(&app.client, crate::helpers::ADMIN_EMAIL).await;
    let overview: Value = app.client.get(app.url("/api/admin/jobs")).send().await.unwrap().json().await.unwrap();
    assert_eq!(overview["smtp"]["configured"], true);
    assert_eq!(overview["smtp"]["warning"], "unreachable", "{overview}");
    // The mail server comes up; after the back-off the mail goes out, nothing lost.
    let Some(sink) = Sink::start_on(port).await else { return };
    app.clock.advance(Duration::from_secs(11));
    let mails = sink.wait_for(1, 10).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].message_id, format!("<{}@trygg.region.se>", job.id));
    for _ in 0..100 {
        let o: Value = app.client.get(app.url("/api/admin/jobs")).send().await.unwrap().json().await.unwrap();
        if o["smtp"]["warning"].is_null() {
            app.stop().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the warning stayed after a mail went through");
}

async fn a_reporters_message_is_mailed_to_the_assignee_and_an_invitation_carries_its_sealed_link(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start(pg, sink.port).await else { return };
    app.create_coordinator().await;
    let res = app.submit(&new_key(), &crate::helpers::valid_report()).await;
    let id: uuid::Uuid = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap();
    app.sql("UPDATE reports SET assignee_id = (SELECT id FROM users)").await.unwrap();
    assert!(app.db.add_entry(&app.keys, id, None, "message", "SVARSMARKOR hemligt", app.clock.now_ms()).await.unwrap());
    assert!(app.db.add_entry(&app.keys, id, None, "message", "SVARSMARKOR igen", app.clock.now_ms()).await.unwrap());
    let mails = sink.wait_for(1, 10).await;
    assert_eq!(mails.len(), 1, "two messages within minutes share one mail");
    assert!(mails[0].to.contains(crate::helpers::EMAIL), "to the assignee: {}", mails[0].to);
    assert!(!mails[0].raw.contains("SVARSMARKOR") && !mails[0].body.contains("SVARSMARKOR"));

    let now = app.clock.now_ms();
    let link = "https://trygg.region.se/samordnare/inbjudan#token=HEMLIGTTOKEN123";
    let invite = handlers::invitation(&app.keys, uuid::Uuid::new_v4(), "ny@region.se", "en", link, now);
    assert!(!invite.payload.contains("HEMLIGTTOKEN123"), "the link is sealed in the database");
    app.db.enqueue_jobs(&[invite]).await.unwrap();
    trygg_server::jobs::wake();
    let mails = sink.wait_for(2, 10).await;
    let m = mails.iter().find(|m| m.to.contains("ny@region.se")).expect("the invitation");
    assert!(m.body.contains(link), "{}", m.body);
    assert!(m.body.contains("Sign in to Trygg"), "English for an English account: {}", m.body);
    assert_eq!(app.db.jobs_of_kind(kinds::INVITATION).await.unwrap().len(), 1);

    // The holder of an account hears that its password changed, at the account's address.
    let user: uuid::Uuid = match &app.db {
        trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar("SELECT id FROM users").fetch_one(p).await.unwrap(),
        trygg_server::store::Db::Postgres(p) => sqlx::query_scalar("SELECT id FROM users").fetch_one(p).await.unwrap(),
    };
    let change = handlers::account_notice(user, handlers::AccountChange::Password, uuid::Uuid::new_v4(), now);
    app.db.enqueue_jobs(&[change]).await.unwrap();
    trygg_server::jobs::wake();
    let mails = sink.wait_for(3, 10).await;
    let notice = mails.iter().find(|m| m.body.contains("Lösenordet")).expect("the password notice");
    assert!(notice.to.contains(crate::helpers::EMAIL), "{}", notice.to);
    assert!(notice.body.contains("https://trygg.region.se/samordnare/logga-in"));
    app.stop().await;
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() { super::$name(false).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() { super::$name(true).await }
            )*
        }
    };
}

on_both!(
    an_urgent_report_is_mailed_once_with_a_link_and_no_content,
    urgent_reports_of_one_batch_share_one_mail_that_links_the_inbox,
    a_resend_after_a_crash_keeps_the_message_id,
    a_mail_server_down_at_start_is_a_warning_and_the_mail_goes_out_once_it_is_up,
    a_reporters_message_is_mailed_to_the_assignee_and_an_invitation_carries_its_sealed_link,
);

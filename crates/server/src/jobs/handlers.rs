//! What each kind of job does, and the constructors that enqueuers call (each returns a
//! [`NewJob`] for the caller to insert in its own transaction with `enqueue_in_tx!`, or with
//! [`crate::store::Db::enqueue_jobs`]).
//!
//! Every handler re-checks state before it acts: an urgent report that a coordinator has already
//! answered or closed sends nothing; a reminder for a closed case sends nothing. Recipients are
//! looked up when the job runs (who is on duty *now*), not when it was enqueued.

use super::Ctx;
use super::mail::{Mail, Notice, compose};
use crate::crypto::Keys;
use crate::store::jobs::NewJob;
use crate::store::reminders::DueReminder;
use serde_json::{Value, json};
use uuid::Uuid;

/// The kinds of job, as stored.
pub mod kinds {
    pub const URGENT_REPORT: &str = "mail.urgent_report";
    pub const REPORTER_MESSAGE: &str = "mail.reporter_message";
    pub const REMINDER: &str = "mail.reminder";
    pub const INVITATION: &str = "mail.invitation";
    pub const TWO_FACTOR_RESET: &str = "mail.two_factor_reset";
    pub const ACCOUNT_NOTICE: &str = "mail.account_notice";
    /// The scheduler: once a minute (a unique key per minute: one server runs each).
    pub const TICK: &str = "scheduler.tick";
    /// A risk flag is due for review: its owner and whoever is on duty (`jobs::flag_review`).
    pub const FLAG_REVIEW: &str = "mail.flag_review";
}

/// A reporter's messages to one report notify at most once per this window.
pub const MESSAGE_WINDOW_MS: i64 = 5 * 60_000;

/// Finished jobs are deleted this long after they finished.
pub const KEEP_DONE_MS: i64 = 7 * 86_400_000;

/// A new urgent report: mail the coordinators on duty. `now` is the report's `received_at`
/// (for an anonymous report, the start of its ten-minute slot: the job keeps nothing finer).
pub fn urgent_report(report_id: Uuid, now: i64) -> NewJob {
    NewJob::new(kinds::URGENT_REPORT, format!("urgent_report:{report_id}"), json!({"report_id": report_id}), now, now)
        .for_report(report_id)
}

/// A reporter's new message: mail the report's assignee, else whoever is on duty. Messages to
/// one report within [`MESSAGE_WINDOW_MS`] share one mail (no storm from a chatty reporter).
pub fn reporter_message(report_id: Uuid, now: i64) -> NewJob {
    let window = now.div_euclid(MESSAGE_WINDOW_MS);
    let key = format!("reporter_message:{report_id}:{window}");
    NewJob::new(kinds::REPORTER_MESSAGE, key, json!({"report_id": report_id}), now, now).for_report(report_id)
}

/// A due reminder: one job per report, kind and level, ever.
pub fn reminder(due: &DueReminder, now: i64) -> NewJob {
    let key = format!("reminder:{}:{}:{}", due.kind, due.level, due.report_id);
    let payload = json!({"report_id": due.report_id, "kind": due.kind, "level": due.level});
    NewJob::new(kinds::REMINDER, key, payload, now, now).for_report(due.report_id)
}

/// An invitation mail to `to` with its `link` (which holds the invitation's secret token: it is
/// sealed in the payload under the server's key, bound to this job's row).
pub fn invitation(keys: &Keys, invitation_id: Uuid, to: &str, lang: &str, link: &str, now: i64) -> NewJob {
    linked(keys, kinds::INVITATION, format!("invitation:{invitation_id}"), to, lang, link, now)
}

/// A two-factor reset mail to `to` with its `link` (sealed like [`invitation`]'s); `reset_id`
/// names this reset (one mail per reset).
pub fn two_factor_reset(keys: &Keys, reset_id: Uuid, to: &str, lang: &str, link: &str, now: i64) -> NewJob {
    linked(keys, kinds::TWO_FACTOR_RESET, format!("two_factor_reset:{reset_id}"), to, lang, link, now)
}

/// What changed on an account, for [`account_notice`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    Password,
    SecondFactor,
}

/// A notice to the holder of `user_id` that their password or second factor changed (sent to
/// the account's address as it is when the job runs). `change_id` names this change.
pub fn account_notice(user_id: Uuid, change: AccountChange, change_id: Uuid, now: i64) -> NewJob {
    let what = match change {
        AccountChange::Password => "password",
        AccountChange::SecondFactor => "second_factor",
    };
    let payload = json!({"user_id": user_id, "what": what});
    NewJob::new(kinds::ACCOUNT_NOTICE, format!("account_notice:{change_id}"), payload, now, now)
}

/// The scheduler's tick for the minute that contains `at`.
pub fn tick(at: i64, now: i64) -> NewJob {
    let minute = at.div_euclid(60_000);
    NewJob::new(kinds::TICK, format!("tick:{minute}"), json!({}), minute * 60_000, now)
}

fn linked(keys: &Keys, kind: &'static str, key: String, to: &str, lang: &str, link: &str, now: i64) -> NewJob {
    let mut job = NewJob::new(kind, key, Value::Null, now, now);
    let sealed = keys.seal_str("jobs", "payload", &job.id.to_string(), link);
    job.payload = json!({"to": to, "lang": lang, "link": sealed}).to_string();
    job
}

/// Runs `job`; `Err` is a short reason (no secrets, no content) and means "retry".
pub async fn run(ctx: &Ctx, job: &crate::store::jobs::Claimed) -> Result<(), String> {
    let payload: Value = serde_json::from_str(&job.payload).map_err(|_| "the payload is not JSON".to_owned())?;
    let now = ctx.clock.now_ms();
    let report = || payload["report_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()).ok_or("no report id");
    let db_err = |e: sqlx::Error| format!("database: {e}");
    match job.kind.as_str() {
        kinds::TICK => {
            for due in ctx.db.due_reminders(now).await.map_err(db_err)? {
                ctx.db.enqueue_jobs(&[reminder(&due, now)]).await.map_err(db_err)?;
            }
            ctx.db.enqueue_jobs(&[tick(now + 60_000, now)]).await.map_err(db_err)?;
            ctx.db.purge_done_jobs(now - KEEP_DONE_MS).await.map_err(db_err)?;
            super::flag_review::enqueue_due(&ctx.db, now).await.map_err(db_err)?;
            Ok(())
        }
        kinds::URGENT_REPORT => {
            let id = report()?;
            // Re-check: answered or closed meanwhile → nothing to say.
            let Some(r) = ctx.db.report_for_notice(id).await.map_err(db_err)? else { return Ok(()) };
            if r.status == "closed" || r.last_answer_at.is_some() {
                return Ok(());
            }
            let to = ctx.on_duty(now).await?;
            ctx.send_to(job, Notice::UrgentReport, &to, &ctx.case_link(id)).await
        }
        kinds::REPORTER_MESSAGE | kinds::REMINDER => {
            let id = report()?;
            let Some(r) = ctx.db.report_for_notice(id).await.map_err(db_err)? else { return Ok(()) };
            let notice = match payload["kind"].as_str() {
                _ if job.kind == kinds::REPORTER_MESSAGE => Notice::ReporterMessage,
                Some("idle") => Notice::Idle,
                _ => Notice::Unanswered,
            };
            if r.status == "closed" && notice != Notice::ReporterMessage {
                return Ok(());
            }
            if notice == Notice::Unanswered && r.last_answer_at.is_some() {
                return Ok(());
            }
            let assignee = match r.assignee_id {
                Some(user) => ctx.db.mail_target(user).await.map_err(db_err)?,
                None => None,
            };
            let to = match assignee {
                Some(t) => vec![t],
                None => ctx.on_duty(now).await?,
            };
            ctx.send_to(job, notice, &to, &ctx.case_link(id)).await
        }
        kinds::INVITATION | kinds::TWO_FACTOR_RESET => {
            let to = payload["to"].as_str().ok_or("no recipient")?;
            let lang = payload["lang"].as_str().unwrap_or("sv");
            let sealed = payload["link"].as_str().ok_or("no link")?;
            let link = ctx
                .keys
                .open_str("jobs", "payload", &job.id.to_string(), sealed)
                .map_err(|_| "the link does not open with the server's keys".to_owned())?;
            let notice = if job.kind == kinds::INVITATION { Notice::Invitation } else { Notice::TwoFactorReset };
            ctx.send_to(job, notice, &[(to.to_owned(), lang.to_owned())], &link).await
        }
        kinds::ACCOUNT_NOTICE => {
            let user = payload["user_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()).ok_or("no user id")?;
            let notice =
                if payload["what"] == "password" { Notice::PasswordChanged } else { Notice::SecondFactorChanged };
            // An account deleted meanwhile has nobody to tell.
            let Some(target) = ctx.db.mail_target(user).await.map_err(db_err)? else { return Ok(()) };
            let link = format!("{}/samordnare/logga-in", ctx.public_url);
            ctx.send_to(job, notice, &[target], &link).await
        }
        kinds::FLAG_REVIEW => super::flag_review::run(ctx, job, &payload).await,
        other => Err(format!("unknown job kind {other:?}")),
    }
}

/// The mails of one job: one per language among `to`, each with its stable Message-ID
/// (`<job-id@host>` for Swedish, `<job-id.en@host>` for English).
pub fn mails(job_id: Uuid, host: &str, notice: Notice, to: &[(String, String)], link: &str) -> Vec<Mail> {
    let mut langs: Vec<&str> = to.iter().map(|(_, l)| if l == "en" { "en" } else { "sv" }).collect();
    langs.sort_unstable();
    langs.dedup();
    langs
        .into_iter()
        .rev()
        .map(|lang| {
            let (subject, body) = compose(notice, lang, link);
            let recipients = to.iter().filter(|(_, l)| (l == "en") == (lang == "en")).map(|(e, _)| e.clone()).collect();
            let message_id = if lang == "sv" { format!("{job_id}@{host}") } else { format!("{job_id}.{lang}@{host}") };
            Mail { to: recipients, subject, body, message_id }
        })
        .collect()
}

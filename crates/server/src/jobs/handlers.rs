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
    /// A safety check-in's due time plus grace: alert if the person has not checked in.
    pub const CHECKIN_DUE: &str = "checkin.due";
    /// A missed check-in: mail whoever is on duty (once per check-in).
    pub const CHECKIN_ALERT: &str = "mail.checkin_alert";
    /// A check-in that arrived after its alert: the all-clear.
    pub const CHECKIN_ALL_CLEAR: &str = "mail.checkin_all_clear";
    /// A support task past its due date (issue 18).
    pub const TASK_REMINDER: &str = "mail.task_reminder";
    /// A work-environment notice not marked sent (issue 18).
    pub const WORK_ENV_REMINDER: &str = "mail.work_env_reminder";
    /// A risk flag is due for review: its owner and whoever is on duty (`jobs::flag_review`).
    pub const FLAG_REVIEW: &str = "mail.flag_review";
}

/// A reporter's messages to one report notify at most once per this window.
pub const MESSAGE_WINDOW_MS: i64 = 5 * 60_000;

/// Finished jobs are deleted this long after they finished.
pub const KEEP_DONE_MS: i64 = 7 * 86_400_000;

/// New urgent reports written in one group-commit batch: mail the coordinators on duty, ONE job
/// per batch (one mail per coordinator: the report's page when it is one, the inbox when several).
/// A job row per report cost up to a quarter of SQLite's submit throughput when every report was
/// urgent (BENCHMARKS.md). The key names the batch's first report, so a one-report batch's key is
/// `urgent_report:{id}`. `at` is the batch's earliest arrival cut to the anonymous ten-minute slot
/// (the job keeps nothing finer than its reports do). `None` for an empty batch.
pub fn urgent_reports(ids: &[Uuid], at: i64) -> Option<NewJob> {
    let first = *ids.first()?;
    let job = NewJob::new(kinds::URGENT_REPORT, format!("urgent_report:{first}"), json!({"report_ids": ids}), at, at);
    // The first report carries the job (deleting it deletes the job, as for per-report jobs).
    Some(job.for_report(first))
}

/// The report ids of an urgent-report job: `report_ids`, or the `report_id` of a job enqueued
/// before batches (one per report).
fn report_ids(payload: &Value) -> Vec<Uuid> {
    let one = payload["report_id"].as_str().into_iter();
    let many = payload["report_ids"].as_array().into_iter().flatten().filter_map(Value::as_str);
    one.chain(many).filter_map(|s| s.parse().ok()).collect()
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

/// Check-in `id` falls due at `due_at`; the job runs after the grace period. One job per due
/// time: *more time* enqueues a new one and the old one finds the check-in not due.
pub fn checkin_due(id: Uuid, due_at: i64, grace_ms: i64, now: i64) -> NewJob {
    NewJob::new(
        kinds::CHECKIN_DUE,
        format!("checkin_due:{id}:{due_at}"),
        json!({"checkin_id": id}),
        due_at + grace_ms,
        now,
    )
}

/// The alert of a missed check-in (one per check-in, ever).
pub fn checkin_alert(id: Uuid, now: i64) -> NewJob {
    NewJob::new(kinds::CHECKIN_ALERT, format!("checkin_alert:{id}"), json!({"checkin_id": id}), now, now)
}

/// The all-clear after a late check-in (one per check-in, ever).
pub fn checkin_all_clear(id: Uuid, now: i64) -> NewJob {
    NewJob::new(kinds::CHECKIN_ALL_CLEAR, format!("checkin_all_clear:{id}"), json!({"checkin_id": id}), now, now)
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
            super::after::due_jobs(&ctx.db, now).await.map_err(db_err)?;
            ctx.db.enqueue_jobs(&[tick(now + 60_000, now)]).await.map_err(db_err)?;
            ctx.db.purge_done_jobs(now - KEEP_DONE_MS).await.map_err(db_err)?;
            ctx.db.purge_checkins(now - crate::store::checkins::KEEP_ENDED_MS).await.map_err(db_err)?;
            super::flag_review::enqueue_due(&ctx.db, now).await.map_err(db_err)?;
            // The statistics' rollup: at most a few seconds a minute; what is left waits for the
            // next tick (the statistics read unbuilt pieces from the reports meanwhile).
            if let Err(e) = ctx.db.stats_rollup(now, std::time::Duration::from_secs(5)).await {
                tracing::warn!(error = %e, "could not build the statistics' rollup");
            }
            Ok(())
        }
        kinds::URGENT_REPORT => {
            // Re-check: reports answered or closed meanwhile need no mail.
            let mut waiting = Vec::new();
            for id in report_ids(&payload) {
                let Some(r) = ctx.db.report_for_notice(id).await.map_err(db_err)? else { continue };
                if r.status != "closed" && r.last_answer_at.is_none() {
                    waiting.push(id);
                }
            }
            let (notice, link) = match waiting.as_slice() {
                [] => return Ok(()),
                [one] => (Notice::UrgentReport, ctx.case_link(*one)),
                _ => (Notice::UrgentReports, ctx.inbox_link()),
            };
            let to = ctx.on_duty(now).await?;
            ctx.send_to(job, notice, &to, &link).await
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
        kinds::CHECKIN_DUE | kinds::CHECKIN_ALERT | kinds::CHECKIN_ALL_CLEAR => {
            let id = payload["checkin_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()).ok_or("no check-in id")?;
            if job.kind == kinds::CHECKIN_DUE {
                // Checked in, extended (a later due job exists) or already alerted: nothing.
                if ctx.db.alert_if_due(id, now, &checkin_alert(id, now)).await.map_err(db_err)? {
                    super::wake();
                }
                return Ok(());
            }
            // Deleted after its retention meanwhile: nobody to tell about.
            if ctx.db.checkin(id).await.map_err(db_err)?.is_none() {
                return Ok(());
            }
            let notice = if job.kind == kinds::CHECKIN_ALERT { Notice::CheckinMissed } else { Notice::CheckinAllClear };
            let to = ctx.on_duty(now).await?;
            let link = format!("{}/samordnare/incheckningar/{id}", ctx.public_url);
            ctx.send_to(job, notice, &to, &link).await
        }
        kinds::TASK_REMINDER | kinds::WORK_ENV_REMINDER => super::after::run(ctx, job, &payload).await,
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

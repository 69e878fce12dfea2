//! Review reminders for risk flags (issue 17): the scheduler's tick enqueues one job per active
//! flag and review date ([`enqueue_due`]; unique key `flag_review:<flag>:<review_at>`, so a
//! flag is reminded once per review date however often the tick sees it, and again only after
//! a review sets a new date) from [`LEAD_MS`] before its review date. When the job runs it
//! re-checks the flag — still active, not ended, the same review date — and mails its owner (the
//! proposer) and whoever is on duty. The mail says only that a flag is due for review, with a
//! link to its report's page: no address, no guidance, no reason.

use super::Ctx;
use super::handlers::kinds;
use super::mail::Notice;
use crate::store::Db;
use crate::store::jobs::{Claimed, NewJob};
use serde_json::{Value, json};
use uuid::Uuid;

/// How long before its review date a flag's owner is reminded.
pub const LEAD_MS: i64 = 7 * 86_400_000;

/// The reminder job for `flag` due for review at `review_at`.
pub fn job(flag: Uuid, review_at: i64, now: i64) -> NewJob {
    let key = format!("flag_review:{flag}:{review_at}");
    NewJob::new(kinds::FLAG_REVIEW, key, json!({"flag_id": flag, "review_at": review_at}), now, now)
}

/// Enqueues the reminders of every active flag whose review date is within [`LEAD_MS`] of `now`
/// (a no-op for those enqueued before); the number enqueued.
pub async fn enqueue_due(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let jobs: Vec<NewJob> =
        db.flags_to_remind(now, LEAD_MS).await?.into_iter().map(|(id, review_at)| job(id, review_at, now)).collect();
    if jobs.is_empty() { Ok(0) } else { db.enqueue_jobs(&jobs).await }
}

/// Runs one reminder: nothing when the flag was lifted, has ended or got another review date.
pub async fn run(ctx: &Ctx, job: &Claimed, payload: &Value) -> Result<(), String> {
    let db_err = |e: sqlx::Error| format!("database: {e}");
    let id = payload["flag_id"].as_str().and_then(|s| s.parse::<Uuid>().ok()).ok_or("no flag id")?;
    let review_at = payload["review_at"].as_i64().ok_or("no review date")?;
    let now = ctx.clock.now_ms();
    let Some(flag) = ctx.db.flag(id).await.map_err(db_err)? else { return Ok(()) };
    if flag.state != "active" || flag.ends_at <= now || flag.review_at != review_at {
        return Ok(());
    }
    let mut to: Vec<(String, String)> =
        ctx.db.mail_target(flag.proposed_by).await.map_err(db_err)?.into_iter().collect();
    // Nobody on duty (and no fallback) still leaves the owner to tell.
    for t in ctx.on_duty(now).await.unwrap_or_default() {
        if !to.iter().any(|(e, _)| e.eq_ignore_ascii_case(&t.0)) {
            to.push(t);
        }
    }
    if to.is_empty() {
        return Err("the flag's owner has no address and nobody is on duty".into());
    }
    ctx.send_to(job, Notice::FlagReview, &to, &ctx.case_link(flag.report_id)).await
}

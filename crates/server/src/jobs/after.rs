//! The reminders of issue 18: a support task past its due date (to its owner; level 1 when the
//! due date has ended, level 2 three days later) and a work-environment notice not marked sent
//! (to the report's assignee, else whoever is on duty; level 1 at 12 h, level 2 at 24 h after
//! arrival, by the domain's rule). [`due_jobs`] runs in the scheduler's tick; each level is
//! enqueued once (kept on the task / `report_after` row, and a unique key per level). The
//! handlers re-check before they send: a task done or a notice sent meanwhile sends nothing.
//! The mails carry no content, only a link to the case.

use super::Ctx;
use super::handlers::kinds;
use super::mail::Notice;
use crate::store::Db;
use crate::store::after::DueTask;
use crate::store::jobs::{Claimed, NewJob};
use serde_json::{Value, json};
use uuid::Uuid;

/// A task's reminder at `level`.
pub fn task_reminder(due: &DueTask, now: i64) -> NewJob {
    let key = format!("task_reminder:{}:{}", due.task_id, due.level);
    let payload = json!({"task_id": due.task_id, "report_id": due.report_id, "level": due.level});
    NewJob::new(kinds::TASK_REMINDER, key, payload, now, now).for_report(due.report_id)
}

/// A report's work-environment reminder at `level`.
pub fn work_env_reminder(report_id: Uuid, level: i32, now: i64) -> NewJob {
    let key = format!("work_env_reminder:{report_id}:{level}");
    let payload = json!({"report_id": report_id, "level": level});
    NewJob::new(kinds::WORK_ENV_REMINDER, key, payload, now, now).for_report(report_id)
}

/// Enqueues every task and work-environment reminder due at `now` (each level once).
pub async fn due_jobs(db: &Db, now: i64) -> Result<(), sqlx::Error> {
    for due in db.due_task_reminders(now).await? {
        db.enqueue_jobs(&[task_reminder(&due, now)]).await?;
        db.note_task_reminded(due.task_id, due.level).await?;
    }
    for c in db.work_env_candidates(now).await? {
        let f = crate::routes::after::facts("healthcare", &c.kind, c.injury, c.sick_leave, c.severity.as_deref());
        if trygg_domain::work_env_reasons(&f).is_empty() {
            continue;
        }
        let Some(level) = trygg_domain::work_env_reminder_level(now - c.received_at) else { continue };
        if i64::from(level) > c.reminded {
            db.enqueue_jobs(&[work_env_reminder(c.id, level, now)]).await?;
            db.note_work_env_reminded(c.id, level).await?;
        }
    }
    Ok(())
}

/// Runs a task or work-environment reminder.
pub async fn run(ctx: &Ctx, job: &Claimed, payload: &Value) -> Result<(), String> {
    let db_err = |e: sqlx::Error| format!("database: {e}");
    let id = |k: &str| payload[k].as_str().and_then(|s| s.parse::<Uuid>().ok()).ok_or(format!("no {k}"));
    let now = ctx.clock.now_ms();
    let report_id = id("report_id")?;
    if job.kind == kinds::TASK_REMINDER {
        let Some(task) = ctx.db.task(id("task_id")?).await.map_err(db_err)? else { return Ok(()) };
        if task.done_at.is_some() {
            return Ok(());
        }
        let to = match ctx.db.mail_target(task.owner_id).await.map_err(db_err)? {
            Some(t) => vec![t],
            None => ctx.on_duty(now).await?,
        };
        return ctx.send_to(job, Notice::TaskDue, &to, &ctx.case_link(report_id)).await;
    }
    let Some(r) = ctx.db.report_for_notice(report_id).await.map_err(db_err)? else { return Ok(()) };
    let after = ctx.db.report_after(report_id).await.map_err(db_err)?;
    if r.status == "closed" || after.work_env_sent_at.is_some() {
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
    ctx.send_to(job, Notice::WorkEnvDeadline, &to, &ctx.case_link(report_id)).await
}

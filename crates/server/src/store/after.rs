//! After an incident (issue 18): support tasks and the per-report `report_after` row (police case
//! number, address kept out of the summary, work-environment notice). A task's internal note is
//! sealed; its agreed next step is plain (the reporter reads it). Every change is written with its
//! audit entry in one transaction and carries a version (a change from an older one writes
//! nothing). The reminder queries return each level once: the level enqueued is kept on the row.

use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use crate::region_time::is_night;
use sqlx::FromRow;
use uuid::Uuid;

/// Days past the due date's end before a task's second reminder.
pub const TASK_SECOND_REMINDER_DAYS: i64 = 3;
const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

/// A support task as stored (the note still sealed).
#[derive(Debug, Clone, FromRow)]
pub struct TaskRow {
    pub id: Uuid,
    pub report_id: Uuid,
    pub kind: String,
    pub due_on: String,
    /// The instant the due date ends (the task is overdue from then).
    pub due_at: i64,
    pub owner_id: Uuid,
    pub note_sealed: Option<String>,
    pub next_step: Option<String>,
    pub done_at: Option<i64>,
    pub done_by: Option<Uuid>,
    pub created_by: Uuid,
    pub created_at: i64,
    pub version: i64,
}

const TASK_COLUMNS: &str = "id, report_id, kind, due_on, due_at, owner_id, note_sealed, next_step, done_at, done_by,
    created_by, created_at, version";

/// What is recorded after the incident on one report (no row: nothing yet, version 0).
#[derive(Debug, Clone, Default, FromRow)]
pub struct AfterRow {
    pub police_case_number: Option<String>,
    pub hide_address: bool,
    pub work_env_sent_at: Option<i64>,
    pub work_env_sent_by: Option<Uuid>,
    pub version: i64,
}

/// A task reminder that is due: one per task and level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTask {
    pub task_id: Uuid,
    pub report_id: Uuid,
    pub owner_id: Uuid,
    pub level: i32,
}

/// What the work-environment rule reads of an open staff report without a sent notice.
#[derive(Debug, Clone, FromRow)]
pub struct WorkEnvCandidate {
    pub id: Uuid,
    pub received_at: i64,
    pub kind: String,
    pub injury: bool,
    pub sick_leave: bool,
    pub severity: Option<String>,
    pub reminded: i64,
}

/// The level due for a task whose due date ended at `due_at`.
pub fn task_level(due_at: i64, now: i64) -> Option<i32> {
    if now >= due_at + TASK_SECOND_REMINDER_DAYS * DAY_MS {
        Some(2)
    } else if now >= due_at {
        Some(1)
    } else {
        None
    }
}

impl Db {
    /// Stores a new task and audits it (`task.add`) in one transaction.
    pub async fn insert_task(&self, keys: &Keys, t: &TaskRow, detail: &str) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO support_tasks ({TASK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&sql)
                .bind(t.id)
                .bind(t.report_id)
                .bind(&t.kind)
                .bind(&t.due_on)
                .bind(t.due_at)
                .bind(t.owner_id)
                .bind(&t.note_sealed)
                .bind(&t.next_step)
                .bind(t.done_at)
                .bind(t.done_by)
                .bind(t.created_by)
                .bind(t.created_at)
                .bind(t.version)
                .execute(&mut *tx)
                .await?;
            let entry = Entry {
                user_id: Some(t.created_by),
                action: "task.add",
                report_id: Some(t.report_id),
                reason: Some(detail),
            };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Writes `t` over version `t.version - 1` and audits `action`; `false` when another came
    /// first. A new due date starts its reminders again.
    pub async fn update_task(
        &self,
        keys: &Keys,
        actor: Uuid,
        t: &TaskRow,
        action: &str,
        detail: &str,
    ) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE support_tasks SET due_on = $1, due_at = $2, owner_id = $3, note_sealed = $4, next_step = $5,
            done_at = $6, done_by = $7, version = $8,
            reminded_level = CASE WHEN due_at = $2 THEN reminded_level ELSE 0 END
            WHERE id = $9 AND version = $10";
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(sql)
                .bind(&t.due_on)
                .bind(t.due_at)
                .bind(t.owner_id)
                .bind(&t.note_sealed)
                .bind(&t.next_step)
                .bind(t.done_at)
                .bind(t.done_by)
                .bind(t.version)
                .bind(t.id)
                .bind(t.version - 1)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            let entry = Entry { user_id: Some(actor), action, report_id: Some(t.report_id), reason: Some(detail) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(true)
    }

    pub async fn task(&self, id: Uuid) -> Result<Option<TaskRow>, sqlx::Error> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM support_tasks WHERE id = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// A report's tasks: open ones by due date, then done ones.
    pub async fn tasks_of_report(&self, report_id: Uuid) -> Result<Vec<TaskRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM support_tasks WHERE report_id = $1
             ORDER BY CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, due_at, created_at, id"
        );
        on_db!(self, |pool| sqlx::query_as(&sql).bind(report_id).fetch_all(pool).await)
    }

    /// Open tasks, by due date; only those due by `before` when given (the overdue list).
    pub async fn open_tasks(&self, before: Option<i64>) -> Result<Vec<TaskRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM support_tasks WHERE done_at IS NULL AND due_at <= $1
             ORDER BY due_at, id LIMIT 500"
        );
        let before = before.unwrap_or(i64::MAX);
        on_db!(self, |pool| sqlx::query_as(&sql).bind(before).fetch_all(pool).await)
    }

    /// Every task reminder due at `now` and not yet enqueued (the highest level per task). At
    /// night (22–07 in the region) none: they fall due in the morning.
    pub async fn due_task_reminders(&self, now: i64) -> Result<Vec<DueTask>, sqlx::Error> {
        if is_night(now) {
            return Ok(Vec::new());
        }
        let sql = "SELECT id, report_id, owner_id, due_at, reminded_level FROM support_tasks
                   WHERE done_at IS NULL AND due_at <= $1 AND reminded_level < 2 ORDER BY due_at, id";
        let rows: Vec<(Uuid, Uuid, Uuid, i64, i64)> =
            on_db!(self, |pool| sqlx::query_as(sql).bind(now).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(task_id, report_id, owner_id, due_at, reminded)| {
                let level = task_level(due_at, now)?;
                (i64::from(level) > reminded).then_some(DueTask { task_id, report_id, owner_id, level })
            })
            .collect())
    }

    /// Notes that `level` of the task's reminders is enqueued (never lowers it).
    pub async fn note_task_reminded(&self, task_id: Uuid, level: i32) -> Result<(), sqlx::Error> {
        let sql = "UPDATE support_tasks SET reminded_level = $1 WHERE id = $2 AND reminded_level < $1";
        on_db!(self, |pool| sqlx::query(sql).bind(i64::from(level)).bind(task_id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The report's `report_after` row (default, version 0, when none yet).
    pub async fn report_after(&self, report_id: Uuid) -> Result<AfterRow, sqlx::Error> {
        let sql = "SELECT police_case_number, hide_address, work_env_sent_at, work_env_sent_by, version
                   FROM report_after WHERE report_id = $1";
        let row: Option<AfterRow> =
            on_db!(self, |pool| sqlx::query_as(sql).bind(report_id).fetch_optional(pool).await)?;
        Ok(row.unwrap_or_default())
    }

    /// Writes `a` over version `a.version - 1` (inserting the row from version 0) and audits
    /// `action`; `false` when another change came first.
    pub async fn save_after(
        &self,
        keys: &Keys,
        actor: Option<Uuid>,
        report_id: Uuid,
        a: &AfterRow,
        action: &str,
        detail: &str,
    ) -> Result<bool, sqlx::Error> {
        let update = "UPDATE report_after SET police_case_number = $1, hide_address = $2, work_env_sent_at = $3,
            work_env_sent_by = $4, version = $5 WHERE report_id = $6 AND version = $7";
        let insert = "INSERT INTO report_after (report_id, police_case_number, hide_address, work_env_sent_at,
            work_env_sent_by, version) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (report_id) DO NOTHING";
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut n = sqlx::query(update)
                .bind(&a.police_case_number)
                .bind(a.hide_address)
                .bind(a.work_env_sent_at)
                .bind(a.work_env_sent_by)
                .bind(a.version)
                .bind(report_id)
                .bind(a.version - 1)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 && a.version == 1 {
                n = sqlx::query(insert)
                    .bind(report_id)
                    .bind(&a.police_case_number)
                    .bind(a.hide_address)
                    .bind(a.work_env_sent_at)
                    .bind(a.work_env_sent_by)
                    .bind(a.version)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            if n != 1 {
                return Ok(false);
            }
            let entry = Entry { user_id: actor, action, report_id: Some(report_id), reason: Some(detail) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(true)
    }

    /// Open staff reports that arrived at least 12 hours before `now` (and at most 30 days),
    /// whose work-environment notice is not marked sent: the rule decides which qualify.
    pub async fn work_env_candidates(&self, now: i64) -> Result<Vec<WorkEnvCandidate>, sqlx::Error> {
        let sql = "SELECT r.id, r.received_at, r.kind, r.injury, r.sick_leave, r.severity,
                   COALESCE(a.work_env_reminded, 0) AS reminded
                   FROM reports r LEFT JOIN report_after a ON a.report_id = r.id
                   WHERE r.role = 'healthcare' AND r.status <> 'closed' AND r.received_at <= $1 AND r.received_at > $2
                   AND a.work_env_sent_at IS NULL ORDER BY r.received_at, r.id";
        let (from, to) = (now - 12 * HOUR_MS, now - 30 * DAY_MS);
        on_db!(self, |pool| sqlx::query_as(sql).bind(from).bind(to).fetch_all(pool).await)
    }

    /// Notes that `level` of the report's work-environment reminders is enqueued (the row is
    /// made at version 0 when none exists, so a coordinator's first save still fits).
    pub async fn note_work_env_reminded(&self, report_id: Uuid, level: i32) -> Result<(), sqlx::Error> {
        let sql =
            "INSERT INTO report_after (report_id, hide_address, work_env_reminded, version) VALUES ($1, $2, $3, 0)
                   ON CONFLICT (report_id) DO UPDATE SET work_env_reminded = excluded.work_env_reminded
                   WHERE report_after.work_env_reminded < excluded.work_env_reminded";
        on_db!(self, |pool| {
            sqlx::query(sql).bind(report_id).bind(false).bind(i64::from(level)).execute(pool).await.map(|_| ())
        })?;
        Ok(())
    }
}

/// What the after routes read of a report beyond `report_after` (no content).
#[derive(Debug, Clone, FromRow)]
pub struct ReportFacts {
    pub role: String,
    pub kind: String,
    pub injury: bool,
    pub sick_leave: bool,
    pub severity: Option<String>,
    pub received_at: i64,
    /// The one the reporter gave at intake, if any.
    pub police_case_number: Option<String>,
}

impl Db {
    pub async fn summary_facts(&self, report_id: Uuid) -> Result<Option<ReportFacts>, sqlx::Error> {
        let sql = "SELECT role, kind, injury, sick_leave, severity, received_at, police_case_number FROM reports
                   WHERE id = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(report_id).fetch_optional(pool).await)
    }
}

/// A report's columns the police summary shows (identity still sealed).
#[derive(Debug, Clone, FromRow)]
pub struct SummaryRow {
    pub id: Uuid,
    pub received_at: i64,
    pub occurred_at: i64,
    pub kind: String,
    pub channel: String,
    pub location: Option<String>,
    pub description: String,
    pub perpetrator: Option<String>,
    pub perpetrator_description: Option<String>,
    pub witnesses: Option<String>,
    pub injury: bool,
    pub damage: bool,
    pub sick_leave: bool,
    pub role: String,
    pub unit: Option<String>,
    pub identity: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    pub police_case_number: Option<String>,
}

impl Db {
    /// Reads a report for its police summary and logs the read (`summary.read`, by `user` or
    /// the reporter when `None`) in the same transaction: no summary without its log entry.
    pub async fn read_for_summary(
        &self,
        keys: &Keys,
        id: Uuid,
        user: Option<Uuid>,
        reason: &str,
    ) -> Result<Option<SummaryRow>, sqlx::Error> {
        let sql = "SELECT id, received_at, occurred_at, kind, channel, location, description, perpetrator,
            perpetrator_description, witnesses, injury, damage, sick_leave, role, unit, identity, reporter_name,
            reporter_phone, reporter_email, police_case_number FROM reports WHERE id = $1";
        let entry = Entry { user_id: user, action: "summary.read", report_id: Some(id), reason: Some(reason) };
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let row: Option<SummaryRow> = sqlx::query_as(sql).bind(id).fetch_optional(&mut *tx).await?;
            if row.is_some() {
                append_in_tx!(tx, keys, &entry);
            }
            tx.commit().await?;
            Ok(row)
        })
    }
}

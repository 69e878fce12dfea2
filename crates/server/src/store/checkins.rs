//! Safety check-ins (issue 19): the table `checkins` and every change of its state, each one
//! conditional UPDATE so that two servers (or a job and the person) cannot both win:
//!
//! - `active → safe`: the person checked in in time;
//! - `active → alerted`: the due job found the due time plus grace passed; the alert mail is
//!   enqueued in the same transaction (unique key per check-in: one alert, ever);
//! - `alerted | acknowledged → late_all_clear`: the person checked in after the alert; the
//!   all-clear mail is enqueued in the same transaction;
//! - `alerted → acknowledged` (or an unacknowledged `late_all_clear` gets its acknowledgement):
//!   a coordinator wrote what was done, audited in the same transaction.
//!
//! **Retention**: a check-in is deleted [`KEEP_ENDED_MS`] after it ended (`ended_at`: checked in,
//! or acknowledged), by the scheduler's tick. An alert nobody acknowledged and the person never
//! answered has not ended and is kept until someone acknowledges it.

use super::audit::{Entry, append_in_tx};
use super::jobs::{NewJob, enqueue_in_tx};
use super::{BeginWrite, Db, on_db};
use sqlx::FromRow;
use uuid::Uuid;

/// How long an ended check-in is kept: 24 hours.
pub const KEEP_ENDED_MS: i64 = 24 * 3_600_000;

/// A check-in as stored (sealed columns still sealed).
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct CheckinRow {
    pub id: Uuid,
    pub details_sealed: String,
    pub alert_target: String,
    pub due_at: i64,
    pub grace_ms: i64,
    pub state: String,
    pub created_at: i64,
    pub alerted_at: Option<i64>,
    pub checked_in_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<Uuid>,
    pub note_sealed: Option<String>,
    pub ended_at: Option<i64>,
    pub version: i64,
}

const COLUMNS: &str = "id, details_sealed, alert_target, due_at, grace_ms, state, created_at, alerted_at,
    checked_in_at, acknowledged_at, acknowledged_by, note_sealed, ended_at, version";

/// What a check-in by the person did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckedIn {
    /// In time: ended, nobody told.
    InTime,
    /// After the alert: an all-clear goes out.
    Late,
    /// It had already ended (a repeat from the device's queue): nothing changed.
    AlreadyEnded,
}

impl Db {
    /// Stores a new check-in with its due job, in one transaction.
    pub async fn insert_checkin(&self, row: &CheckinRow, token_hash: &str, due: &NewJob) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO checkins (id, token_hash, details_sealed, alert_target, due_at, grace_ms, state, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)",
            )
            .bind(row.id)
            .bind(token_hash)
            .bind(&row.details_sealed)
            .bind(&row.alert_target)
            .bind(row.due_at)
            .bind(row.grace_ms)
            .bind(row.created_at)
            .execute(&mut *tx)
            .await?;
            enqueue_in_tx!(tx, std::slice::from_ref(due));
            tx.commit().await
        })
    }

    /// The check-in whose device token hashes to `token_hash`.
    pub async fn checkin_by_token(&self, token_hash: &str) -> Result<Option<CheckinRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM checkins WHERE token_hash = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await)
    }

    pub async fn checkin(&self, id: Uuid) -> Result<Option<CheckinRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM checkins WHERE id = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// *More time*: moves an active check-in's due time to `due_at` and enqueues its new due job
    /// (the old job finds it not due and does nothing). `false` when it is no longer active.
    pub async fn extend_checkin(&self, id: Uuid, due_at: i64, due: &NewJob) -> Result<bool, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE checkins SET due_at = $2, version = version + 1 WHERE id = $1 AND state = 'active'",
            )
            .bind(id)
            .bind(due_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                enqueue_in_tx!(tx, std::slice::from_ref(due));
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// *I am safe* at `now`; after an alert, `all_clear` is enqueued in the same transaction.
    pub async fn check_in(&self, id: Uuid, now: i64, all_clear: &NewJob) -> Result<CheckedIn, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let in_time = sqlx::query(
                "UPDATE checkins SET state = 'safe', checked_in_at = $2, ended_at = $2, version = version + 1
                 WHERE id = $1 AND state = 'active'",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let outcome = if in_time == 1 {
                CheckedIn::InTime
            } else {
                let late = sqlx::query(
                    "UPDATE checkins SET state = 'late_all_clear', checked_in_at = $2, ended_at = $2,
                         version = version + 1
                     WHERE id = $1 AND state IN ('alerted', 'acknowledged')",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if late == 1 {
                    enqueue_in_tx!(tx, std::slice::from_ref(all_clear));
                    CheckedIn::Late
                } else {
                    CheckedIn::AlreadyEnded
                }
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// The due job's step: `active → alerted` if the due time plus grace has passed at `now`,
    /// enqueueing `alert` in the same transaction. `true` when this call raised the alert.
    pub async fn alert_if_due(&self, id: Uuid, now: i64, alert: &NewJob) -> Result<bool, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE checkins SET state = 'alerted', alerted_at = $2, version = version + 1
                 WHERE id = $1 AND state = 'active' AND due_at + grace_ms <= $2",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                enqueue_in_tx!(tx, std::slice::from_ref(alert));
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Alerts nobody has acknowledged yet, oldest first.
    pub async fn open_checkin_alert_rows(&self) -> Result<Vec<CheckinRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS} FROM checkins
             WHERE acknowledged_at IS NULL AND state IN ('alerted', 'late_all_clear') AND alerted_at IS NOT NULL
             ORDER BY alerted_at, id LIMIT 500"
        );
        on_db!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)
    }

    /// How many alerts nobody has acknowledged (the what-waits badge).
    pub async fn open_checkin_alerts(&self) -> Result<i64, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM checkins
             WHERE acknowledged_at IS NULL AND state IN ('alerted', 'late_all_clear') AND alerted_at IS NOT NULL";
        on_db!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await)
    }

    /// A coordinator's acknowledgement with its sealed note, audited in the same transaction.
    /// `false` when it was already acknowledged (or was never alerted).
    pub async fn acknowledge_checkin(
        &self,
        keys: &crate::crypto::Keys,
        id: Uuid,
        by: Uuid,
        note_sealed: &str,
        now: i64,
        entry: &Entry<'_>,
    ) -> Result<bool, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE checkins SET acknowledged_at = $2, acknowledged_by = $3, note_sealed = $4, ended_at = $2,
                     state = CASE WHEN state = 'alerted' THEN 'acknowledged' ELSE state END,
                     version = version + 1
                 WHERE id = $1 AND acknowledged_at IS NULL AND state IN ('alerted', 'late_all_clear')",
            )
            .bind(id)
            .bind(now)
            .bind(by)
            .bind(note_sealed)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                append_in_tx!(tx, keys, entry);
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }

    /// Deletes the check-ins that ended before `before`; how many.
    pub async fn purge_checkins(&self, before: i64) -> Result<u64, sqlx::Error> {
        on_db!(self, |pool| {
            let r = sqlx::query("DELETE FROM checkins WHERE ended_at IS NOT NULL AND ended_at < $1")
                .bind(before)
                .execute(pool)
                .await?;
            Ok(r.rows_affected())
        })
    }
}

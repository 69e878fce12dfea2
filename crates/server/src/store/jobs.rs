//! Durable jobs in the app's own database (both backends, one code path), after the design of
//! River, Oban and graphile-worker (no crate fits sqlx 0.8 on both backends, see
//! ../shared/crates.md):
//!
//! - **enqueue in the caller's transaction** ([`enqueue_in_tx!`]): a job exists if and only if
//!   the change that caused it committed; its `unique_key` makes a second enqueue (a retry, a
//!   second server) a no-op (`ON CONFLICT DO NOTHING`);
//! - **claim** ([`Db::claim_jobs`]): one conditional `UPDATE … RETURNING` that takes a lease
//!   until `now + lease`; the condition is repeated on the row being updated, so of several
//!   servers claiming at once exactly one wins each job (PostgreSQL re-checks it on the locked
//!   row, SQLite runs one writer at a time). A running job whose lease ran out (its server
//!   crashed) is claimed again, by anyone;
//! - **completion and failure are fenced** by the lease holder ([`Db::complete_job`],
//!   [`Db::fail_job`]): a server whose lease was taken over changes nothing;
//! - failures come back after an exponential back-off until `max_attempts`, then stay `failed`
//!   for an administrator to see and retry ([`Db::retry_job`]).
//!
//! Delivery is at least once: handlers re-check state before acting, and mail carries a stable
//! Message-ID per job. A payload holds ids only, never a report's content.

use super::{BeginWrite, Db, on_db};
use sqlx::FromRow;
use uuid::Uuid;

/// How many times a job runs before it is `failed` (unless its enqueuer says otherwise).
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;

/// Longest `last_error` kept (a short reason, never a secret nor content).
const MAX_ERROR_CHARS: usize = 300;

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub id: Uuid,
    /// What to do (see `crate::jobs::kinds`).
    pub kind: &'static str,
    /// One job per key, ever (until finished jobs are purged).
    pub unique_key: String,
    /// JSON with ids only.
    pub payload: String,
    /// The report the job is about, so that deleting the report deletes its jobs.
    pub report_id: Option<Uuid>,
    /// Not before this (Unix ms).
    pub run_at: i64,
    pub max_attempts: i64,
    pub created_at: i64,
}

impl NewJob {
    /// A job due at `run_at`, enqueued `now`, with the default number of attempts.
    pub fn new(kind: &'static str, unique_key: String, payload: serde_json::Value, run_at: i64, now: i64) -> Self {
        NewJob {
            id: Uuid::new_v4(),
            kind,
            unique_key,
            payload: payload.to_string(),
            report_id: None,
            run_at,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            created_at: now,
        }
    }

    pub fn for_report(mut self, report_id: Uuid) -> Self {
        self.report_id = Some(report_id);
        self
    }
}

/// Inserts the jobs `$jobs: &[NewJob]` inside the open transaction `$tx` (either backend),
/// skipping any whose unique key exists. Evaluates to how many were inserted.
macro_rules! enqueue_in_tx {
    ($tx:expr, $jobs:expr) => {{
        let jobs: &[$crate::store::jobs::NewJob] = $jobs;
        if jobs.is_empty() {
            0u64
        } else {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO jobs (id, kind, unique_key, payload, report_id, run_at, max_attempts, created_at) ",
            );
            qb.push_values(jobs, |mut b, j| {
                b.push_bind(j.id)
                    .push_bind(j.kind)
                    .push_bind(&j.unique_key)
                    .push_bind(&j.payload)
                    .push_bind(j.report_id)
                    .push_bind(j.run_at)
                    .push_bind(j.max_attempts)
                    .push_bind(j.created_at);
            });
            qb.push(" ON CONFLICT (unique_key) DO NOTHING");
            qb.build().execute(&mut *$tx).await?.rows_affected()
        }
    }};
}
pub(crate) use enqueue_in_tx;

/// A job this server holds the lease of.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub unique_key: String,
    pub payload: String,
    pub report_id: Option<Uuid>,
    /// Including this run.
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_until: i64,
}

/// A job as administrators and tests see it.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub unique_key: String,
    pub state: String,
    pub run_at: i64,
    pub attempts: i64,
    pub max_attempts: i64,
    pub lease_owner: Option<String>,
    pub lease_until: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const ROW: &str = "SELECT id, kind, unique_key, state, run_at, attempts, max_attempts, lease_owner, lease_until,
    last_error, created_at, finished_at FROM jobs";

/// Due now: queued and its time has come, or running under a lease that has run out.
const CLAIMABLE: &str = "((state = 'queued' AND run_at <= $3) OR (state = 'running' AND lease_until < $3))";

/// The wait before attempt `attempts + 1`: `base`, doubled per attempt, at most an hour.
pub fn backoff_ms(base_ms: i64, attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    base_ms.max(1).saturating_mul(1i64 << doublings).min(3_600_000)
}

/// When a job about a report finished, as kept: the start of its ten-minute slot, like an
/// anonymous report's arrival (an exact time next to the report's id would undo that).
fn coarse(ms: i64) -> i64 {
    super::reports::anonymous_received_at(ms)
}

/// `error` cut to a short single line for `last_error`.
fn short(error: &str) -> String {
    error.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(MAX_ERROR_CHARS).collect()
}

impl Db {
    /// Enqueues `jobs` in a transaction of their own (for causes that have none to share).
    pub async fn enqueue_jobs(&self, jobs: &[NewJob]) -> Result<u64, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = enqueue_in_tx!(tx, jobs);
            tx.commit().await?;
            Ok(n)
        })
    }

    /// Takes the lease of up to `limit` due jobs for `owner` until `now + lease_ms`, counting an
    /// attempt for each. One statement: a job is claimed by one claimer only.
    pub async fn claim_jobs(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, sqlx::Error> {
        let sql = format!(
            "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, attempts = attempts + 1
             WHERE id IN (SELECT id FROM jobs WHERE {CLAIMABLE} ORDER BY run_at LIMIT $4) AND {CLAIMABLE}
             RETURNING id, kind, unique_key, payload, report_id, attempts, max_attempts, lease_until"
        );
        on_db!(self, |pool| {
            sqlx::query_as(&sql).bind(owner).bind(now + lease_ms).bind(now).bind(limit).fetch_all(pool).await
        })
    }

    /// Marks a job done, if `owner` still holds it. `false`: the lease was taken over.
    pub async fn complete_job(&self, id: Uuid, owner: &str, now: i64) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, last_error = NULL,
            finished_at = CASE WHEN report_id IS NULL THEN $3 ELSE $4 END
            WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let n = on_db!(self, |pool| sqlx::query(sql)
            .bind(id)
            .bind(owner)
            .bind(now)
            .bind(coarse(now))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Records a failed run, if `owner` still holds the job: queued again at `retry_at`, or
    /// `failed` for good when `retry_at` is `None`. `error` must hold no secret and no content.
    pub async fn fail_job(
        &self,
        id: Uuid,
        owner: &str,
        now: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<bool, sqlx::Error> {
        let (state, run_at, finished) = match retry_at {
            Some(at) => ("queued", Some(at), None),
            None => ("failed", None, Some(now)),
        };
        let sql = "UPDATE jobs SET state = $3, run_at = COALESCE($4, run_at), last_error = $6,
            finished_at = CASE WHEN report_id IS NULL THEN $5 ELSE $7 END,
            lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'running'";
        let n = on_db!(self, |pool| sqlx::query(sql)
            .bind(id)
            .bind(owner)
            .bind(state)
            .bind(run_at)
            .bind(finished)
            .bind(short(error))
            .bind(finished.map(coarse))
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// A `failed` job queued again now with a fresh set of attempts. `Ok(None)`: no failed job
    /// with this id (it does not exist, or another administrator retried it first); otherwise
    /// the job as it was before.
    pub async fn retry_job(&self, id: Uuid, now: i64) -> Result<Option<JobRow>, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: Option<JobRow> = sqlx::query_as(&format!("{ROW} WHERE id = $1 AND state = 'failed'"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if before.is_some() {
                sqlx::query(
                    "UPDATE jobs SET state = 'queued', run_at = $2, attempts = 0, finished_at = NULL
                     WHERE id = $1 AND state = 'failed'",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(before)
        })
    }

    /// Failed jobs, newest failure first.
    pub async fn failed_jobs(&self, limit: i64) -> Result<Vec<JobRow>, sqlx::Error> {
        let sql = format!("{ROW} WHERE state = 'failed' ORDER BY finished_at DESC, id LIMIT $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)
    }

    /// One job, by id.
    pub async fn job(&self, id: Uuid) -> Result<Option<JobRow>, sqlx::Error> {
        let sql = format!("{ROW} WHERE id = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// One job, by unique key.
    pub async fn job_by_key(&self, key: &str) -> Result<Option<JobRow>, sqlx::Error> {
        let sql = format!("{ROW} WHERE unique_key = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(key).fetch_optional(pool).await)
    }

    /// Every job of a kind, oldest first (for checks and tests).
    pub async fn jobs_of_kind(&self, kind: &str) -> Result<Vec<JobRow>, sqlx::Error> {
        let sql = format!("{ROW} WHERE kind = $1 ORDER BY created_at, id");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(kind).fetch_all(pool).await)
    }

    /// Deletes jobs that finished (done) before `before`; failed ones stay until retried.
    pub async fn purge_done_jobs(&self, before: i64) -> Result<u64, sqlx::Error> {
        let sql = "DELETE FROM jobs WHERE state = 'done' AND finished_at < $1";
        on_db!(self, |pool| sqlx::query(sql).bind(before).execute(pool).await.map(|r| r.rows_affected()))
    }
}

/// What a notification job re-checks of its report before it sends (never its content).
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ReportState {
    pub status: String,
    pub assignee_id: Option<Uuid>,
    pub last_answer_at: Option<i64>,
}

impl Db {
    /// A report's state for a notification job; `None` when the report is gone.
    pub async fn report_for_notice(&self, id: Uuid) -> Result<Option<ReportState>, sqlx::Error> {
        let sql = "SELECT status, assignee_id, last_answer_at FROM reports WHERE id = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await)
    }

    /// An account's address and language for mail; `None` when the account is gone.
    pub async fn mail_target(&self, user: Uuid) -> Result<Option<(String, String)>, sqlx::Error> {
        // The account's chosen language (`users.lang`: `sv` or `en`) decides the mail's.
        let sql = "SELECT email, lang FROM users WHERE id = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(user).fetch_optional(pool).await)
    }
}

#[cfg(test)]
mod tests {
    use super::{backoff_ms, short};

    #[test]
    fn the_back_off_doubles_per_attempt_up_to_an_hour() {
        assert_eq!(backoff_ms(10_000, 1), 10_000);
        assert_eq!(backoff_ms(10_000, 2), 20_000);
        assert_eq!(backoff_ms(10_000, 4), 80_000);
        assert_eq!(backoff_ms(10_000, 30), 3_600_000);
        assert_eq!(backoff_ms(10_000, 0), 10_000);
    }

    #[test]
    fn a_stored_error_is_one_short_line() {
        assert_eq!(short("a\n  b\tc"), "a b c");
        assert_eq!(short(&"x".repeat(1000)).len(), 300);
    }
}

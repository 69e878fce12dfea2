//! The job runner: one worker task per server claims due jobs (see [`crate::store::jobs`] for
//! the table, the lease and the fencing), runs them concurrently, and records the outcome.
//!
//! **Wake-up.** An enqueue on this server wakes its worker at once ([`wake`], a tokio `Notify`);
//! jobs that another server enqueued, retries after back-off and takeovers of expired leases are
//! found by a short poll (`TRYGG_JOB_POLL_MILLIS`, default 2 s). A job's own server normally
//! runs it, so an urgent report's mail leaves within milliseconds; PostgreSQL's LISTEN/NOTIFY
//! would only shorten the rarer cross-server case and needs a connection per server held
//! outside the pool, so the poll was chosen.
//!
//! **Time** comes from the server's [`Clock`]: tests move it forward to expire leases and
//! back-offs instead of sleeping.

pub mod after;
pub mod flag_review;
pub mod handlers;
pub mod mail;

use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::Keys;
use crate::store::Db;
use crate::store::jobs::{Claimed, backoff_ms};
use mail::{Mailer, Notice};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Wakes the workers of this process (every enqueue calls it after its commit).
static WAKE: Notify = Notify::const_new();

/// Wakes every worker of this process: a job was enqueued.
pub fn wake() {
    WAKE.notify_waiters();
}

/// Jobs claimed at once by one worker.
const CLAIM_BATCH: i64 = 16;

/// What handlers reach.
pub struct Ctx {
    pub db: Db,
    pub clock: Clock,
    pub keys: Arc<Keys>,
    pub mailer: Mailer,
    pub public_url: String,
    pub fallback: Option<String>,
    /// This server's name on the leases it takes.
    pub owner: String,
    lease_ms: i64,
    poll: Duration,
    backoff_ms: i64,
}

/// The runner of one server: its mailer's state is what administrators see.
pub type Runner = Arc<Ctx>;

/// Starts this server's worker (unless `TRYGG_JOB_WORKER=false`) and the mail server check;
/// the worker offers the scheduler's tick once a minute.
pub fn spawn(db: Db, clock: Clock, keys: Arc<Keys>, config: &Config) -> Runner {
    let ctx = Arc::new(Ctx {
        db,
        clock,
        keys,
        mailer: Mailer::from_config(config),
        public_url: config.public_url.trim_end_matches('/').to_owned(),
        fallback: config.notify_fallback_email.clone().filter(|s| !s.trim().is_empty()),
        owner: format!("server-{}", uuid::Uuid::new_v4().simple()),
        lease_ms: i64::try_from(config.job_lease_seconds.max(1) * 1000).unwrap_or(60_000),
        poll: Duration::from_millis(config.job_poll_millis.max(10)),
        backoff_ms: i64::try_from(config.job_backoff_seconds * 1000).unwrap_or(10_000),
    });
    let checker = ctx.clone();
    tokio::spawn(async move { checker.mailer.check(checker.clock.now_ms()).await });
    if config.job_worker {
        tokio::spawn(ctx.clone().work());
    }
    ctx
}

impl Ctx {
    async fn work(self: Arc<Self>) {
        let mut ticked_minute = i64::MIN;
        loop {
            // Each server offers the scheduler's tick once a minute (one job per minute whoever
            // enqueues it: a unique key), so the scheduler survives a tick that failed for good.
            let now = self.clock.now_ms();
            if now.div_euclid(60_000) != ticked_minute {
                match self.db.enqueue_jobs(&[handlers::tick(now, now)]).await {
                    Ok(_) => ticked_minute = now.div_euclid(60_000),
                    Err(sqlx::Error::PoolClosed) => return,
                    Err(e) => tracing::warn!(error = %e, "could not enqueue the scheduler's tick"),
                }
            }
            // Listen before looking, so a wake between the look and the wait is not lost.
            let notified = WAKE.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            match self.db.claim_jobs(&self.owner, self.clock.now_ms(), self.lease_ms, CLAIM_BATCH).await {
                Ok(jobs) if !jobs.is_empty() => {
                    let mut set = tokio::task::JoinSet::new();
                    for job in jobs {
                        set.spawn(self.clone().run_one(job));
                    }
                    while set.join_next().await.is_some() {}
                    continue;
                }
                Ok(_) => {}
                Err(sqlx::Error::PoolClosed) => return,
                Err(e) => tracing::warn!(error = %e, "could not claim jobs"),
            }
            tokio::select! {
                () = &mut notified => {}
                () = tokio::time::sleep(self.poll) => {}
            }
        }
    }

    /// Runs one claimed job within its lease and records the outcome (fenced by the lease).
    async fn run_one(self: Arc<Self>, job: Claimed) {
        let outcome = if job.attempts > job.max_attempts {
            // Taken over after its last attempt's server died: no attempt is left.
            Err("the lease ran out during the last attempt".to_owned())
        } else {
            let budget = Duration::from_millis(u64::try_from(self.lease_ms / 2).unwrap_or(30_000));
            match tokio::time::timeout(budget, handlers::run(&self, &job)).await {
                Ok(r) => r,
                Err(_) => Err("the job took longer than half its lease".to_owned()),
            }
        };
        let now = self.clock.now_ms();
        let recorded = match &outcome {
            Ok(()) => self.db.complete_job(job.id, &self.owner, now).await,
            Err(e) => {
                let retry = (job.attempts < job.max_attempts).then(|| now + backoff_ms(self.backoff_ms, job.attempts));
                tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %e,
                    failed = retry.is_none(), "a job failed");
                self.db.fail_job(job.id, &self.owner, now, e, retry).await
            }
        };
        match recorded {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job = %job.id, "the job's lease was taken over; its outcome was not recorded"),
            Err(e) => tracing::warn!(job = %job.id, error = %e, "could not record a job's outcome"),
        }
    }

    /// Whoever is on duty at `now`, else the fallback address; an error when nobody at all.
    async fn on_duty(&self, now: i64) -> Result<Vec<(String, String)>, String> {
        let mut to: Vec<(String, String)> = (self.db.on_duty_at(now).await)
            .map_err(|e| format!("database: {e}"))?
            .into_iter()
            .map(|d| (d.email, d.lang))
            .collect();
        if to.is_empty()
            && let Some(fallback) = &self.fallback
        {
            to.push((fallback.clone(), "sv".to_owned()));
        }
        if to.is_empty() {
            return Err("nobody is on duty and TRYGG_NOTIFY_FALLBACK_EMAIL is not set".into());
        }
        Ok(to)
    }

    fn inbox_link(&self) -> String {
        format!("{}/samordnare/inkorg", self.public_url)
    }

    fn case_link(&self, report_id: uuid::Uuid) -> String {
        format!("{}/samordnare/inkorg/{report_id}", self.public_url)
    }

    async fn send_to(&self, job: &Claimed, notice: Notice, to: &[(String, String)], link: &str) -> Result<(), String> {
        for m in handlers::mails(job.id, &self.mailer.host, notice, to, link) {
            self.mailer.send(&m, self.clock.now_ms()).await?;
        }
        Ok(())
    }
}

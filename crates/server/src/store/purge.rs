//! Deletes what no longer serves: throttle windows that are over, sessions that have ended (past
//! their absolute expiry or idle for longer than the idle limit) and the receipt codes kept for
//! idempotent retries once a client's retries are long over (default 7 days: the browser's
//! outbox retries a failed send within minutes, at the latest on its next start).
//!
//! Each is a plain `DELETE … WHERE older than`: idempotent, so several servers may run it at
//! once or one after another; the background task ([`spawn`]) runs it every few minutes, and
//! with it the retention purge of closed reports ([`super::retention`]), as of `state.clock`.

use super::{Db, on_db};
use crate::clock::Clock;
use crate::crypto::Keys;
use std::sync::Arc;
use std::time::Duration;

/// What one purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub rate_limits: u64,
    pub sessions: u64,
    pub replays: u64,
}

/// How old things may get before [`Db::purge`] deletes them.
#[derive(Debug, Clone, Copy)]
pub struct Ages {
    /// A session with no request for this long is over.
    pub session_idle_ms: i64,
    /// A receipt kept for replays is deleted this long after its report arrived.
    pub replay_keep_ms: i64,
}

impl Db {
    /// Deletes, as of `now` (Unix ms), every ended throttle window, every ended session and every
    /// replay row older than `ages.replay_keep_ms`. A report itself is never touched: a retry
    /// after that finds its key taken but no receipt to repeat.
    pub async fn purge(&self, now: i64, ages: Ages) -> Result<Purged, sqlx::Error> {
        let rate_limits = on_db!(self, |pool| sqlx::query("DELETE FROM rate_limits WHERE until_ms <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        let sessions =
            on_db!(self, |pool| sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now)
                .bind(now - ages.session_idle_ms)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()))?;
        let replays = on_db!(self, |pool| sqlx::query("DELETE FROM receipt_replays WHERE created_at < $1")
            .bind(now - ages.replay_keep_ms)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(Purged { rate_limits, sessions, replays })
    }
}

/// Deletes the closed reports past the retention period, as of `clock`.
pub async fn retention(db: &Db, keys: &Keys, clock: &Clock) -> Result<u64, sqlx::Error> {
    let months = db.retention().await?.months;
    db.purge_closed(keys, None, super::retention::cutoff(clock.now_ms(), months)).await
}

/// Runs [`Db::purge`] and the retention purge every `every` (the first run one period after
/// start) until the pool closes.
pub fn spawn(
    db: Db,
    keys: Arc<Keys>,
    clock: Clock,
    every: Duration,
    ages: Ages,
) -> Option<tokio::task::JoinHandle<()>> {
    if every.is_zero() {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            if on_db!(&db, |pool| pool.is_closed()) {
                return;
            }
            match db.purge(clock.now_ms(), ages).await {
                Ok(p) => {
                    tracing::info!(rate_limits = p.rate_limits, sessions = p.sessions, replays = p.replays, "purged")
                }
                Err(e) => tracing::warn!(error = %e, "purge failed; trying again later"),
            }
            match retention(&db, &keys, &clock).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reports = n, "closed reports past retention purged"),
                Err(e) => tracing::warn!(error = %e, "retention purge failed; trying again later"),
            }
        }
    }))
}

//! Flood limits on submits and reporter messages, counted without a database write per request.
//!
//! A durable upsert per submit (as the sign-in throttles do) costs a commit of its own beside the
//! group-commit writer's batches: on SQLite it made every submit wait for the write lock, and the
//! sustained rate fell from ~5,800/s to ~1,200/s (p99 at 1,000 req/s: 4.4 → 297 ms). A flood
//! limit needs no such precision: it must stop a script, not count to the last request. So each
//! server counts in memory and adds its counts to the shared `rate_limits` rows in **one**
//! transaction every [`FLUSH_EVERY`], learning every server's totals in the same round trip. A
//! decision is `shared total as of the last flush + this server's requests since`: exact on one
//! server, and with several servers a script may pass the limit by what the others counted
//! within one flush interval. The counts still live in the database, shared by every server.

use super::limits::{retry_after_secs, window};
use super::{BeginWrite, Db, on_db};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often a server writes its counts and reads everyone's.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);

type Slot = (String, i64);

#[derive(Default)]
struct Counts {
    /// Counted here since the last flush: (count, end of window).
    pending: HashMap<Slot, (i64, i64)>,
    /// Every server's total at the last flush: (count, end of window).
    shared: HashMap<Slot, (i64, i64)>,
    /// Taken by the flush on its way to the database and not yet in `shared`: still counted, so
    /// that a request during a flush does not slip past the limit.
    inflight: HashMap<Slot, i64>,
}

/// This server's flood counters (see the module's text).
#[derive(Default)]
pub struct FloodCounter {
    counts: Mutex<Counts>,
    /// One flush at a time: a flush returns only once everything counted before it is written
    /// (also what another flush had already taken).
    flushing: tokio::sync::Mutex<()>,
}

impl FloodCounter {
    /// Counts one request on `key`; `Err(retry_after_secs)` when it is beyond `max` in its window.
    pub fn count(&self, key: &str, window_secs: i64, max: i64, now_ms: i64) -> Result<(), u64> {
        let (win, until) = window(window_secs, now_ms);
        let slot = (key.to_owned(), win);
        let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let shared = c.shared.get(&slot).map_or(0, |s| s.0) + c.inflight.get(&slot).copied().unwrap_or(0);
        let mine = c.pending.entry(slot).or_insert((0, until));
        mine.0 += 1;
        if shared + mine.0 > max { Err(retry_after_secs(window_secs, now_ms)) } else { Ok(()) }
    }

    /// Adds this server's counts to the database in one transaction and learns the totals.
    /// Counts that could not be written are kept for the next flush.
    pub async fn flush(&self, db: &Db, now_ms: i64) -> Result<(), sqlx::Error> {
        let _one_at_a_time = self.flushing.lock().await;
        let batch: Vec<(Slot, (i64, i64))> = {
            let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            c.shared.retain(|_, (_, until)| *until > now_ms);
            let batch: Vec<(Slot, (i64, i64))> = c.pending.drain().collect();
            for (slot, (k, _)) in &batch {
                *c.inflight.entry(slot.clone()).or_insert(0) += k;
            }
            batch
        };
        if batch.is_empty() {
            return Ok(());
        }
        match db.add_hits(&batch).await {
            Ok(totals) => {
                let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
                for ((slot, (_, until)), n) in batch.into_iter().zip(totals) {
                    c.inflight.remove(&slot);
                    c.shared.insert(slot, (n, until));
                }
                Ok(())
            }
            Err(e) => {
                let mut c = self.counts.lock().unwrap_or_else(|e| e.into_inner());
                for (slot, (k, until)) in batch {
                    c.inflight.remove(&slot);
                    c.pending.entry(slot).or_insert((0, until)).0 += k;
                }
                Err(e)
            }
        }
    }

    /// Flushes every [`FLUSH_EVERY`] for as long as the server runs, by the server's clock (the
    /// one its handlers count by, so that a test's moved clock ends windows for both alike).
    pub fn spawn(self: Arc<Self>, db: Db, clock: crate::clock::Clock) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(FLUSH_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.flush(&db, clock.now_ms()).await {
                    tracing::warn!(error = %e, "flood counts not written (kept for the next try)");
                }
            }
        });
    }
}

impl Db {
    /// Adds each `(key, window) → (count, end of window)` to `rate_limits` in one transaction
    /// and returns each row's total after the addition, in order.
    pub async fn add_hits(&self, batch: &[(Slot, (i64, i64))]) -> Result<Vec<i64>, sqlx::Error> {
        let sql = "INSERT INTO rate_limits (key, win, n, until_ms) VALUES ($1, $2, $3, $4)
            ON CONFLICT (key, win) DO UPDATE SET n = rate_limits.n + excluded.n RETURNING n";
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut totals = Vec::with_capacity(batch.len());
            for ((key, win), (k, until)) in batch {
                let n: i64 =
                    sqlx::query_scalar(sql).bind(key).bind(win).bind(k).bind(until).fetch_one(&mut *tx).await?;
                totals.push(n);
            }
            tx.commit().await?;
            Ok(totals)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::FloodCounter;

    #[test]
    fn one_server_counts_exactly_and_refuses_beyond_the_limit_with_the_seconds_left() {
        let f = FloodCounter::default();
        let now = 1_200_000; // the start of a 600 s window
        for _ in 0..3 {
            assert_eq!(f.count("submit:ip:x", 600, 3, now), Ok(()));
        }
        assert_eq!(f.count("submit:ip:x", 600, 3, now), Err(600));
        assert_eq!(f.count("submit:ip:y", 600, 3, now), Ok(()), "another address has its own count");
        assert_eq!(f.count("submit:ip:x", 600, 3, now + 600_000), Ok(()), "the next window starts afresh");
    }
}

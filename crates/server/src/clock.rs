//! The server's sense of time, injectable: every time-dependent rule (job leases and back-off,
//! reminders, the on-duty roster, invitation expiry, retention) asks `state.clock` for "now"
//! instead of the system clock, so tests move time forward instead of sleeping through it.
//!
//! A clock is the system clock plus an offset that only tests change ([`Clock::advance`]).
//! Clones share the offset, so a test that advances its server's clock moves every task of
//! that server at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// Now, as Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        crate::store::now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock (and every clone of it) forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advanced_clock_moves_every_clone() {
        let clock = Clock::system();
        let clone = clock.clone();
        let before = clone.now_ms();
        clock.advance(Duration::from_secs(3600));
        assert!(clone.now_ms() - before >= 3_600_000);
    }
}

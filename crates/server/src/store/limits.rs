//! Fixed-window rate limits kept in the database, so they hold across every server.
//!
//! Callers COUNT FIRST: [`Db::hit`] adds the attempt and returns the count in one atomic upsert,
//! the caller decides on that count, and only then does the slow or guessable work (argon2, a
//! code check, a receipt lookup). A burst of parallel attempts therefore cannot all pass a check
//! made before any of them was counted. A success may give its count back ([`Db::refund`]).
//! Each row carries the end of its window (`until_ms`), so [`Db::purge`](super::purge) can drop
//! windows that are over.

use super::{Db, on_db};

/// The window `now_ms` falls in, and when that window ends (Unix ms).
pub fn window(window_secs: i64, now_ms: i64) -> (i64, i64) {
    let len = window_secs.max(1);
    let win = now_ms.div_euclid(1000 * len);
    (win, (win + 1) * len * 1000)
}

/// Whole seconds (at least 1) until the window `now_ms` falls in is over: the `Retry-After`.
pub fn retry_after_secs(window_secs: i64, now_ms: i64) -> u64 {
    let (_, until) = window(window_secs, now_ms);
    ((until - now_ms + 999) / 1000).max(1) as u64
}

impl Db {
    /// Counts one hit on `key` in the current window of `window_secs` and returns the count so
    /// far in this window, this hit included (the first hit returns 1). One atomic upsert.
    pub async fn hit(&self, key: &str, window_secs: i64, now_ms: i64) -> Result<i64, sqlx::Error> {
        let (win, until) = window(window_secs, now_ms);
        let sql = "INSERT INTO rate_limits (key, win, n, until_ms) VALUES ($1, $2, 1, $3)
            ON CONFLICT (key, win) DO UPDATE SET n = rate_limits.n + 1 RETURNING n";
        on_db!(self, |pool| sqlx::query_scalar(sql).bind(key).bind(win).bind(until).fetch_one(pool).await)
    }

    /// Gives one hit back (after a success), never below zero.
    pub async fn refund(&self, key: &str, window_secs: i64, now_ms: i64) -> Result<(), sqlx::Error> {
        let (win, _) = window(window_secs, now_ms);
        let sql = "UPDATE rate_limits SET n = n - 1 WHERE key = $1 AND win = $2 AND n > 0";
        on_db!(self, |pool| sqlx::query(sql).bind(key).bind(win).execute(pool).await.map(|_| ()))
    }

    /// The count on `key` in the current window, without counting a hit.
    pub async fn hits(&self, key: &str, window_secs: i64, now_ms: i64) -> Result<i64, sqlx::Error> {
        let (win, _) = window(window_secs, now_ms);
        let sql = "SELECT n FROM rate_limits WHERE key = $1 AND win = $2";
        let n: Option<i64> =
            on_db!(self, |pool| sqlx::query_scalar(sql).bind(key).bind(win).fetch_optional(pool).await)?;
        Ok(n.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_ends_where_the_next_begins_and_retry_after_counts_the_seconds_left() {
        let (w, until) = window(600, 1_200_000);
        assert_eq!((w, until), (2, 1_800_000));
        assert_eq!(window(600, 1_799_999), (2, 1_800_000));
        assert_eq!(retry_after_secs(600, 1_200_000), 600);
        assert_eq!(retry_after_secs(600, 1_799_500), 1);
        assert_eq!(retry_after_secs(600, 1_799_999), 1);
    }
}

//! Fixed-window rate limits kept in the database, so they hold across every server.

use super::{Db, on_db};

impl Db {
    /// Counts one hit on `key` in the current window of `window_secs` and returns the count so
    /// far in this window (the first hit returns 1).
    pub async fn hit(&self, key: &str, window_secs: i64, now_ms: i64) -> Result<i64, sqlx::Error> {
        let win = now_ms / 1000 / window_secs.max(1);
        let sql = "INSERT INTO rate_limits (key, win, n) VALUES ($1, $2, 1)
            ON CONFLICT (key, win) DO UPDATE SET n = rate_limits.n + 1 RETURNING n";
        on_db!(self, |pool| sqlx::query_scalar(sql).bind(key).bind(win).fetch_one(pool).await)
    }

    /// The count on `key` in the current window, without counting a hit.
    pub async fn hits(&self, key: &str, window_secs: i64, now_ms: i64) -> Result<i64, sqlx::Error> {
        let win = now_ms / 1000 / window_secs.max(1);
        let sql = "SELECT n FROM rate_limits WHERE key = $1 AND win = $2";
        let n: Option<i64> =
            on_db!(self, |pool| sqlx::query_scalar(sql).bind(key).bind(win).fetch_optional(pool).await)?;
        Ok(n.unwrap_or(0))
    }
}

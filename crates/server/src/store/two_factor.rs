//! Storage for two-factor sign-in: TOTP secrets, the replay guard, recovery codes.

use super::{BeginWrite, Db, now_ms, on_db};
use uuid::Uuid;

impl Db {
    /// The secret (hex) and whether it is switched on.
    pub async fn totp(&self, user: Uuid) -> Result<(Option<String>, bool), sqlx::Error> {
        let sql = "SELECT totp_secret, totp_enabled FROM users WHERE id = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(user).fetch_one(pool).await)
    }

    /// Stores a new, not yet confirmed secret (enrolment step 1).
    pub async fn set_totp_secret(&self, user: Uuid, secret_hex: &str) -> Result<(), sqlx::Error> {
        let sql = "UPDATE users SET totp_secret = $2, totp_last_step = 0 WHERE id = $1";
        on_db!(self, |pool| sqlx::query(sql).bind(user).bind(secret_hex).execute(pool).await.map(|_| ()))
    }

    /// Accepts time step `step` once: true only if it is newer than every step accepted before.
    /// The conditional update makes this atomic across servers.
    pub async fn claim_totp_step(&self, user: Uuid, step: i64) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2";
        let n =
            on_db!(self, |pool| sqlx::query(sql).bind(user).bind(step).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Switches TOTP on and replaces the recovery codes (hashes) in one transaction.
    pub async fn enable_totp(&self, user: Uuid, recovery_hashes: &[String]) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET totp_enabled = TRUE WHERE id = $1").bind(user).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
            for h in recovery_hashes {
                sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                    .bind(user)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Uses up one recovery code; false if it is unknown or already used.
    pub async fn use_recovery_code(&self, user: Uuid, code_hash: &str) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL";
        let n = on_db!(self, |pool| sqlx::query(sql)
            .bind(user)
            .bind(code_hash)
            .bind(now_ms())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Marks a session as having passed the second factor.
    pub async fn pass_mfa(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        let sql = "UPDATE sessions SET mfa_ok = TRUE WHERE token_hash = $1";
        on_db!(self, |pool| sqlx::query(sql).bind(token_hash).execute(pool).await.map(|_| ()))
    }

    /// Ends every session of a user ("sign out everywhere").
    pub async fn delete_sessions_of(&self, user: Uuid) -> Result<u64, sqlx::Error> {
        on_db!(self, |pool| sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }
}

//! Storage for two-factor sign-in: TOTP secrets, the replay guard, recovery codes.

use super::sealed::{open_stored, row};
use super::{BeginWrite, Db, now_ms, on_db};
use crate::crypto::Keys;
use uuid::Uuid;

impl Db {
    /// The secret (hex, opened with `keys`) and whether it is switched on. The database holds
    /// it sealed for `users.totp_secret` of this user's row (a plain one only if it was written
    /// before sealing existed and the start has not sealed it yet).
    pub async fn totp(&self, keys: &Keys, user: Uuid) -> Result<(Option<String>, bool), sqlx::Error> {
        let sql = "SELECT totp_secret, totp_enabled FROM users WHERE id = $1";
        let (stored, enabled): (Option<String>, bool) =
            on_db!(self, |pool| sqlx::query_as(sql).bind(user).fetch_one(pool).await)?;
        let secret = match stored {
            Some(s) => Some(
                open_stored(keys, "users", "totp_secret", user, &s).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            ),
            None => None,
        };
        Ok((secret, enabled))
    }

    /// Stores a new, not yet confirmed secret (enrolment step 1), sealed with `keys`.
    pub async fn set_totp_secret(&self, keys: &Keys, user: Uuid, secret_hex: &str) -> Result<(), sqlx::Error> {
        let sealed = keys.seal_str("users", "totp_secret", &row(user), secret_hex);
        let sql = "UPDATE users SET totp_secret = $2, totp_last_step = 0 WHERE id = $1";
        on_db!(self, |pool| sqlx::query(sql).bind(user).bind(sealed).execute(pool).await.map(|_| ()))
    }

    /// Accepts time step `step` once: true only if it is newer than every step accepted before.
    /// The conditional update makes this atomic across servers.
    pub async fn claim_totp_step(&self, user: Uuid, step: i64) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2";
        let n =
            on_db!(self, |pool| sqlx::query(sql).bind(user).bind(step).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Switches TOTP on for `user`, in ONE transaction: replaces the recovery codes (hashes), ends
    /// every OTHER session of the account (a session opened before enrolment never becomes a
    /// signed-in one), and rotates the enrolling session's token (`old_token_hash` becomes
    /// `new_token_hash`) marking it as having passed the second factor (the code just entered).
    /// Returns how many other sessions ended; `None` if the enrolling session is gone.
    pub async fn enable_totp(
        &self,
        user: Uuid,
        recovery_hashes: &[String],
        old_token_hash: &str,
        new_token_hash: &str,
    ) -> Result<Option<u64>, sqlx::Error> {
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
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user)
                .bind(old_token_hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let kept = sqlx::query(
                "UPDATE sessions SET token_hash = $2, mfa_ok = TRUE, last_seen_at = $3 WHERE token_hash = $1",
            )
            .bind(old_token_hash)
            .bind(new_token_hash)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if kept != 1 {
                tx.rollback().await?;
                return Ok(None);
            }
            tx.commit().await?;
            Ok(Some(ended))
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

    /// The second factor was passed in the session `old_token_hash`: marks it so and gives it a
    /// new token (`new_token_hash`), so a token seen before the step (session fixation) is worth
    /// nothing after it. False if the session is gone.
    pub async fn pass_mfa(&self, old_token_hash: &str, new_token_hash: &str) -> Result<bool, sqlx::Error> {
        let sql = "UPDATE sessions SET token_hash = $2, mfa_ok = TRUE, last_seen_at = $3 WHERE token_hash = $1";
        let n = on_db!(self, |pool| sqlx::query(sql)
            .bind(old_token_hash)
            .bind(new_token_hash)
            .bind(now_ms())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
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

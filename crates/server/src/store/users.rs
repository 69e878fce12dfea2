//! Coordinator accounts and their server-side sessions (shared by every server instance).

use super::{Db, now_ms, on_db};
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub totp_enabled: bool,
}

/// A session row joined with its user.
#[derive(Debug, Clone, FromRow)]
pub struct SessionUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub mfa_ok: bool,
    pub totp_enabled: bool,
}

/// A coordinator or administrator as other coordinators see them (for the assignee picker).
#[derive(Debug, Clone, FromRow)]
pub struct Colleague {
    pub id: Uuid,
    pub display_name: String,
    pub role: String,
}

impl Db {
    /// Every account, by name.
    pub async fn colleagues(&self) -> Result<Vec<Colleague>, sqlx::Error> {
        let sql = "SELECT id, display_name, role FROM users ORDER BY display_name, id";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }

    pub async fn count_users(&self) -> Result<i64, sqlx::Error> {
        on_db!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)
    }

    /// Creates a user; `Ok(false)` when the e-mail is taken.
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        role: &str,
        password_hash: &str,
    ) -> Result<bool, sqlx::Error> {
        let sql = "INSERT INTO users (id, email, display_name, role, password_hash, created_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING";
        let done = on_db!(self, |pool| sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(email)
            .bind(display_name)
            .bind(role)
            .bind(password_hash)
            .bind(now_ms())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(done == 1)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, sqlx::Error> {
        let sql = "SELECT id, email, display_name, role, password_hash, totp_enabled FROM users WHERE email = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(email).fetch_optional(pool).await)
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Uuid,
        expires_at: i64,
        mfa_ok: bool,
    ) -> Result<(), sqlx::Error> {
        let now = now_ms();
        let sql = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, mfa_ok)
            VALUES ($1, $2, $3, $3, $4, $5)";
        on_db!(self, |pool| sqlx::query(sql)
            .bind(token_hash)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .bind(mfa_ok)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn session_user(&self, token_hash: &str) -> Result<Option<SessionUser>, sqlx::Error> {
        let sql = "SELECT u.id, u.email, u.display_name, u.role, s.last_seen_at, s.expires_at, s.mfa_ok, u.totp_enabled
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        let sql = "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1";
        on_db!(self, |pool| sqlx::query(sql).bind(token_hash).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}

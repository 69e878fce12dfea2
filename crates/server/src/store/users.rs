//! Accounts (each with one or several roles in `user_roles`) and their server-side sessions
//! (shared by every server instance). Administration of accounts: `accounts.rs`.

use super::{BeginWrite, Db, now_ms, on_db};
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub totp_enabled: bool,
    /// `active`, `invited` or `disabled` (see `trygg_wire::accounts::states`).
    pub state: String,
    pub lang: String,
}

/// A session row joined with its user.
#[derive(Debug, Clone, FromRow)]
pub struct SessionUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub lang: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub mfa_ok: bool,
    pub totp_enabled: bool,
}

/// Someone holding a role, as a mail or roster needs them (see [`Db::holders_of`]).
#[derive(Debug, Clone, FromRow)]
pub struct Holder {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub lang: String,
}

/// A coordinator as other coordinators see them (for the assignee picker).
#[derive(Debug, Clone, FromRow)]
pub struct Colleague {
    pub id: Uuid,
    pub display_name: String,
    pub role: String,
}

impl Db {
    /// Every account that holds the coordinator role and is not deleted, by name.
    pub async fn colleagues(&self) -> Result<Vec<Colleague>, sqlx::Error> {
        let sql = "SELECT u.id, u.display_name, r.role FROM users u
            JOIN user_roles r ON r.user_id = u.id AND r.role = 'coordinator'
            WHERE u.deleted_at IS NULL ORDER BY u.display_name, u.id";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }

    /// The roles `user` holds, in the order of `trygg_wire::roles::ALL`.
    pub async fn roles_of(&self, user: Uuid) -> Result<Vec<String>, sqlx::Error> {
        let sql = "SELECT role FROM user_roles WHERE user_id = $1";
        let roles: Vec<String> = on_db!(self, |pool| sqlx::query_scalar(sql).bind(user).fetch_all(pool).await)?;
        Ok(trygg_wire::accounts::normalized_roles(&roles))
    }

    /// Every ACTIVE account holding `role` (for notification mails and rosters): e-mail and the
    /// language its holder chose.
    pub async fn holders_of(&self, role: &str) -> Result<Vec<Holder>, sqlx::Error> {
        let sql = "SELECT u.id, u.email, u.display_name, u.lang FROM users u
            JOIN user_roles r ON r.user_id = u.id AND r.role = $1
            WHERE u.state = 'active' ORDER BY u.display_name, u.id";
        on_db!(self, |pool| sqlx::query_as(sql).bind(role).fetch_all(pool).await)
    }

    pub async fn count_users(&self) -> Result<i64, sqlx::Error> {
        on_db!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)
    }

    /// Creates an active user holding `roles`; `Ok(None)` when the e-mail is taken.
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        roles: &[String],
        password_hash: &str,
    ) -> Result<Option<Uuid>, sqlx::Error> {
        let id = Uuid::now_v7();
        let sql = "INSERT INTO users (id, email, display_name, password_hash, created_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING";
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(sql)
                .bind(id)
                .bind(email)
                .bind(display_name)
                .bind(password_hash)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done != 1 {
                return Ok(None);
            }
            for role in roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(id)
                    .bind(role)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, sqlx::Error> {
        let sql =
            "SELECT id, email, display_name, password_hash, totp_enabled, state, lang FROM users WHERE email = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(email).fetch_optional(pool).await)
    }

    pub async fn user_by_id(&self, id: Uuid) -> Result<Option<User>, sqlx::Error> {
        let sql = "SELECT id, email, display_name, password_hash, totp_enabled, state, lang FROM users WHERE id = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(id).fetch_optional(pool).await)
    }

    /// Records a completed password step (the accounts list shows the last sign-in).
    pub async fn note_login(&self, user: Uuid, now: i64) -> Result<(), sqlx::Error> {
        let sql = "UPDATE users SET last_login_at = $2 WHERE id = $1";
        on_db!(self, |pool| sqlx::query(sql).bind(user).bind(now).execute(pool).await.map(|_| ()))
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

    /// The session's account, only while the account is active: a disabled account's session
    /// is worth nothing on its next request even if a row survived.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<SessionUser>, sqlx::Error> {
        let sql = "SELECT u.id, u.email, u.display_name, u.lang, s.last_seen_at, s.expires_at, s.mfa_ok, u.totp_enabled
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND u.state = 'active'";
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

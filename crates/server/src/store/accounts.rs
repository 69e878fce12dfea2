//! Administration of accounts: the list, and every change an administrator makes (roles,
//! disable, enable, reset two-factor, delete = pseudonymise, a new invitation), plus the
//! holder's own password and language. Each change is ONE write transaction that checks the
//! version the administrator saw, keeps at least one active administrator, applies the change
//! and appends its audit entry (before → after, never a secret). On PostgreSQL the transaction
//! first locks `user_roles` against other account changes, so two administrators racing to
//! demote each other cannot both pass the last-administrator check; SQLite's `BEGIN IMMEDIATE`
//! serialises writers anyway.

use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use sqlx::FromRow;
use uuid::Uuid;

/// One account as the administration sees it (no secret).
#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub state: String,
    pub lang: String,
    pub totp_enabled: bool,
    pub last_login_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub version: i64,
    #[sqlx(skip)]
    pub roles: Vec<String>,
    #[sqlx(skip)]
    pub invitation_expires_at: Option<i64>,
}

const ACCOUNT_COLUMNS: &str =
    "id, email, display_name, state, lang, totp_enabled, last_login_at, deleted_at, version FROM users";

/// What an administrator changes on an account.
#[derive(Debug, Clone)]
pub enum Change {
    Roles(Vec<String>),
    Disable,
    Enable,
    ResetTwoFactor,
    Delete,
    /// A new invitation (only while invited): earlier ones are withdrawn.
    Reinvite {
        token_hash: String,
        expires_at: i64,
    },
}

impl Change {
    /// The audit action.
    pub fn action(&self) -> &'static str {
        match self {
            Change::Roles(_) => "account.roles",
            Change::Disable => "account.disable",
            Change::Enable => "account.enable",
            Change::ResetTwoFactor => "account.reset_two_factor",
            Change::Delete => "account.delete",
            Change::Reinvite { .. } => "account.reinvite",
        }
    }
}

/// How a change ended.
#[derive(Debug)]
pub enum Outcome {
    Done(AccountRow),
    /// The version seen is not the current one: nothing changed; the newer state.
    Stale(AccountRow),
    /// The change would leave no active administrator.
    LastAdmin,
    /// The account is deleted: nothing more changes.
    Deleted,
    /// The change does not apply to this account's state (a new invitation for an account
    /// that is not invited).
    NotInvited,
    NotFound,
}

/// Which invitations of a user are still open, to be withdrawn.
const REVOKE_OPEN: &str =
    "UPDATE invitations SET revoked_at = $2 WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL";

impl Db {
    /// Every account, by name, with its roles and open invitation.
    pub async fn accounts(&self) -> Result<Vec<AccountRow>, sqlx::Error> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} ORDER BY deleted_at IS NOT NULL, display_name, id");
        let mut rows: Vec<AccountRow> = on_db!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        let roles: Vec<(Uuid, String)> =
            on_db!(self, |pool| sqlx::query_as("SELECT user_id, role FROM user_roles").fetch_all(pool).await)?;
        let open: Vec<(Uuid, i64)> = on_db!(self, |pool| {
            sqlx::query_as(
            "SELECT user_id, MAX(expires_at) FROM invitations WHERE used_at IS NULL AND revoked_at IS NULL GROUP BY user_id"
        )
        .fetch_all(pool)
        .await
        })?;
        for row in &mut rows {
            let mine: Vec<String> = roles.iter().filter(|(u, _)| *u == row.id).map(|(_, r)| r.clone()).collect();
            row.roles = trygg_wire::accounts::normalized_roles(&mine);
            row.invitation_expires_at =
                open.iter().find(|(u, _)| *u == row.id).map(|(_, e)| *e).filter(|_| row.state == "invited");
        }
        Ok(rows)
    }

    /// One account, as [`Db::accounts`] shows it.
    pub async fn account(&self, id: Uuid) -> Result<Option<AccountRow>, sqlx::Error> {
        Ok(self.accounts().await?.into_iter().find(|a| a.id == id))
    }

    /// Applies `change` to `target` on behalf of `actor`, if `seen` is still its version (see
    /// the module's description).
    #[allow(clippy::too_many_arguments)]
    pub async fn change_account(
        &self,
        keys: &Keys,
        actor: Uuid,
        target: Uuid,
        seen: i64,
        change: &Change,
        mail: &[super::jobs::NewJob],
        now: i64,
    ) -> Result<Outcome, sqlx::Error> {
        let is_pg = matches!(self, Db::Postgres(_));
        let outcome = on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if is_pg {
                sqlx::query("LOCK TABLE user_roles IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await?;
            }
            let cur: Option<(String, i64, Option<i64>, String)> =
                sqlx::query_as("SELECT state, version, deleted_at, password_hash FROM users WHERE id = $1")
                    .bind(target)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((state, version, deleted_at, password_hash)) = cur else { return Ok(Outcome::NotFound) };
            if deleted_at.is_some() {
                return Ok(Outcome::Deleted);
            }
            if version != seen {
                tx.rollback().await?;
                None
            } else {
                let before: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
                    .bind(target)
                    .fetch_all(&mut *tx)
                    .await?;
                let before = trygg_wire::accounts::normalized_roles(&before);
                let (roles_after, state_after) = match change {
                    Change::Roles(r) => (trygg_wire::accounts::normalized_roles(r), state.clone()),
                    Change::Disable | Change::Delete => (before.clone(), "disabled".to_owned()),
                    Change::Enable if password_hash.is_empty() => (before.clone(), "invited".to_owned()),
                    Change::Enable => (before.clone(), "active".to_owned()),
                    Change::ResetTwoFactor | Change::Reinvite { .. } => (before.clone(), state.clone()),
                };
                if matches!(change, Change::Reinvite { .. }) && state != "invited" {
                    return Ok(Outcome::NotInvited);
                }
                let admin_before = state == "active" && before.iter().any(|r| r == "admin");
                let admin_after = state_after == "active"
                    && roles_after.iter().any(|r| r == "admin")
                    && !matches!(change, Change::Delete);
                if admin_before && !admin_after {
                    let others: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin'
                         WHERE u.state = 'active' AND u.id <> $1",
                    )
                    .bind(target)
                    .fetch_one(&mut *tx)
                    .await?;
                    if others == 0 {
                        return Ok(Outcome::LastAdmin);
                    }
                }
                let mut detail = format!("account {target}");
                match change {
                    Change::Roles(_) => {
                        sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(target).execute(&mut *tx).await?;
                        for role in &roles_after {
                            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                                .bind(target)
                                .bind(role)
                                .execute(&mut *tx)
                                .await?;
                        }
                        detail += &format!(": roles {} → {}", before.join(","), roles_after.join(","));
                    }
                    Change::Disable | Change::Enable => {
                        sqlx::query("UPDATE users SET state = $2 WHERE id = $1")
                            .bind(target)
                            .bind(&state_after)
                            .execute(&mut *tx)
                            .await?;
                        if state_after == "disabled" {
                            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                                .bind(target)
                                .execute(&mut *tx)
                                .await?;
                            sqlx::query(REVOKE_OPEN).bind(target).bind(now).execute(&mut *tx).await?;
                        }
                        detail += &format!(": state {state} → {state_after}");
                    }
                    Change::ResetTwoFactor => {
                        sqlx::query(
                            "UPDATE users SET totp_secret = NULL, totp_enabled = FALSE, totp_last_step = 0 WHERE id = $1",
                        )
                        .bind(target)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                            .bind(target)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(target).execute(&mut *tx).await?;
                        detail += ": two-factor cleared, sessions ended";
                    }
                    Change::Delete => {
                        let deleted: i64 =
                            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL")
                                .fetch_one(&mut *tx)
                                .await?;
                        sqlx::query(
                            "UPDATE users SET display_name = $2, email = $3, password_hash = '', totp_secret = NULL,
                             totp_enabled = FALSE, totp_last_step = 0, state = 'disabled', deleted_at = $4 WHERE id = $1",
                        )
                        .bind(target)
                        .bind(format!("Borttagen användare {}", deleted + 1))
                        .bind(format!("deleted-{target}"))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        for sql in [
                            "DELETE FROM user_roles WHERE user_id = $1",
                            "DELETE FROM recovery_codes WHERE user_id = $1",
                            "DELETE FROM sessions WHERE user_id = $1",
                        ] {
                            sqlx::query(sql).bind(target).execute(&mut *tx).await?;
                        }
                        sqlx::query(REVOKE_OPEN).bind(target).bind(now).execute(&mut *tx).await?;
                        detail += &format!(": roles {} → none, state {state} → deleted", before.join(","));
                    }
                    Change::Reinvite { token_hash, expires_at } => {
                        sqlx::query(REVOKE_OPEN).bind(target).bind(now).execute(&mut *tx).await?;
                        sqlx::query(
                            "INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at)
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(token_hash)
                        .bind(target)
                        .bind(actor)
                        .bind(now)
                        .bind(expires_at)
                        .execute(&mut *tx)
                        .await?;
                        detail += ": earlier invitations withdrawn, a new one made";
                    }
                }
                sqlx::query("UPDATE users SET version = version + 1 WHERE id = $1")
                    .bind(target)
                    .execute(&mut *tx)
                    .await?;
                let entry =
                    Entry { user_id: Some(actor), action: change.action(), report_id: None, reason: Some(&detail) };
                append_in_tx!(tx, keys, &entry);
                // The change's mail (a new invitation link, a notice of a 2FA reset) is enqueued
                // in the change's own transaction: no change without its mail, nor the reverse.
                super::jobs::enqueue_in_tx!(tx, mail);
                tx.commit().await?;
                Some(())
            }
        });
        let Some(()) = outcome else {
            return Ok(self.account(target).await?.map_or(Outcome::NotFound, Outcome::Stale));
        };
        Ok(self.account(target).await?.map_or(Outcome::NotFound, Outcome::Done))
    }

    /// The holder's password hash (for their own password change).
    pub async fn password_hash_of(&self, user: Uuid) -> Result<String, sqlx::Error> {
        let sql = "SELECT password_hash FROM users WHERE id = $1";
        on_db!(self, |pool| sqlx::query_scalar(sql).bind(user).fetch_one(pool).await)
    }

    /// Sets the holder's own new password, ends every OTHER session of theirs (`keep` is the
    /// session they changed it in) and writes the audit entry, in one transaction.
    pub async fn change_own_password(
        &self,
        keys: &Keys,
        user: Uuid,
        new_hash: &str,
        keep: &str,
        mail: &[super::jobs::NewJob],
    ) -> Result<u64, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE users SET password_hash = $2, version = version + 1 WHERE id = $1")
                .bind(user)
                .bind(new_hash)
                .execute(&mut *tx)
                .await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user)
                .bind(keep)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let detail = format!("account {user}: password changed, other sessions ended");
            let entry =
                Entry { user_id: Some(user), action: "account.password", report_id: None, reason: Some(&detail) };
            append_in_tx!(tx, keys, &entry);
            // The notice to the holder is enqueued with the change: no change without its mail.
            super::jobs::enqueue_in_tx!(tx, mail);
            tx.commit().await?;
            Ok(ended)
        })
    }

    /// Sets the holder's language (`sv`|`en`, checked by the caller) and audits it.
    pub async fn set_lang(&self, keys: &Keys, user: Uuid, lang: &str) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: String =
                sqlx::query_scalar("SELECT lang FROM users WHERE id = $1").bind(user).fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE users SET lang = $2, version = version + 1 WHERE id = $1")
                .bind(user)
                .bind(lang)
                .execute(&mut *tx)
                .await?;
            let detail = format!("account {user}: lang {before} → {lang}");
            let entry = Entry { user_id: Some(user), action: "account.lang", report_id: None, reason: Some(&detail) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
            Ok(())
        })
    }
}

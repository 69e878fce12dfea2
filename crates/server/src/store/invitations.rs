//! One-time invitations: an administrator invites a person (an `invited` account without a
//! password, its roles, and an `invitations` row holding only the SHA-256 of a random token,
//! valid until `expires_at`); the invitee's link carries the token; accepting it sets the
//! password, makes the account active and opens its first session, once. A row is easy to
//! enqueue a mail from: `user_id` leads to the address and language, `created_by` to who
//! invited, `expires_at` says until when.

use super::accounts::AccountRow;
use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use sqlx::FromRow;
use uuid::Uuid;

/// An invitation found by its token, with the account it is for.
#[derive(Debug, Clone, FromRow)]
pub struct InvitationRow {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub state: String,
}

/// Why an invitation cannot be used (the `trygg_wire::accounts::codes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    Unknown,
    Expired,
    Used,
    Revoked,
}

impl InvitationRow {
    /// Whether it can still be accepted at `now`.
    pub fn usable(&self, now: i64) -> Result<(), Unusable> {
        if self.used_at.is_some() {
            Err(Unusable::Used)
        } else if self.revoked_at.is_some() || self.state != "invited" {
            Err(Unusable::Revoked)
        } else if now >= self.expires_at {
            Err(Unusable::Expired)
        } else {
            Ok(())
        }
    }
}

const BY_TOKEN: &str = "SELECT i.user_id, u.email, u.display_name, i.expires_at, i.used_at, i.revoked_at, u.state
    FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = $1";

/// Who is invited: address, name, roles and the account's first language (`sv`|`en`, checked
/// by the caller).
#[derive(Clone, Copy)]
pub struct Invited<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub roles: &'a [String],
    pub lang: &'a str,
}

impl Db {
    /// Creates the invited account with its roles and language and its invitation, and audits it, in one
    /// transaction, with its `mail` (the invitation link) enqueued in it. `Ok(None)` when the
    /// e-mail is taken (and nothing is enqueued).
    #[allow(clippy::too_many_arguments)]
    pub async fn invite(
        &self,
        keys: &Keys,
        actor: Uuid,
        who: &Invited<'_>,
        token_hash: &str,
        expires_at: i64,
        mail: &super::jobs::NewJob,
        now: i64,
    ) -> Result<Option<AccountRow>, sqlx::Error> {
        let id = Uuid::now_v7();
        let Invited { email, display_name, roles, lang } = *who;
        let created = on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "INSERT INTO users (id, email, display_name, password_hash, created_at, state, lang)
                 VALUES ($1, $2, $3, '', $4, 'invited', $5) ON CONFLICT (email) DO NOTHING",
            )
            .bind(id)
            .bind(email)
            .bind(display_name)
            .bind(now)
            .bind(lang)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                false
            } else {
                for role in roles {
                    sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                        .bind(id)
                        .bind(role)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(id)
                .bind(actor)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
                let detail = format!("account {id}: invited, roles {}, lang {lang}", roles.join(","));
                let entry =
                    Entry { user_id: Some(actor), action: "account.invite", report_id: None, reason: Some(&detail) };
                append_in_tx!(tx, keys, &entry);
                // The invitation mail in the invitation's own transaction (issue 14).
                super::jobs::enqueue_in_tx!(tx, std::slice::from_ref(mail));
                tx.commit().await?;
                true
            }
        });
        if !created {
            return Ok(None);
        }
        self.account(id).await
    }

    /// The invitation whose token hashes to `token_hash`, if any.
    pub async fn invitation(&self, token_hash: &str) -> Result<Option<InvitationRow>, sqlx::Error> {
        on_db!(self, |pool| sqlx::query_as(BY_TOKEN).bind(token_hash).fetch_optional(pool).await)
    }

    /// Accepts an invitation once: checks it again inside the transaction, marks it used, sets
    /// the password, makes the account active, opens its first session (`session_hash`, not
    /// past the second factor; its times on the system clock like every session's) and audits
    /// it. `now` (the injectable clock) decides expiry. The account's id, or why not.
    pub async fn accept_invitation(
        &self,
        keys: &Keys,
        token_hash: &str,
        password_hash: &str,
        session_hash: &str,
        session_expires_at: i64,
        now: i64,
    ) -> Result<Result<Uuid, Unusable>, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let row: Option<InvitationRow> = sqlx::query_as(BY_TOKEN).bind(token_hash).fetch_optional(&mut *tx).await?;
            let Some(row) = row else { return Ok(Err(Unusable::Unknown)) };
            if let Err(why) = row.usable(now) {
                return Ok(Err(why));
            }
            let claimed = sqlx::query("UPDATE invitations SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
                .bind(token_hash)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed != 1 {
                return Ok(Err(Unusable::Used));
            }
            sqlx::query(
                "UPDATE users SET password_hash = $2, state = 'active', version = version + 1, last_login_at = $3
                 WHERE id = $1",
            )
            .bind(row.user_id)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, mfa_ok)
                 VALUES ($1, $2, $3, $3, $4, FALSE)",
            )
            .bind(session_hash)
            .bind(row.user_id)
            .bind(super::now_ms())
            .bind(session_expires_at)
            .execute(&mut *tx)
            .await?;
            let detail = format!("account {}: invitation accepted, state invited → active", row.user_id);
            let entry = Entry {
                user_id: Some(row.user_id),
                action: "account.invitation_accepted",
                report_id: None,
                reason: Some(&detail),
            };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
            Ok(Ok(row.user_id))
        })
    }
}

//! Look-up tokens for dispatch systems: an administrator creates one (only the SHA-256 of the
//! token is stored) and revokes it; a token can do risk-flag look-ups and nothing else.
//! Creating and revoking are audit entries.

use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Db {
    /// Stores a new token by its hash and audits `lookup_token.create`.
    pub async fn create_lookup_token(
        &self,
        keys: &Keys,
        actor: Uuid,
        id: Uuid,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO lookup_tokens (id, name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(token_hash)
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let detail = format!("token {id} ({name}): created");
            let entry =
                Entry { user_id: Some(actor), action: "lookup_token.create", report_id: None, reason: Some(&detail) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Revokes a token (audited as `lookup_token.revoke`); `false` when there is no such
    /// unrevoked token.
    pub async fn revoke_lookup_token(&self, keys: &Keys, actor: Uuid, id: Uuid, now: i64) -> Result<bool, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("UPDATE lookup_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            let detail = format!("token {id}: revoked");
            let entry =
                Entry { user_id: Some(actor), action: "lookup_token.revoke", report_id: None, reason: Some(&detail) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(true)
    }

    /// The unrevoked token whose SHA-256 is `token_hash`.
    pub async fn lookup_token(&self, token_hash: &str) -> Result<Option<TokenRow>, sqlx::Error> {
        let sql =
            "SELECT id, name, created_at, revoked_at FROM lookup_tokens WHERE token_hash = $1 AND revoked_at IS NULL";
        on_db!(self, |pool| sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)
    }

    /// Every token, newest first.
    pub async fn lookup_tokens(&self) -> Result<Vec<TokenRow>, sqlx::Error> {
        let sql = "SELECT id, name, created_at, revoked_at FROM lookup_tokens ORDER BY created_at DESC, id";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)
    }
}

//! The columns that hold values sealed with the server's key ([`crate::crypto::Keys::seal`]):
//! sealing rows written before sealing existed (at every start) and re-sealing under a new key
//! (`trygg-server rotate-key`). Both run while servers serve: each row changes on its own,
//! guarded by its old value (`… WHERE col = old`), so several servers (or a server and the
//! rotate command) never overwrite each other's work, and running either twice changes nothing.
//! A rotation also re-indexes the risk flags' keyed hashes (see [`super::flag_index`]).

use super::{Db, on_db};
use crate::crypto::{CryptoError, Keys, is_sealed, sealed_key_id};
use uuid::Uuid;

/// Every sealed column: (table, column). Each table's rows are keyed by `id` (a UUID), which is
/// the row part of the associated data.
pub const SEALED_COLUMNS: [(&str, &str); 4] = [
    ("users", "totp_secret"),
    ("reports", "reporter_name"),
    ("reports", "reporter_phone"),
    ("reports", "reporter_email"),
];

/// Columns sealed from their first row (never plain, so [`Db::seal_plain`] skips them), for
/// [`Db::rotate_sealed`]: (table, stored column, the column's name in the associated data).
/// The mail jobs' sealed links are not here: they sit inside a JSON payload
/// ([`Db::reseal_job_links`]).
pub const BORN_SEALED: [(&str, &str, &str); 8] = [
    ("flags", "address_sealed", "address"),
    ("flags", "reason_sealed", "reason"),
    ("flags", "not_informed_sealed", "not_informed"),
    ("flag_lookups", "purpose_sealed", "purpose"),
    ("attachments", "data_key_sealed", "data_key"),
    ("support_tasks", "note_sealed", "note"),
    ("checkins", "details_sealed", "details"),
    ("checkins", "note_sealed", "note"),
];

/// How many rows one read of [`Db::seal_plain`] or [`Db::rotate_sealed`] takes.
pub const BATCH: i64 = 100;

/// The row part of the associated data: the row's id, hyphenated.
pub fn row(id: Uuid) -> String {
    id.hyphenated().to_string()
}

/// A stored value as the reader needs it: opened if sealed, as it is if it was written before
/// sealing existed (until [`Db::seal_plain`] has sealed it).
pub fn open_stored(keys: &Keys, table: &str, column: &str, id: Uuid, stored: &str) -> Result<String, CryptoError> {
    if is_sealed(stored) { keys.open_str(table, column, &row(id), stored) } else { Ok(stored.to_owned()) }
}

/// What a run of [`Db::rotate_sealed`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// Values re-sealed under the current key.
    pub resealed: u64,
    /// Values that were plain and are now sealed.
    pub sealed: u64,
    /// Risk flags re-indexed under the current key.
    pub reindexed: u64,
    /// Values that could not be opened (their key is not configured, or they were tampered with):
    /// left as they are, each named by table, column and row id (never the value).
    pub failed: Vec<(String, String, Uuid)>,
}

impl Db {
    /// One page of (id, value) of `table.column`, ids above `after`, where `filter` holds.
    async fn sealed_page(
        &self,
        table: &str,
        column: &str,
        filter: &str,
        after: Option<Uuid>,
    ) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
        // Table and column names come from SEALED_COLUMNS only, never from input.
        // Ids are random UUIDs, never the nil one, so "above nil" is "from the first".
        let sql = format!(
            "SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND ({filter}) AND id > $1
             ORDER BY id LIMIT {BATCH}"
        );
        let after = after.unwrap_or(Uuid::nil());
        on_db!(self, |pool| sqlx::query_as(&sql).bind(after).fetch_all(pool).await)
    }

    /// Replaces `old` by `new` in one row, only if it still holds `old`; true if it did.
    async fn replace_sealed(
        &self,
        table: &str,
        column: &str,
        id: Uuid,
        old: &str,
        new: &str,
    ) -> Result<bool, sqlx::Error> {
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2 AND {column} = $3");
        let n = on_db!(self, |pool| sqlx::query(&sql)
            .bind(new)
            .bind(id)
            .bind(old)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Whether any sealed column of `table` still holds a plain value: one plain scan of the
    /// table (no ordering), so that a start over a large, fully sealed table stays quick.
    async fn has_plain(&self, table: &str) -> Result<bool, sqlx::Error> {
        let any = SEALED_COLUMNS
            .iter()
            .filter(|(t, _)| *t == table)
            .map(|(_, c)| format!("{c} NOT LIKE 'v1:%'"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {any} LIMIT 1) AS plain");
        let n: i64 = on_db!(self, |pool| sqlx::query_scalar(&sql).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// Seals every value of a sealed column that was written before sealing existed (run at
    /// every start, after the migrations; a no-op once done). Returns how many it sealed.
    pub async fn seal_plain(&self, keys: &Keys) -> Result<u64, sqlx::Error> {
        let mut sealed = 0;
        let (users, reports) = (self.has_plain("users").await?, self.has_plain("reports").await?);
        for (table, column) in SEALED_COLUMNS {
            if !(if table == "users" { users } else { reports }) {
                continue;
            }
            let mut after = None;
            loop {
                let page = self.sealed_page(table, column, &format!("{column} NOT LIKE 'v1:%'"), after).await?;
                let Some((last, _)) = page.last() else { break };
                after = Some(*last);
                for (id, plain) in page {
                    if is_sealed(&plain) {
                        continue;
                    }
                    let new = keys.seal_str(table, column, &row(id), &plain);
                    if self.replace_sealed(table, column, id, &plain, &new).await? {
                        sealed += 1;
                    }
                }
            }
        }
        sealed += self.key_plain_request_hashes(keys).await?;
        if sealed > 0 {
            tracing::info!(sealed, "sealed secrets written before sealing existed");
        }
        Ok(sealed)
    }

    /// Rows written before request hashes were keyed hold the body's plain SHA-256 (hex, so
    /// never starting with `k`): each becomes [`keyed_request_hash`] of itself, guarded by its
    /// old value.
    async fn key_plain_request_hashes(&self, keys: &Keys) -> Result<u64, sqlx::Error> {
        const ANY: &str =
            "SELECT COUNT(*) FROM (SELECT 1 FROM reports WHERE request_hash NOT LIKE 'k%' LIMIT 1) AS plain";
        let any: i64 = on_db!(self, |pool| sqlx::query_scalar(ANY).fetch_one(pool).await)?;
        if any == 0 {
            return Ok(0);
        }
        let (mut keyed, mut after) = (0, None);
        loop {
            let page = self.sealed_page("reports", "request_hash", "request_hash NOT LIKE 'k%'", after).await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(*last);
            for (id, plain) in page {
                let Some(new) = keyed_request_hash(keys, keys.current_id(), &plain) else { continue };
                if self.replace_sealed("reports", "request_hash", id, &plain, &new).await? {
                    keyed += 1;
                }
            }
        }
        Ok(keyed)
    }

    /// Re-seals under the current key every sealed value made with another key (and seals any
    /// plain one), page by page, each row guarded by its old value: safe while servers serve,
    /// and a second run finds nothing to do. A value that does not open is left as it is and
    /// reported.
    pub async fn rotate_sealed(&self, keys: &Keys) -> Result<Rotation, sqlx::Error> {
        let mut out = Rotation { sealed: self.seal_plain(keys).await?, ..Rotation::default() };
        let current = keys.current_id();
        let every = SEALED_COLUMNS.iter().map(|&(t, c)| (t, c, c)).chain(BORN_SEALED);
        for (table, column, aad_column) in every {
            let filter = format!("{column} LIKE 'v1:%' AND {column} NOT LIKE 'v1:{current}:%'");
            let mut after = None;
            loop {
                let page = self.sealed_page(table, column, &filter, after).await?;
                let Some((last, _)) = page.last() else { break };
                after = Some(*last);
                for (id, old) in page {
                    if sealed_key_id(&old).is_none_or(|kid| kid == current) {
                        continue;
                    }
                    let Ok(plain) = keys.open(table, aad_column, &row(id), &old) else {
                        out.failed.push((table.to_owned(), column.to_owned(), id));
                        continue;
                    };
                    let new = keys.seal(table, aad_column, &row(id), &plain);
                    if self.replace_sealed(table, column, id, &old, &new).await? {
                        out.resealed += 1;
                    }
                }
            }
        }
        let jobs = self.reseal_job_links(keys, &mut out.failed).await?;
        out.resealed += jobs;
        out.reindexed = self.reindex_flags(keys).await?;
        tracing::info!(
            resealed = out.resealed,
            sealed = out.sealed,
            reindexed = out.reindexed,
            failed = out.failed.len(),
            "key rotation done"
        );
        Ok(out)
    }

    /// Re-seals under the current key the sealed link inside each mail job's payload
    /// (invitations and two-factor resets: `{"link": sealed, …}`, sealed for the job's row), so
    /// that a job still queued or failed, retried after the old key line is gone, still sends its
    /// mail. Each payload is replaced only if it is still the one read; a finished job keeps its
    /// payload (nothing reads it again).
    async fn reseal_job_links(
        &self,
        keys: &Keys,
        failed: &mut Vec<(String, String, Uuid)>,
    ) -> Result<u64, sqlx::Error> {
        use crate::jobs::handlers::kinds;
        let current = keys.current_id();
        let filter = format!(
            "kind IN ('{}', '{}') AND state <> 'done' AND payload NOT LIKE '%\"link\":\"v1:{current}:%'",
            kinds::INVITATION,
            kinds::TWO_FACTOR_RESET
        );
        let (mut after, mut resealed) = (None, 0);
        loop {
            let page = self.sealed_page("jobs", "payload", &filter, after).await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(*last);
            for (id, old) in page {
                let Ok(mut payload) = serde_json::from_str::<serde_json::Value>(&old) else { continue };
                let Some(link) = payload["link"].as_str().filter(|l| sealed_key_id(l).is_some_and(|k| k != current))
                else {
                    continue;
                };
                let Ok(plain) = keys.open("jobs", "payload", &row(id), link) else {
                    failed.push(("jobs".to_owned(), "payload".to_owned(), id));
                    continue;
                };
                payload["link"] = keys.seal("jobs", "payload", &row(id), &plain).into();
                if self.replace_sealed("jobs", "payload", id, &old, &payload.to_string()).await? {
                    resealed += 1;
                }
            }
        }
        Ok(resealed)
    }
}

/// What the database keeps of a request body's SHA-256: an HMAC of it under the server key
/// (`k{kid}:` + hex). A plain SHA-256 of the body would let whoever holds a copy of the database
/// confirm a guessed name or phone number, since every other field of the body is stored in
/// the clear next to it.
pub fn keyed_request_hash(keys: &Keys, kid: u32, body_sha: &str) -> Option<String> {
    keys.mac_with(kid, crate::crypto::Purpose::Index, body_sha.as_bytes()).ok().map(|mac| format!("k{kid}:{mac}"))
}

//! The access log: append-only, each entry chained to the previous by SHA-256, so that editing
//! or deleting any row is detectable by [`Db::verify_audit`]. Appends take the single
//! `audit_head` row first, which serialises them across every server sharing the database.

use super::{BeginWrite, Db, on_db};
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use uuid::Uuid;

/// One thing to log: who did what to which report, and why (where asked).
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub user_id: Option<Uuid>,
    pub action: &'a str,
    pub report_id: Option<Uuid>,
    pub reason: Option<&'a str>,
}

#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub seq: i64,
    pub at: i64,
    pub user_id: Option<Uuid>,
    pub action: String,
    pub report_id: Option<Uuid>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The chain hash of an entry: SHA-256 over the previous hash and every field.
pub fn chain_hash(
    prev: &str,
    seq: i64,
    at: i64,
    user: Option<Uuid>,
    action: &str,
    report: Option<Uuid>,
    reason: Option<&str>,
) -> String {
    let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
    let text = [prev, &seq.to_string(), &at.to_string(), &opt(user), action, &opt(report), reason.unwrap_or("")];
    let mut h = Sha256::new();
    for (i, part) in text.iter().enumerate() {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends `$entry` inside the open transaction `$tx` (either backend).
macro_rules! append_in_tx {
    ($tx:expr, $entry:expr) => {{
        let e: &$crate::store::audit::Entry<'_> = $entry;
        let (seq, prev): (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *$tx)
                .await?;
        let at = $crate::store::now_ms();
        let hash = $crate::store::audit::chain_hash(&prev, seq, at, e.user_id, e.action, e.report_id, e.reason);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, user_id, action, report_id, reason, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(seq)
        .bind(at)
        .bind(e.user_id)
        .bind(e.action)
        .bind(e.report_id)
        .bind(e.reason)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *$tx).await?;
    }};
}
pub(crate) use append_in_tx;

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Verdict {
    pub ok: bool,
    pub entries: i64,
    /// The first entry whose hash or link does not match, if any.
    pub broken_at: Option<i64>,
}

impl Db {
    /// Appends one entry in its own transaction.
    pub async fn audit(&self, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            append_in_tx!(tx, entry);
            tx.commit().await
        })
    }

    /// Newest first, keyset-paginated by `seq`.
    pub async fn audit_page(&self, before: Option<i64>, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
        let before = before.unwrap_or(i64::MAX);
        let sql = "SELECT seq, at, user_id, action, report_id, reason, prev_hash, hash FROM audit_log
            WHERE seq < $1 ORDER BY seq DESC LIMIT $2";
        on_db!(self, |pool| sqlx::query_as(sql).bind(before).bind(limit).fetch_all(pool).await)
    }

    /// Walks the whole chain in order and recomputes every hash.
    pub async fn verify_audit(&self) -> Result<Verdict, sqlx::Error> {
        let sql = "SELECT seq, at, user_id, action, report_id, reason, prev_hash, hash FROM audit_log
            WHERE seq > $1 ORDER BY seq LIMIT 5000";
        let head: (i64, String) =
            on_db!(self, |pool| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await)?;
        let mut prev = "0".repeat(64);
        let (mut last, mut count) = (0i64, 0i64);
        loop {
            let rows: Vec<Row> = on_db!(self, |pool| sqlx::query_as(sql).bind(last).fetch_all(pool).await)?;
            if rows.is_empty() {
                break;
            }
            for r in rows {
                let expected = chain_hash(&prev, r.seq, r.at, r.user_id, &r.action, r.report_id, r.reason.as_deref());
                if r.seq != last + 1 || r.prev_hash != prev || r.hash != expected {
                    return Ok(Verdict { ok: false, entries: count, broken_at: Some(r.seq) });
                }
                prev = r.hash;
                last = r.seq;
                count += 1;
            }
        }
        // A deleted tail shows as a head that runs ahead of the last row.
        if head.0 != last || head.1 != prev {
            return Ok(Verdict { ok: false, entries: count, broken_at: Some(last + 1) });
        }
        Ok(Verdict { ok: true, entries: count, broken_at: None })
    }
}

#[cfg(test)]
mod tests {
    use super::chain_hash;

    #[test]
    fn the_hash_covers_every_field_and_the_previous_hash() {
        let base = chain_hash("00", 1, 5, None, "report.read", None, None);
        assert_eq!(base.len(), 64);
        assert_ne!(base, chain_hash("01", 1, 5, None, "report.read", None, None));
        assert_ne!(base, chain_hash("00", 2, 5, None, "report.read", None, None));
        assert_ne!(base, chain_hash("00", 1, 6, None, "report.read", None, None));
        assert_ne!(base, chain_hash("00", 1, 5, None, "report.update", None, None));
        assert_ne!(base, chain_hash("00", 1, 5, None, "report.read", None, Some("x")));
        assert_eq!(base, chain_hash("00", 1, 5, None, "report.read", None, None));
    }
}

//! The access log: append-only, each entry chained to the previous by SHA-256, so that editing
//! or deleting any row is detectable by [`Db::verify_audit`]. Appends take the single
//! `audit_head` row first, which serialises them across every server sharing the database.
//!
//! The chain alone proves nothing to someone who can write the database: they can drop the
//! tail and rewind `audit_head`, or recompute every hash after an edit. Two things outside the
//! database close that:
//! - every entry carries an HMAC ([`entry_mac`]) under the server's key (not in the database)
//!   over its `seq` and chain hash, with the key's id: a row forged or rewritten without the key
//!   does not verify;
//! - the [`Anchor`] file: the head (`seq`, hash) last seen intact, itself under an HMAC,
//!   written by each server outside the database (at start, about once a second while entries
//!   are appended, and after each verification) and logged as a line `audit head`. A log that
//!   ends before the anchor (a cut tail, a rewound head, an emptied table, an old copy put
//!   back) or that does not pass through the anchor's hash fails verification.
//!   The anchor only moves forward, and only over entries whose chain and HMAC verify.

use super::{BeginWrite, Db, on_db};
use crate::crypto::{Keys, Purpose};
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

mod anchor;
pub use anchor::AnchorFile;

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
    /// The key that made `mac`; both `None` on rows written before entries carried one.
    pub key_id: Option<i64>,
    pub mac: Option<String>,
}

const COLUMNS: &str = "seq, at, user_id, action, report_id, reason, prev_hash, hash, key_id, mac";

/// The hash that starts the chain (the head of an empty log).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

/// The HMAC an entry carries: over its `seq` and chain hash (which covers every field and the
/// whole chain before it), under key `kid`.
pub fn entry_mac(keys: &Keys, kid: u32, seq: i64, hash: &str) -> Option<String> {
    keys.mac_with(kid, Purpose::Audit, format!("entry\x1f{seq}\x1f{hash}").as_bytes()).ok()
}

/// Appends `$entry` inside the open transaction `$tx` (either backend), with its HMAC under
/// `$keys`' current key.
macro_rules! append_in_tx {
    ($tx:expr, $keys:expr, $entry:expr) => {{
        let e: &$crate::store::audit::Entry<'_> = $entry;
        let keys: &$crate::crypto::Keys = $keys;
        let (seq, prev): (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *$tx)
                .await?;
        let at = $crate::store::now_ms();
        let hash = $crate::store::audit::chain_hash(&prev, seq, at, e.user_id, e.action, e.report_id, e.reason);
        let kid = keys.current_id();
        let mac = $crate::store::audit::entry_mac(keys, kid, seq, &hash);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, user_id, action, report_id, reason, prev_hash, hash, key_id, mac)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq)
        .bind(at)
        .bind(e.user_id)
        .bind(e.action)
        .bind(e.report_id)
        .bind(e.reason)
        .bind(&prev)
        .bind(&hash)
        .bind(i64::from(kid))
        .bind(mac)
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
    /// The first entry whose hash, link or HMAC does not match, or where entries are missing.
    pub broken_at: Option<i64>,
    /// What is wrong: `chain` (an entry's hash or link), `mac` (an entry's HMAC: written
    /// without the server's key), `tail` (entries missing before the database's head),
    /// `behind_anchor` (the log ends before the head this server last saw intact: a cut
    /// tail, a rewound head, an emptied log or an old copy), `anchor_mismatch` (the log does
    /// not pass through that head: rewritten), `anchor_invalid` (the anchor file is unreadable
    /// or not made with the server's key).
    pub problem: Option<&'static str>,
    /// The `seq` of the head recorded outside the database that this check compared with.
    pub anchor_seq: Option<i64>,
}

impl Verdict {
    fn broken(entries: i64, at: i64, problem: &'static str, anchor_seq: Option<i64>) -> Verdict {
        Verdict { ok: false, entries, broken_at: Some(at), problem: Some(problem), anchor_seq }
    }
}

/// A head of the chain as recorded outside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    /// Entries up to this `seq` were written before entries carried an HMAC.
    pub legacy: i64,
}

/// Where the chain's walk ended.
struct Walk {
    last: i64,
    prev: String,
    count: i64,
    /// The hash of the entry at the anchor's `seq`, if the walk passed it.
    at_anchor: Option<String>,
    broken: Option<(i64, &'static str)>,
}

impl Db {
    /// Appends one entry in its own transaction.
    pub async fn audit(&self, keys: &Keys, entry: &Entry<'_>) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            append_in_tx!(tx, keys, entry);
            tx.commit().await
        })
    }

    /// Newest first, keyset-paginated by `seq`.
    pub async fn audit_page(&self, before: Option<i64>, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
        let before = before.unwrap_or(i64::MAX);
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(before).bind(limit).fetch_all(pool).await)
    }

    /// The database's head of the chain: (`seq`, hash).
    pub async fn audit_head(&self) -> Result<(i64, String), sqlx::Error> {
        on_db!(self, |pool| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await)
    }

    /// The `seq` of the oldest entry that carries an HMAC, if any.
    async fn first_mac_seq(&self) -> Result<Option<i64>, sqlx::Error> {
        let sql = "SELECT MIN(seq) FROM audit_log WHERE mac IS NOT NULL";
        on_db!(self, |pool| sqlx::query_scalar(sql).fetch_one(pool).await)
    }

    /// Walks the entries after `from` (a `seq` and its hash) up to `to` in order, checking each
    /// link, hash and HMAC (rows up to `legacy` may lack an HMAC).
    async fn walk(
        &self,
        keys: &Keys,
        from: (i64, String),
        to: i64,
        legacy: i64,
        anchor_seq: Option<i64>,
    ) -> Result<Walk, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 5000");
        let (mut last, mut prev) = from;
        let (mut count, mut at_anchor) = (0i64, None);
        loop {
            let rows: Vec<Row> = on_db!(self, |pool| sqlx::query_as(&sql).bind(last).bind(to).fetch_all(pool).await)?;
            if rows.is_empty() {
                return Ok(Walk { last, prev, count, at_anchor, broken: None });
            }
            for r in rows {
                let expected = chain_hash(&prev, r.seq, r.at, r.user_id, &r.action, r.report_id, r.reason.as_deref());
                if r.seq != last + 1 || r.prev_hash != prev || r.hash != expected {
                    return Ok(Walk { last, prev, count, at_anchor, broken: Some((r.seq, "chain")) });
                }
                let mac_ok = match (r.key_id, &r.mac) {
                    (Some(kid), Some(mac)) => u32::try_from(kid)
                        .ok()
                        .and_then(|kid| entry_mac(keys, kid, r.seq, &r.hash))
                        .is_some_and(|m| same(&m, mac)),
                    (None, None) => r.seq <= legacy,
                    _ => false,
                };
                if !mac_ok {
                    return Ok(Walk { last, prev, count, at_anchor, broken: Some((r.seq, "mac")) });
                }
                if Some(r.seq) == anchor_seq {
                    at_anchor = Some(r.hash.clone());
                }
                prev = r.hash;
                last = r.seq;
                count += 1;
            }
        }
    }

    /// Checks the whole chain up to the database's head, each entry's HMAC, and the chain
    /// against `anchor` (the head recorded outside the database), if there is one. The anchor
    /// is read before the head, and only entries up to the head are read, so an entry appended
    /// while this runs is no false alarm.
    pub async fn verify_audit(&self, keys: &Keys, anchor: Option<&AnchorFile>) -> Result<Verdict, sqlx::Error> {
        let recorded = match anchor.map(AnchorFile::read) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(h))) => Some(h),
            Some(Err(e)) => {
                tracing::error!(error = %e, "the audit anchor file is not valid");
                return Ok(Verdict::broken(0, 0, "anchor_invalid", None));
            }
        };
        let head = self.audit_head().await?;
        let anchor_seq = recorded.as_ref().map(|h| h.seq);
        let legacy = recorded.as_ref().map_or(0, |h| h.legacy);
        let w = self.walk(keys, (0, GENESIS.to_owned()), head.0, legacy, anchor_seq.filter(|s| *s > 0)).await?;
        if let Some((at, problem)) = w.broken {
            return Ok(Verdict::broken(w.count, at, problem, anchor_seq));
        }
        // A deleted tail shows as a head that runs ahead of the last row.
        if head.0 != w.last || head.1 != w.prev {
            return Ok(Verdict::broken(w.count, w.last + 1, "tail", anchor_seq));
        }
        if let Some(a) = &recorded {
            if a.seq > head.0 {
                return Ok(Verdict::broken(w.count, head.0 + 1, "behind_anchor", anchor_seq));
            }
            let through = if a.seq == 0 { Some(GENESIS.to_owned()) } else { w.at_anchor.clone() };
            if through.as_deref() != Some(a.hash.as_str()) {
                return Ok(Verdict::broken(w.count, a.seq, "anchor_mismatch", anchor_seq));
            }
        }
        Ok(Verdict { ok: true, entries: w.count, broken_at: None, problem: None, anchor_seq })
    }
}

/// Compares two MACs in constant time.
fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::{AnchorFile, Head, chain_hash, entry_mac};
    use crate::crypto::Keys;
    use std::sync::Arc;

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

    #[test]
    fn an_entry_mac_needs_the_key_and_binds_seq_and_hash() {
        let (k, other) = (Keys::random(), Keys::random());
        let m = entry_mac(&k, 1, 3, "ab").unwrap();
        assert_eq!(Some(m.clone()), entry_mac(&k, 1, 3, "ab"));
        assert_ne!(Some(m.clone()), entry_mac(&other, 1, 3, "ab"));
        assert_ne!(Some(m.clone()), entry_mac(&k, 1, 4, "ab"));
        assert_ne!(Some(m), entry_mac(&k, 1, 3, "ac"));
        assert_eq!(entry_mac(&k, 9, 3, "ab"), None, "an unknown key id verifies nothing");
    }

    #[test]
    fn an_anchor_file_round_trips_and_an_edited_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(Keys::random());
        let file = AnchorFile::new(dir.path().join("audit-head"), keys.clone());
        assert_eq!(file.read(), Ok(None));
        let head = Head { seq: 57, hash: "ab".repeat(32), legacy: 3 };
        file.write(&head).unwrap();
        assert_eq!(file.read(), Ok(Some(head)));
        let text = std::fs::read_to_string(file.path()).unwrap();
        std::fs::write(file.path(), text.replace("seq=57", "seq=12")).unwrap();
        assert!(file.read().is_err());
        let other = AnchorFile::new(file.path().to_owned(), Arc::new(Keys::random()));
        std::fs::write(file.path(), text).unwrap();
        assert!(other.read().is_err(), "another key's anchor is not ours");
    }
}

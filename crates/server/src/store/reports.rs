//! Reports: the idempotent, durable insert and the coordinators' newest-first list.

use super::sealed::{keyed_request_hash, row};
use super::{BeginWrite, Db, now_ms, on_db};
use crate::crypto::{Keys, sha256_hex};
use sha2::{Digest, Sha256};
use sqlx::{FromRow, QueryBuilder};
use trygg_domain::{NewReport, ReceiptCode};
use uuid::Uuid;

/// What a submit returns, first time or replayed.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: Uuid,
    pub receipt: ReceiptCode,
    pub received_at_ms: i64,
    /// True when the idempotency key was seen before and no new row was written.
    pub replayed: bool,
}

#[derive(Debug)]
pub enum InsertError {
    /// The key exists but was used for a different request body.
    KeyConflict,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for InsertError {
    fn from(e: sqlx::Error) -> Self {
        InsertError::Db(e)
    }
}

/// The head of the batch insert; the rows follow as `VALUES (…), (…)`. At most
/// [`super::writer::MAX_BATCH`] rows × 29 columns = 7,424 parameters, within both backends' limits.
const INSERT_HEAD: &str = "INSERT INTO reports (id, idempotency_key, request_hash, receipt_hash, received_at,
    occurred_at, kind, channel, location, description, perpetrator, perpetrator_description, witnesses, injury, damage,
    sick_leave, police_reported, police_case_number, role, phase, unit, identity, reporter_name, reporter_phone,
    reporter_email, help_call_me, help_support, help_police, urgent) ";

const REPLAY: &str = "SELECT r.id, r.request_hash, r.received_at, r.receipt_hash, p.receipt_code
    FROM reports r JOIN receipt_replays p ON p.report_id = r.id WHERE r.idempotency_key = $1";

#[derive(FromRow)]
struct ReplayRow {
    id: Uuid,
    request_hash: String,
    received_at: i64,
    receipt_hash: String,
    /// [`seal`]ed (`v1:…`); a plain code only in a database written before sealing, until
    /// [`Db::seal_old_replays`] has run.
    receipt_code: String,
}

/// What the database keeps of a client's idempotency key: the first 16 bytes of its SHA-256,
/// in the UUID column that holds the unique index. The key itself, which unseals the receipt
/// code kept for replays, is never stored.
pub fn key_id(key: Uuid) -> Uuid {
    let digest = Sha256::new().chain_update(b"trygg-idempotency-key:").chain_update(key.as_bytes()).finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(id)
}

const SEALED: &str = "v1:";

fn pad(key: Uuid) -> [u8; 32] {
    Sha256::new().chain_update(b"trygg-receipt-seal:").chain_update(key.as_bytes()).finalize().into()
}

/// The receipt code as kept for replays: XOR-ed with a pad derived from the idempotency key
/// (one key, one code: a pad is never reused; the unique index sees to that). Whoever reads the
/// database sees neither the code nor the key that would unseal it; a client retrying with its
/// key gets its code back, and the stored `receipt_hash` proves it right.
pub fn seal(key: Uuid, code: &ReceiptCode) -> String {
    let sealed: Vec<u8> = code.canonical().bytes().zip(pad(key)).map(|(c, p)| c ^ p).collect();
    format!("{SEALED}{}", hex::encode(sealed))
}

/// The code `seal(key, code)` hid, if `sealed` is a sealed code for this key's pad.
pub fn unseal(key: Uuid, sealed: &str) -> Option<ReceiptCode> {
    let bytes = hex::decode(sealed.strip_prefix(SEALED)?).ok()?;
    if bytes.len() > 32 {
        return None;
    }
    let plain: Vec<u8> = bytes.iter().zip(pad(key)).map(|(c, p)| c ^ p).collect();
    ReceiptCode::parse(std::str::from_utf8(&plain).ok()?)
}

/// How precisely an anonymous report's arrival is kept: `received_at` is cut down to the start
/// of its ten-minute slot. A millisecond arrival time (and a UUIDv7 id, which carries one) could
/// be matched against a proxy's or a network's access log to name the reporter; a ten-minute
/// slot matches every visit to the app in that slot. Named and confidential reports keep the
/// exact time (they carry the name anyway).
pub const ANONYMOUS_TIME_STEP_MS: i64 = 10 * 60 * 1000;

/// `now_ms` as an anonymous report keeps it (see [`ANONYMOUS_TIME_STEP_MS`]).
pub fn anonymous_received_at(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(ANONYMOUS_TIME_STEP_MS)
}

/// The reporter's identifying fields as stored: each sealed for its column and the report's row;
/// and the request's hash as stored (keyed, see [`keyed_request_hash`]).
#[derive(Debug, Clone, Default)]
pub struct SealedIdentity {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// [`keyed_request_hash`] under the current key: what the row stores.
    pub request_hash: String,
    /// The same under every configured key (a retry after a key rotation still matches).
    pub request_hashes: Vec<String>,
}

/// A validated report waiting to be written, with everything the insert needs.
pub struct Pending {
    pub id: Uuid,
    /// The client's idempotency key (kept in memory only; the database gets [`key_id`]).
    pub key: Uuid,
    pub key_id: Uuid,
    /// The SHA-256 of the request body (memory only: the row gets its keyed hash).
    pub request_hash: String,
    pub report: NewReport,
    pub receipt: ReceiptCode,
    pub receipt_hash: String,
    pub received_at: i64,
    /// The identifying fields sealed and the request hash keyed by [`Pending::seal`] (the
    /// writer does it before queueing, so the batch never waits for it). No report is written
    /// without them.
    pub sealed: Option<SealedIdentity>,
}

impl Pending {
    /// An anonymous report gets a random id (UUIDv4) and a coarse arrival time
    /// ([`anonymous_received_at`]); the others a time-ordered id (UUIDv7) and the exact time.
    pub fn new(key: Uuid, request_hash: String, report: NewReport, receipt: ReceiptCode, receipt_hash: String) -> Self {
        let key_id = key_id(key);
        let anonymous = matches!(report.identity, trygg_domain::Identity::Anonymous);
        let (id, received_at) =
            if anonymous { (Uuid::new_v4(), anonymous_received_at(now_ms())) } else { (Uuid::now_v7(), now_ms()) };
        Pending { id, key, key_id, request_hash, report, receipt, receipt_hash, received_at, sealed: None }
    }

    /// Seals the reporter's name, phone and e-mail for this report's row and keys the request
    /// hash (microseconds).
    pub fn seal(&mut self, keys: &Keys) {
        let (identity, row) = (&self.report.identity, row(self.id));
        let seal = |column: &str, v: Option<&str>| v.map(|v| keys.seal_str("reports", column, &row, v));
        let keyed = |kid| keyed_request_hash(keys, kid, &self.request_hash);
        self.sealed = Some(SealedIdentity {
            name: seal("reporter_name", identity.name().map(|t| t.as_str())),
            phone: seal("reporter_phone", identity.phone().map(|t| t.as_str())),
            email: seal("reporter_email", identity.email().map(|t| t.as_str())),
            request_hash: keyed(keys.current_id()).expect("the current key is configured"),
            request_hashes: keys.ids().filter_map(keyed).collect(),
        });
    }

    /// Whether `stored` is this request's hash: keyed under any configured key, or plain in a
    /// row written before hashes were keyed.
    fn same_request(&self, stored: &str) -> bool {
        stored == self.request_hash
            || self.sealed.as_ref().is_some_and(|s| s.request_hashes.iter().any(|h| h == stored))
    }
}

impl Db {
    /// Stores `p` exactly once and makes it durable before returning (a batch of one).
    pub async fn insert_report(&self, p: &Pending) -> Result<Stored, InsertError> {
        let inserted = self.insert_batch(std::slice::from_ref(p)).await?;
        self.settle(p, inserted[0]).await
    }

    /// Writes several reports in ONE transaction, so that they share one commit (one fsync):
    /// this is the group commit behind the submit route. Returns, per report, whether this call
    /// inserted it (`false`: its idempotency key already existed, possibly earlier in the batch).
    /// The unique index on `idempotency_key` decides races between servers, too.
    pub async fn insert_batch(&self, batch: &[Pending]) -> Result<Vec<bool>, sqlx::Error> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        if batch.iter().any(|p| p.sealed.is_none()) {
            return Err(sqlx::Error::Protocol("a report was not sealed before its insert".into()));
        }
        // Two statements per batch, whatever its size (a statement per report would cost a
        // driver round trip each, and that, not the fsync, was the cost of a batch).
        // On SQLite the batch takes the write lock at BEGIN (IMMEDIATE): a deferred transaction
        // that reads anything first (the schema, FTS5's shadow tables) cannot upgrade once another
        // connection has written meanwhile (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not
        // retry), and since the submit flood limit writes on the pool, that happens under load.
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let mut qb = QueryBuilder::new(INSERT_HEAD);
            qb.push_values(batch, |mut b, p| {
                let r = &p.report;
                let sealed = p.sealed.as_ref();
                let request_hash = sealed.map(|s| s.request_hash.as_str());
                b.push_bind(p.id)
                    .push_bind(p.key_id)
                    .push_bind(request_hash)
                    .push_bind(&p.receipt_hash)
                    .push_bind(p.received_at)
                    .push_bind(super::ms(r.occurred_at))
                    .push_bind(r.kind.as_str())
                    .push_bind(r.channel.as_str())
                    .push_bind(r.location.as_ref().map(|t| t.as_str()))
                    .push_bind(r.description.as_str())
                    .push_bind(r.perpetrator.map(|p| p.as_str()))
                    .push_bind(r.perpetrator_description.as_ref().map(|t| t.as_str()))
                    .push_bind(r.witnesses.as_ref().map(|t| t.as_str()))
                    .push_bind(r.consequences.injury)
                    .push_bind(r.consequences.damage)
                    .push_bind(r.consequences.sick_leave)
                    .push_bind(r.police_reported)
                    .push_bind(r.police_case_number.as_ref().map(|t| t.as_str()))
                    .push_bind(r.role.as_str())
                    .push_bind(r.phase.map(|p| p.as_str()))
                    .push_bind(r.unit.as_ref().map(|t| t.as_str()))
                    .push_bind(r.identity.choice().as_str())
                    .push_bind(sealed.and_then(|s| s.name.as_deref()))
                    .push_bind(sealed.and_then(|s| s.phone.as_deref()))
                    .push_bind(sealed.and_then(|s| s.email.as_deref()))
                    .push_bind(r.help.call_me)
                    .push_bind(r.help.support)
                    .push_bind(r.help.police_report)
                    // The domain's urgency rule, kept for the reminder rule (store/reminders.rs).
                    .push_bind(r.urgency().is_urgent());
            });
            qb.push(" ON CONFLICT (idempotency_key) DO NOTHING RETURNING id");
            let ids: Vec<Uuid> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
            let inserted: Vec<bool> = batch.iter().map(|p| ids.contains(&p.id)).collect();
            let fresh: Vec<&Pending> = batch.iter().zip(&inserted).filter(|(_, i)| **i).map(|(p, _)| p).collect();
            if !fresh.is_empty() {
                let mut qb = QueryBuilder::new("INSERT INTO receipt_replays (report_id, receipt_code, created_at) ");
                qb.push_values(fresh.iter(), |mut b, p| {
                    b.push_bind(p.id).push_bind(seal(p.key, &p.receipt)).push_bind(p.received_at);
                });
                qb.build().execute(&mut *tx).await?;
            }
            // The urgent reports' mail is enqueued in their own transaction: no report without
            // its job, no job without its reports. ONE job per batch (see `urgent_reports`),
            // stamped with the batch's earliest arrival in the anonymous ten-minute slot.
            let urgent: Vec<Uuid> = fresh.iter().filter(|p| p.report.urgency().is_urgent()).map(|p| p.id).collect();
            let at = fresh.iter().map(|p| p.received_at).min().map(anonymous_received_at).unwrap_or_default();
            let job = crate::jobs::handlers::urgent_reports(&urgent, at);
            let enqueued = super::jobs::enqueue_in_tx!(tx, job.as_slice());
            tx.commit().await?;
            if enqueued > 0 {
                crate::jobs::wake();
            }
            Ok(inserted)
        })
    }

    /// The answer for one written report: its own receipt if it was inserted, otherwise the
    /// first submit's receipt (or a conflict if the key was used for a different body).
    pub async fn settle(&self, p: &Pending, inserted: bool) -> Result<Stored, InsertError> {
        if inserted {
            return Ok(Stored { id: p.id, receipt: p.receipt.clone(), received_at_ms: p.received_at, replayed: false });
        }
        let row: Option<ReplayRow> =
            on_db!(self, |pool| sqlx::query_as(REPLAY).bind(p.key_id).fetch_optional(pool).await)?;
        // The receipt kept for replays is purged after `TRYGG_REPLAY_KEEP_DAYS` (store/purge.rs):
        // a retry that late cannot get its code back, and is told its key is spent (409) rather
        // than a 500 that a client would retry for ever.
        let Some(row) = row else {
            tracing::warn!("a retry came after its receipt was purged");
            return Err(InsertError::KeyConflict);
        };
        if !p.same_request(&row.request_hash) {
            return Err(InsertError::KeyConflict);
        }
        // The request hash matched, so this is the key that sealed the code; the receipt hash
        // checks the unsealed code all the same.
        let receipt = unseal(p.key, &row.receipt_code)
            .filter(|code| sha256_hex(code.canonical()) == row.receipt_hash)
            .ok_or_else(|| InsertError::Db(sqlx::Error::Protocol("stored receipt code does not unseal".into())))?;
        Ok(Stored { id: row.id, receipt, received_at_ms: row.received_at, replayed: true })
    }

    /// How many reports carry this idempotency key (0 or 1; for tests and checks).
    pub async fn count_reports_with_key(&self, key: Uuid) -> Result<i64, sqlx::Error> {
        on_db!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE idempotency_key = $1")
                .bind(key_id(key))
                .fetch_one(pool)
                .await
        })
    }

    /// Databases written before receipt codes were sealed hold the client's key and the plain
    /// code; this seals them (run at every start, after the migrations; a no-op once done).
    /// Each row changes in its own transaction, guarded by its old values, so servers starting
    /// together cannot seal a row twice.
    pub async fn seal_old_replays(&self) -> Result<u64, sqlx::Error> {
        const OLD: &str = "SELECT r.id, r.idempotency_key, p.receipt_code
            FROM reports r JOIN receipt_replays p ON p.report_id = r.id WHERE p.receipt_code NOT LIKE 'v1:%'";
        let old: Vec<(Uuid, Uuid, String)> = on_db!(self, |pool| sqlx::query_as(OLD).fetch_all(pool).await)?;
        let mut sealed = 0;
        for (id, key, plain) in old {
            let Some(code) = ReceiptCode::parse(&plain) else { continue };
            on_db!(self, |pool| {
                let mut tx = pool.begin_write().await?;
                let n = sqlx::query(
                    "UPDATE receipt_replays SET receipt_code = $1 WHERE report_id = $2 AND receipt_code = $3",
                )
                .bind(seal(key, &code))
                .bind(id)
                .bind(&plain)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    sqlx::query("UPDATE reports SET idempotency_key = $1 WHERE id = $2 AND idempotency_key = $3")
                        .bind(key_id(key))
                        .bind(id)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                    sealed += 1;
                }
                tx.commit().await?;
            });
        }
        if sealed > 0 {
            tracing::info!(sealed, "sealed receipt codes kept for replays");
        }
        Ok(sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::{ANONYMOUS_TIME_STEP_MS, ReceiptCode, anonymous_received_at, key_id, seal, unseal};
    use uuid::Uuid;

    #[test]
    fn an_anonymous_arrival_is_cut_to_the_start_of_its_ten_minute_slot() {
        let slot = 1_764_244_200_000; // 2025-11-27T11:50:00Z, a slot boundary
        assert_eq!(slot % ANONYMOUS_TIME_STEP_MS, 0);
        assert_eq!(anonymous_received_at(slot), slot);
        assert_eq!(anonymous_received_at(slot + 1), slot);
        assert_eq!(anonymous_received_at(slot + 9 * 60_000 + 59_999), slot);
        assert_eq!(anonymous_received_at(slot + 10 * 60_000), slot + ANONYMOUS_TIME_STEP_MS);
    }

    #[test]
    fn a_sealed_code_opens_with_its_key_only_and_shows_neither() {
        let (key, other) = (Uuid::new_v4(), Uuid::new_v4());
        let code = ReceiptCode::from_random([7; 10]);
        let sealed = seal(key, &code);
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.to_uppercase().contains(code.canonical()));
        assert_eq!(unseal(key, &sealed), Some(code.clone()));
        assert_ne!(unseal(other, &sealed), Some(code.clone()));
        assert_eq!(unseal(key, code.canonical()), None, "a plain code is not a sealed one");
        assert_eq!(unseal(key, "v1:zz"), None);
    }

    #[test]
    fn the_stored_key_is_a_stable_hash_of_the_key() {
        let key = Uuid::new_v4();
        assert_eq!(key_id(key), key_id(key));
        assert_ne!(key_id(key), key);
        assert_ne!(key_id(key), key_id(Uuid::new_v4()));
    }
}

//! Risk flags (issue 17) and their look-up log. A flag's address is stored sealed and found by
//! `address_index` (an HMAC of its normalised key, see `routes::flags`); its internal reason and
//! the resident's "why not informed" are sealed too. Every change is written with its audit
//! entry in one transaction and carries a version (a change from an older one changes nothing).
//! Look-ups are logged by the keyed hashes of the address asked, never the address.

use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
use sqlx::FromRow;
use uuid::Uuid;

/// A flag as stored (sealed columns still sealed).
#[derive(Debug, Clone, FromRow)]
pub struct FlagRow {
    pub id: Uuid,
    pub report_id: Uuid,
    pub address_index: String,
    pub address_sealed: String,
    pub level: String,
    pub category: String,
    pub guidance_sv: String,
    pub guidance_en: String,
    pub reason_sealed: String,
    pub ends_at: i64,
    pub review_at: i64,
    pub state: String,
    pub proposed_by: Uuid,
    pub approved_by: Option<Uuid>,
    pub informed_at: Option<i64>,
    pub not_informed_sealed: Option<String>,
    pub created_at: i64,
    pub version: i64,
}

const COLUMNS: &str = "id, report_id, address_index, address_sealed, level, category, guidance_sv, guidance_en,
    reason_sealed, ends_at, review_at, state, proposed_by, approved_by, informed_at, not_informed_sealed,
    created_at, version";

/// What a look-up may see of a matching flag (and the sealed address, opened to confirm).
#[derive(Debug, Clone, FromRow)]
pub struct MatchRow {
    pub id: Uuid,
    pub level: String,
    pub category: String,
    pub guidance_sv: String,
    pub guidance_en: String,
    pub address_sealed: String,
}

/// One look-up in the log, with who made it.
#[derive(Debug, Clone, FromRow)]
pub struct LookupRow {
    pub id: Uuid,
    pub at: i64,
    pub user_id: Option<Uuid>,
    pub user_name: Option<String>,
    pub token_id: Option<Uuid>,
    pub token_name: Option<String>,
    pub address_index: String,
    pub building_index: String,
    pub matched: bool,
    pub purpose_sealed: String,
}

/// A flag's audit entries (its history).
#[derive(Debug, Clone, FromRow)]
pub struct FlagEventRow {
    pub at: i64,
    pub by: Option<String>,
    pub action: String,
    pub reason: Option<String>,
}

const LOOKUP_COLUMNS: &str = "l.id, l.at, l.user_id, u.display_name AS user_name, l.token_id, t.name AS token_name,
    l.address_index, l.building_index, l.matched, l.purpose_sealed
    FROM flag_lookups l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN lookup_tokens t ON t.id = l.token_id";

impl Db {
    /// Stores a proposed flag and audits it (`flag.propose`) in one transaction.
    pub async fn insert_flag(&self, keys: &Keys, f: &FlagRow, detail: &str) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&format!(
                "INSERT INTO flags ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
            ))
            .bind(f.id)
            .bind(f.report_id)
            .bind(&f.address_index)
            .bind(&f.address_sealed)
            .bind(&f.level)
            .bind(&f.category)
            .bind(&f.guidance_sv)
            .bind(&f.guidance_en)
            .bind(&f.reason_sealed)
            .bind(f.ends_at)
            .bind(f.review_at)
            .bind(&f.state)
            .bind(f.proposed_by)
            .bind(f.approved_by)
            .bind(f.informed_at)
            .bind(&f.not_informed_sealed)
            .bind(f.created_at)
            .bind(f.version)
            .execute(&mut *tx)
            .await?;
            let entry = Entry {
                user_id: Some(f.proposed_by),
                action: "flag.propose",
                report_id: Some(f.report_id),
                reason: Some(detail),
            };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Writes `f` (its changeable columns) over version `f.version - 1` and audits `action`;
    /// `false` (nothing written) when the stored version is another.
    pub async fn update_flag(
        &self,
        keys: &Keys,
        actor: Uuid,
        f: &FlagRow,
        action: &str,
        detail: &str,
    ) -> Result<bool, sqlx::Error> {
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE flags SET level = $1, category = $2, guidance_sv = $3, guidance_en = $4, ends_at = $5,
                 review_at = $6, state = $7, approved_by = $8, informed_at = $9, not_informed_sealed = $10,
                 version = $11 WHERE id = $12 AND version = $13",
            )
            .bind(&f.level)
            .bind(&f.category)
            .bind(&f.guidance_sv)
            .bind(&f.guidance_en)
            .bind(f.ends_at)
            .bind(f.review_at)
            .bind(&f.state)
            .bind(f.approved_by)
            .bind(f.informed_at)
            .bind(&f.not_informed_sealed)
            .bind(f.version)
            .bind(f.id)
            .bind(f.version - 1)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n != 1 {
                return Ok(false);
            }
            let entry = Entry { user_id: Some(actor), action, report_id: Some(f.report_id), reason: Some(detail) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
        });
        Ok(true)
    }

    pub async fn flag(&self, id: Uuid) -> Result<Option<FlagRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM flags WHERE id = $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// The flags raised from a report, oldest first.
    pub async fn flags_of_report(&self, report_id: Uuid) -> Result<Vec<FlagRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM flags WHERE report_id = $1 ORDER BY created_at, id");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(report_id).fetch_all(pool).await)
    }

    /// The active, unexpired flags whose index is `building` or `apartment` (the same value when
    /// no apartment was asked): one indexed query, whatever the answer.
    pub async fn matching_flags(&self, indexes: &[String], now: i64) -> Result<Vec<MatchRow>, sqlx::Error> {
        let n = indexes.len();
        let list = (1..=n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT id, level, category, guidance_sv, guidance_en, address_sealed FROM flags
             WHERE address_index IN ({list}) AND state = 'active' AND ends_at > ${} ORDER BY id",
            n + 1
        );
        on_db!(self, |pool| {
            let mut q = sqlx::query_as(&sql);
            for i in indexes {
                q = q.bind(i);
            }
            q.bind(now).fetch_all(pool).await
        })
    }

    /// The look-ups of the address hashed to `index` (as asked, or as the building of the
    /// apartment asked), hits and misses, newest first (at most 200).
    pub async fn lookups_of(&self, index: &str) -> Result<Vec<LookupRow>, sqlx::Error> {
        let sql = format!(
            "SELECT {LOOKUP_COLUMNS} WHERE l.address_index = $1 OR l.building_index = $1
             ORDER BY l.at DESC, l.id DESC LIMIT 200"
        );
        on_db!(self, |pool| sqlx::query_as(&sql).bind(index).fetch_all(pool).await)
    }

    /// The newest `limit` look-ups, hit or miss (the log an administrator reads).
    pub async fn lookup_log(&self, limit: i64) -> Result<Vec<LookupRow>, sqlx::Error> {
        let sql = format!("SELECT {LOOKUP_COLUMNS} ORDER BY l.at DESC, l.id DESC LIMIT $1");
        on_db!(self, |pool| sqlx::query_as(&sql).bind(limit).fetch_all(pool).await)
    }

    /// A flag's changes: its audit entries (`flag.*` but reads, on its report, naming it), oldest first.
    pub async fn flag_history(&self, report_id: Uuid, flag_id: Uuid) -> Result<Vec<FlagEventRow>, sqlx::Error> {
        let sql = "SELECT a.at, u.display_name AS by, a.action, a.reason FROM audit_log a
                   LEFT JOIN users u ON u.id = a.user_id
                   WHERE a.report_id = $1 AND a.action LIKE 'flag.%' AND a.action <> 'flag.read'
                   AND a.reason LIKE $2 ORDER BY a.seq";
        let prefix = format!("flag {flag_id}%");
        on_db!(self, |pool| sqlx::query_as(sql).bind(report_id).bind(&prefix).fetch_all(pool).await)
    }

    /// Whether the report exists (flags are raised only from one).
    pub async fn report_exists(&self, id: Uuid) -> Result<bool, sqlx::Error> {
        let sql = "SELECT COUNT(*) FROM reports WHERE id = $1";
        let n: i64 = on_db!(self, |pool| sqlx::query_scalar(sql).bind(id).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// Active flags whose review date has come and that have not ended: `(flag id, owner)`,
    /// the owner being the proposer. For the review reminders (wired by the job engine).
    pub async fn flags_due_for_review(&self, now: i64) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
        let sql = "SELECT id, proposed_by FROM flags WHERE state = 'active' AND review_at <= $1 AND ends_at > $1
                   ORDER BY review_at";
        on_db!(self, |pool| sqlx::query_as(sql).bind(now).fetch_all(pool).await)
    }

    /// Active flags that have not ended and whose review date is at most `lead` ms after `now`:
    /// `(flag id, review date)`, for the review reminders (`jobs::flag_review`).
    pub async fn flags_to_remind(&self, now: i64, lead: i64) -> Result<Vec<(Uuid, i64)>, sqlx::Error> {
        let sql = "SELECT id, review_at FROM flags WHERE state = 'active' AND review_at <= $1 AND ends_at > $2
                   ORDER BY review_at, id";
        on_db!(self, |pool| sqlx::query_as(sql).bind(now + lead).bind(now).fetch_all(pool).await)
    }
}

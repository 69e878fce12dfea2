//! Reports: the idempotent, durable insert and the coordinators' newest-first list.

use super::{Db, now_ms, on_db};
use sqlx::FromRow;
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

const INSERT: &str = "INSERT INTO reports (id, idempotency_key, request_hash, receipt_hash, received_at, occurred_at,
    kind, channel, location, description, perpetrator, perpetrator_description, witnesses, injury, damage, sick_leave,
    police_reported, police_case_number, role, phase, unit, identity, reporter_name, reporter_phone, reporter_email,
    help_call_me, help_support, help_police)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
    $24, $25, $26, $27, $28)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING seq";

const REPLAY: &str = "SELECT r.id, r.request_hash, r.received_at, p.receipt_code
    FROM reports r JOIN receipt_replays p ON p.report_id = r.id WHERE r.idempotency_key = $1";

#[derive(FromRow)]
struct ReplayRow {
    id: Uuid,
    request_hash: String,
    received_at: i64,
    receipt_code: String,
}

/// One report as a coordinator's list shows it.
#[derive(Debug, Clone, FromRow)]
pub struct Summary {
    pub seq: i64,
    pub id: Uuid,
    pub received_at: i64,
    pub occurred_at: i64,
    pub kind: String,
    pub channel: String,
    pub role: String,
    pub phase: Option<String>,
    pub identity: String,
    pub reporter_name: Option<String>,
    pub location: Option<String>,
    pub description: String,
    pub status: String,
    pub severity: Option<String>,
}

const LIST_COLUMNS: &str = "seq, id, received_at, occurred_at, kind, channel, role, phase, identity, reporter_name,
    location, description, status, severity";

impl Db {
    /// Stores `report` under `key` exactly once and makes it durable before returning.
    ///
    /// A second call with the same key (sequential or racing) writes nothing and returns the
    /// first call's id and receipt. The unique index on `idempotency_key` decides the race:
    /// the loser's `INSERT … ON CONFLICT DO NOTHING` returns no row, and it reads the winner's.
    pub async fn insert_report(
        &self,
        key: Uuid,
        request_hash: &str,
        report: &NewReport,
        receipt: &ReceiptCode,
        receipt_hash: &str,
    ) -> Result<Stored, InsertError> {
        let id = Uuid::now_v7();
        let received_at = now_ms();
        let id_ = &report.identity;
        let inserted: bool = on_db!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<(i64,)> = sqlx::query_as(INSERT)
                .bind(id)
                .bind(key)
                .bind(request_hash)
                .bind(receipt_hash)
                .bind(received_at)
                .bind(super::ms(report.occurred_at))
                .bind(report.kind.as_str())
                .bind(report.channel.as_str())
                .bind(report.location.as_ref().map(|t| t.as_str()))
                .bind(report.description.as_str())
                .bind(report.perpetrator.map(|p| p.as_str()))
                .bind(report.perpetrator_description.as_ref().map(|t| t.as_str()))
                .bind(report.witnesses.as_ref().map(|t| t.as_str()))
                .bind(report.consequences.injury)
                .bind(report.consequences.damage)
                .bind(report.consequences.sick_leave)
                .bind(report.police_reported)
                .bind(report.police_case_number.as_ref().map(|t| t.as_str()))
                .bind(report.role.as_str())
                .bind(report.phase.map(|p| p.as_str()))
                .bind(report.unit.as_ref().map(|t| t.as_str()))
                .bind(id_.choice().as_str())
                .bind(id_.name().map(|t| t.as_str()))
                .bind(id_.phone().map(|t| t.as_str()))
                .bind(id_.email().map(|t| t.as_str()))
                .bind(report.help.call_me)
                .bind(report.help.support)
                .bind(report.help.police_report)
                .fetch_optional(&mut *tx)
                .await?;
            if row.is_some() {
                sqlx::query("INSERT INTO receipt_replays (report_id, receipt_code, created_at) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(receipt.canonical())
                    .bind(received_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                true
            } else {
                tx.rollback().await?;
                false
            }
        });
        if inserted {
            return Ok(Stored { id, receipt: receipt.clone(), received_at_ms: received_at, replayed: false });
        }
        let row: ReplayRow = on_db!(self, |pool| sqlx::query_as(REPLAY).bind(key).fetch_one(pool).await)?;
        if row.request_hash != request_hash {
            return Err(InsertError::KeyConflict);
        }
        let receipt = ReceiptCode::parse(&row.receipt_code)
            .ok_or_else(|| InsertError::Db(sqlx::Error::Protocol("stored receipt code is malformed".into())))?;
        Ok(Stored { id: row.id, receipt, received_at_ms: row.received_at, replayed: true })
    }

    /// Newest first; `before` is the `seq` of the last item of the previous page.
    pub async fn list_reports(&self, before: Option<i64>, limit: i64) -> Result<Vec<Summary>, sqlx::Error> {
        let sql = match before {
            Some(_) => format!("SELECT {LIST_COLUMNS} FROM reports WHERE seq < $1 ORDER BY seq DESC LIMIT $2"),
            None => format!("SELECT {LIST_COLUMNS} FROM reports ORDER BY seq DESC LIMIT $1"),
        };
        on_db!(self, |pool| {
            let q = sqlx::query_as::<_, Summary>(&sql);
            let q = match before {
                Some(b) => q.bind(b),
                None => q,
            };
            q.bind(limit).fetch_all(pool).await
        })
    }

    /// How many reports carry this idempotency key (0 or 1; for tests and checks).
    pub async fn count_reports_with_key(&self, key: Uuid) -> Result<i64, sqlx::Error> {
        on_db!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM reports WHERE idempotency_key = $1")
                .bind(key)
                .fetch_one(pool)
                .await
        })
    }
}

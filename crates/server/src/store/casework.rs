//! One report as a coordinator sees it, its timeline, and per-coordinator read markers.

use super::audit::{Entry, append_in_tx};
use super::{Db, now_ms, on_db};
use sqlx::FromRow;
use uuid::Uuid;

#[derive(Debug, Clone, FromRow)]
pub struct Full {
    pub id: Uuid,
    pub received_at: i64,
    pub occurred_at: i64,
    pub kind: String,
    pub channel: String,
    pub location: Option<String>,
    pub description: String,
    pub perpetrator: Option<String>,
    pub perpetrator_description: Option<String>,
    pub witnesses: Option<String>,
    pub injury: bool,
    pub damage: bool,
    pub sick_leave: bool,
    pub police_reported: bool,
    pub police_case_number: Option<String>,
    pub role: String,
    pub phase: Option<String>,
    pub unit: Option<String>,
    pub identity: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    pub help_call_me: bool,
    pub help_support: bool,
    pub help_police: bool,
    pub status: String,
    pub severity: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub closed_reason: Option<String>,
}

const FULL: &str = "SELECT id, received_at, occurred_at, kind, channel, location, description, perpetrator,
    perpetrator_description, witnesses, injury, damage, sick_leave, police_reported, police_case_number, role, phase,
    unit, identity, reporter_name, reporter_phone, reporter_email, help_call_me, help_support, help_police, status,
    severity, assignee_id, closed_reason FROM reports WHERE id = $1";

impl Db {
    /// Reads one report for a coordinator. The read is logged in the access log in the same
    /// transaction, so there is no read without its log entry; it also marks the report read
    /// for this coordinator.
    pub async fn read_report(
        &self,
        id: Uuid,
        user_id: Uuid,
        reason: Option<&str>,
    ) -> Result<Option<Full>, sqlx::Error> {
        let entry = Entry { user_id: Some(user_id), action: "report.read", report_id: Some(id), reason };
        on_db!(self, |pool| {
            let mut tx = pool.begin().await?;
            let full: Option<Full> = sqlx::query_as(FULL).bind(id).fetch_optional(&mut *tx).await?;
            if full.is_some() {
                append_in_tx!(tx, &entry);
                sqlx::query(
                    "INSERT INTO report_reads (report_id, user_id, read_at) VALUES ($1, $2, $3)
                     ON CONFLICT (report_id, user_id) DO UPDATE SET read_at = excluded.read_at",
                )
                .bind(id)
                .bind(user_id)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(full)
        })
    }
}

//! One report as a coordinator sees it, its timeline, and per-coordinator read markers.

use super::audit::{Entry, append_in_tx};
use super::{BeginWrite, Db, on_db};
use crate::crypto::Keys;
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
        keys: &Keys,
        id: Uuid,
        user_id: Uuid,
        reason: Option<&str>,
        now: i64,
    ) -> Result<Option<Full>, sqlx::Error> {
        let entry = Entry { user_id: Some(user_id), action: "report.read", report_id: Some(id), reason };
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let full: Option<Full> = sqlx::query_as(FULL).bind(id).fetch_optional(&mut *tx).await?;
            if full.is_some() {
                append_in_tx!(tx, keys, &entry);
                sqlx::query(
                    "INSERT INTO report_reads (report_id, user_id, read_at) VALUES ($1, $2, $3)
                     ON CONFLICT (report_id, user_id) DO UPDATE SET read_at = excluded.read_at",
                )
                .bind(id)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(full)
        })
    }
}

/// One entry of a report's timeline.
#[derive(Debug, Clone, FromRow)]
pub struct Event {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub user_id: Option<Uuid>,
    pub author: Option<String>,
    pub kind: String,
    pub body: Option<String>,
    pub detail: Option<String>,
}

/// What a coordinator changes in one triage step; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub status: Option<&'static str>,
    pub closed_reason: Option<String>,
    pub severity: Option<&'static str>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<Uuid>>,
}

/// The reporter's view of a report, found by receipt code.
#[derive(Debug, Clone, FromRow)]
pub struct ReporterView {
    pub id: Uuid,
    pub received_at: i64,
    pub status: String,
    pub closed_reason: Option<String>,
    pub last_answer_at: Option<i64>,
    /// What it was about, for the reporter to recognise it: kind, when, the description.
    pub kind: String,
    pub occurred_at: i64,
    pub description: String,
    pub urgent: bool,
}

const EVENTS: &str = "SELECT e.seq, e.at, e.actor, e.user_id, u.display_name AS author, e.kind, e.body, e.detail
    FROM report_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.report_id = $1";

impl Db {
    /// Applies a triage change, records each changed value in the timeline and the access log,
    /// all in one transaction. `Ok(None)` when the report does not exist. A change that changes
    /// nothing is logged as a read (`report.read`), since the answer carries the report.
    pub async fn triage(
        &self,
        keys: &Keys,
        id: Uuid,
        user: Uuid,
        change: &Change,
        now: i64,
    ) -> Result<Option<Full>, sqlx::Error> {
        let entry = Entry { user_id: Some(user), action: "report.update", report_id: Some(id), reason: None };
        let read = Entry { action: "report.read", ..entry.clone() };
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let Some(cur): Option<Full> = sqlx::query_as(FULL).bind(id).fetch_optional(&mut *tx).await? else {
                return Ok(None);
            };
            let mut events: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
            let status = change.status.filter(|s| *s != cur.status);
            if let Some(s) = status {
                let reason = if s == "closed" { change.closed_reason.clone() } else { None };
                events.push(("status", Some(s.to_owned()), reason));
            }
            let severity = change.severity.filter(|s| cur.severity.as_deref() != Some(*s));
            if let Some(s) = severity {
                events.push(("severity", Some(s.to_owned()), None));
            }
            let assignee = change.assignee.filter(|a| *a != cur.assignee_id);
            if let Some(a) = assignee {
                events.push(("assignee", a.map(|u| u.to_string()), None));
            }
            if events.is_empty() {
                // Nothing changes, but the answer carries the whole report: that is a read,
                // and it is logged like one.
                append_in_tx!(tx, keys, &read);
                tx.commit().await?;
                return Ok(Some(cur));
            }
            let closed_reason = match status {
                Some("closed") => change.closed_reason.clone(),
                Some(_) => None,
                None => cur.closed_reason.clone(),
            };
            sqlx::query(
                "UPDATE reports SET status = $2, severity = $3, assignee_id = $4, closed_reason = $5, updated_at = $6
                 WHERE id = $1",
            )
            .bind(id)
            .bind(status.unwrap_or(&cur.status))
            .bind(severity.or(cur.severity.as_deref()))
            .bind(assignee.unwrap_or(cur.assignee_id))
            .bind(closed_reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            for (kind, body, detail) in events {
                sqlx::query(
                    "INSERT INTO report_events (report_id, at, actor, user_id, kind, body, detail)
                     VALUES ($1, $2, 'coordinator', $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(now)
                .bind(user)
                .bind(kind)
                .bind(body)
                .bind(detail)
                .execute(&mut *tx)
                .await?;
            }
            append_in_tx!(tx, keys, &entry);
            let updated: Option<Full> = sqlx::query_as(FULL).bind(id).fetch_optional(&mut *tx).await?;
            tx.commit().await?;
            Ok(updated)
        })
    }

    /// Adds a note (coordinators only, never shown to the reporter) or a message. A
    /// coordinator's entry is also written to the access log. `Ok(false)`: no such report.
    pub async fn add_entry(
        &self,
        keys: &Keys,
        id: Uuid,
        user: Option<Uuid>,
        kind: &'static str,
        body: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let actor = if user.is_some() { "coordinator" } else { "reporter" };
        let stamp = match (kind, user) {
            ("message", Some(_)) => "UPDATE reports SET last_answer_at = $2, updated_at = $2 WHERE id = $1",
            ("message", None) => "UPDATE reports SET last_reporter_at = $2, updated_at = $2 WHERE id = $1",
            _ => "UPDATE reports SET updated_at = $2 WHERE id = $1",
        };
        let action = if kind == "note" { "report.note" } else { "report.message" };
        let entry = Entry { user_id: user, action, report_id: Some(id), reason: None };
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let found = sqlx::query(stamp).bind(id).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            if !found {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO report_events (report_id, at, actor, user_id, kind, body) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(now)
            .bind(actor)
            .bind(user)
            .bind(kind)
            .bind(body)
            .execute(&mut *tx)
            .await?;
            if user.is_some() {
                append_in_tx!(tx, keys, &entry);
            }
            // A reporter's message notifies the assignee (or whoever is on duty), enqueued in
            // the message's own transaction.
            let notify = if kind == "message" && user.is_none() {
                vec![crate::jobs::handlers::reporter_message(id, now)]
            } else {
                Vec::new()
            };
            let enqueued = super::jobs::enqueue_in_tx!(tx, &notify);
            tx.commit().await?;
            if enqueued > 0 {
                crate::jobs::wake();
            }
            Ok(true)
        })
    }

    /// A report's timeline, oldest first. `with_notes = false` leaves out internal notes and
    /// who changed what: that is the reporter's view.
    pub async fn events(&self, id: Uuid, with_notes: bool) -> Result<Vec<Event>, sqlx::Error> {
        let sql = if with_notes {
            format!("{EVENTS} ORDER BY e.seq")
        } else {
            format!("{EVENTS} AND e.kind IN ('message', 'status') ORDER BY e.seq")
        };
        on_db!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_all(pool).await)
    }

    pub async fn user_exists(&self, id: Uuid) -> Result<bool, sqlx::Error> {
        let n: i64 = on_db!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await)?;
        Ok(n == 1)
    }

    /// The report behind a receipt code's hash, as its reporter may see it.
    pub async fn by_receipt(&self, receipt_hash: &str) -> Result<Option<ReporterView>, sqlx::Error> {
        let sql =
            "SELECT id, received_at, status, closed_reason, last_answer_at, kind, occurred_at, description, urgent
            FROM reports WHERE receipt_hash = $1";
        on_db!(self, |pool| sqlx::query_as(sql).bind(receipt_hash).fetch_optional(pool).await)
    }
}

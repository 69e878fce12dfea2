//! `/api/reports/{id}`: one report for a coordinator (every read logged), and the access log.

use crate::auth::{Admin, Coordinator};
use crate::error::{ApiError, ApiQuery, QueryErrors, ReportNotFound, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::audit::{Entry, Verdict};
use crate::store::casework::{Event, Full};
use crate::store::from_ms;
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

pub(super) fn rfc3339(ms: i64) -> String {
    from_ms(ms).format(&Rfc3339).unwrap_or_default()
}

/// `s`'s first `max` characters, cut on a character boundary.
pub(super) fn cut_chars(s: &str, max: usize) -> &str {
    s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// Why the report is opened (kept in the access log, at most 500 characters), if the coordinator says.
    reason: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReportDetail {
    id: Uuid,
    received_at: String,
    occurred_at: String,
    kind: String,
    channel: String,
    location: Option<String>,
    description: String,
    perpetrator: Option<String>,
    perpetrator_description: Option<String>,
    witnesses: Option<String>,
    injury: bool,
    damage: bool,
    sick_leave: bool,
    police_reported: bool,
    police_case_number: Option<String>,
    role: String,
    phase: Option<String>,
    unit: Option<String>,
    /// `named`, `confidential` (name for coordinators only) or `anonymous` (nothing stored).
    identity: String,
    reporter_name: Option<String>,
    reporter_phone: Option<String>,
    reporter_email: Option<String>,
    help_call_me: bool,
    help_support: bool,
    help_police: bool,
    status: String,
    severity: Option<String>,
    assignee_id: Option<Uuid>,
    closed_reason: Option<String>,
    /// Every change, note and message, oldest first.
    events: Vec<EventOut>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventOut {
    at: String,
    /// `coordinator` or `reporter`
    actor: String,
    user_id: Option<Uuid>,
    /// The coordinator's display name (none for the reporter).
    author: Option<String>,
    /// `status`, `severity`, `assignee`, `note` (internal) or `message`
    kind: String,
    /// The text of a note or message, or the new value.
    body: Option<String>,
    /// The closing reason of a status change to `closed`.
    detail: Option<String>,
}

impl From<Event> for EventOut {
    fn from(e: Event) -> Self {
        EventOut {
            at: rfc3339(e.at),
            actor: e.actor,
            user_id: e.user_id,
            author: e.author,
            kind: e.kind,
            body: e.body,
            detail: e.detail,
        }
    }
}

/// The answer of an audited read. The reporter's name, phone and e-mail are opened here, on the
/// way out, and nowhere else (the database holds them sealed for their column and this row).
pub(super) async fn detail_of(state: &AppState, f: Full) -> Result<ReportDetail, ApiError> {
    let events = state.db.events(f.id, true).await?.into_iter().map(EventOut::from).collect();
    let open = |column: &str, stored: Option<String>| -> Result<Option<String>, ApiError> {
        stored
            .map(|s| crate::store::sealed::open_stored(&state.keys, "reports", column, f.id, &s))
            .transpose()
            .map_err(ApiError::internal)
    };
    let reporter_name = open("reporter_name", f.reporter_name)?;
    let reporter_phone = open("reporter_phone", f.reporter_phone)?;
    let reporter_email = open("reporter_email", f.reporter_email)?;
    Ok(ReportDetail {
        id: f.id,
        received_at: rfc3339(f.received_at),
        occurred_at: rfc3339(f.occurred_at),
        kind: f.kind,
        channel: f.channel,
        location: f.location,
        description: f.description,
        perpetrator: f.perpetrator,
        perpetrator_description: f.perpetrator_description,
        witnesses: f.witnesses,
        injury: f.injury,
        damage: f.damage,
        sick_leave: f.sick_leave,
        police_reported: f.police_reported,
        police_case_number: f.police_case_number,
        role: f.role,
        phase: f.phase,
        unit: f.unit,
        identity: f.identity,
        reporter_name,
        reporter_phone,
        reporter_email,
        help_call_me: f.help_call_me,
        help_support: f.help_support,
        help_police: f.help_police,
        status: f.status,
        severity: f.severity,
        assignee_id: f.assignee_id,
        closed_reason: f.closed_reason,
        events,
    })
}

/// `GET /api/reports/{id}`: every field; the read is written to the access log first.
#[utoipa::path(get, path = "/api/reports/{id}", tag = "casework", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id"), ReadQuery),
    responses(
        (status = 200, description = "The report", body = ReportDetail),
        QueryErrors, SessionErrors, ReportNotFound, ServerErrors,
    ))]
pub async fn detail(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ReadQuery>,
) -> Result<Json<ReportDetail>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    // At most 500 characters, cut on a character boundary (a byte cut panics inside a letter).
    let reason = q.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(|r| cut_chars(r, 500));
    let f = state.db.read_report(&state.keys, id, who.id, reason).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(report_id = %id, user_id = %who.id, "report read");
    Ok(Json(detail_of(&state, f).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// `seq` of the last entry of the previous page.
    before: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    seq: i64,
    at: String,
    user_id: Option<Uuid>,
    action: String,
    report_id: Option<Uuid>,
    reason: Option<String>,
    hash: String,
}

/// `GET /api/audit`: the access log, newest first (administrators only; each read is logged as `audit.read`).
#[utoipa::path(get, path = "/api/audit", tag = "audit", security(("session" = [])), params(AuditQuery),
    responses(
        (status = 200, description = "Entries, newest first", body = Vec<AuditEntry>),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn audit(
    State(state): State<AppState>,
    admin: Admin,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=200).contains(&limit) || q.before.is_some_and(|b| b < 1) {
        return Err(ApiError::InvalidQuery);
    }
    let rows = state.db.audit_page(q.before, limit).await?;
    // Reading the log is itself logged (after the page is read, so the page shows the entries
    // before it; the next page read shows this one). No entry, no answer.
    let entry = Entry { user_id: Some(admin.0.id), action: "audit.read", report_id: None, reason: None };
    state.db.audit(&state.keys, &entry).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: rfc3339(r.at),
                user_id: r.user_id,
                action: r.action,
                report_id: r.report_id,
                reason: r.reason,
                hash: r.hash,
            })
            .collect(),
    ))
}

/// `GET /api/audit/verify`: recomputes the whole hash chain and every entry's HMAC, and compares
/// the chain with the head recorded outside the database (administrators only; logged as `audit.verify`).
#[utoipa::path(get, path = "/api/audit/verify", tag = "audit", security(("session" = [])),
    responses(
        (status = 200, description = "Whether the chain is intact, and where it breaks", body = Verdict),
        SessionErrors, ServerErrors,
    ))]
pub async fn verify(State(state): State<AppState>, admin: Admin) -> Result<Json<Verdict>, ApiError> {
    let verdict = state.db.verify_audit(&state.keys, Some(&state.anchor)).await?;
    if verdict.ok {
        state.anchor.advance(&state.db).await?;
    } else {
        tracing::error!(broken_at = ?verdict.broken_at, problem = ?verdict.problem, anchor_seq = ?verdict.anchor_seq,
            "the access log does not verify");
    }
    let entry = Entry { user_id: Some(admin.0.id), action: "audit.verify", report_id: None, reason: None };
    state.db.audit(&state.keys, &entry).await?;
    Ok(Json(verdict))
}

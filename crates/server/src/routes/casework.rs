//! Casework on one report, for coordinators: `GET`/`PATCH /api/reports/{id}` (every read
//! logged), its notes and messages, and `/api/coordinators` (whom a report can be assigned to).

use super::format::{cut_chars, rfc3339};
use crate::auth::Coordinator;
use crate::error::{ApiError, ApiJson, ApiQuery, JsonErrors, QueryErrors, ReportNotFound, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::casework::{Change, Event, Full};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use trygg_domain::{Triage, parse_body};
use trygg_wire::{BodyOnly, CaseEvent, Colleague, Colleagues, ReportDetail, TriageBody};
use uuid::Uuid;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// Why the report is opened (kept in the access log, at most 500 characters), if the coordinator says.
    reason: Option<String>,
}

fn event(e: Event) -> CaseEvent {
    CaseEvent {
        at: rfc3339(e.at),
        actor: e.actor,
        user_id: e.user_id.map(|u| u.to_string()),
        author: e.author,
        kind: e.kind,
        body: e.body,
        detail: e.detail,
    }
}

/// The answer of an audited read. The reporter's name, phone and e-mail are opened here, on the
/// way out, and nowhere else (the database holds them sealed for their column and this row).
async fn detail_of(state: &AppState, f: Full) -> Result<ReportDetail, ApiError> {
    let events = state.db.events(f.id, true).await?.into_iter().map(event).collect();
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
        id: f.id.to_string(),
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
        assignee_id: f.assignee_id.map(|u| u.to_string()),
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
    let f =
        state.db.read_report(&state.keys, id, who.id, reason, state.clock.now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(report_id = %id, user_id = %who.id, "report read");
    Ok(Json(detail_of(&state, f).await?))
}

fn report_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)
}

/// `PATCH /api/reports/{id}`: status (closing needs a reason), severity, assignee. The answer
/// carries the whole report, so it is always an audited read: a change is logged as
/// `report.update`, a change that changes nothing as `report.read`.
#[utoipa::path(patch, path = "/api/reports/{id}", tag = "casework", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")), request_body = TriageBody,
    responses(
        (status = 200, description = "The report after the change (logged in the access log)", body = ReportDetail),
        JsonErrors, SessionErrors, ReportNotFound, ServerErrors,
    ))]
pub async fn triage(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TriageBody>,
) -> Result<Json<ReportDetail>, ApiError> {
    let id = report_id(&id)?;
    let t = Triage::parse(&body.draft).map_err(ApiError::Validation)?;
    let assignee = match body.assignee.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => match Uuid::parse_str(raw) {
            Ok(u) if state.db.user_exists(u).await? => Some(Some(u)),
            _ => return Err(ApiError::UnknownAssignee),
        },
    };
    let change = Change {
        status: t.status.map(|s| s.as_str()),
        closed_reason: t.closed_reason.map(|r| r.into_inner()),
        severity: t.severity.map(|s| s.as_str()),
        assignee,
    };
    let f = state.db.triage(&state.keys, id, who.id, &change, state.clock.now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(report_id = %id, user_id = %who.id, "report triaged");
    Ok(Json(detail_of(&state, f).await?))
}

async fn add(state: &AppState, who: &Coordinator, id: &str, kind: &'static str, body: &str) -> Result<(), ApiError> {
    let id = report_id(id)?;
    let text = parse_body(body).map_err(ApiError::Validation)?;
    if !state.db.add_entry(&state.keys, id, Some(who.id), kind, text.as_str(), state.clock.now_ms()).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(report_id = %id, user_id = %who.id, kind, "entry added");
    Ok(())
}

/// `POST /api/reports/{id}/notes`: an internal note, never shown to the reporter.
#[utoipa::path(post, path = "/api/reports/{id}/notes", tag = "casework", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")), request_body = BodyOnly,
    responses(
        (status = 201, description = "Added"),
        JsonErrors, SessionErrors, ReportNotFound, ServerErrors,
    ))]
pub async fn note(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BodyOnly>,
) -> Result<StatusCode, ApiError> {
    add(&state, &who, &id, "note", &b.body).await.map(|()| StatusCode::CREATED)
}

/// `POST /api/reports/{id}/messages`: an answer the reporter sees with their receipt code.
#[utoipa::path(post, path = "/api/reports/{id}/messages", tag = "casework", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")), request_body = BodyOnly,
    responses(
        (status = 201, description = "Sent"),
        JsonErrors, SessionErrors, ReportNotFound, ServerErrors,
    ))]
pub async fn message(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BodyOnly>,
) -> Result<StatusCode, ApiError> {
    add(&state, &who, &id, "message", &b.body).await.map(|()| StatusCode::CREATED)
}

/// `GET /api/coordinators`: everyone a report can be assigned to, by name.
#[utoipa::path(get, path = "/api/coordinators", tag = "casework", security(("session" = [])),
    responses(
        (status = 200, description = "Every coordinator and administrator", body = Colleagues),
        SessionErrors, ServerErrors,
    ))]
pub async fn coordinators(State(state): State<AppState>, _who: Coordinator) -> Result<Json<Colleagues>, ApiError> {
    let rows = state.db.colleagues().await?;
    let coordinators = rows
        .into_iter()
        .map(|c| Colleague { id: c.id.to_string(), display_name: c.display_name, role: c.role })
        .collect();
    Ok(Json(Colleagues { coordinators }))
}

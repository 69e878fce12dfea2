//! After an incident (issue 18 items 2–4), for coordinators: `GET`/`PATCH /api/reports/{id}/after`
//! (the police case number, the address kept out of the police summary, the work-environment
//! notice: whether it qualifies by the domain's rule and when it was sent), the support tasks
//! ([`tasks`]) and the police summary ([`summary`]). Each change carries the version seen (409
//! `version_conflict` with the newer state) and is an audit entry (`after.update`, before → after).

use crate::auth::Coordinator;
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, ServerErrors, SessionErrors, version_conflict};
use crate::state::AppState;
use crate::store::after::AfterRow;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trygg_domain::{IncidentKind, Role, Severity, WorkEnvFacts, work_env_reasons};
use trygg_wire::after::{AfterChange, ReportAfter, WorkEnvNotice, fields};
use uuid::Uuid;

pub mod summary;
pub mod tasks;

/// An answer of these routes beyond a plain [`ApiError`].
#[derive(Debug)]
pub enum AfterError {
    Api(ApiError),
    /// 422 `validation` with `(field, kind)` errors.
    Fields(Vec<(&'static str, &'static str)>),
    /// 409 `version_conflict` with the newer state.
    Stale(serde_json::Value),
}

impl From<ApiError> for AfterError {
    fn from(e: ApiError) -> Self {
        AfterError::Api(e)
    }
}

impl From<sqlx::Error> for AfterError {
    fn from(e: sqlx::Error) -> Self {
        AfterError::Api(e.into())
    }
}

impl IntoResponse for AfterError {
    fn into_response(self) -> Response {
        match self {
            AfterError::Api(e) => e.into_response(),
            AfterError::Fields(f) => {
                let fields: Vec<_> =
                    f.iter().map(|(field, kind)| json!({"field": field, "code": format!("{field}.{kind}")})).collect();
                let body =
                    json!({"error": {"code": "validation", "message": "Some fields are invalid.", "fields": fields}});
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            AfterError::Stale(current) => {
                version_conflict("Someone else changed this meanwhile; here is its newer state.", current)
            }
        }
    }
}

pub(crate) async fn report_of(state: &AppState, raw: &str) -> Result<Uuid, ApiError> {
    let id = Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)?;
    if !state.db.report_exists(id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(id)
}

/// What the work-environment rule reads, from the stored report's columns.
pub(crate) fn facts(role: &str, kind: &str, injury: bool, sick_leave: bool, severity: Option<&str>) -> WorkEnvFacts {
    WorkEnvFacts {
        role: role.parse().unwrap_or(Role::ElectedOfficial),
        kind: kind.parse().unwrap_or(IncidentKind::Other),
        injury,
        sick_leave,
        severity: severity.and_then(|s| s.parse::<Severity>().ok()),
    }
}

async fn answer(state: &AppState, report_id: Uuid, a: &AfterRow) -> Result<ReportAfter, ApiError> {
    let r = state.db.summary_facts(report_id).await?.ok_or(ApiError::NotFound)?;
    let reasons = work_env_reasons(&facts(&r.role, &r.kind, r.injury, r.sick_leave, r.severity.as_deref()));
    let qualifies = !reasons.is_empty();
    let sent_by = match a.work_env_sent_by {
        Some(u) => state.db.user_by_id(u).await?.map(|u| u.display_name),
        None => None,
    };
    let due = r.received_at + trygg_domain::WORK_ENV_DEADLINE_HOURS * 3_600_000;
    Ok(ReportAfter {
        police_case_number: a.police_case_number.clone().or(r.police_case_number),
        hide_address: a.hide_address,
        work_env: WorkEnvNotice {
            qualifies,
            reasons,
            due_by: qualifies.then(|| super::format::rfc3339(due)),
            sent_at: a.work_env_sent_at.map(super::format::rfc3339),
            sent_by,
        },
        version: a.version,
    })
}

/// `GET /api/reports/{id}/after`: the police case number, the summary option and the
/// work-environment notice.
#[utoipa::path(get, path = "/api/reports/{id}/after", tag = "after", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")),
    responses(
        (status = 200, description = "What is recorded after the incident", body = ReportAfter),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn get_after(
    State(state): State<AppState>,
    _who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<ReportAfter>, ApiError> {
    let report_id = report_of(&state, &id).await?;
    let a = state.db.report_after(report_id).await?;
    Ok(Json(answer(&state, report_id, &a).await?))
}

/// `PATCH /api/reports/{id}/after`: records the K-number, keeps the address out of the summary,
/// marks the work-environment notice sent (now) or not.
#[utoipa::path(patch, path = "/api/reports/{id}/after", tag = "after", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")), request_body = AfterChange,
    responses(
        (status = 200, description = "Saved (audited as `after.update`, before → after)", body = ReportAfter),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Changed meanwhile (`version_conflict`, with `current`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn patch_after(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<AfterChange>,
) -> Result<Json<ReportAfter>, AfterError> {
    let report_id = report_of(&state, &id).await?;
    let before = state.db.report_after(report_id).await?;
    let mut next = before.clone();
    if let Some(raw) = &c.police_case_number {
        next.police_case_number = trygg_domain::parse_police_case_number(raw)
            .map_err(|kind| AfterError::Fields(vec![(fields::POLICE_CASE_NUMBER, kind)]))?;
    }
    if before.version != c.version {
        return Err(AfterError::Stale(json!(answer(&state, report_id, &before).await?)));
    }
    if let Some(h) = c.hide_address {
        next.hide_address = h;
    }
    match c.work_env_sent {
        Some(true) if before.work_env_sent_at.is_none() => {
            next.work_env_sent_at = Some(state.clock.now_ms());
            next.work_env_sent_by = Some(who.id);
        }
        Some(false) => {
            next.work_env_sent_at = None;
            next.work_env_sent_by = None;
        }
        _ => {}
    }
    let detail = changes(&before, &next);
    if detail.is_empty() {
        return Ok(Json(answer(&state, report_id, &before).await?));
    }
    next.version = before.version + 1;
    if !state.db.save_after(&state.keys, Some(who.id), report_id, &next, "after.update", &detail).await? {
        let current = state.db.report_after(report_id).await?;
        return Err(AfterError::Stale(json!(answer(&state, report_id, &current).await?)));
    }
    Ok(Json(answer(&state, report_id, &next).await?))
}

/// "field: before → after; …" of what changed (no content: a K-number, a choice, instants).
pub(crate) fn changes(a: &AfterRow, b: &AfterRow) -> String {
    let mut out = Vec::new();
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    if a.police_case_number != b.police_case_number {
        out.push(format!("police_case_number: {} → {}", show(&a.police_case_number), show(&b.police_case_number)));
    }
    if a.hide_address != b.hide_address {
        out.push(format!("hide_address: {} → {}", a.hide_address, b.hide_address));
    }
    if a.work_env_sent_at != b.work_env_sent_at {
        let at = |v: Option<i64>| v.map(super::format::rfc3339).unwrap_or_else(|| "–".into());
        out.push(format!("work_env_sent_at: {} → {}", at(a.work_env_sent_at), at(b.work_env_sent_at)));
    }
    out.join("; ")
}

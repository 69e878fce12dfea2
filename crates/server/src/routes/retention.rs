//! `/api/admin/retention*`: how long closed reports are kept (administrators), the dry run of a
//! purge, and a purge on demand. The background task (`store/purge.rs`) runs the same purge.

use super::admin_content::conflict_error;
use super::format::rfc3339;
use crate::auth::Admin;
use crate::error::{ApiError, ApiJson, JsonErrors, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::content_admin::Outcome;
use crate::store::retention::{Setting, cutoff, week_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trygg_domain::{parse_retention_months, retention};
use trygg_wire::retention::{Retention, RetentionBody, RetentionConflict, RetentionPreview, RetentionRun};

fn wire(s: Setting) -> Retention {
    Retention {
        months: s.months,
        min_months: retention::MIN_MONTHS,
        max_months: retention::MAX_MONTHS,
        version: s.version,
    }
}

/// `GET /api/admin/retention`: the retention period and its bounds.
#[utoipa::path(get, path = "/api/admin/retention", tag = "admin", security(("session" = [])),
    responses(
        (status = 200, description = "The period in force", body = Retention),
        SessionErrors, ServerErrors,
    ))]
pub async fn get_retention(State(state): State<AppState>, _admin: Admin) -> Result<Json<Retention>, ApiError> {
    Ok(Json(wire(state.db.retention().await?)))
}

/// `PUT /api/admin/retention`: sets the period (6–120 months) if it is still at `version`.
#[utoipa::path(put, path = "/api/admin/retention", tag = "admin", security(("session" = [])), request_body = RetentionBody,
    responses(
        (status = 200, description = "Set", body = Retention),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is the period now", body = RetentionConflict), JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn set_retention(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(body): ApiJson<RetentionBody>,
) -> Result<Response, ApiError> {
    let months = parse_retention_months(body.months).map_err(|e| ApiError::Validation(vec![e]))?;
    let now = state.clock.now_ms();
    match state.db.set_retention(&state.keys, admin.0.id, months, body.version, now).await? {
        Outcome::Done(s) => Ok(Json(wire(s)).into_response()),
        Outcome::Stale(Some(s)) => {
            let body = RetentionConflict { error: conflict_error(), current: wire(s) };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
        _ => Err(ApiError::internal("the retention setting is missing")),
    }
}

/// `GET /api/admin/retention/preview`: the dry run — how many closed reports a purge would
/// delete now, and the weeks in which they were closed. Deletes nothing.
#[utoipa::path(get, path = "/api/admin/retention/preview", tag = "admin", security(("session" = [])),
    responses(
        (status = 200, description = "What a purge would delete now", body = RetentionPreview),
        SessionErrors, ServerErrors,
    ))]
pub async fn preview(State(state): State<AppState>, _admin: Admin) -> Result<Json<RetentionPreview>, ApiError> {
    let months = state.db.retention().await?.months;
    let cut = cutoff(state.clock.now_ms(), months);
    let p = state.db.retention_preview(cut).await?;
    Ok(Json(RetentionPreview {
        count: p.count,
        cutoff: rfc3339(cut),
        first_week: week_of(p.first_closed),
        last_week: week_of(p.last_closed),
    }))
}

/// `POST /api/admin/retention/purge`: purges now what is past the period (as the background
/// task does), logged as `retention.purge` with the count.
#[utoipa::path(post, path = "/api/admin/retention/purge", tag = "admin", security(("session" = [])),
    responses(
        (status = 200, description = "How many reports were deleted", body = RetentionRun),
        SessionErrors, ServerErrors,
    ))]
pub async fn purge(State(state): State<AppState>, admin: Admin) -> Result<Json<RetentionRun>, ApiError> {
    let months = state.db.retention().await?.months;
    let cut = cutoff(state.clock.now_ms(), months);
    let purged = state.db.purge_closed(&state.keys, Some(admin.0.id), cut).await?;
    Ok(Json(RetentionRun { purged: purged as i64 }))
}

//! `/api/checkin…` (the person's device, by its secret token) and `/api/checkin-alerts…` (the
//! coordinators): the safety check-in of issue 19. The timer lives on the server: starting a
//! check-in enqueues a `checkin.due` job at due time plus [`GRACE_MS`] (see
//! `jobs::handlers`), which raises the alert exactly once; *more time* enqueues a new one.
//! Reading one alert opens the person's name, phone and where, so it is an audited read
//! (`checkin.read`); acknowledging is an audit entry (`checkin.acknowledge`).

use super::format::rfc3339;
use crate::auth::{ClientIp, Coordinator, limit_key, new_token, sha256_hex};
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, RateLimited, ServerErrors, SessionErrors};
use crate::jobs::handlers;
use crate::state::AppState;
use crate::store::checkins::{CheckedIn, CheckinRow};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trygg_domain::{Field, Name, Phone, ShortText, limits};
use trygg_wire::checkin::{
    Acknowledge, AlertTarget, CheckinAlert, CheckinAlertDetail, CheckinAlerts, CheckinState, CheckinStatus,
    MAX_MINUTES, MAX_NOTE, MIN_MINUTES, MoreTime, NewCheckin, StartedCheckin, TOKEN_HEADER, codes,
};
use uuid::Uuid;

/// After the due time, the alert waits this long (the phone reminds the person meanwhile).
pub const GRACE_MS: i64 = 5 * 60_000;
/// Check-ins started per client address per window (the report form's limit is reused).
const START_WINDOW_SECS: i64 = 10 * 60;
const TABLE: &str = "checkins";

/// An answer of the check-in routes beyond a plain [`ApiError`].
#[derive(Debug)]
pub enum CheckinError {
    Api(ApiError),
    /// 422 `validation`: `(field, kind)` pairs and the sentence that says why.
    Fields(Vec<(&'static str, &'static str)>, &'static str),
    /// 409 with a code and a sentence (and, for an acknowledgement, the current alert).
    Conflict(&'static str, &'static str, Option<Box<CheckinAlert>>),
}

impl From<ApiError> for CheckinError {
    fn from(e: ApiError) -> Self {
        CheckinError::Api(e)
    }
}

impl From<sqlx::Error> for CheckinError {
    fn from(e: sqlx::Error) -> Self {
        CheckinError::Api(e.into())
    }
}

impl IntoResponse for CheckinError {
    fn into_response(self) -> Response {
        match self {
            CheckinError::Api(e) => e.into_response(),
            CheckinError::Fields(f, message) => {
                let fields: Vec<_> =
                    f.iter().map(|(field, kind)| json!({"field": field, "code": format!("{field}.{kind}")})).collect();
                let body = json!({"error": {"code": "validation", "message": message, "fields": fields}});
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            CheckinError::Conflict(code, message, current) => {
                let mut body = json!({"error": {"code": code, "message": message, "fields": []}});
                if let Some(c) = current {
                    body["current"] = json!(c);
                }
                (StatusCode::CONFLICT, Json(body)).into_response()
            }
        }
    }
}

/// The person's details, sealed together as one JSON.
#[derive(serde::Serialize, serde::Deserialize)]
struct Details {
    name: String,
    phone: String,
    location: String,
}

fn state_of(s: &str) -> CheckinState {
    match s {
        "safe" => CheckinState::Safe,
        "alerted" => CheckinState::Alerted,
        "acknowledged" => CheckinState::Acknowledged,
        "late_all_clear" => CheckinState::LateAllClear,
        _ => CheckinState::Active,
    }
}

fn status_of(c: &CheckinRow, now: i64) -> CheckinStatus {
    CheckinStatus {
        state: state_of(&c.state),
        due_at: rfc3339(c.due_at),
        remaining_seconds: (c.due_at - now).div_euclid(1000),
        grace_seconds: c.grace_ms / 1000,
    }
}

fn alert_of(c: &CheckinRow) -> CheckinAlert {
    CheckinAlert {
        id: c.id.to_string(),
        state: state_of(&c.state),
        due_at: rfc3339(c.due_at),
        alerted_at: c.alerted_at.map(rfc3339),
        checked_in_at: c.checked_in_at.map(rfc3339),
        acknowledged_at: c.acknowledged_at.map(rfc3339),
    }
}

/// The minutes of a start or of *more time*, or the field error.
fn minutes_ms(minutes: u32) -> Result<i64, (&'static str, &'static str)> {
    if (MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        Ok(i64::from(minutes) * 60_000)
    } else {
        Err(("minutes", "invalid"))
    }
}

/// The check-in of the token in [`TOKEN_HEADER`]: 401 without one, 404 for an unknown one (it
/// may also have been deleted after its retention).
async fn mine(state: &AppState, headers: &HeaderMap) -> Result<CheckinRow, ApiError> {
    let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if token.is_empty() {
        return Err(ApiError::Unauthorized);
    }
    if token.len() > 100 {
        return Err(ApiError::NotFound);
    }
    state.db.checkin_by_token(&sha256_hex(token)).await?.ok_or(ApiError::NotFound)
}

/// `POST /api/checkin`: starts a check-in. A name and a phone number are required.
#[utoipa::path(post, path = "/api/checkin", tag = "checkin", request_body = NewCheckin,
    responses(
        (status = 201, description = "Started; keep `token` on the device (it is shown once)", body = StartedCheckin),
        JsonErrors, RateLimited, ServerErrors,
    ))]
pub async fn start(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<NewCheckin>,
) -> Result<(StatusCode, Json<StartedCheckin>), CheckinError> {
    let now = state.clock.now_ms();
    let flood = limit_key(&state.keys, "checkin:ip", &ip);
    let max = state.config.submit_max_per_address;
    state.flood.count(&flood, START_WINDOW_SECS, max, now).map_err(ApiError::RateLimitedFor)?;
    let mut errors = Vec::new();
    let name = Name::parse_required(Field::ReporterName, &body.reporter_name, limits::REPORTER_NAME);
    let phone = Phone::parse_optional(Field::ReporterPhone, &body.reporter_phone, limits::REPORTER_PHONE);
    let location = ShortText::parse_optional(Field::Location, &body.location, limits::LOCATION);
    for e in [name.as_ref().err(), phone.as_ref().err(), location.as_ref().err()].into_iter().flatten() {
        errors.push((e.field.as_str(), e.kind.as_str()));
    }
    if matches!(phone, Ok(None)) {
        errors.push((Field::ReporterPhone.as_str(), "required"));
    }
    let length = minutes_ms(body.minutes);
    if let Err(e) = length {
        errors.push(e);
    }
    let (Ok(name), Ok(Some(phone)), Ok(location), Ok(length), true) =
        (name, phone, location, length, errors.is_empty())
    else {
        return Err(CheckinError::Fields(
            errors,
            "A check-in needs your name and phone number, so that someone can reach you; an anonymous person cannot be checked on.",
        ));
    };
    let id = Uuid::new_v4();
    let details = Details {
        name: name.into_inner(),
        phone: phone.as_str().to_owned(),
        location: location.map(ShortText::into_inner).unwrap_or_default(),
    };
    let details_json = serde_json::to_string(&details).map_err(ApiError::internal)?;
    let row = CheckinRow {
        id,
        details_sealed: state.keys.seal_str(TABLE, "details", &id.to_string(), &details_json),
        alert_target: "on_duty".into(),
        due_at: now + length,
        grace_ms: GRACE_MS,
        state: "active".into(),
        created_at: now,
        alerted_at: None,
        checked_in_at: None,
        acknowledged_at: None,
        acknowledged_by: None,
        note_sealed: None,
        ended_at: None,
        version: 1,
    };
    let token = new_token();
    let due = handlers::checkin_due(id, row.due_at, GRACE_MS, now);
    state.db.insert_checkin(&row, &sha256_hex(&token), &due).await?;
    Ok((StatusCode::CREATED, Json(StartedCheckin { token, status: status_of(&row, now) })))
}

/// `GET /api/checkin`: the device's check-in, by its token.
#[utoipa::path(get, path = "/api/checkin", tag = "checkin",
    params(("x-checkin-token" = String, Header, description = "The token `POST /api/checkin` gave")),
    responses(
        (status = 200, description = "Its state and the time left", body = CheckinStatus),
        (status = 401, description = "No `x-checkin-token` (`unauthorized`)", body = ErrorEnvelope),
        (status = 404, description = "No such check-in (or deleted after its retention) (`not_found`)", body = ErrorEnvelope),
        ServerErrors,
    ))]
pub async fn status(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<CheckinStatus>, ApiError> {
    let c = mine(&state, &headers).await?;
    Ok(Json(status_of(&c, state.clock.now_ms())))
}

/// `POST /api/checkin/safe`: *I am safe*. Ends the check-in; after an alert, sends the
/// all-clear. A repeat (the device's queue resending) changes nothing.
#[utoipa::path(post, path = "/api/checkin/safe", tag = "checkin",
    params(("x-checkin-token" = String, Header, description = "The token `POST /api/checkin` gave")),
    responses(
        (status = 200, description = "Ended: `safe`, or `late_all_clear` when it came after the alert", body = CheckinStatus),
        (status = 401, description = "No `x-checkin-token` (`unauthorized`)", body = ErrorEnvelope),
        (status = 404, description = "No such check-in (`not_found`)", body = ErrorEnvelope),
        ServerErrors,
    ))]
pub async fn safe(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<CheckinStatus>, ApiError> {
    let c = mine(&state, &headers).await?;
    let now = state.clock.now_ms();
    if state.db.check_in(c.id, now, &handlers::checkin_all_clear(c.id, now)).await? == CheckedIn::Late {
        crate::jobs::wake();
    }
    let c = state.db.checkin(c.id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(status_of(&c, now)))
}

/// `POST /api/checkin/extend`: *more time*, counted from now.
#[utoipa::path(post, path = "/api/checkin/extend", tag = "checkin", request_body = MoreTime,
    params(("x-checkin-token" = String, Header, description = "The token `POST /api/checkin` gave")),
    responses(
        (status = 200, description = "The new due time", body = CheckinStatus),
        (status = 401, description = "No `x-checkin-token` (`unauthorized`)", body = ErrorEnvelope),
        (status = 404, description = "No such check-in (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "It has ended or was already alerted: check in instead (`checkin_not_active`)", body = ErrorEnvelope),
        JsonErrors, ServerErrors,
    ))]
pub async fn extend(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<MoreTime>,
) -> Result<Json<CheckinStatus>, CheckinError> {
    let c = mine(&state, &headers).await?;
    let length =
        minutes_ms(body.minutes).map_err(|e| CheckinError::Fields(vec![e], "Choose between 1 minute and 24 hours."))?;
    let now = state.clock.now_ms();
    let due_at = now + length;
    if !state.db.extend_checkin(c.id, due_at, &handlers::checkin_due(c.id, due_at, c.grace_ms, now)).await? {
        return Err(CheckinError::Conflict(
            codes::NOT_ACTIVE,
            "This check-in is no longer running; if you are safe, check in.",
            None,
        ));
    }
    let c = state.db.checkin(c.id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(status_of(&c, now)))
}

/// `GET /api/checkin-alerts`: missed check-ins nobody has acknowledged (no name, phone or place).
#[utoipa::path(get, path = "/api/checkin-alerts", tag = "checkin", security(("session" = [])),
    responses(
        (status = 200, description = "Open alerts, oldest first; not an audited read", body = CheckinAlerts),
        SessionErrors, ServerErrors,
    ))]
pub async fn alerts(State(state): State<AppState>, _who: Coordinator) -> Result<Json<CheckinAlerts>, ApiError> {
    let items = state.db.open_checkin_alert_rows().await?.iter().map(alert_of).collect();
    Ok(Json(CheckinAlerts { items }))
}

async fn detail_of(state: &AppState, c: &CheckinRow) -> Result<CheckinAlertDetail, ApiError> {
    let row = c.id.to_string();
    let details = state.keys.open_str(TABLE, "details", &row, &c.details_sealed).map_err(ApiError::internal)?;
    let details: Details = serde_json::from_str(&details).map_err(ApiError::internal)?;
    let note = match &c.note_sealed {
        Some(s) => Some(state.keys.open_str(TABLE, "note", &row, s).map_err(ApiError::internal)?),
        None => None,
    };
    let acknowledged_by = match c.acknowledged_by {
        Some(id) => Some(
            state
                .db
                .colleagues()
                .await?
                .into_iter()
                .find(|u| u.id == id)
                .map_or_else(|| id.to_string(), |u| u.display_name),
        ),
        None => None,
    };
    Ok(CheckinAlertDetail {
        alert: alert_of(c),
        reporter_name: details.name,
        reporter_phone: details.phone,
        location: details.location,
        alert_target: AlertTarget::OnDuty,
        acknowledged_by,
        note,
    })
}

async fn alerted_checkin(state: &AppState, raw: &str) -> Result<CheckinRow, ApiError> {
    let id = Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)?;
    // Only an alerted check-in is a coordinator's business: a running or safe one stays private.
    state.db.checkin(id).await?.filter(|c| c.alerted_at.is_some()).ok_or(ApiError::NotFound)
}

/// `GET /api/checkin-alerts/{id}`: one alert with the person's name, phone and where (audited).
#[utoipa::path(get, path = "/api/checkin-alerts/{id}", tag = "checkin", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Check-in id")),
    responses(
        (status = 200, description = "The alert and what the person gave (audited as `checkin.read`)", body = CheckinAlertDetail),
        (status = 404, description = "No such alerted check-in (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn read(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<CheckinAlertDetail>, ApiError> {
    let c = alerted_checkin(&state, &id).await?;
    let detail = detail_of(&state, &c).await?;
    let reason = format!("checkin {}", c.id);
    let entry = crate::store::audit::Entry {
        user_id: Some(who.id),
        action: "checkin.read",
        report_id: None,
        reason: Some(&reason),
    };
    state.db.audit(&state.keys, &entry).await?;
    Ok(Json(detail))
}

/// `POST /api/checkin-alerts/{id}/acknowledge`: records what was done (an audit entry).
#[utoipa::path(post, path = "/api/checkin-alerts/{id}/acknowledge", tag = "checkin", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Check-in id")), request_body = Acknowledge,
    responses(
        (status = 200, description = "Acknowledged (audited as `checkin.acknowledge`)", body = CheckinAlertDetail),
        (status = 404, description = "No such alerted check-in (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Someone acknowledged it meanwhile; `current` holds it (`already_acknowledged`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn acknowledge(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Acknowledge>,
) -> Result<Json<CheckinAlertDetail>, CheckinError> {
    let c = alerted_checkin(&state, &id).await?;
    let note = match trygg_domain::LongText::parse_required(Field::Body, &body.note, MAX_NOTE) {
        Ok(n) => n.into_inner(),
        Err(e) => {
            let kind = e.kind.as_str();
            return Err(CheckinError::Fields(vec![("note", kind)], "Write what was done."));
        }
    };
    let now = state.clock.now_ms();
    let sealed = state.keys.seal_str(TABLE, "note", &c.id.to_string(), &note);
    let after = if c.state == "alerted" { "acknowledged" } else { c.state.as_str() };
    let reason = format!("checkin {}: {} → {after}", c.id, c.state);
    let entry = crate::store::audit::Entry {
        user_id: Some(who.id),
        action: "checkin.acknowledge",
        report_id: None,
        reason: Some(&reason),
    };
    if !state.db.acknowledge_checkin(&state.keys, c.id, who.id, &sealed, now, &entry).await? {
        let current = state.db.checkin(c.id).await?.ok_or(ApiError::NotFound)?;
        return Err(CheckinError::Conflict(
            codes::ALREADY_ACKNOWLEDGED,
            "Someone else acknowledged this alert meanwhile; here is its newer state.",
            Some(Box::new(alert_of(&current))),
        ));
    }
    let c = state.db.checkin(c.id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(detail_of(&state, &c).await?))
}

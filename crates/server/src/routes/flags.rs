//! `/api/reports/{id}/flags` and `/api/flags/{id}…`: risk flags for coordinators. A flag is
//! proposed from a report (`flag.propose`), becomes active only when a SECOND coordinator approves
//! it (`flag.approve`; the proposer gets 403 `own_flag`), and is extended, changed or lifted by a
//! review with a reason (`flag.extend|change|lift`); each change carries the version seen (409
//! `version_conflict` with the newer flag). Listing a report's flags and reading one flag with its history
//! and who looked it up open the sealed address and reason, so each is an audited read
//! (`flag.read`). Also [`FlagError`], and the dates and keys the look-up shares.

use crate::auth::Coordinator;
use crate::crypto::Keys;
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, ServerErrors, SessionErrors, version_conflict};
use crate::state::AppState;
use crate::store::flags::FlagRow;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use trygg_domain::Address;
use trygg_wire::flags::{
    Flag, FlagApproval, FlagCategory, FlagDetail, FlagEvent, FlagLevel, FlagLookupSeen, FlagProposal, FlagReview,
    FlagState, ResidentInformed, ReviewAction, codes,
};
use uuid::Uuid;

mod form;
pub use form::{Dates, address_indexes, date_of, parse_date};

/// An answer of the flag routes beyond a plain [`ApiError`].
#[derive(Debug)]
pub enum FlagError {
    Api(ApiError),
    /// 422 `validation` with `(field, kind)` errors.
    Fields(Vec<(&'static str, &'static str)>),
    /// Status, code, English message.
    Refused(StatusCode, &'static str, &'static str),
    /// 409 `version_conflict` with the newer flag.
    Stale(Box<Flag>),
}

impl From<ApiError> for FlagError {
    fn from(e: ApiError) -> Self {
        FlagError::Api(e)
    }
}

impl From<sqlx::Error> for FlagError {
    fn from(e: sqlx::Error) -> Self {
        FlagError::Api(e.into())
    }
}

impl IntoResponse for FlagError {
    fn into_response(self) -> Response {
        let envelope = |code: &str, message: &str, fields: serde_json::Value| json!({"error": {"code": code, "message": message, "fields": fields}});
        match self {
            FlagError::Api(e) => e.into_response(),
            FlagError::Fields(f) => {
                let fields: Vec<_> =
                    f.iter().map(|(field, kind)| json!({"field": field, "code": format!("{field}.{kind}")})).collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(envelope("validation", "Some fields are invalid.", json!(fields))),
                )
                    .into_response()
            }
            FlagError::Refused(status, code, message) => {
                (status, Json(envelope(code, message, json!([])))).into_response()
            }
            FlagError::Stale(current) => {
                version_conflict("Someone else changed this flag meanwhile; here is its newer state.", current)
            }
        }
    }
}

const TABLE: &str = "flags";

fn level_str(l: FlagLevel) -> &'static str {
    match l {
        FlagLevel::Caution => "caution",
        FlagLevel::PoliceEscort => "police_escort",
    }
}

fn category_str(c: FlagCategory) -> &'static str {
    match c {
        FlagCategory::Weapon => "weapon",
        FlagCategory::Violence => "violence",
        FlagCategory::Threats => "threats",
        FlagCategory::Dog => "dog",
        FlagCategory::Other => "other",
    }
}

/// The stored level and category as the wire has them.
pub fn level_of(s: &str) -> FlagLevel {
    if s == "police_escort" { FlagLevel::PoliceEscort } else { FlagLevel::Caution }
}

pub fn category_of(s: &str) -> FlagCategory {
    match s {
        "weapon" => FlagCategory::Weapon,
        "violence" => FlagCategory::Violence,
        "threats" => FlagCategory::Threats,
        "dog" => FlagCategory::Dog,
        _ => FlagCategory::Other,
    }
}

fn state_of(s: &str) -> FlagState {
    match s {
        "active" => FlagState::Active,
        "lifted" => FlagState::Lifted,
        _ => FlagState::Proposed,
    }
}

fn rfc3339(ms: i64) -> String {
    crate::store::from_ms(ms).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Opens a flag's sealed columns for a coordinator.
fn wire_of(keys: &Keys, f: &FlagRow, names: &HashMap<Uuid, String>, now: i64) -> Result<Flag, ApiError> {
    let row = f.id.to_string();
    let address = keys.open_str(TABLE, "address", &row, &f.address_sealed).map_err(ApiError::internal)?;
    let reason = keys.open_str(TABLE, "reason", &row, &f.reason_sealed).map_err(ApiError::internal)?;
    let not_informed_reason = match &f.not_informed_sealed {
        Some(s) => Some(keys.open_str(TABLE, "not_informed", &row, s).map_err(ApiError::internal)?),
        None => None,
    };
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    let address_key =
        Address::parse(&address).map(|a| a.apartment_key().unwrap_or_else(|| a.key())).unwrap_or_default();
    Ok(Flag {
        id: row,
        report_id: f.report_id.to_string(),
        address,
        address_key,
        level: level_of(&f.level),
        category: category_of(&f.category),
        guidance_sv: f.guidance_sv.clone(),
        guidance_en: f.guidance_en.clone(),
        reason,
        ends_on: date_of(f.ends_at - 1),
        review_on: date_of(f.review_at),
        state: state_of(&f.state),
        expired: f.ends_at <= now,
        proposed_by: name(f.proposed_by),
        approved_by: f.approved_by.map(name),
        resident: ResidentInformed { informed_on: f.informed_at.map(date_of), not_informed_reason },
        version: f.version,
    })
}

async fn names(state: &AppState) -> Result<HashMap<Uuid, String>, ApiError> {
    Ok(state.db.colleagues().await?.into_iter().map(|c| (c.id, c.display_name)).collect())
}

async fn report_of(state: &AppState, raw: &str) -> Result<Uuid, ApiError> {
    let id = Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)?;
    if !state.db.report_exists(id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(id)
}

async fn flag_of(state: &AppState, raw: &str) -> Result<FlagRow, ApiError> {
    let id = Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)?;
    state.db.flag(id).await?.ok_or(ApiError::NotFound)
}

async fn audit_read(state: &AppState, who: &Coordinator, report: Uuid, detail: &str) -> Result<(), ApiError> {
    let entry = crate::store::audit::Entry {
        user_id: Some(who.id),
        action: "flag.read",
        report_id: Some(report),
        reason: Some(detail),
    };
    state.db.audit(&state.keys, &entry).await?;
    Ok(())
}

/// `POST /api/reports/{id}/flags`: proposes a flag from this report.
#[utoipa::path(post, path = "/api/reports/{id}/flags", tag = "flags", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")), request_body = FlagProposal,
    responses(
        (status = 201, description = "Proposed (audited as `flag.propose`); waits for a second coordinator", body = Flag),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn propose(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(p): ApiJson<FlagProposal>,
) -> Result<(StatusCode, Json<Flag>), FlagError> {
    let report_id = report_of(&state, &id).await?;
    let now = state.clock.now_ms();
    let v = form::check_proposal(&p, now)?;
    let fid = Uuid::now_v7();
    let row = fid.to_string();
    let keys = &state.keys;
    let (building, apartment) = address_indexes(keys, &v.address);
    let f = FlagRow {
        id: fid,
        report_id,
        address_index: if v.address.apartment.is_some() { apartment } else { building },
        address_sealed: keys.seal_str(TABLE, "address", &row, p.address.trim()),
        level: level_str(p.level).into(),
        category: category_str(p.category).into(),
        guidance_sv: p.guidance_sv.trim().into(),
        guidance_en: p.guidance_en.trim().into(),
        reason_sealed: keys.seal_str(TABLE, "reason", &row, p.reason.trim()),
        ends_at: v.dates.ends_at,
        review_at: v.dates.review_at,
        state: "proposed".into(),
        proposed_by: who.id,
        approved_by: None,
        informed_at: v.informed_at,
        not_informed_sealed: v.not_informed.as_deref().map(|r| keys.seal_str(TABLE, "not_informed", &row, r)),
        created_at: now,
        version: 1,
    };
    let detail = format!(
        "flag {fid}: proposed, level {}, category {}, ends {}, review {}",
        f.level,
        f.category,
        date_of(f.ends_at - 1),
        date_of(f.review_at)
    );
    state.db.insert_flag(keys, &f, &detail).await?;
    let flag = wire_of(keys, &f, &names(&state).await?, now)?;
    Ok((StatusCode::CREATED, Json(flag)))
}

/// `GET /api/reports/{id}/flags`: the flags raised from this report (an audited read).
#[utoipa::path(get, path = "/api/reports/{id}/flags", tag = "flags", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")),
    responses(
        (status = 200, description = "The report's flags, oldest first (audited as `flag.read`)", body = Vec<Flag>),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn of_report(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<Vec<Flag>>, ApiError> {
    let report_id = report_of(&state, &id).await?;
    let rows = state.db.flags_of_report(report_id).await?;
    audit_read(&state, &who, report_id, "flags of the report").await?;
    let (names, now) = (names(&state).await?, state.clock.now_ms());
    rows.iter().map(|f| wire_of(&state.keys, f, &names, now)).collect::<Result<_, _>>().map(Json)
}

/// `GET /api/flags/{id}`: one flag, its history and who looked it up (an audited read).
#[utoipa::path(get, path = "/api/flags/{id}", tag = "flags", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Flag id")),
    responses(
        (status = 200, description = "The flag (audited as `flag.read`)", body = FlagDetail),
        (status = 404, description = "No such flag (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn detail(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<FlagDetail>, ApiError> {
    let f = flag_of(&state, &id).await?;
    audit_read(&state, &who, f.report_id, &format!("flag {}: read with its look-ups", f.id)).await?;
    let (names, now) = (names(&state).await?, state.clock.now_ms());
    let history = state
        .db
        .flag_history(f.report_id, f.id)
        .await?
        .into_iter()
        .map(|e| FlagEvent { at: rfc3339(e.at), by: e.by, action: e.action, detail: e.reason })
        .collect();
    let mut lookups = Vec::new();
    for l in state.db.lookups_of(&f.address_index).await? {
        let purpose = state
            .keys
            .open_str("flag_lookups", "purpose", &l.id.to_string(), &l.purpose_sealed)
            .map_err(ApiError::internal)?;
        let by = match (l.user_name, l.token_name) {
            (Some(n), _) => n,
            (None, Some(t)) => format!("token: {t}"),
            _ => String::new(),
        };
        lookups.push(FlagLookupSeen { at: rfc3339(l.at), by, purpose, matched: l.matched });
    }
    Ok(Json(FlagDetail { flag: wire_of(&state.keys, &f, &names, now)?, history, lookups }))
}

/// `POST /api/flags/{id}/approve`: a second coordinator makes a proposed flag active.
#[utoipa::path(post, path = "/api/flags/{id}/approve", tag = "flags", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Flag id")), request_body = FlagApproval,
    responses(
        (status = 200, description = "Active (audited as `flag.approve`)", body = Flag),
        (status = 404, description = "No such flag (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Not proposed (`wrong_state`) or changed meanwhile (`version_conflict`, with `current`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn approve(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<FlagApproval>,
) -> Result<Json<Flag>, FlagError> {
    let mut f = flag_of(&state, &id).await?;
    if f.proposed_by == who.id {
        return Err(FlagError::Refused(
            StatusCode::FORBIDDEN,
            codes::OWN_FLAG,
            "A second coordinator must approve the flag you proposed.",
        ));
    }
    let now = state.clock.now_ms();
    let names = names(&state).await?;
    if f.version != body.version {
        return Err(FlagError::Stale(Box::new(wire_of(&state.keys, &f, &names, now)?)));
    }
    if f.state != "proposed" || f.ends_at <= now {
        return Err(FlagError::Refused(
            StatusCode::CONFLICT,
            codes::WRONG_STATE,
            "Only a proposed, unexpired flag can be approved.",
        ));
    }
    f.state = "active".into();
    f.approved_by = Some(who.id);
    f.version += 1;
    let detail = format!("flag {}: approved, proposed → active", f.id);
    save(&state, &who, f, "flag.approve", &detail, &names, now).await
}

/// Writes a changed flag over the version it came from (409 `version_conflict` when another came first).
async fn save(
    state: &AppState,
    who: &Coordinator,
    f: FlagRow,
    action: &str,
    detail: &str,
    names: &HashMap<Uuid, String>,
    now: i64,
) -> Result<Json<Flag>, FlagError> {
    if !state.db.update_flag(&state.keys, who.id, &f, action, detail).await? {
        let current = state.db.flag(f.id).await?.ok_or(ApiError::NotFound)?;
        return Err(FlagError::Stale(Box::new(wire_of(&state.keys, &current, names, now)?)));
    }
    Ok(Json(wire_of(&state.keys, &f, names, now)?))
}

/// `POST /api/flags/{id}/review`: extends, changes or lifts a flag, with a reason.
#[utoipa::path(post, path = "/api/flags/{id}/review", tag = "flags", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Flag id")), request_body = FlagReview,
    responses(
        (status = 200, description = "Reviewed (audited as `flag.extend`, `flag.change` or `flag.lift`, before → after)", body = Flag),
        (status = 404, description = "No such flag (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Lifted already (`wrong_state`) or changed meanwhile (`version_conflict`, with `current`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn review(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<FlagReview>,
) -> Result<Json<Flag>, FlagError> {
    let f = flag_of(&state, &id).await?;
    let now = state.clock.now_ms();
    let names = names(&state).await?;
    let next = form::check_review(&state.keys, &f, &r, now)?;
    if f.version != r.version {
        return Err(FlagError::Stale(Box::new(wire_of(&state.keys, &f, &names, now)?)));
    }
    if f.state == "lifted" {
        return Err(FlagError::Refused(StatusCode::CONFLICT, codes::WRONG_STATE, "This flag is lifted already."));
    }
    let action = match r.action {
        ReviewAction::Extend => "flag.extend",
        ReviewAction::Change => "flag.change",
        ReviewAction::Lift => "flag.lift",
    };
    let detail = format!("flag {}: {}; reason: {}", f.id, form::changes(&f, &next), r.reason.trim());
    save(&state, &who, next, action, &detail, &names, now).await
}

//! `/api/roster…`: the on-duty roster for administrators (`GET`/`PUT /api/roster`, one versioned
//! document; every save audited as `roster.update` with what changed, before → after) and who is
//! on duty now for every coordinator (`GET /api/roster/now`, names only).

use crate::auth::{Admin, Coordinator};
use crate::duty::{Exception, Slot};
use crate::error::{
    ApiError, ApiJson, ErrorBody, ErrorEnvelope, FieldErrorDoc, JsonErrors, ServerErrors, SessionErrors,
};
use crate::region_time::{format_hhmm, instant_of, parse_hhmm, parse_local};
use crate::state::AppState;
use crate::store::roster::{SaveError, StoredException, StoredRoster};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trygg_domain::{Email, Field};
use trygg_wire::roster::{
    OnDutyNow, OnDutyPerson, Roster, RosterException, RosterSlot, RosterView, VERSION_CONFLICT, fields,
};
use uuid::Uuid;

/// At most this many slots, and this many exceptions.
pub const MAX_ROWS: usize = 200;

/// A save's refusals: the usual ones, field errors, or a newer roster (409).
pub enum RosterError {
    Api(ApiError),
    /// `(field, code)`, e.g. `("slots[2].end_time", "slots.end_time.invalid")`.
    Fields(Vec<(String, String)>),
    Stale(Box<RosterView>),
}

impl From<ApiError> for RosterError {
    fn from(e: ApiError) -> Self {
        RosterError::Api(e)
    }
}

impl From<sqlx::Error> for RosterError {
    fn from(e: sqlx::Error) -> Self {
        RosterError::Api(e.into())
    }
}

/// The 409 answer: the error envelope with the roster saved meanwhile beside it (documented as
/// the envelope, which every 4xx is; `current` is an extra member).
#[derive(serde::Serialize)]
pub struct RosterConflict {
    pub error: ErrorBody,
    pub current: RosterView,
}

impl IntoResponse for RosterError {
    fn into_response(self) -> Response {
        let body = |code: &str, message: &str, fields: Vec<FieldErrorDoc>| ErrorBody {
            code: code.into(),
            message: message.into(),
            fields,
        };
        match self {
            RosterError::Api(e) => e.into_response(),
            RosterError::Fields(f) => {
                let fields = f.into_iter().map(|(field, code)| FieldErrorDoc { field, code }).collect();
                let error = body("validation", "Some fields are invalid.", fields);
                (StatusCode::UNPROCESSABLE_ENTITY, Json(serde_json::json!({ "error": error }))).into_response()
            }
            RosterError::Stale(current) => {
                let error = body(
                    VERSION_CONFLICT,
                    "Someone saved the roster after you opened it; here is their version.",
                    vec![],
                );
                (StatusCode::CONFLICT, Json(RosterConflict { error, current: *current })).into_response()
            }
        }
    }
}

/// The roster as the wire carries it.
fn wire_of(r: &StoredRoster) -> Roster {
    Roster {
        version: r.version,
        fallback_email: r.fallback_email.clone(),
        slots: r
            .slots
            .iter()
            .map(|s| RosterSlot {
                start_day: s.start_day,
                start_time: format_hhmm(s.start_min),
                end_day: s.end_day,
                end_time: format_hhmm(s.end_min),
                user_id: s.user_id.to_string(),
            })
            .collect(),
        exceptions: r
            .exceptions
            .iter()
            .map(|e| RosterException {
                starts: e.starts_local.clone(),
                ends: e.ends_local.clone(),
                user_id: e.rule.user_id.map(|u| u.to_string()),
            })
            .collect(),
    }
}

async fn view_of(state: &AppState, r: &StoredRoster) -> Result<RosterView, ApiError> {
    let accounts = state
        .db
        .colleagues()
        .await?
        .into_iter()
        .map(|c| OnDutyPerson { user_id: c.id.to_string(), name: c.display_name })
        .collect();
    Ok(RosterView { roster: wire_of(r), accounts })
}

/// Checks a roster as sent; every field error at once.
async fn parse(state: &AppState, r: &Roster) -> Result<StoredRoster, RosterError> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut err = |field: String, code: &str| errors.push((field, code.to_owned()));
    let fallback = r.fallback_email.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let fallback_email = match fallback.map(|s| Email::parse_optional(Field::ReporterEmail, s, 254)) {
        Some(Ok(Some(e))) => Some(e.as_str().to_owned()),
        Some(Err(e)) => {
            err(fields::FALLBACK_EMAIL.into(), &format!("{}.{}", fields::FALLBACK_EMAIL, e.kind.as_str()));
            None
        }
        _ => None,
    };
    if r.slots.len() > MAX_ROWS {
        err(fields::SLOTS.into(), "slots.too_many");
    }
    if r.exceptions.len() > MAX_ROWS {
        err(fields::EXCEPTIONS.into(), "exceptions.too_many");
    }
    let named: Vec<Uuid> = r
        .slots
        .iter()
        .map(|s| s.user_id.as_str())
        .chain(r.exceptions.iter().filter_map(|e| e.user_id.as_deref()))
        .filter_map(|u| Uuid::parse_str(u).ok())
        .collect();
    let known = state.db.existing_users(&named).await?;
    let account = |raw: &str| Uuid::parse_str(raw).ok().filter(|u| known.contains(u));
    let mut slots = Vec::new();
    for (i, s) in r.slots.iter().enumerate().take(MAX_ROWS) {
        let mut bad = |name: &str| errors.push((format!("slots[{i}].{name}"), format!("slots.{name}.invalid")));
        let day = |d: u8| (1..=7).contains(&d).then_some(d);
        let (sd, st, ed, et, user) =
            (day(s.start_day), parse_hhmm(&s.start_time), day(s.end_day), parse_hhmm(&s.end_time), account(&s.user_id));
        for (ok, name) in [
            (sd.is_some(), "start_day"),
            (st.is_some(), "start_time"),
            (ed.is_some(), "end_day"),
            (et.is_some(), "end_time"),
            (user.is_some(), "user_id"),
        ] {
            if !ok {
                bad(name);
            }
        }
        if let (Some(start_day), Some(start_min), Some(end_day), Some(end_min), Some(user_id)) = (sd, st, ed, et, user)
        {
            slots.push(Slot { start_day, start_min, end_day, end_min, user_id });
        }
    }
    let mut exceptions = Vec::new();
    for (i, e) in r.exceptions.iter().enumerate().take(MAX_ROWS) {
        let mut bad = |name: &str, kind: &str| {
            errors.push((format!("exceptions[{i}].{name}"), format!("exceptions.{name}.{kind}")))
        };
        let (starts, ends) = (parse_local(&e.starts), parse_local(&e.ends));
        let user = match e.user_id.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(None),
            Some(raw) => account(raw).map(Some).ok_or(()),
        };
        if starts.is_none() {
            bad("starts", "invalid");
        }
        if ends.is_none() {
            bad("ends", "invalid");
        }
        if user.is_err() {
            bad("user_id", "invalid");
        }
        if let (Some(s), Some(en), Ok(user_id)) = (starts, ends, user) {
            let (starts_at, ends_at) = (instant_of(s), instant_of(en));
            if ends_at <= starts_at {
                bad("ends", "before_start");
                continue;
            }
            exceptions.push(StoredException {
                starts_local: crate::region_time::format_local(s),
                ends_local: crate::region_time::format_local(en),
                rule: Exception { starts_at, ends_at, user_id },
            });
        }
    }
    if !errors.is_empty() {
        return Err(RosterError::Fields(errors));
    }
    Ok(StoredRoster { version: r.version, fallback_email, slots, exceptions })
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// What a save changed, for the access log: each changed part, before → after (accounts by id;
/// the fallback address is not a secret).
pub fn describe(before: &StoredRoster, after: &StoredRoster) -> String {
    let day = |d: u8| DAYS[usize::from(d.clamp(1, 7) - 1)];
    let slots = |r: &StoredRoster| {
        let list: Vec<String> = r
            .slots
            .iter()
            .map(|s| {
                format!(
                    "{} {}–{} {} {}",
                    day(s.start_day),
                    format_hhmm(s.start_min),
                    day(s.end_day),
                    format_hhmm(s.end_min),
                    s.user_id
                )
            })
            .collect();
        format!("[{}]", list.join(", "))
    };
    let exceptions = |r: &StoredRoster| {
        let list: Vec<String> = r
            .exceptions
            .iter()
            .map(|e| {
                let who = e.rule.user_id.map_or("nobody".to_owned(), |u| u.to_string());
                format!("{}–{} {who}", e.starts_local, e.ends_local)
            })
            .collect();
        format!("[{}]", list.join(", "))
    };
    let fallback = |r: &StoredRoster| r.fallback_email.clone().unwrap_or_else(|| "none".into());
    let mut parts = vec![format!("version: {} → {}", before.version, after.version)];
    for (name, f) in [
        ("fallback_email", &fallback as &dyn Fn(&StoredRoster) -> String),
        ("slots", &slots),
        ("exceptions", &exceptions),
    ] {
        let (b, a) = (f(before), f(after));
        if b != a {
            parts.push(format!("{name}: {b} → {a}"));
        }
    }
    parts.join("; ")
}

/// `GET /api/roster`: the whole roster with the accounts it may name (administrators).
#[utoipa::path(get, path = "/api/roster", tag = "roster", security(("session" = [])),
    responses(
        (status = 200, description = "The roster and every account", body = RosterView),
        SessionErrors, ServerErrors,
    ))]
pub async fn get_roster(State(state): State<AppState>, _admin: Admin) -> Result<Json<RosterView>, ApiError> {
    let r = state.db.roster().await?;
    Ok(Json(view_of(&state, &r).await?))
}

/// `PUT /api/roster`: replaces the roster, if it is still at the version the edit started from
/// (else 409 `version_conflict` with the newer one). Field errors name the row and field, e.g.
/// `slots[2].end_time` / `slots.end_time.invalid`, `fallback_email` / `fallback_email.invalid`.
#[utoipa::path(put, path = "/api/roster", tag = "roster", security(("session" = [])), request_body = Roster,
    responses(
        (status = 200, description = "Saved; the roster at its new version", body = RosterView),
        (status = 409, description = "Saved by someone else meanwhile (`version_conflict`); beside `error`, `current` holds their roster (a RosterView)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn put_roster(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(body): ApiJson<Roster>,
) -> Result<Json<RosterView>, RosterError> {
    let next = parse(&state, &body).await?;
    let now = state.clock.now_ms();
    match state.db.save_roster(&state.keys, admin.id, &next, now, describe).await {
        Ok(saved) => {
            tracing::info!(user_id = %admin.id, version = saved.version, "roster saved");
            Ok(Json(view_of(&state, &saved).await?))
        }
        Err(SaveError::Stale(current)) => Err(RosterError::Stale(Box::new(view_of(&state, &current).await?))),
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

/// `GET /api/roster/now`: who is on duty now, by name (every coordinator; no contact details).
#[utoipa::path(get, path = "/api/roster/now", tag = "roster", security(("session" = [])),
    responses(
        (status = 200, description = "The people on duty now, or that the fallback address gets the notices", body = OnDutyNow),
        SessionErrors, ServerErrors,
    ))]
pub async fn on_duty_now(State(state): State<AppState>, _who: Coordinator) -> Result<Json<OnDutyNow>, ApiError> {
    let now = state.clock.now_ms();
    let r = state.db.roster().await?;
    let exceptions: Vec<Exception> = r.exceptions.iter().map(|e| e.rule).collect();
    let ids = crate::duty::on_duty(now, &r.slots, &exceptions);
    let names = state.db.colleagues().await?;
    let people: Vec<OnDutyPerson> = ids
        .iter()
        .filter_map(|id| names.iter().find(|c| c.id == *id))
        .map(|c| OnDutyPerson { user_id: c.id.to_string(), name: c.display_name.clone() })
        .collect();
    let fallback = people.is_empty() && r.fallback_email.is_some();
    Ok(Json(OnDutyNow { people, fallback }))
}

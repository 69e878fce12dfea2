//! `/api/notices…`: coordinators (and administrators) publish notices to reporters — a title and
//! a text in Swedish and English, an audience (a reporter role or `all`), a start and an end date
//! (the region's calendar, both inclusive). Every change names the version it started from
//! (`409 version_conflict` with the newer state), is checked field by field (`422`:
//! `title_sv.required`, `ends_on.before_start`, …) and is an access-log entry; every change also
//! moves the content's version, so reporters' devices fetch it with `GET /api/content`.

use super::flags::{date_of, parse_date};
use crate::auth::SignedIn;
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::content_admin::Outcome;
use crate::store::notices::{NoticeInput, NoticeRow};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use trygg_wire::notices::{
    AUDIENCE_ALL, BODY_MAX, Notice, NoticeBody, NoticeConflict, NoticeVersion, TITLE_MAX, fields,
};
use trygg_wire::roles;

/// A notice that does not exist.
#[derive(utoipa::IntoResponses)]
pub enum NoticeNotFound {
    #[response(status = 404, description = "No such notice (`not_found`)")]
    NotFound(ErrorEnvelope),
}

/// Publishing is for coordinators and administrators; anyone else signed in gets 403.
fn may_publish(user: &SignedIn) -> Result<uuid::Uuid, ApiError> {
    let u = &user.0;
    if u.has(roles::COORDINATOR) || u.has(roles::ADMIN) { Ok(u.id) } else { Err(ApiError::Forbidden) }
}

/// `upcoming`, `current` or `ended` on `today`.
fn state_on(n: &NoticeRow, today: &str) -> &'static str {
    if n.starts_on.as_str() > today {
        "upcoming"
    } else if n.ends_on.as_str() < today {
        "ended"
    } else {
        "current"
    }
}

pub(crate) fn wire(n: NoticeRow, today: &str) -> Notice {
    let state = state_on(&n, today).to_owned();
    Notice {
        id: n.id,
        title_sv: n.title_sv,
        title_en: n.title_en,
        body_sv: n.body_sv,
        body_en: n.body_en,
        audience: n.audience,
        starts_on: n.starts_on,
        ends_on: n.ends_on,
        version: n.version,
        state,
    }
}

type Errors = Vec<(&'static str, &'static str)>;

fn text(errors: &mut Errors, field: &'static str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.push((field, "required"));
    } else if v.chars().count() > max {
        errors.push((field, "too_long"));
    } else if v.chars().any(|c| c.is_control() && c != '\n') {
        errors.push((field, "invalid_characters"));
    }
    v.to_owned()
}

/// Checks a notice, every field at once: both languages, a known audience, real dates, the end
/// not before the start nor before today.
pub(crate) fn check(b: &NoticeBody, known_roles: &[String], today: &str) -> Result<NoticeInput, Errors> {
    let mut errors = Errors::new();
    let title_sv = text(&mut errors, fields::TITLE_SV, &b.title_sv, TITLE_MAX);
    let title_en = text(&mut errors, fields::TITLE_EN, &b.title_en, TITLE_MAX);
    let body_sv = text(&mut errors, fields::BODY_SV, &b.body_sv, BODY_MAX);
    let body_en = text(&mut errors, fields::BODY_EN, &b.body_en, BODY_MAX);
    let audience = b.audience.trim().to_owned();
    if audience.is_empty() {
        errors.push((fields::AUDIENCE, "required"));
    } else if audience != AUDIENCE_ALL && !known_roles.contains(&audience) {
        errors.push((fields::AUDIENCE, "invalid"));
    }
    let mut date = |field: &'static str, raw: &str| {
        if raw.trim().is_empty() {
            errors.push((field, "required"));
            None
        } else {
            let d = parse_date(raw);
            if d.is_none() {
                errors.push((field, "invalid"));
            }
            d
        }
    };
    let starts = date(fields::STARTS_ON, &b.starts_on);
    let ends = date(fields::ENDS_ON, &b.ends_on);
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        errors.push((fields::ENDS_ON, "before_start"));
    } else if ends.is_some_and(|e| e.to_string().as_str() < today) {
        errors.push((fields::ENDS_ON, "past"));
    }
    match (starts, ends) {
        (Some(s), Some(e)) if errors.is_empty() => Ok(NoticeInput {
            title_sv,
            title_en,
            body_sv,
            body_en,
            audience,
            starts_on: s.to_string(),
            ends_on: e.to_string(),
        }),
        _ => Err(errors),
    }
}

fn invalid(errors: Errors) -> Response {
    let fields: Vec<_> = errors.iter().map(|(f, k)| json!({"field": f, "code": format!("{f}.{k}")})).collect();
    let body = json!({"error": {"code": "validation", "message": "Some fields are invalid.", "fields": fields}});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn answer(outcome: Outcome<NoticeRow>, today: &str, created: bool) -> Result<Response, ApiError> {
    match outcome {
        Outcome::Done(n) if created => Ok((StatusCode::CREATED, Json(wire(n, today))).into_response()),
        Outcome::Done(n) => Ok(Json(wire(n, today)).into_response()),
        Outcome::Stale(current) => {
            let error = super::admin_content::conflict_error();
            let body = NoticeConflict { error, current: current.map(|n| wire(n, today)) };
            Ok((StatusCode::CONFLICT, Json(body)).into_response())
        }
        Outcome::Missing => Err(ApiError::NotFound),
    }
}

async fn known_roles(state: &AppState) -> Result<Vec<String>, ApiError> {
    Ok(state.db.reporter_roles().await?.into_iter().map(|r| r.role).collect())
}

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or(ApiError::NotFound)
}

/// `GET /api/notices`: every notice, latest start first, with its state today.
#[utoipa::path(get, path = "/api/notices", tag = "notices", security(("session" = [])),
    responses(
        (status = 200, description = "Every notice, latest start first", body = Vec<Notice>),
        SessionErrors, ServerErrors,
    ))]
pub async fn list(State(state): State<AppState>, user: SignedIn) -> Result<Json<Vec<Notice>>, ApiError> {
    may_publish(&user)?;
    let today = date_of(state.clock.now_ms());
    Ok(Json(state.db.notices().await?.into_iter().map(|n| wire(n, &today)).collect()))
}

/// `POST /api/notices`: publishes a notice.
#[utoipa::path(post, path = "/api/notices", tag = "notices", security(("session" = [])), request_body = NoticeBody,
    responses(
        (status = 201, description = "Published", body = Notice, links(
            ("update" = (operation_ref = "#/paths/~1api~1notices~1{id}/put", parameters(("id" = "$response.body#/id")), description = "Change it: `PUT /api/notices/{id}`")),
            ("end" = (operation_ref = "#/paths/~1api~1notices~1{id}~1end/post", parameters(("id" = "$response.body#/id")), description = "End it: `POST /api/notices/{id}/end`")),
        )),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    ApiJson(body): ApiJson<NoticeBody>,
) -> Result<Response, ApiError> {
    let me = may_publish(&user)?;
    let now = state.clock.now_ms();
    let today = date_of(now);
    let input = match check(&body, &known_roles(&state).await?, &today) {
        Ok(i) => i,
        Err(e) => return Ok(invalid(e)),
    };
    answer(state.db.create_notice(&state.keys, me, &input, now).await?, &today, true)
}

/// `PUT /api/notices/{id}`: changes a notice if it is still at `version`.
#[utoipa::path(put, path = "/api/notices/{id}", tag = "notices", security(("session" = [])), request_body = NoticeBody,
    params(("id" = i64, Path, description = "The notice's id")),
    responses(
        (status = 200, description = "Changed", body = Notice),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is its state now", body = NoticeConflict),
        NoticeNotFound, JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NoticeBody>,
) -> Result<Response, ApiError> {
    let me = may_publish(&user)?;
    let id = id_of(&id)?;
    let now = state.clock.now_ms();
    let today = date_of(now);
    let input = match check(&body, &known_roles(&state).await?, &today) {
        Ok(i) => i,
        Err(e) => return Ok(invalid(e)),
    };
    answer(state.db.update_notice(&state.keys, me, id, body.version, &input, now).await?, &today, false)
}

/// `POST /api/notices/{id}/end`: ends a notice now (its end date becomes yesterday, so no
/// reporter sees it from today), if it is still at `version`.
#[utoipa::path(post, path = "/api/notices/{id}/end", tag = "notices", security(("session" = [])), request_body = NoticeVersion,
    params(("id" = i64, Path, description = "The notice's id")),
    responses(
        (status = 200, description = "Ended", body = Notice),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is its state now", body = NoticeConflict),
        NoticeNotFound, JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn end(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NoticeVersion>,
) -> Result<Response, ApiError> {
    let me = may_publish(&user)?;
    let id = id_of(&id)?;
    let now = state.clock.now_ms();
    let today = date_of(now);
    let Some(n) = state.db.notices().await?.into_iter().find(|n| n.id == id) else {
        return Err(ApiError::NotFound);
    };
    let yesterday = parse_date(&today).and_then(|d| d.yesterday().ok()).map(|d| d.to_string()).unwrap_or(today.clone());
    let input = NoticeInput {
        starts_on: n.starts_on.clone().min(yesterday.clone()),
        ends_on: yesterday,
        title_sv: n.title_sv,
        title_en: n.title_en,
        body_sv: n.body_sv,
        body_en: n.body_en,
        audience: n.audience,
    };
    answer(state.db.update_notice(&state.keys, me, id, body.version, &input, now).await?, &today, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> NoticeBody {
        NoticeBody {
            title_sv: "Valvaka".into(),
            title_en: "Election night".into(),
            body_sv: "Gå två och två.".into(),
            body_en: "Go in pairs.".into(),
            audience: "elected_official".into(),
            starts_on: "2026-11-27".into(),
            ends_on: "2026-12-03".into(),
            version: 0,
        }
    }

    #[test]
    fn a_notice_is_checked_field_by_field_all_at_once() {
        let roles = vec!["healthcare".to_owned(), "elected_official".to_owned()];
        assert!(check(&body(), &roles, "2026-11-27").is_ok());
        let bad = NoticeBody {
            title_sv: " ".into(),
            body_en: "x".repeat(BODY_MAX + 1),
            audience: "pilot".into(),
            starts_on: "2026-12-04".into(),
            ..body()
        };
        let errors = check(&bad, &roles, "2026-11-27").unwrap_err();
        assert_eq!(
            errors,
            [
                (fields::TITLE_SV, "required"),
                (fields::BODY_EN, "too_long"),
                (fields::AUDIENCE, "invalid"),
                (fields::ENDS_ON, "before_start")
            ]
        );
        let past = NoticeBody { starts_on: "2026-11-01".into(), ends_on: "2026-11-26".into(), ..body() };
        assert_eq!(check(&past, &roles, "2026-11-27").unwrap_err(), [(fields::ENDS_ON, "past")]);
        let junk = NoticeBody { starts_on: "27/11".into(), ..body() };
        assert_eq!(check(&junk, &roles, "2026-11-27").unwrap_err(), [(fields::STARTS_ON, "invalid")]);
        assert!(check(&NoticeBody { audience: "all".into(), ..body() }, &roles, "2026-11-27").is_ok());
    }

    #[test]
    fn a_notice_is_upcoming_current_then_ended_with_both_dates_inclusive() {
        let row = |s: &str, e: &str| NoticeRow {
            id: 1,
            title_sv: String::new(),
            title_en: String::new(),
            body_sv: String::new(),
            body_en: String::new(),
            audience: "all".into(),
            starts_on: s.into(),
            ends_on: e.into(),
            version: 1,
        };
        let n = row("2026-11-27", "2026-11-28");
        assert_eq!(state_on(&n, "2026-11-26"), "upcoming");
        assert_eq!(state_on(&n, "2026-11-27"), "current");
        assert_eq!(state_on(&n, "2026-11-28"), "current");
        assert_eq!(state_on(&n, "2026-11-29"), "ended");
    }
}

//! `/api/checklists`, `/api/contacts` and `/api/content`: what to do and whom to call, in Swedish
//! and English. Both languages are sent at once so the app can cache them offline and switch
//! language freely; `/api/content` sends every checklist and the phone list in one answer with
//! an `ETag` (the content's version and the region's date), so a reporter's device keeps all of
//! them after one visit. It also carries the notices current today (issue 16 item 5): the date
//! is in the `ETag` because a notice starts and ends by the calendar, not by an edit.

use crate::error::{ApiError, ApiQuery, QueryErrors, ServerErrors};
use crate::state::AppState;
use crate::store::content::Contact as Row;
use axum::Json;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use trygg_domain::{Phase, PhoneNumber};
use trygg_wire::notices::PublicNotice;
use trygg_wire::{
    Checklist, ChecklistItem, Contact, ContactGroup, Contacts, ContentBundle, Localized, SituationChecklist,
};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Situation {
    /// A reporter role, e.g. `healthcare` or `elected_official`
    role: String,
    /// `before`, `during` or `after`
    #[param(value_type = trygg_domain::Phase)]
    phase: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForRole {
    /// Only the contacts for this reporter role, e.g. `healthcare`
    role: Option<String>,
}

fn fresh<T: Serialize>(body: T) -> Response {
    // Revalidate every time: content changes when an administrator edits it.
    ([(CACHE_CONTROL, "no-cache")], Json(body)).into_response()
}

fn item(i: crate::store::content::ChecklistItem) -> ChecklistItem {
    ChecklistItem { id: i.id, text: Localized { sv: i.text_sv, en: i.text_en } }
}

/// `GET /api/checklists?role=…&phase=…`
#[utoipa::path(get, path = "/api/checklists", tag = "content", params(Situation),
    responses(
        (status = 200, description = "The checklist for the situation, in order", body = Checklist),
        QueryErrors, ServerErrors,
    ))]
pub async fn checklist(State(state): State<AppState>, ApiQuery(q): ApiQuery<Situation>) -> Result<Response, ApiError> {
    // The roles are rows (an administrator may add one), the phases the app's three.
    if !state.db.reporter_roles().await?.iter().any(|r| r.role == q.role) {
        return Err(ApiError::InvalidQuery);
    }
    let phase: Phase = q.phase.parse().map_err(|_| ApiError::InvalidQuery)?;
    let items = state.db.checklist(&q.role, phase.as_str()).await?;
    Ok(fresh(Checklist { role: q.role, phase: phase.as_str().into(), items: items.into_iter().map(item).collect() }))
}

/// The phone list in groups (emergency first), each number with its `tel:` URI.
fn grouped(rows: Vec<Row>, role: Option<&str>) -> Contacts {
    let mut groups: Vec<ContactGroup> = Vec::new();
    for c in rows {
        let roles = c.role_list();
        if role.is_some_and(|r| !roles.iter().any(|x| x == r)) {
            continue;
        }
        let contact = Contact {
            id: c.id,
            name: Localized { sv: c.name_sv, en: c.name_en },
            tel: c.phone.as_deref().and_then(|p| PhoneNumber::parse(p).ok()).map(|p| p.tel_uri()),
            phone: c.phone,
            note: Localized { sv: c.note_sv, en: c.note_en },
            roles,
        };
        match groups.last_mut() {
            Some(g) if g.group == c.grp => g.contacts.push(contact),
            _ => groups.push(ContactGroup { group: c.grp, contacts: vec![contact] }),
        }
    }
    Contacts { groups }
}

/// `GET /api/contacts`: the phone list, grouped (emergency first); `?role=` keeps that role's.
#[utoipa::path(get, path = "/api/contacts", tag = "content", params(ForRole),
    responses(
        (status = 200, description = "Contacts grouped, emergency first", body = Contacts),
        QueryErrors, ServerErrors,
    ))]
pub async fn contacts(State(state): State<AppState>, ApiQuery(q): ApiQuery<ForRole>) -> Result<Response, ApiError> {
    if let Some(role) = &q.role
        && !state.db.reporter_roles().await?.iter().any(|r| &r.role == role)
    {
        return Err(ApiError::InvalidQuery);
    }
    Ok(fresh(grouped(state.db.contacts().await?, q.role.as_deref())))
}

/// `GET /api/content`: every checklist and the phone list at once. `ETag` is the content's
/// version; with a matching `If-None-Match` the answer is `304` with no body.
#[utoipa::path(get, path = "/api/content", tag = "content",
    params(("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the device keeps")),
    responses(
        (status = 200, description = "All checklists and the phone list", body = ContentBundle,
            headers(("ETag" = String, description = "The content's version and the region's date, e.g. `\"c7-20261127\"`"))),
        (status = 304, description = "The device's copy is current"),
        ServerErrors,
    ))]
pub async fn bundle(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let version = state.db.content_version().await?;
    let today = super::flags::date_of(state.clock.now_ms());
    let etag = format!("\"c{version}-{}\"", today.replace('-', ""));
    let cached = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    if cached {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag), (CACHE_CONTROL, "no-cache".into())]).into_response());
    }
    let mut checklists: Vec<SituationChecklist> = Vec::new();
    let roles = state.db.reporter_roles().await?;
    let mut items = state.db.all_checklists().await?.into_iter().peekable();
    for r in &roles {
        for phase in [Phase::Before, Phase::During, Phase::After] {
            let mut list = Vec::new();
            while let Some(i) = items.next_if(|i| i.role == r.role && i.phase == phase.as_str()) {
                list.push(item(i));
            }
            checklists.push(SituationChecklist { role: r.role.clone(), phase: phase.as_str().into(), items: list });
        }
    }
    let notices = state
        .db
        .current_notices(&today)
        .await?
        .into_iter()
        .map(|n| PublicNotice {
            id: n.id,
            audience: n.audience,
            title: Localized { sv: n.title_sv, en: n.title_en },
            body: Localized { sv: n.body_sv, en: n.body_en },
        })
        .collect();
    let body = ContentBundle { version, checklists, contacts: grouped(state.db.contacts().await?, None), notices };
    Ok(([(ETAG, etag), (CACHE_CONTROL, "no-cache".into())], Json(body)).into_response())
}

//! `/api/admin/contacts*` and `/api/admin/checklists*`: administrators keep the phone list and
//! the checklists. Every change names the version it started from (`409 version_conflict` with
//! the newer state when someone else changed it first), is checked by the domain (`422` with
//! field errors: `phone.invalid`, `name_sv.required`, …) and is an access-log entry.

use crate::auth::Admin;
use crate::error::{ApiError, ApiJson, ErrorEnvelope, JsonErrors, QueryErrors, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::store::content::{ChecklistItem, Contact};
use crate::store::content_admin::Outcome;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use trygg_domain::{ContactDraft, ContactInput, Phase, PhoneNumber, StepInput};
use trygg_wire::Localized;
use trygg_wire::admin_content::{
    AdminChecklist, AdminChecklists, AdminContact, AdminContacts, AdminStep, ConflictError, ContactBody,
    ContactConflict, ContactOrder, ReporterRole, StepBody, StepConflict, StepOrder, VersionQuery,
};

/// A row that does not exist.
#[derive(utoipa::IntoResponses)]
pub enum RowNotFound {
    #[response(status = 404, description = "No such contact or step (`not_found`)")]
    NotFound(ErrorEnvelope),
}

pub(crate) fn conflict_error() -> ConflictError {
    ConflictError {
        code: trygg_wire::codes::VERSION_CONFLICT.into(),
        message: "Someone else changed this first; here is the newer version.".into(),
        fields: vec![],
    }
}

fn conflict<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CONFLICT, Json(body)).into_response()
}

pub(crate) fn contact_wire(c: Contact) -> AdminContact {
    let roles = c.role_list();
    AdminContact {
        id: c.id,
        group: c.grp,
        name: Localized { sv: c.name_sv, en: c.name_en },
        note: Localized { sv: c.note_sv, en: c.note_en },
        tel: c.phone.as_deref().and_then(|p| PhoneNumber::parse(p).ok()).map(|p| p.tel_uri()),
        phone: c.phone,
        roles,
        version: c.version,
    }
}

fn step_wire(i: ChecklistItem) -> AdminStep {
    AdminStep { id: i.id, text: Localized { sv: i.text_sv, en: i.text_en }, version: i.version }
}

async fn roles(state: &AppState) -> Result<Vec<ReporterRole>, ApiError> {
    Ok(state
        .db
        .reporter_roles()
        .await?
        .into_iter()
        .map(|r| ReporterRole { role: r.role, name: Localized { sv: r.name_sv, en: r.name_en } })
        .collect())
}

fn id_of(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).ok_or(ApiError::NotFound)
}

async fn contact_input(state: &AppState, b: &ContactBody) -> Result<ContactInput, ApiError> {
    let known: Vec<String> = state.db.reporter_roles().await?.into_iter().map(|r| r.role).collect();
    let draft = ContactDraft {
        group: b.group.clone(),
        name_sv: b.name_sv.clone(),
        name_en: b.name_en.clone(),
        note_sv: b.note_sv.clone(),
        note_en: b.note_en.clone(),
        phone: b.phone.clone(),
        roles: b.roles.clone(),
    };
    ContactInput::parse(&draft, &known).map_err(ApiError::Validation)
}

/// `GET /api/admin/contacts`: the phone list for editing (administrators).
#[utoipa::path(get, path = "/api/admin/contacts", tag = "admin", security(("session" = [])),
    responses(
        (status = 200, description = "Every contact in order, with versions, and the reporter roles", body = AdminContacts),
        SessionErrors, ServerErrors,
    ))]
pub async fn list_contacts(State(state): State<AppState>, _admin: Admin) -> Result<Json<AdminContacts>, ApiError> {
    let contacts = state.db.contacts().await?.into_iter().map(contact_wire).collect();
    Ok(Json(AdminContacts { contacts, roles: roles(&state).await? }))
}

/// `POST /api/admin/contacts`: adds a contact at the end of its group.
#[utoipa::path(post, path = "/api/admin/contacts", tag = "admin", security(("session" = [])), request_body = ContactBody,
    responses(
        (status = 201, description = "Added", body = AdminContact, links(
            ("update" = (operation_ref = "#/paths/~1api~1admin~1contacts~1{id}/put", parameters(("id" = "$response.body#/id")), description = "Change it: `PUT /api/admin/contacts/{id}`")),
        )),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn create_contact(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(body): ApiJson<ContactBody>,
) -> Result<Response, ApiError> {
    let input = contact_input(&state, &body).await?;
    match state.db.create_contact(&state.keys, admin.0.id, &input, state.clock.now_ms()).await? {
        Outcome::Done(c) => Ok((StatusCode::CREATED, Json(contact_wire(c))).into_response()),
        _ => Err(ApiError::internal("a creation cannot conflict")),
    }
}

/// `PUT /api/admin/contacts/{id}`: changes a contact if it is still at `version`.
#[utoipa::path(put, path = "/api/admin/contacts/{id}", tag = "admin", security(("session" = [])), request_body = ContactBody,
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Changed", body = AdminContact),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is its state now", body = ContactConflict),
        RowNotFound, JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn update_contact(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ContactBody>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let input = contact_input(&state, &body).await?;
    let now = state.clock.now_ms();
    match state.db.update_contact(&state.keys, admin.0.id, id, body.version, &input, now).await? {
        Outcome::Done(c) => Ok(Json(contact_wire(c)).into_response()),
        Outcome::Stale(c) => Ok(conflict(ContactConflict { error: conflict_error(), current: c.map(contact_wire) })),
        Outcome::Missing => Err(ApiError::NotFound),
    }
}

/// `DELETE /api/admin/contacts/{id}?version=…`: removes a contact if it is still at `version`.
#[utoipa::path(delete, path = "/api/admin/contacts/{id}", tag = "admin", security(("session" = [])),
    params(("id" = i64, Path, description = "The contact's id"), VersionQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is its state now", body = ContactConflict),
        RowNotFound, QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn delete_contact(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    crate::error::ApiQuery(q): crate::error::ApiQuery<VersionQuery>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    match state.db.delete_contact(&state.keys, admin.0.id, id, q.version, state.clock.now_ms()).await? {
        Outcome::Done(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Outcome::Stale(c) => Ok(conflict(ContactConflict { error: conflict_error(), current: c.map(contact_wire) })),
        Outcome::Missing => Err(ApiError::NotFound),
    }
}

/// `PUT /api/admin/contacts/order`: puts one group's contacts in a new order.
#[utoipa::path(put, path = "/api/admin/contacts/order", tag = "admin", security(("session" = [])), request_body = ContactOrder,
    responses(
        (status = 200, description = "The phone list in its new order", body = AdminContacts),
        (status = 409, description = "The ids are not exactly the group's ids now (`version_conflict`; `current` null): reload", body = ContactConflict), JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn order_contacts(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(body): ApiJson<ContactOrder>,
) -> Result<Response, ApiError> {
    if !trygg_domain::CONTACT_GROUPS.contains(&body.group.as_str()) {
        let e = trygg_domain::FieldError::new(trygg_domain::Field::Group, trygg_domain::ErrorKind::Invalid);
        return Err(ApiError::Validation(vec![e]));
    }
    let now = state.clock.now_ms();
    match state.db.reorder_contacts(&state.keys, admin.0.id, &body.group, &body.ids, now).await? {
        Outcome::Done(()) => {
            let contacts = state.db.contacts().await?.into_iter().map(contact_wire).collect();
            Ok(Json(AdminContacts { contacts, roles: roles(&state).await? }).into_response())
        }
        _ => Ok(conflict(ContactConflict { error: conflict_error(), current: None })),
    }
}

/// A situation an administrator names: a reporter role that exists, and a phase.
async fn situation(state: &AppState, role: &str, phase: &str) -> Result<(String, &'static str), ApiError> {
    use trygg_domain::{ErrorKind, Field, FieldError};
    let mut errors = Vec::new();
    if !state.db.reporter_roles().await?.iter().any(|r| r.role == role) {
        errors.push(FieldError::new(Field::Role, ErrorKind::Invalid));
    }
    let phase = phase.parse::<Phase>().ok();
    if phase.is_none() {
        errors.push(FieldError::new(Field::Phase, ErrorKind::Invalid));
    }
    match phase {
        Some(p) if errors.is_empty() => Ok((role.to_owned(), p.as_str())),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// `GET /api/admin/checklists`: every situation's steps for editing (administrators).
#[utoipa::path(get, path = "/api/admin/checklists", tag = "admin", security(("session" = [])),
    responses(
        (status = 200, description = "Each role × phase with its steps in order, with versions", body = AdminChecklists),
        SessionErrors, ServerErrors,
    ))]
pub async fn list_checklists(State(state): State<AppState>, _admin: Admin) -> Result<Json<AdminChecklists>, ApiError> {
    let roles = roles(&state).await?;
    let mut items = state.db.all_checklists().await?.into_iter().peekable();
    let mut checklists = Vec::new();
    for r in &roles {
        for phase in [Phase::Before, Phase::During, Phase::After] {
            let mut steps = Vec::new();
            while let Some(i) = items.next_if(|i| i.role == r.role && i.phase == phase.as_str()) {
                steps.push(step_wire(i));
            }
            checklists.push(AdminChecklist { role: r.role.clone(), phase: phase.as_str().into(), steps });
        }
    }
    Ok(Json(AdminChecklists { checklists, roles }))
}

/// `POST /api/admin/checklists/steps`: adds a step at the end of a situation's checklist.
#[utoipa::path(post, path = "/api/admin/checklists/steps", tag = "admin", security(("session" = [])), request_body = StepBody,
    responses(
        (status = 201, description = "Added", body = AdminStep, links(
            ("update" = (operation_ref = "#/paths/~1api~1admin~1checklists~1steps~1{id}/put", parameters(("id" = "$response.body#/id")), description = "Change it: `PUT /api/admin/checklists/steps/{id}`")),
        )),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn create_step(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<Response, ApiError> {
    let place = situation(&state, &body.role, &body.phase).await;
    let text = StepInput::parse(&body.text_sv, &body.text_en);
    let ((role, phase), text) = match (place, text) {
        (Ok(p), Ok(t)) => (p, t),
        (place, text) => {
            let mut errors = match place {
                Err(ApiError::Validation(e)) => e,
                Err(other) => return Err(other),
                Ok(_) => vec![],
            };
            errors.extend(text.err().unwrap_or_default());
            return Err(ApiError::Validation(errors));
        }
    };
    let now = state.clock.now_ms();
    match state.db.create_step(&state.keys, admin.0.id, &role, phase, &text, now).await? {
        Outcome::Done(i) => Ok((StatusCode::CREATED, Json(step_wire(i))).into_response()),
        _ => Err(ApiError::internal("a creation cannot conflict")),
    }
}

/// `PUT /api/admin/checklists/steps/{id}`: changes a step's texts if it is still at `version`
/// (its id stays, so reporters' ticks on other steps — and on this one — are kept).
#[utoipa::path(put, path = "/api/admin/checklists/steps/{id}", tag = "admin", security(("session" = [])), request_body = StepBody,
    params(("id" = i64, Path, description = "The step's id")),
    responses(
        (status = 200, description = "Changed", body = AdminStep),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is its state now", body = StepConflict),
        RowNotFound, JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn update_step(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    let text = StepInput::parse(&body.text_sv, &body.text_en).map_err(ApiError::Validation)?;
    let now = state.clock.now_ms();
    match state.db.update_step(&state.keys, admin.0.id, id, body.version, &text, now).await? {
        Outcome::Done(i) => Ok(Json(step_wire(i)).into_response()),
        Outcome::Stale(i) => Ok(conflict(StepConflict { error: conflict_error(), current: i.map(step_wire) })),
        Outcome::Missing => Err(ApiError::NotFound),
    }
}

/// `DELETE /api/admin/checklists/steps/{id}?version=…`: removes a step if it is still at `version`.
#[utoipa::path(delete, path = "/api/admin/checklists/steps/{id}", tag = "admin", security(("session" = [])),
    params(("id" = i64, Path, description = "The step's id"), VersionQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "Changed by someone else first (`version_conflict`); `current` is its state now", body = StepConflict),
        RowNotFound, QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn delete_step(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    crate::error::ApiQuery(q): crate::error::ApiQuery<VersionQuery>,
) -> Result<Response, ApiError> {
    let id = id_of(&id)?;
    match state.db.delete_step(&state.keys, admin.0.id, id, q.version, state.clock.now_ms()).await? {
        Outcome::Done(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Outcome::Stale(i) => Ok(conflict(StepConflict { error: conflict_error(), current: i.map(step_wire) })),
        Outcome::Missing => Err(ApiError::NotFound),
    }
}

/// `PUT /api/admin/checklists/order`: puts one situation's steps in a new order.
#[utoipa::path(put, path = "/api/admin/checklists/order", tag = "admin", security(("session" = [])), request_body = StepOrder,
    responses(
        (status = 200, description = "The situation's steps in their new order", body = AdminChecklist),
        (status = 409, description = "The ids are not exactly the situation's ids now (`version_conflict`; `current` null): reload", body = StepConflict), JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn order_steps(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(body): ApiJson<StepOrder>,
) -> Result<Response, ApiError> {
    let (role, phase) = situation(&state, &body.role, &body.phase).await?;
    let now = state.clock.now_ms();
    match state.db.reorder_steps(&state.keys, admin.0.id, &role, phase, &body.ids, now).await? {
        Outcome::Done(()) => {
            let steps = state.db.checklist(&role, phase).await?.into_iter().map(step_wire).collect();
            Ok(Json(AdminChecklist { role, phase: phase.into(), steps }).into_response())
        }
        _ => Ok(conflict(StepConflict { error: conflict_error(), current: None })),
    }
}

//! Support tasks (issue 18.3): `GET`/`POST /api/reports/{id}/tasks`, `PATCH /api/tasks/{id}`
//! (change, mark done, open again) and `GET /api/tasks` (open tasks; `?overdue=true`: the overdue
//! list). A task has a kind, a due date, an owner (a coordinator account), an internal note
//! (sealed; coordinators only) and an agreed next step the reporter sees in their follow-up.
//! Reading a report's tasks opens the notes: an audited read (`task.read`); each change is an
//! audit entry (`task.add`, `task.update`, `task.done`, `task.reopen`) with before → after (never
//! the note's text).

use super::{AfterError, report_of};
use crate::auth::Coordinator;
use crate::crypto::Keys;
use crate::error::{ApiError, ApiJson, ApiQuery, ErrorEnvelope, JsonErrors, QueryErrors, ServerErrors, SessionErrors};
use crate::region_time::{instant_at, local};
use crate::routes::flags::parse_date;
use crate::state::AppState;
use crate::store::after::TaskRow;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;
use trygg_wire::after::{NewTask, SupportTask, TaskChange, TaskKind, TaskListItem, fields, limits};
use uuid::Uuid;

const TABLE: &str = "support_tasks";
type Errors = Vec<(&'static str, &'static str)>;

async fn names(state: &AppState) -> Result<HashMap<Uuid, String>, ApiError> {
    Ok(state.db.colleagues().await?.into_iter().map(|c| (c.id, c.display_name)).collect())
}

fn wire_of(keys: &Keys, t: &TaskRow, names: &HashMap<Uuid, String>, now: i64) -> Result<SupportTask, ApiError> {
    let note = match &t.note_sealed {
        Some(s) => keys.open_str(TABLE, "note", &t.id.to_string(), s).map_err(ApiError::internal)?,
        None => String::new(),
    };
    Ok(SupportTask {
        id: t.id.to_string(),
        report_id: t.report_id.to_string(),
        kind: TaskKind::parse(&t.kind).unwrap_or(TaskKind::Other),
        due_on: t.due_on.clone(),
        owner_id: t.owner_id.to_string(),
        owner_name: names.get(&t.owner_id).cloned().unwrap_or_default(),
        note,
        next_step: t.next_step.clone().unwrap_or_default(),
        done_at: t.done_at.map(crate::routes::format::rfc3339),
        overdue: t.done_at.is_none() && t.due_at <= now,
        version: t.version,
    })
}

fn text(errors: &mut Errors, field: &'static str, value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > max {
        errors.push((field, "too_long"));
    } else if v.chars().any(|c| c.is_control() && c != '\n') {
        errors.push((field, "invalid_characters"));
    }
    (!v.is_empty()).then(|| v.to_owned())
}

/// The due date (today or later) and the instant it ends.
fn due(errors: &mut Errors, raw: &str, now: i64) -> Option<(String, i64)> {
    match parse_date(raw) {
        None if raw.trim().is_empty() => errors.push((fields::DUE_ON, "required")),
        None => errors.push((fields::DUE_ON, "invalid")),
        Some(d) if d < local(now).date() => errors.push((fields::DUE_ON, "past")),
        Some(d) => return Some((d.to_string(), instant_at(d.tomorrow().unwrap_or(d), 0))),
    }
    None
}

fn owner(errors: &mut Errors, raw: &str, names: &HashMap<Uuid, String>) -> Option<Uuid> {
    match Uuid::parse_str(raw.trim()) {
        Ok(u) if names.contains_key(&u) => Some(u),
        _ if raw.trim().is_empty() => {
            errors.push((fields::OWNER_ID, "required"));
            None
        }
        _ => {
            errors.push((fields::OWNER_ID, "not_a_coordinator"));
            None
        }
    }
}

/// `GET /api/reports/{id}/tasks`: the report's tasks with their notes (an audited read).
#[utoipa::path(get, path = "/api/reports/{id}/tasks", tag = "after", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")),
    responses(
        (status = 200, description = "Open tasks by due date, then done ones (audited as `task.read`)", body = Vec<SupportTask>),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        SessionErrors, ServerErrors,
    ))]
pub async fn of_report(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
) -> Result<Json<Vec<SupportTask>>, ApiError> {
    let report_id = report_of(&state, &id).await?;
    let rows = state.db.tasks_of_report(report_id).await?;
    let entry = crate::store::audit::Entry {
        user_id: Some(who.id),
        action: "task.read",
        report_id: Some(report_id),
        reason: Some("support tasks of the report"),
    };
    state.db.audit(&state.keys, &entry).await?;
    let (names, now) = (names(&state).await?, state.clock.now_ms());
    rows.iter().map(|t| wire_of(&state.keys, t, &names, now)).collect::<Result<_, _>>().map(Json)
}

/// `POST /api/reports/{id}/tasks`: adds a support task.
#[utoipa::path(post, path = "/api/reports/{id}/tasks", tag = "after", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Report id")), request_body = NewTask,
    responses(
        (status = 201, description = "Added (audited as `task.add`)", body = SupportTask, links(
            ("change" = (operation_ref = "#/paths/~1api~1tasks~1{id}/patch", parameters(("id" = "$response.body#/id")), description = "Change it: `PATCH /api/tasks/{id}`")),
        )),
        (status = 404, description = "No such report (`not_found`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn add(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(n): ApiJson<NewTask>,
) -> Result<(StatusCode, Json<SupportTask>), AfterError> {
    let report_id = report_of(&state, &id).await?;
    let now = state.clock.now_ms();
    let names = names(&state).await?;
    let mut errors = Errors::new();
    let due = due(&mut errors, &n.due_on, now);
    let owner = owner(&mut errors, &n.owner_id, &names);
    let note = text(&mut errors, fields::NOTE, &n.note, limits::NOTE);
    let next_step = text(&mut errors, fields::NEXT_STEP, &n.next_step, limits::NEXT_STEP);
    let (Some((due_on, due_at)), Some(owner_id), true) = (due, owner, errors.is_empty()) else {
        return Err(AfterError::Fields(errors));
    };
    let tid = Uuid::now_v7();
    let t = TaskRow {
        id: tid,
        report_id,
        kind: n.kind.as_str().into(),
        due_on,
        due_at,
        owner_id,
        note_sealed: note.map(|s| state.keys.seal_str(TABLE, "note", &tid.to_string(), &s)),
        next_step,
        done_at: None,
        done_by: None,
        created_by: who.id,
        created_at: now,
        version: 1,
    };
    let detail = format!("task {tid}: added, {}, due {}, owner {owner_id}", t.kind, t.due_on);
    state.db.insert_task(&state.keys, &t, &detail).await?;
    Ok((StatusCode::CREATED, Json(wire_of(&state.keys, &t, &names, now)?)))
}

/// `PATCH /api/tasks/{id}`: changes a task, marks it done or opens it again.
#[utoipa::path(patch, path = "/api/tasks/{id}", tag = "after", security(("session" = [])),
    params(("id" = Uuid, Path, description = "Task id")), request_body = TaskChange,
    responses(
        (status = 200, description = "Saved (audited as `task.update`, `task.done` or `task.reopen`, before → after)", body = SupportTask),
        (status = 404, description = "No such task (`not_found`)", body = ErrorEnvelope),
        (status = 409, description = "Changed meanwhile (`version_conflict`, with `current`)", body = ErrorEnvelope),
        JsonErrors, SessionErrors, ServerErrors,
    ))]
pub async fn change(
    State(state): State<AppState>,
    who: Coordinator,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<TaskChange>,
) -> Result<Json<SupportTask>, AfterError> {
    let tid = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    let t = state.db.task(tid).await?.ok_or(ApiError::NotFound)?;
    let now = state.clock.now_ms();
    let names = names(&state).await?;
    let keys = &state.keys;
    let mut next = t.clone();
    let mut errors = Errors::new();
    let mut what = Vec::new();
    if let Some(raw) = c.due_on.as_deref().filter(|d| d.trim() != t.due_on)
        && let Some((due_on, due_at)) = due(&mut errors, raw, now)
    {
        what.push(format!("due {} → {due_on}", t.due_on));
        (next.due_on, next.due_at) = (due_on, due_at);
    }
    if let Some(raw) = &c.owner_id
        && let Some(o) = owner(&mut errors, raw, &names)
        && o != t.owner_id
    {
        what.push(format!("owner {} → {o}", t.owner_id));
        next.owner_id = o;
    }
    if let Some(raw) = &c.note {
        let note = text(&mut errors, fields::NOTE, raw, limits::NOTE);
        next.note_sealed = note.map(|s| keys.seal_str(TABLE, "note", &tid.to_string(), &s));
        what.push("note changed".into());
    }
    if let Some(raw) = &c.next_step {
        next.next_step = text(&mut errors, fields::NEXT_STEP, raw, limits::NEXT_STEP);
        if next.next_step != t.next_step {
            what.push("next step changed".into());
        }
    }
    if !errors.is_empty() {
        return Err(AfterError::Fields(errors));
    }
    if t.version != c.version {
        return Err(AfterError::Stale(json!(wire_of(keys, &t, &names, now)?)));
    }
    let mut action = "task.update";
    match c.done {
        Some(true) if t.done_at.is_none() => {
            (next.done_at, next.done_by, action) = (Some(now), Some(who.id), "task.done");
            what.push("open → done".into());
        }
        Some(false) if t.done_at.is_some() => {
            (next.done_at, next.done_by, action) = (None, None, "task.reopen");
            what.push("done → open".into());
        }
        _ => {}
    }
    if what.is_empty() {
        return Ok(Json(wire_of(keys, &t, &names, now)?));
    }
    next.version = t.version + 1;
    let detail = format!("task {tid}: {}", what.join("; "));
    if !state.db.update_task(keys, who.id, &next, action, &detail).await? {
        let current = state.db.task(tid).await?.ok_or(ApiError::NotFound)?;
        return Err(AfterError::Stale(json!(wire_of(keys, &current, &names, now)?)));
    }
    Ok(Json(wire_of(keys, &next, &names, now)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `true`: only tasks whose due date has ended.
    overdue: Option<bool>,
}

/// `GET /api/tasks`: open tasks of every report by due date (no note, no next step).
#[utoipa::path(get, path = "/api/tasks", tag = "after", security(("session" = [])), params(ListQuery),
    responses(
        (status = 200, description = "Open tasks, earliest due first (at most 500)", body = Vec<TaskListItem>),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    _who: Coordinator,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<TaskListItem>>, ApiError> {
    let now = state.clock.now_ms();
    let rows = state.db.open_tasks(q.overdue.unwrap_or(false).then_some(now)).await?;
    let names = names(&state).await?;
    Ok(Json(
        rows.into_iter()
            .map(|t| TaskListItem {
                id: t.id.to_string(),
                report_id: t.report_id.to_string(),
                kind: TaskKind::parse(&t.kind).unwrap_or(TaskKind::Other),
                due_on: t.due_on,
                owner_id: t.owner_id.to_string(),
                owner_name: names.get(&t.owner_id).cloned().unwrap_or_default(),
                overdue: t.due_at <= now,
            })
            .collect(),
    ))
}

/// The agreed next steps of a report's tasks, as the reporter sees them (open ones first).
pub async fn agreed_steps(state: &AppState, report_id: Uuid) -> Result<Vec<trygg_wire::after::AgreedStep>, ApiError> {
    Ok(state
        .db
        .tasks_of_report(report_id)
        .await?
        .into_iter()
        .filter_map(|t| {
            Some(trygg_wire::after::AgreedStep {
                kind: TaskKind::parse(&t.kind).unwrap_or(TaskKind::Other),
                due_on: t.due_on,
                text: t.next_step?,
                done: t.done_at.is_some(),
            })
        })
        .collect())
}

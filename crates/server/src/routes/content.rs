//! `/api/checklists` and `/api/contacts`: what to do and whom to call, in Swedish and English.
//! Both languages are sent at once so the app can cache them offline and switch language freely.

use crate::error::{ApiError, ApiQuery, QueryErrors, ServerErrors};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use trygg_domain::{Phase, Role};
use trygg_wire::{Checklist, ChecklistItem, Contact, ContactGroup, Contacts, Localized};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Situation {
    /// `healthcare` or `elected_official`
    role: String,
    /// `before`, `during` or `after`
    phase: String,
}

fn fresh<T: Serialize>(body: T) -> Response {
    // Revalidate every time: content changes when an administrator edits it.
    ([(CACHE_CONTROL, "no-cache")], Json(body)).into_response()
}

/// `GET /api/checklists?role=…&phase=…`
#[utoipa::path(get, path = "/api/checklists", tag = "content", params(Situation),
    responses(
        (status = 200, description = "The checklist for the situation, in order", body = Checklist),
        QueryErrors, ServerErrors,
    ))]
pub async fn checklist(State(state): State<AppState>, ApiQuery(q): ApiQuery<Situation>) -> Result<Response, ApiError> {
    let role: Role = q.role.parse().map_err(|_| ApiError::InvalidQuery)?;
    let phase: Phase = q.phase.parse().map_err(|_| ApiError::InvalidQuery)?;
    let items = state.db.checklist(role.as_str(), phase.as_str()).await?;
    Ok(fresh(Checklist {
        role: role.as_str().into(),
        phase: phase.as_str().into(),
        items: items
            .into_iter()
            .map(|i| ChecklistItem { id: i.id, text: Localized { sv: i.text_sv, en: i.text_en } })
            .collect(),
    }))
}

/// `tel:` URI from a written number: digits, and a leading `+`.
pub fn tel_uri(phone: &str) -> Option<String> {
    let digits: String = phone
        .trim()
        .char_indices()
        .filter(|&(i, c)| c.is_ascii_digit() || (c == '+' && i == 0))
        .map(|(_, c)| c)
        .collect();
    (digits.chars().filter(char::is_ascii_digit).count() >= 3).then(|| format!("tel:{digits}"))
}

/// `GET /api/contacts`: the phone list, grouped (emergency first).
#[utoipa::path(get, path = "/api/contacts", tag = "content",
    responses(
        (status = 200, description = "Contacts grouped, emergency first", body = Contacts),
        ServerErrors,
    ))]
pub async fn contacts(State(state): State<AppState>) -> Result<Response, ApiError> {
    let mut groups: Vec<ContactGroup> = Vec::new();
    for c in state.db.contacts().await? {
        let contact = Contact {
            id: c.id,
            name: Localized { sv: c.name_sv, en: c.name_en },
            tel: c.phone.as_deref().and_then(tel_uri),
            phone: c.phone,
            note: Localized { sv: c.note_sv, en: c.note_en },
            roles: c.roles.split(',').map(str::to_owned).collect(),
        };
        match groups.last_mut() {
            Some(g) if g.group == c.grp => g.contacts.push(contact),
            _ => groups.push(ContactGroup { group: c.grp, contacts: vec![contact] }),
        }
    }
    Ok(fresh(Contacts { groups }))
}

#[cfg(test)]
mod tests {
    use super::tel_uri;

    #[test]
    fn written_numbers_become_tel_uris() {
        assert_eq!(tel_uri("114 14").as_deref(), Some("tel:11414"));
        assert_eq!(tel_uri("+46 (0)10-123 45").as_deref(), Some("tel:+4601012345"));
        assert_eq!(tel_uri("112").as_deref(), Some("tel:112"));
        assert_eq!(tel_uri("--").as_deref(), None);
    }
}

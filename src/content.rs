//! The checklists and the phone list, kept on the device: one `GET /api/content` answer holds
//! every checklist and the whole phone list (with an `ETag`, so an unchanged copy costs a 304),
//! fetched on every online start of a reporter bundle and on each page that shows them, and
//! stored whole. So a situation never opened before works offline after one online visit, and
//! when the network fails (when it matters most) the numbers and steps are still shown.

use serde::de::DeserializeOwned;

use crate::api::{self, ApiError};
use crate::model::{Checklist, Contacts, ContentBundle};
use crate::prefs::Situation;
use crate::storage::{CONTENT_KEY, KeyValueStore, LocalStore};

/// Every checklist and the phone list, or their last copy on this device when the server
/// cannot be reached.
pub async fn bundle() -> Result<ContentBundle, ApiError> {
    remember_or_recall(&LocalStore, CONTENT_KEY, api::content().await)
}

/// The phone list, or its last copy on this device.
pub async fn contacts() -> Result<Contacts, ApiError> {
    bundle().await.map(|b| b.contacts)
}

/// A situation's checklist, or its last copy on this device.
pub async fn checklist(situation: Situation) -> Result<Checklist, ApiError> {
    let all = bundle().await?;
    all.checklist(situation.role.as_str(), situation.phase.as_str())
        .ok_or(ApiError::Other { status: 404, code: "not_found".into() })
}

/// Fetches and keeps the content (a reporter bundle's start does this once, online or not).
pub async fn refresh() {
    let _ = bundle().await;
}

/// Keeps a fresh answer (its JSON text, as it came: the app never encodes it) when it decodes;
/// after a transient failure answers with the kept copy, if there is one.
fn remember_or_recall<T: DeserializeOwned>(
    store: &impl KeyValueStore,
    key: &str,
    fetched: Result<String, ApiError>,
) -> Result<T, ApiError> {
    match fetched {
        Ok(json) => {
            let value = serde_json::from_str(&json)
                .map_err(|_| ApiError::Other { status: 200, code: "bad_response".into() })?;
            store.set(key, &json);
            Ok(value)
        }
        Err(e) if e.is_transient() => store.get(key).and_then(|json| serde_json::from_str(&json).ok()).ok_or(e),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::Memory;

    #[test]
    fn the_last_good_copy_answers_when_the_network_fails() {
        let mem = Memory::default();
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(ApiError::Network)), Err(ApiError::Network));
        assert_eq!(remember_or_recall(&&mem, "k", Ok("[1,2]".into())), Ok(vec![1, 2]));
        // An answer that does not decode is not kept over the good copy.
        assert!(remember_or_recall::<Vec<i64>>(&&mem, "k", Ok("<html>".into())).is_err());
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(ApiError::Network)), Ok(vec![1, 2]));
        // A refusal is not hidden behind an old copy.
        let refused = ApiError::Other { status: 400, code: "invalid_query".into() };
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(refused.clone())), Err(refused));
    }

    #[test]
    fn every_situation_is_kept_from_one_answer() {
        let mem = Memory::default();
        let json = include_str!("../crates/wire/tests/fixtures/content.json");
        let _: ContentBundle = remember_or_recall(&&mem, CONTENT_KEY, Ok(json.into())).unwrap();
        let kept: ContentBundle = remember_or_recall(&&mem, CONTENT_KEY, Err(ApiError::Network)).unwrap();
        for role in ["healthcare", "elected_official"] {
            for phase in ["before", "during", "after"] {
                let list = kept.checklist(role, phase).unwrap_or_else(|| panic!("{role}/{phase}"));
                assert!(!list.items.is_empty(), "{role}/{phase}");
            }
        }
        assert_eq!(kept.contacts.groups[0].contacts[0].tel.as_deref(), Some("tel:112"));
        assert!(kept.checklist("king", "during").is_none());
    }
}

//! The checklists and the phone list, with the last good copy kept on the device: when the
//! network fails (when it matters most), the numbers and steps are still shown.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{self, ApiError};
use crate::model::{Checklist, Contacts};
use crate::prefs::Situation;
use crate::storage::{CHECKLIST_PREFIX, CONTACTS_KEY, KeyValueStore, LocalStore};

/// The phone list, or its last copy on this device when the server cannot be reached.
pub async fn contacts() -> Result<Contacts, ApiError> {
    remember_or_recall(&LocalStore, CONTACTS_KEY, api::contacts().await)
}

/// A situation's checklist, or its last copy on this device when the server cannot be reached.
pub async fn checklist(situation: Situation) -> Result<Checklist, ApiError> {
    let fetched = api::checklist(situation.role.as_str(), situation.phase.as_str()).await;
    let key = format!("{CHECKLIST_PREFIX}{}/{}", situation.role.as_str(), situation.phase.as_str());
    remember_or_recall(&LocalStore, &key, fetched)
}

/// Keeps a fresh answer; after a transient failure answers with the kept copy, if there is one.
fn remember_or_recall<T: Serialize + DeserializeOwned>(
    store: &impl KeyValueStore,
    key: &str,
    fetched: Result<T, ApiError>,
) -> Result<T, ApiError> {
    match fetched {
        Ok(value) => {
            if let Ok(json) = serde_json::to_string(&value) {
                store.set(key, &json);
            }
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
        assert_eq!(remember_or_recall(&&mem, "k", Ok(vec![1, 2])), Ok(vec![1, 2]));
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(ApiError::Network)), Ok(vec![1, 2]));
        // A refusal is not hidden behind an old copy.
        let refused = ApiError::Other { status: 400, code: "invalid_query".into() };
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(refused.clone())), Err(refused));
    }
}

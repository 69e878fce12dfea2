//! The checklists and the phone list, kept on the device: one `GET /api/content` answer holds
//! every checklist and the whole phone list (with an `ETag`, so an unchanged copy costs a 304),
//! fetched on every online start of a reporter bundle and on each page that shows them, and
//! stored whole. So a situation never opened before works offline after one online visit, and
//! when the network fails (when it matters most) the numbers and steps are still shown.

use crate::api::{self, ApiError};
use crate::model::{Checklist, Contacts, ContentBundle};
use crate::prefs::Situation;
use crate::storage::{CONTENT_KEY, KeyValueStore, LocalStore};
use trygg_wire::notices::PublicNotice;

/// Every checklist and the phone list, or their last copy on this device when the server
/// cannot be reached.
pub async fn bundle() -> Result<ContentBundle, ApiError> {
    remember_or_recall(&LocalStore, CONTENT_KEY, api::content().await, |json| serde_json::from_str(json).ok())
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

/// Fetches and keeps the content (the report bundle's start does this once, online or not).
pub async fn refresh() {
    let _ = bundle().await;
}

/// The notices current today, or their last copy on this device (the start page). The start
/// bundle reads only the notices, with [`crate::json::wire::start_content`] (no `serde_json`):
/// the checklists and the phone list must be in the answer (one without them is not kept over
/// the good copy) but are not decoded; their decoders live in the report bundle, which shows them.
pub async fn notices() -> Result<Vec<PublicNotice>, ApiError> {
    remember_or_recall(&LocalStore, CONTENT_KEY, api::content().await, crate::json::wire::start_content)
}

/// [`refresh`] for the start bundle, which decodes only the notices ([`StartContent`]).
pub async fn refresh_notices() {
    let _ = notices().await;
}

/// Keeps a fresh answer (its JSON text, as it came: the app never encodes it) when it decodes;
/// after a transient failure answers with the kept copy, if there is one.
fn remember_or_recall<T>(
    store: &impl KeyValueStore,
    key: &str,
    fetched: Result<String, ApiError>,
    decode: fn(&str) -> Option<T>,
) -> Result<T, ApiError> {
    match fetched {
        Ok(json) => {
            let value = decode(&json).ok_or_else(|| ApiError::Other { status: 200, code: "bad_response".into() })?;
            store.set(key, &json);
            Ok(value)
        }
        Err(e) if e.is_transient() => store.get(key).and_then(|json| decode(&json)).ok_or(e),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::wire::start_content;
    use crate::storage::memory::Memory;

    fn serde<T: serde::de::DeserializeOwned>(json: &str) -> Option<T> {
        serde_json::from_str(json).ok()
    }

    #[test]
    fn the_last_good_copy_answers_when_the_network_fails() {
        let mem = Memory::default();
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(ApiError::Network), serde), Err(ApiError::Network));
        assert_eq!(remember_or_recall(&&mem, "k", Ok("[1,2]".into()), serde), Ok(vec![1, 2]));
        // An answer that does not decode is not kept over the good copy.
        assert!(remember_or_recall::<Vec<i64>>(&&mem, "k", Ok("<html>".into()), serde).is_err());
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(ApiError::Network), serde), Ok(vec![1, 2]));
        // A refusal is not hidden behind an old copy.
        let refused = ApiError::Other { status: 400, code: "invalid_query".into() };
        assert_eq!(remember_or_recall::<Vec<i64>>(&&mem, "k", Err(refused.clone()), serde), Err(refused));
    }

    #[test]
    fn every_situation_is_kept_from_one_answer() {
        let mem = Memory::default();
        let json = include_str!("../crates/wire/tests/fixtures/content.json");
        let _: ContentBundle = remember_or_recall(&&mem, CONTENT_KEY, Ok(json.into()), serde).unwrap();
        let kept: ContentBundle = remember_or_recall(&&mem, CONTENT_KEY, Err(ApiError::Network), serde).unwrap();
        for role in ["healthcare", "elected_official"] {
            for phase in ["before", "during", "after"] {
                let list = kept.checklist(role, phase).unwrap_or_else(|| panic!("{role}/{phase}"));
                assert!(!list.items.is_empty(), "{role}/{phase}");
            }
        }
        assert_eq!(kept.contacts.groups[0].contacts[0].tel.as_deref(), Some("tel:112"));
        assert!(kept.checklist("king", "during").is_none());
    }

    #[test]
    fn the_start_bundle_reads_the_notices_and_keeps_only_a_whole_answer() {
        let mem = Memory::default();
        let json = include_str!("../crates/wire/tests/fixtures/content.json");
        let whole: ContentBundle = serde_json::from_str(json).unwrap();
        let start = remember_or_recall(&&mem, CONTENT_KEY, Ok(json.into()), start_content).unwrap();
        assert_eq!(start, whole.notices);
        // The copy it kept is the answer as it came: the report bundle reads everything from it.
        let kept: ContentBundle = remember_or_recall(&&mem, CONTENT_KEY, Err(ApiError::Network), serde).unwrap();
        assert_eq!(kept, whole);
        // Answers without the checklists or the phone list, or not JSON at all, are not kept
        // over the good copy; notices may be absent (an older server).
        for bad in [
            r#"{"notices":[]}"#,
            r#"{"checklists":[],"notices":[]}"#,
            r#"{"contacts":{"groups":[]},"notices":[]}"#,
            r#"{"checklists":[],"contacts":{"groups":[]},"notices":{}}"#,
            r#"{"checklists":[],"contacts":{"groups":[]},"notices":[{"id":1}]}"#,
            r#"{"checklists":[],"contacts":{"groups":[]},"notices":[]"#,
            "<html>",
            "",
        ] {
            assert!(remember_or_recall(&&mem, CONTENT_KEY, Ok(bad.into()), start_content).is_err(), "{bad}");
        }
        assert_eq!(mem.raw(CONTENT_KEY).as_deref(), Some(json));
        let old_server = remember_or_recall(
            &&mem,
            "other",
            Ok(r#"{"checklists":[],"contacts":{"groups":[]}}"#.into()),
            start_content,
        );
        assert_eq!(old_server, Ok(Vec::new()));
    }
}

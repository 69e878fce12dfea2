//! The report draft and the receipts kept on this device (pure logic behind a tiny storage trait).
//!
//! A draft lives in storage from the first edit until the server acknowledges it, together with
//! the idempotency key that every retry reuses. Nothing here touches the browser, so it is tested
//! on the host; `browser::LocalStore` is the real `localStorage` implementation.

use crate::model::Receipt;
use serde::{Deserialize, Serialize};
use trygg_domain::ReportDraft;
use uuid::Uuid;

/// Where the draft is kept. Versioned so that a later shape can migrate instead of clobbering.
pub const DRAFT_KEY: &str = "trygg.draft.v1";
/// Where a draft that could not be read is moved, so that it is never silently overwritten:
/// a JSON array of the raw texts, oldest first.
pub const UNREADABLE_DRAFT_KEY: &str = "trygg.draft.unreadable";
/// The receipt of the last report sent from this device.
pub const RECEIPT_KEY: &str = "trygg.receipt.v1";
/// The receipts of the last reports sent from this device, newest first ("my reports").
pub const RECEIPTS_KEY: &str = "trygg.receipts.v1";
/// How many receipts "my reports" keeps.
pub const RECEIPTS_KEPT: usize = 10;

/// A string key-value store such as `localStorage`. `set` answers whether the value was stored
/// (storage can be full, or switched off in private browsing).
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
}

/// A draft and the idempotency key it will be sent with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub idempotency_key: Uuid,
    pub draft: ReportDraft,
}

impl SavedDraft {
    /// A blank draft that happened `occurred_at` (the form defaults to now).
    pub fn new(idempotency_key: Uuid, occurred_at: String) -> Self {
        let draft = ReportDraft { occurred_at, ..ReportDraft::default() };
        Self { idempotency_key, draft }
    }

    /// True when nothing but `role` (filled in from the start page's choice) is set: such a
    /// draft may give way to a report that comes back from the server.
    pub fn holds_only_role(&self, role: &str) -> bool {
        let mut rest = self.clone();
        let prefilled = std::mem::take(&mut rest.draft.role);
        rest.is_untouched() && (prefilled.is_empty() || prefilled == role)
    }

    /// True while the person has typed or chosen nothing. The default time does not count, so
    /// an untouched form is not kept (it would otherwise come back days later with an old time).
    pub fn is_untouched(&self) -> bool {
        ReportDraft { occurred_at: String::new(), ..self.draft.clone() } == ReportDraft::default()
    }
}

/// Loads, saves and clears the draft in a [`KeyValueStore`].
pub struct Drafts<S> {
    store: S,
}

impl<S: KeyValueStore> Drafts<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    /// The stored draft, if there is one that can be read. One that cannot be read is moved
    /// aside to [`UNREADABLE_DRAFT_KEY`] rather than lost.
    pub fn load(&self) -> Option<SavedDraft> {
        let raw = self.store.get(DRAFT_KEY)?;
        match serde_json::from_str(&raw) {
            Ok(saved) => Some(saved),
            Err(_) => {
                if self.set_aside(raw) {
                    self.store.remove(DRAFT_KEY);
                }
                None
            }
        }
    }

    /// Adds an unreadable draft to the ones set aside before; answers whether storage took it.
    fn set_aside(&self, raw: String) -> bool {
        let mut pile: Vec<String> = match self.store.get(UNREADABLE_DRAFT_KEY) {
            Some(earlier) => serde_json::from_str(&earlier).unwrap_or_else(|_| vec![earlier]),
            None => Vec::new(),
        };
        pile.push(raw);
        serde_json::to_string(&pile).is_ok_and(|json| self.store.set(UNREADABLE_DRAFT_KEY, &json))
    }

    /// The stored draft, or `fresh()` when there is none.
    pub fn load_or(&self, fresh: impl FnOnce() -> SavedDraft) -> SavedDraft {
        self.load().unwrap_or_else(fresh)
    }

    /// Keeps the draft (an untouched one is removed instead). Answers whether storage accepted it.
    pub fn save(&self, saved: &SavedDraft) -> bool {
        if saved.is_untouched() {
            self.store.remove(DRAFT_KEY);
            return true;
        }
        match serde_json::to_string(saved) {
            Ok(json) => self.store.set(DRAFT_KEY, &json),
            Err(_) => false,
        }
    }

    /// Forgets the draft. Call only after the server acknowledged it.
    pub fn clear(&self) {
        self.store.remove(DRAFT_KEY);
    }
}

/// Remembers the receipt of the last report so that a reload of the receipt page still shows it.
pub struct Receipts<S> {
    store: S,
}

impl<S: KeyValueStore> Receipts<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    pub fn load(&self) -> Option<Receipt> {
        serde_json::from_str(&self.store.get(RECEIPT_KEY)?).ok()
    }

    /// Remembers the receipt as the last one and first in the list of earlier ones.
    pub fn save(&self, receipt: &Receipt) -> bool {
        let mut all = self.all();
        all.retain(|r| r.receipt_code != receipt.receipt_code);
        all.insert(0, receipt.clone());
        all.truncate(RECEIPTS_KEPT);
        let listed = serde_json::to_string(&all).is_ok_and(|json| self.store.set(RECEIPTS_KEY, &json));
        serde_json::to_string(receipt).is_ok_and(|json| self.store.set(RECEIPT_KEY, &json)) && listed
    }

    /// The receipts kept on this device, newest first; the last one alone if the list is missing
    /// (it was kept before the list existed).
    pub fn all(&self) -> Vec<Receipt> {
        match self.store.get(RECEIPTS_KEY).and_then(|json| serde_json::from_str(&json).ok()) {
            Some(all) => all,
            None => self.load().into_iter().collect(),
        }
    }
}

/// An in-memory [`KeyValueStore`] for host tests of the modules built on it.
#[cfg(test)]
pub(crate) mod memory {
    use super::KeyValueStore;
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;

    /// `full` makes every write fail like a full `localStorage`.
    #[derive(Default)]
    pub struct Memory {
        pub map: RefCell<HashMap<String, String>>,
        pub full: Cell<bool>,
    }

    impl Memory {
        pub fn raw(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
    }

    impl KeyValueStore for &Memory {
        fn get(&self, key: &str) -> Option<String> {
            self.map.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) -> bool {
            if !self.full.get() {
                self.map.borrow_mut().insert(key.into(), value.into());
            }
            !self.full.get()
        }
        fn remove(&self, key: &str) {
            self.map.borrow_mut().remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::memory::Memory;
    use super::*;

    fn key() -> Uuid {
        Uuid::from_u128(0x1234)
    }

    fn typed() -> SavedDraft {
        let mut saved = SavedDraft::new(key(), "2026-11-24T13:30:00.000Z".into());
        saved.draft.description = "Han hotade mig i telefon.".into();
        saved.draft.kind = "threat".into();
        saved
    }

    #[test]
    fn a_saved_draft_comes_back_with_the_same_idempotency_key() {
        let mem = Memory::default();
        let drafts = Drafts::new(&mem);
        assert!(drafts.save(&typed()));
        let back = Drafts::new(&mem).load().unwrap();
        assert_eq!(back, typed());
        assert_eq!(back.idempotency_key, key());
    }

    #[test]
    fn an_untouched_draft_is_not_kept() {
        let mem = Memory::default();
        let drafts = Drafts::new(&mem);
        let blank = SavedDraft::new(key(), "2026-11-24T13:30:00.000Z".into());
        assert!(blank.is_untouched());
        assert!(drafts.save(&blank));
        assert_eq!(drafts.load(), None);
    }

    #[test]
    fn clearing_every_field_again_removes_the_stored_draft() {
        let mem = Memory::default();
        let drafts = Drafts::new(&mem);
        drafts.save(&typed());
        let mut emptied = typed();
        emptied.draft.description.clear();
        emptied.draft.kind.clear();
        drafts.save(&emptied);
        assert_eq!(drafts.load(), None);
    }

    #[test]
    fn a_ticked_box_alone_makes_a_draft_worth_keeping() {
        let mut saved = SavedDraft::new(key(), String::new());
        saved.draft.injury = true;
        assert!(!saved.is_untouched());
    }

    #[test]
    fn clear_forgets_the_draft() {
        let mem = Memory::default();
        let drafts = Drafts::new(&mem);
        drafts.save(&typed());
        drafts.clear();
        assert_eq!(drafts.load(), None);
    }

    #[test]
    fn load_or_uses_the_fresh_draft_only_when_nothing_is_stored() {
        let mem = Memory::default();
        let drafts = Drafts::new(&mem);
        let fresh = || SavedDraft::new(Uuid::from_u128(99), String::new());
        assert_eq!(drafts.load_or(fresh).idempotency_key, Uuid::from_u128(99));
        drafts.save(&typed());
        assert_eq!(drafts.load_or(fresh).idempotency_key, key());
    }

    #[test]
    fn an_unreadable_draft_is_moved_aside_not_lost() {
        let mem = Memory::default();
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), "{not json".into());
        assert_eq!(Drafts::new(&mem).load(), None);
        assert_eq!(mem.raw(UNREADABLE_DRAFT_KEY).as_deref(), Some(r#"["{not json"]"#));
        assert!(mem.raw(DRAFT_KEY).is_none());
    }

    #[test]
    fn a_second_unreadable_draft_is_added_beside_the_first() {
        let mem = Memory::default();
        mem.map.borrow_mut().insert(UNREADABLE_DRAFT_KEY.into(), "old garbage".into());
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), "[1,".into());
        assert_eq!(Drafts::new(&mem).load(), None);
        let pile: Vec<String> = serde_json::from_str(&mem.raw(UNREADABLE_DRAFT_KEY).unwrap()).unwrap();
        assert_eq!(pile, ["old garbage", "[1,"]);
    }

    #[test]
    fn an_unreadable_draft_stays_where_it_is_when_storage_refuses_to_set_it_aside() {
        let mem = Memory::default();
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), "{not json".into());
        mem.full.set(true);
        assert_eq!(Drafts::new(&mem).load(), None);
        assert_eq!(mem.raw(DRAFT_KEY).as_deref(), Some("{not json"));
    }

    #[test]
    fn a_draft_missing_newer_fields_still_loads_with_defaults() {
        let mem = Memory::default();
        let json = r#"{"idempotency_key":"00000000-0000-0000-0000-000000001234","draft":{"description":"Hot"}}"#;
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), json.into());
        let back = Drafts::new(&mem).load().unwrap();
        assert_eq!(back.draft.description, "Hot");
        assert!(!back.draft.injury);
    }

    #[test]
    fn a_full_storage_is_reported_as_not_saved() {
        let mem = Memory::default();
        mem.full.set(true);
        assert!(!Drafts::new(&mem).save(&typed()));
    }

    #[test]
    fn the_last_receipt_survives_a_reload() {
        let mem = Memory::default();
        let receipt = Receipt {
            id: "6f1c".into(),
            receipt_code: "ABCD-EFGH-JKMN-PQRS".into(),
            received_at: "2026-11-24T13:30:00Z".into(),
        };
        assert!(Receipts::new(&mem).save(&receipt));
        assert_eq!(Receipts::new(&mem).load(), Some(receipt));
    }

    #[test]
    fn my_reports_keep_the_newest_receipts_first_without_duplicates() {
        let mem = Memory::default();
        let receipt = |n: usize| Receipt {
            id: n.to_string(),
            receipt_code: format!("CODE-{n:04}"),
            received_at: "2026-11-24T13:30:00Z".into(),
        };
        // A receipt kept before the list existed is still shown.
        mem.map.borrow_mut().insert(RECEIPT_KEY.into(), serde_json::to_string(&receipt(0)).unwrap());
        assert_eq!(Receipts::new(&mem).all(), vec![receipt(0)]);
        for n in 1..=RECEIPTS_KEPT + 2 {
            assert!(Receipts::new(&mem).save(&receipt(n)));
        }
        Receipts::new(&mem).save(&receipt(RECEIPTS_KEPT + 2));
        let all = Receipts::new(&mem).all();
        assert_eq!(all.len(), RECEIPTS_KEPT);
        assert_eq!(all[0], receipt(RECEIPTS_KEPT + 2));
        assert_eq!(all[1], receipt(RECEIPTS_KEPT + 1));
    }
}

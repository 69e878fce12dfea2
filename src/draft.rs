//! The report draft and the receipts kept on this device (pure logic behind a tiny storage trait).
//!
//! A draft lives in storage from the first edit until the server acknowledges it, together with
//! the idempotency key that every retry reuses. Nothing here touches the browser, so it is tested
//! on the host; `browser::LocalStore` is the real `localStorage` implementation.

use crate::model::Receipt;
use serde::{Deserialize, Serialize};
use trygg_domain::{ReceiptCode, ReportDraft};
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
/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;
/// A receipt not opened on this device for this long is forgotten (a phone left in a shared
/// locker room should not keep a way into someone's reports for ever).
pub const RECEIPT_MAX_IDLE_MS: u64 = 90 * DAY_MS;
/// A copy of unreadable data set aside is deleted this long after it was first seen.
pub const SET_ASIDE_MAX_AGE_MS: u64 = 30 * DAY_MS;
/// Beside each pile of set-aside data: when a start of the app first saw it (Unix ms).
pub const SET_ASIDE_SINCE_SUFFIX: &str = ".since";

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

    /// Blanks name, phone and e-mail once the draft says "anonymous": typed before that
    /// choice, they must not stay on the device. Answers whether anything was blanked.
    pub fn forget_identity_if_anonymous(&mut self) -> bool {
        let d = &mut self.draft;
        let typed = !(d.reporter_name.is_empty() && d.reporter_phone.is_empty() && d.reporter_email.is_empty());
        if typed && crate::form::is_anonymous(d) {
            d.reporter_name.clear();
            d.reporter_phone.clear();
            d.reporter_email.clear();
            return true;
        }
        false
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

    /// Sets an unreadable draft aside in place of any set aside before (only the newest copy is
    /// kept, and [`tidy`] deletes it after [`SET_ASIDE_MAX_AGE_MS`]); answers whether storage
    /// took it.
    fn set_aside(&self, raw: String) -> bool {
        serde_json::to_string(&[raw]).is_ok_and(|json| set_aside_fresh(&self.store, UNREADABLE_DRAFT_KEY, &json))
    }

    /// The stored draft, or `fresh()` when there is none.
    pub fn load_or(&self, fresh: impl FnOnce() -> SavedDraft) -> SavedDraft {
        self.load().unwrap_or_else(fresh)
    }

    /// Keeps the draft (an untouched one is removed instead). An anonymous draft is kept
    /// without name, phone or e-mail ([`SavedDraft::forget_identity_if_anonymous`]), whatever
    /// was typed before. Answers whether storage accepted it.
    pub fn save(&self, saved: &SavedDraft) -> bool {
        let mut saved = saved.clone();
        saved.forget_identity_if_anonymous();
        if saved.is_untouched() {
            self.store.remove(DRAFT_KEY);
            return true;
        }
        match serde_json::to_string(&saved) {
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

    /// The last receipt, while "my reports" still holds it.
    pub fn load(&self) -> Option<Receipt> {
        let last = self.last()?;
        self.all().iter().any(|r| r.receipt_code == last.receipt_code).then_some(last)
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
            None => self.last().into_iter().collect(),
        }
    }

    fn last(&self) -> Option<Receipt> {
        serde_json::from_str(&self.store.get(RECEIPT_KEY)?).ok()
    }

    /// Writes the list. When receipts were `dropped` from it, the old list is removed first, so
    /// a forgotten code never stays because storage was full; a list that only changed its
    /// stamps stays as it was if storage refuses it (no receipt is lost). The last receipt goes
    /// with its place in the list.
    fn write(&self, all: &[Receipt], dropped: bool) {
        if dropped {
            self.store.remove(RECEIPTS_KEY);
        }
        let listed = serde_json::to_string(all).is_ok_and(|json| self.store.set(RECEIPTS_KEY, &json));
        let last_gone = |raw: String| !all.iter().any(|r| raw.contains(&r.receipt_code));
        if (listed || dropped) && self.store.get(RECEIPT_KEY).is_some_and(last_gone) {
            self.store.remove(RECEIPT_KEY);
        }
    }

    /// Forgets one report on this device: its receipt leaves the list (and the last receipt).
    pub fn forget(&self, code: &str) {
        let mut all = self.all();
        all.retain(|r| r.receipt_code != code);
        self.write(&all, true);
    }

    /// Forgets every report on this device.
    pub fn forget_all(&self) {
        self.store.remove(RECEIPTS_KEY);
        self.store.remove(RECEIPT_KEY);
    }

    /// Notes that the report with `code` (as kept, or typed in any accepted spelling) was
    /// opened now; a code not kept here is not added.
    pub fn opened(&self, code: &str, now_ms: u64) {
        let Some(code) = ReceiptCode::parse(code) else { return };
        let mut all = self.all();
        let mut found = false;
        for r in all.iter_mut().filter(|r| ReceiptCode::parse(&r.receipt_code).as_ref() == Some(&code)) {
            r.last_opened_ms = now_ms;
            found = true;
        }
        if found {
            self.write(&all, false);
        }
    }

    /// Applies [`expire_receipts`] to what is kept.
    pub fn expire(&self, now_ms: u64) {
        let mut all = self.all();
        let before = all.len();
        if expire_receipts(&mut all, now_ms) {
            self.write(&all, all.len() < before);
        }
    }
}

/// Stamps receipts never stamped (`last_opened_ms` 0: just saved, or kept before stamps
/// existed) with `now_ms`, and drops those not opened for [`RECEIPT_MAX_IDLE_MS`] or more.
/// Answers whether anything changed.
pub fn expire_receipts(receipts: &mut Vec<Receipt>, now_ms: u64) -> bool {
    let mut changed = false;
    receipts.retain_mut(|r| {
        if r.last_opened_ms == 0 {
            r.last_opened_ms = now_ms;
            changed = true;
        }
        let keep = now_ms.saturating_sub(r.last_opened_ms) < RECEIPT_MAX_IDLE_MS;
        changed |= !keep;
        keep
    });
    changed
}

/// Where the time a pile of set-aside data was first seen is kept: its key with
/// [`SET_ASIDE_SINCE_SUFFIX`].
const SET_ASIDE: [(&str, &str); 2] = [
    (UNREADABLE_DRAFT_KEY, "trygg.draft.unreadable.since"),
    (crate::outbox::UNREADABLE_OUTBOX_KEY, "trygg.outbox.unreadable.since"),
];

/// Writes a pile of set-aside data at `key` and restarts its clock (the next [`tidy`] stamps it).
pub(crate) fn set_aside_fresh<S: KeyValueStore>(store: &S, key: &str, json: &str) -> bool {
    for (pile, since) in SET_ASIDE {
        if pile == key {
            store.remove(since);
        }
    }
    store.set(key, json)
}

/// Whether set-aside data first seen at `since_ms` is old enough to delete at `now_ms`.
pub fn set_aside_expired(since_ms: u64, now_ms: u64) -> bool {
    now_ms.saturating_sub(since_ms) >= SET_ASIDE_MAX_AGE_MS
}

/// What the app does with the device's storage at each start: forgets receipts not opened for
/// [`RECEIPT_MAX_IDLE_MS`], and deletes copies of unreadable data set aside more than
/// [`SET_ASIDE_MAX_AGE_MS`] ago (stamping the ones it sees for the first time).
pub fn tidy<S: KeyValueStore>(store: S, now_ms: u64) {
    for (pile, since_key) in SET_ASIDE {
        if store.get(pile).is_none() {
            store.remove(since_key);
            continue;
        }
        // As JSON, read and written by the codec the outbox already uses for its times.
        match store.get(since_key).and_then(|s| serde_json::from_str::<u64>(&s).ok()) {
            None => {
                if let Ok(json) = serde_json::to_string(&now_ms) {
                    store.set(since_key, &json);
                }
            }
            Some(since) if set_aside_expired(since, now_ms) => {
                store.remove(pile);
                store.remove(since_key);
            }
            Some(_) => {}
        }
    }
    Receipts::new(store).expire(now_ms);
}

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
    fn a_second_unreadable_draft_replaces_the_first_set_aside() {
        let mem = Memory::default();
        mem.map.borrow_mut().insert(UNREADABLE_DRAFT_KEY.into(), "old garbage".into());
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), "[1,".into());
        assert_eq!(Drafts::new(&mem).load(), None);
        let pile: Vec<String> = serde_json::from_str(&mem.raw(UNREADABLE_DRAFT_KEY).unwrap()).unwrap();
        assert_eq!(pile, ["[1,"], "only the newest copy is kept");
    }

    const NOW: u64 = 1_800_000_000_000;

    fn since(key: &str) -> String {
        format!("{key}{SET_ASIDE_SINCE_SUFFIX}")
    }

    #[test]
    fn a_set_aside_copy_is_deleted_thirty_days_after_a_start_of_the_app_first_saw_it() {
        for key in [UNREADABLE_DRAFT_KEY, crate::outbox::UNREADABLE_OUTBOX_KEY] {
            let mem = Memory::default();
            mem.map.borrow_mut().insert(key.into(), r#"["{\"reporter_name\":\"Anna"]"#.into());
            tidy(&mem, NOW);
            assert_eq!(mem.raw(&since(key)), Some(NOW.to_string()), "{key}: the first start stamps it");
            tidy(&mem, NOW + SET_ASIDE_MAX_AGE_MS - 1);
            assert!(mem.raw(key).is_some(), "{key}: kept for thirty days");
            tidy(&mem, NOW + SET_ASIDE_MAX_AGE_MS);
            assert_eq!((mem.raw(key), mem.raw(&since(key))), (None, None), "{key}: then deleted");
        }
    }

    #[test]
    fn a_fresh_copy_set_aside_restarts_the_clock() {
        let mem = Memory::default();
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), "{not json".into());
        Drafts::new(&mem).load();
        tidy(&mem, NOW);
        mem.map.borrow_mut().insert(DRAFT_KEY.into(), "{again".into());
        Drafts::new(&mem).load();
        assert_eq!(mem.raw(&since(UNREADABLE_DRAFT_KEY)), None);
        tidy(&mem, NOW + SET_ASIDE_MAX_AGE_MS);
        assert_eq!(mem.raw(UNREADABLE_DRAFT_KEY).as_deref(), Some(r#"["{again"]"#));
        assert!(set_aside_expired(NOW, NOW + SET_ASIDE_MAX_AGE_MS) && !set_aside_expired(NOW, NOW + 1));
    }

    #[test]
    fn a_name_typed_before_choosing_anonymous_is_not_kept_in_the_stored_draft() {
        let mem = Memory::default();
        let drafts = Drafts::new(&mem);
        let mut saved = typed();
        saved.draft.identity = "named".into();
        saved.draft.reporter_name = "Anna Berg".into();
        saved.draft.reporter_phone = "070-123 45 67".into();
        saved.draft.reporter_email = "anna@region.se".into();
        assert!(drafts.save(&saved));
        assert!(mem.raw(DRAFT_KEY).unwrap().contains("Anna Berg"), "named: kept");
        saved.draft.identity = "anonymous".into();
        assert!(drafts.save(&saved));
        let stored = mem.raw(DRAFT_KEY).unwrap();
        for typed in ["Anna", "070-123", "anna@region.se"] {
            assert!(!stored.contains(typed), "{typed} in {stored}");
        }
        assert_eq!(drafts.load().unwrap().draft.identity, "anonymous");
    }

    #[test]
    fn choosing_anonymous_blanks_the_contact_fields_of_the_draft_in_hand() {
        let mut saved = typed();
        saved.draft.reporter_name = "Anna Berg".into();
        assert!(!saved.forget_identity_if_anonymous(), "no identity chosen yet: nothing to forget");
        saved.draft.identity = "anonymous".into();
        assert!(saved.forget_identity_if_anonymous());
        assert_eq!(saved.draft.reporter_name, "");
        assert!(!saved.forget_identity_if_anonymous());
    }

    fn kept(n: usize, last_opened_ms: u64) -> Receipt {
        Receipt {
            id: n.to_string(),
            receipt_code: format!("AAAA-BBBB-CCCC-{n:04}"),
            received_at: "2026-11-24T13:30:00Z".into(),
            last_opened_ms,
        }
    }

    fn codes(mem: &Memory) -> Vec<String> {
        Receipts::new(mem).all().into_iter().map(|r| r.receipt_code).collect()
    }

    #[test]
    fn receipts_not_opened_for_ninety_days_expire_and_unstamped_ones_start_their_clock() {
        let mut all = vec![kept(1, 0), kept(2, NOW - RECEIPT_MAX_IDLE_MS + 1), kept(3, NOW - RECEIPT_MAX_IDLE_MS)];
        assert!(expire_receipts(&mut all, NOW));
        assert_eq!(all, [kept(1, NOW), kept(2, NOW - RECEIPT_MAX_IDLE_MS + 1)]);
        assert!(!expire_receipts(&mut all, NOW), "nothing left to change");
        assert!(expire_receipts(&mut all, NOW + RECEIPT_MAX_IDLE_MS));
        assert!(all.is_empty());
    }

    #[test]
    fn a_start_of_the_app_forgets_receipts_idle_for_ninety_days_and_the_last_one_with_them() {
        let mem = Memory::default();
        let receipts = Receipts::new(&mem);
        receipts.save(&kept(1, 0));
        receipts.save(&kept(2, 0));
        tidy(&mem, NOW);
        assert_eq!(receipts.load().unwrap().last_opened_ms, 0, "the last one as saved");
        receipts.opened("aaaa bbbb cccc 0001", NOW + 10 * DAY_MS);
        tidy(&mem, NOW + RECEIPT_MAX_IDLE_MS);
        assert_eq!(codes(&mem), ["AAAA-BBBB-CCCC-0001"], "opened ten days later: still kept");
        assert_eq!(receipts.load(), None, "the last receipt (2) is forgotten with its place in the list");
        tidy(&mem, NOW + 10 * DAY_MS + RECEIPT_MAX_IDLE_MS);
        assert!(codes(&mem).is_empty());
    }

    #[test]
    fn a_full_storage_loses_no_receipt_when_stamping_and_keeps_no_forgotten_one() {
        let mem = Memory::default();
        let receipts = Receipts::new(&mem);
        for n in 1..=2 {
            receipts.save(&kept(n, 0));
        }
        mem.full.set(true);
        tidy(&mem, NOW);
        assert_eq!(codes(&mem), ["AAAA-BBBB-CCCC-0002", "AAAA-BBBB-CCCC-0001"], "unstamped, but kept");
        receipts.forget("AAAA-BBBB-CCCC-0002");
        let left = mem.map.borrow().values().cloned().collect::<Vec<_>>().join(" ");
        assert!(!left.contains("0002"), "the forgotten code is gone even so: {left}");
    }

    #[test]
    fn opening_a_code_not_kept_here_adds_nothing() {
        let mem = Memory::default();
        Receipts::new(&mem).opened("AAAA-BBBB-CCCC-0009", NOW);
        Receipts::new(&mem).opened("not a code", NOW);
        assert!(mem.map.borrow().is_empty());
    }

    #[test]
    fn forgetting_one_report_removes_its_receipt_and_keeps_the_others() {
        let mem = Memory::default();
        let receipts = Receipts::new(&mem);
        for n in 1..=3 {
            receipts.save(&kept(n, 0));
        }
        receipts.forget("AAAA-BBBB-CCCC-0002");
        assert_eq!(codes(&mem), ["AAAA-BBBB-CCCC-0003", "AAAA-BBBB-CCCC-0001"]);
        assert_eq!(receipts.load().unwrap().receipt_code, "AAAA-BBBB-CCCC-0003");
        receipts.forget("AAAA-BBBB-CCCC-0003");
        assert_eq!(receipts.load(), None, "the last receipt goes with it");
        assert!(mem.raw(RECEIPT_KEY).is_none());
        assert_eq!(codes(&mem), ["AAAA-BBBB-CCCC-0001"]);
    }

    #[test]
    fn forgetting_a_receipt_kept_before_the_list_existed_works_too() {
        let mem = Memory::default();
        mem.map.borrow_mut().insert(RECEIPT_KEY.into(), serde_json::to_string(&kept(1, 0)).unwrap());
        Receipts::new(&mem).forget("AAAA-BBBB-CCCC-0001");
        assert!(codes(&mem).is_empty());
        assert!(mem.raw(RECEIPT_KEY).is_none());
    }

    #[test]
    fn forgetting_all_reports_leaves_no_receipt_on_the_device() {
        let mem = Memory::default();
        let receipts = Receipts::new(&mem);
        for n in 1..=3 {
            receipts.save(&kept(n, 0));
        }
        receipts.forget_all();
        assert!(codes(&mem).is_empty());
        assert_eq!(receipts.load(), None);
        assert!(mem.map.borrow().keys().all(|k| !k.starts_with("trygg.receipt")));
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
            last_opened_ms: 0,
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
            last_opened_ms: 0,
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

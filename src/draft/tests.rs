//! Host tests of the draft, the receipts and the start-up tidy.

use super::*;
use crate::storage::memory::Memory;

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
    for key in [UNREADABLE_DRAFT_KEY, crate::storage::UNREADABLE_OUTBOX_KEY] {
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
        seen_answer_at: String::new(),
    }
}

#[test]
fn the_answer_seen_is_kept_with_its_receipt_and_never_adds_one() {
    let mem = Memory::default();
    let store = Receipts::new(&mem);
    store.save(&kept(1, 5));
    store.seen_answer("aaaa bbbb cccc 0001", "2026-11-25T10:00:00Z");
    store.seen_answer("AAAA-BBBB-CCCC-0009", "2026-11-25T10:00:00Z");
    let all = store.all();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].seen_answer_at, "2026-11-25T10:00:00Z");
    assert_eq!(all[0].last_opened_ms, 5);
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
        seen_answer_at: String::new(),
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
        seen_answer_at: String::new(),
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

//! Host tests of the outbox: queueing, back-off, acknowledgement, refusals and damaged storage.

use super::*;
use crate::model::Receipt;
use crate::storage::DRAFT_KEY;
use crate::storage::memory::Memory;
use serde_json::Value;
use trygg_domain::{ErrorKind, Field, FieldError};

const T0: u64 = 1_795_000_000_000;

fn key(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn typed(n: u128) -> SavedDraft {
    let mut saved = SavedDraft::new(key(n), "2026-11-24T13:30:00.000Z".into());
    saved.draft.kind = "threat".into();
    saved.draft.channel = "phone".into();
    saved.draft.description = format!("Rapport nummer {n}.");
    saved.draft.role = "healthcare".into();
    saved.draft.identity = "anonymous".into();
    saved.draft.reporter_name = "Anna".into();
    saved
}

/// The draft as storage keeps it: an anonymous one without the name typed before.
fn as_stored(mut saved: SavedDraft) -> SavedDraft {
    saved.forget_identity_if_anonymous();
    saved
}

fn receipt(code: &str) -> Receipt {
    Receipt {
        id: "1".into(),
        receipt_code: code.into(),
        received_at: "2026-11-24T13:30:01Z".into(),
        last_opened_ms: 0,
        seen_answer_at: String::new(),
    }
}

#[test]
fn the_back_off_doubles_from_two_seconds_to_a_cap_of_thirty() {
    let secs: Vec<u64> = (1..=8).map(|n| backoff_ms(n) / 1000).collect();
    assert_eq!(secs, [2, 4, 8, 16, 30, 30, 30, 30]);
    assert_eq!(backoff_ms(u32::MAX), MAX_BACKOFF_MS);
}

#[test]
fn submitting_queues_the_payload_and_only_then_clears_the_draft() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let outbox = Outbox::new(&mem);
    let saved = typed(1);
    assert!(drafts.save(&saved));
    assert!(outbox.submit(&drafts, &saved, T0));
    assert_eq!(drafts.load(), None, "the form's draft is cleared");
    let entries = outbox.entries();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.idempotency_key, key(1));
    assert_eq!((entry.queued_at_ms, entry.next_attempt_ms, entry.attempts), (T0, T0, 0));
    assert_eq!(entry.payload.draft(), Some(form::payload(&saved.draft)));
    assert_eq!(entry.payload.draft().unwrap().reporter_name, "", "an anonymous report carries no name");
    assert_eq!(outbox.due(T0).map(|e| e.idempotency_key), Some(key(1)));
}

#[test]
fn when_the_outbox_cannot_be_written_the_draft_stays() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let saved = typed(1);
    drafts.save(&saved);
    mem.full.set(true);
    assert!(!Outbox::new(&mem).submit(&drafts, &saved, T0));
    assert_eq!(drafts.load(), Some(as_stored(saved)), "nothing is lost between the two");
}

#[test]
fn the_frozen_payload_does_not_change_when_the_form_draft_changes() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let outbox = Outbox::new(&mem);
    let mut saved = typed(1);
    outbox.submit(&drafts, &saved, T0);
    let frozen = outbox.entries()[0].payload.clone();
    // The person edits (or starts over in) the form, even under the same key.
    saved.draft.description = "Något helt annat.".into();
    drafts.save(&saved);
    assert!(outbox.enqueue(&saved, T0 + 5));
    let entries = outbox.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].payload, frozen);
    assert_eq!(entries[0].payload.description(), "Rapport nummer 1.");
    assert_eq!(entries[0].queued_at_ms, T0);
}

#[test]
fn a_failure_keeps_the_entry_and_backs_off() {
    let mem = Memory::default();
    let outbox = Outbox::new(&mem);
    let receipts = Receipts::new(&mem);
    outbox.enqueue(&typed(1), T0);
    let after = outbox.record(&receipts, key(1), &Outcome::Retry(LastError::Network), T0 + 100).unwrap();
    assert_eq!((after.attempts, after.next_attempt_ms), (1, T0 + 2_100));
    assert_eq!(after.last_error, Some(LastError::Network));
    assert_eq!(outbox.due(T0 + 2_099), None, "not due before its time");
    assert_eq!(outbox.next_due_ms(), Some(T0 + 2_100));
    let after =
        outbox.record(&receipts, key(1), &Outcome::Retry(LastError::Server { status: 503 }), T0 + 2_100).unwrap();
    assert_eq!((after.attempts, after.next_attempt_ms), (2, T0 + 6_100));
    for _ in 0..10 {
        outbox.record(&receipts, key(1), &Outcome::Retry(LastError::Timeout), T0);
    }
    assert_eq!(outbox.get(key(1)).unwrap().next_attempt_ms, T0 + MAX_BACKOFF_MS);
    assert_eq!(
        outbox.get(key(1)).unwrap().payload.draft(),
        Some(form::payload(&typed(1).draft)),
        "retries send the same"
    );
}

#[test]
fn coming_back_online_makes_every_queued_entry_due_at_once() {
    let mem = Memory::default();
    let outbox = Outbox::new(&mem);
    let receipts = Receipts::new(&mem);
    outbox.enqueue(&typed(1), T0);
    outbox.record(&receipts, key(1), &Outcome::Retry(LastError::RateLimited), T0);
    assert_eq!(outbox.due(T0 + 1), None);
    outbox.wake_all(T0 + 1);
    assert_eq!(outbox.due(T0 + 1).map(|e| e.attempts), Some(1), "the count is kept");
}

#[test]
fn an_acknowledged_report_keeps_its_receipt_and_leaves_the_outbox() {
    let mem = Memory::default();
    let outbox = Outbox::new(&mem);
    let receipts = Receipts::new(&mem);
    outbox.enqueue(&typed(1), T0);
    outbox.enqueue(&typed(2), T0 + 1);
    let gone = outbox.record(&receipts, key(1), &Outcome::Accepted(receipt("AAAA-BBBB-CCCC-DDDD")), T0 + 2);
    assert_eq!(gone, None);
    assert_eq!(outbox.entries().iter().map(|e| e.idempotency_key).collect::<Vec<_>>(), [key(2)]);
    assert_eq!(receipts.all()[0].receipt_code, "AAAA-BBBB-CCCC-DDDD");
    outbox.record(&receipts, key(2), &Outcome::Accepted(receipt("EEEE-FFFF-GGGG-HHHH")), T0 + 3);
    assert!(outbox.entries().is_empty());
    assert_eq!(mem.raw(OUTBOX_KEY), None, "an empty outbox leaves nothing behind");
}

#[test]
fn the_oldest_due_entry_is_sent_first() {
    let mem = Memory::default();
    let outbox = Outbox::new(&mem);
    outbox.enqueue(&typed(2), T0 + 10);
    outbox.enqueue(&typed(1), T0);
    assert_eq!(outbox.due(T0 + 10).map(|e| e.idempotency_key), Some(key(1)));
}

fn rejected() -> Outcome {
    Outcome::Rejected {
        errors: vec![FieldError::new(Field::Location, ErrorKind::TooLong)],
        error: LastError::Rejected { status: 422, code: "validation".into() },
    }
}

#[test]
fn a_422_goes_back_to_the_form_with_the_servers_errors() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let outbox = Outbox::new(&mem);
    let receipts = Receipts::new(&mem);
    outbox.submit(&drafts, &typed(1), T0);
    let held = outbox.record(&receipts, key(1), &rejected(), T0 + 1).unwrap();
    assert!(matches!(held.state, EntryState::Returned { .. }));
    assert_eq!(outbox.due(T0 + 60_000), None, "a refused report is not sent again as it stands");

    let back = outbox.take_returned(&drafts, SavedDraft::is_untouched).unwrap();
    assert_eq!(back.errors, [FieldError::new(Field::Location, ErrorKind::TooLong)]);
    assert_eq!(back.error, Some(LastError::Rejected { status: 422, code: "validation".into() }));
    assert_eq!(back.saved.draft, form::payload(&typed(1).draft));
    assert_eq!(drafts.load(), Some(back.saved), "the form's draft holds it now");
    assert!(outbox.entries().is_empty());
}

#[test]
fn a_returned_report_waits_while_the_form_holds_another_one() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let outbox = Outbox::new(&mem);
    let receipts = Receipts::new(&mem);
    outbox.submit(&drafts, &typed(1), T0);
    outbox.record(&receipts, key(1), &rejected(), T0 + 1);
    let other = typed(2);
    drafts.save(&other);
    assert_eq!(outbox.take_returned(&drafts, SavedDraft::is_untouched), None);
    assert_eq!(drafts.load(), Some(as_stored(other)), "the new draft is not overwritten");
    assert_eq!(outbox.entries().len(), 1, "and the returned one is still kept");
    // Once that one is sent, the returned one comes back.
    outbox.submit(&drafts, &typed(2), T0 + 2);
    assert_eq!(outbox.take_returned(&drafts, SavedDraft::is_untouched).map(|r| r.saved.idempotency_key), Some(key(1)));
}

#[test]
fn a_conflict_keeps_the_entry_without_retrying_until_reopened_under_a_new_key() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let outbox = Outbox::new(&mem);
    let receipts = Receipts::new(&mem);
    outbox.submit(&drafts, &typed(1), T0);
    let error = LastError::Conflict { code: "idempotency_conflict".into() };
    let kept = outbox.record(&receipts, key(1), &Outcome::Conflict(error.clone()), T0 + 1).unwrap();
    assert_eq!((kept.state, kept.last_error), (EntryState::Conflict, Some(error)));
    assert_eq!(outbox.due(T0 + 60_000), None);
    assert_eq!(outbox.take_returned(&drafts, SavedDraft::is_untouched), None, "not moved without being asked");
    outbox.reopen(key(1), key(9));
    let back = outbox.take_returned(&drafts, SavedDraft::is_untouched).unwrap();
    assert_eq!((back.saved.idempotency_key, back.errors), (key(9), vec![]));
    assert_eq!(back.saved.draft.description, "Rapport nummer 1.");
}

#[test]
fn a_damaged_entry_is_set_aside_and_the_readable_ones_are_kept() {
    let mem = Memory::default();
    let outbox = Outbox::new(&mem);
    outbox.enqueue(&typed(1), T0);
    let good = mem.raw(OUTBOX_KEY).unwrap();
    let damaged = good.replacen('[', r#"[{"idempotency_key":"not a uuid","payload":{}},"#, 1);
    mem.map.borrow_mut().insert(OUTBOX_KEY.into(), damaged);
    assert_eq!(outbox.entries().iter().map(|e| e.idempotency_key).collect::<Vec<_>>(), [key(1)]);
    let aside: Vec<Value> = serde_json::from_str(&mem.raw(UNREADABLE_OUTBOX_KEY).unwrap()).unwrap();
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0]["idempotency_key"], "not a uuid");
    assert_eq!(mem.raw(OUTBOX_KEY).unwrap(), good, "the readable entry is written back alone");
}

#[test]
fn an_outbox_that_is_not_json_at_all_is_kept_aside_in_place_of_an_older_copy_before_anything_new_is_written() {
    let mem = Memory::default();
    mem.map.borrow_mut().insert(OUTBOX_KEY.into(), "{truncated".into());
    mem.map.borrow_mut().insert(UNREADABLE_OUTBOX_KEY.into(), "earlier garbage".into());
    let outbox = Outbox::new(&mem);
    assert!(outbox.entries().is_empty());
    assert!(outbox.enqueue(&typed(1), T0));
    let aside: Vec<Value> = serde_json::from_str(&mem.raw(UNREADABLE_OUTBOX_KEY).unwrap()).unwrap();
    assert_eq!(aside, [Value::from("{truncated")], "only the newest copy is kept");
    assert_eq!(outbox.entries().len(), 1);
}

#[test]
fn damaged_storage_that_cannot_be_set_aside_is_left_untouched() {
    let mem = Memory::default();
    mem.map.borrow_mut().insert(OUTBOX_KEY.into(), "{truncated".into());
    mem.full.set(true);
    let outbox = Outbox::new(&mem);
    assert!(outbox.entries().is_empty());
    assert!(!outbox.enqueue(&typed(1), T0));
    assert_eq!(mem.raw(OUTBOX_KEY).as_deref(), Some("{truncated"));
}

#[test]
fn the_payload_is_kept_and_sent_as_the_text_first_stored() {
    let mem = Memory::default();
    let payload = r#"{"description":"Hot","kind":"threat","from_a_later_version":[1,{"x":null}]}"#;
    let json = format!(
        r#"[{{"idempotency_key":"00000000-0000-0000-0000-000000000001","payload":{payload},"queued_at_ms":1,"attempts":0,"next_attempt_ms":1}}]"#
    );
    mem.map.borrow_mut().insert(OUTBOX_KEY.into(), json.clone());
    let outbox = Outbox::new(&mem);
    assert_eq!(outbox.entries()[0].payload.json(), payload, "sent byte for byte");
    assert_eq!(outbox.entries()[0].payload.description(), "Hot");
    outbox.record(&Receipts::new(&mem), key(1), &Outcome::Retry(LastError::Network), 5);
    let stored: Value = serde_json::from_str(&mem.raw(OUTBOX_KEY).unwrap()).unwrap();
    assert_eq!(stored[0]["payload"], serde_json::from_str::<Value>(payload).unwrap(), "written back as the same JSON");
    assert_eq!(stored[0]["attempts"], 1);
}

#[test]
fn an_entry_written_by_an_older_version_without_state_still_loads_as_queued() {
    let mem = Memory::default();
    let json = r#"[{"idempotency_key":"00000000-0000-0000-0000-000000000001","payload":{"description":"Hot"},
        "queued_at_ms":1,"attempts":0,"next_attempt_ms":1}]"#;
    mem.map.borrow_mut().insert(OUTBOX_KEY.into(), json.into());
    let entries = Outbox::new(&mem).entries();
    assert_eq!(entries.len(), 1);
    assert!(entries[0].is_queued());
    assert_eq!(entries[0].payload.description(), "Hot");
    assert!(mem.raw(DRAFT_KEY).is_none());
}

#[test]
fn answers_map_to_retry_return_or_conflict() {
    use crate::api::ApiError;
    let other = |status: u16, code: &str| Err(ApiError::Other { status, code: code.into() });
    assert_eq!(Outcome::of(Err(ApiError::Network)), Outcome::Retry(LastError::Network));
    assert_eq!(Outcome::of(other(503, "http_503")), Outcome::Retry(LastError::Server { status: 503 }));
    assert_eq!(Outcome::of(other(500, "internal")), Outcome::Retry(LastError::Server { status: 500 }));
    assert_eq!(Outcome::of(other(408, "timeout")), Outcome::Retry(LastError::Server { status: 408 }));
    assert_eq!(Outcome::of(other(429, "rate_limited")), Outcome::Retry(LastError::RateLimited));
    assert_eq!(
        Outcome::of(other(201, "bad_response")),
        Outcome::Retry(LastError::Server { status: 201 }),
        "stored but unreadable: the retry gets the same receipt"
    );
    assert_eq!(
        Outcome::of(other(409, "idempotency_conflict")),
        Outcome::Conflict(LastError::Conflict { code: "idempotency_conflict".into() })
    );
    let fields = vec![FieldError::new(Field::Description, ErrorKind::Required)];
    assert!(
        matches!(Outcome::of(Err(ApiError::Validation(fields.clone()))), Outcome::Rejected { errors, .. } if errors == fields)
    );
    assert!(matches!(
        Outcome::of(other(413, "payload_too_large")),
        Outcome::Rejected { errors, error: LastError::Rejected { status: 413, .. } } if errors.is_empty()
    ));
    assert_eq!(Outcome::of(Ok(receipt("X"))), Outcome::Accepted(receipt("X")));
}

#[test]
fn a_returned_report_may_replace_a_draft_that_holds_only_what_was_prefilled() {
    let mem = Memory::default();
    let drafts = Drafts::new(&mem);
    let outbox = Outbox::new(&mem);
    outbox.submit(&drafts, &typed(1), T0);
    outbox.record(&Receipts::new(&mem), key(1), &rejected(), T0 + 1);
    let mut prefilled = SavedDraft::new(key(5), String::new());
    prefilled.draft.role = "healthcare".into();
    drafts.save(&prefilled);
    assert_eq!(outbox.take_returned(&drafts, SavedDraft::is_untouched), None);
    let back = outbox.take_returned(&drafts, |d| d.holds_only_situation("healthcare", "before")).unwrap();
    assert_eq!(back.saved.idempotency_key, key(1));
}

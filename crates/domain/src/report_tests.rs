//! Rules of [`NewReport::parse`], one accepted and one rejected case per rule.

use super::*;
use proptest::prelude::*;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

fn valid() -> ReportDraft {
    ReportDraft {
        kind: "threat".into(),
        channel: "in_person".into(),
        occurred_at: "2026-11-24T11:30:00+01:00".into(),
        description: "En patient hotade mig med kniv i ambulansen.".into(),
        role: "healthcare".into(),
        identity: "anonymous".into(),
        ..ReportDraft::default()
    }
}

fn codes(d: &ReportDraft) -> Vec<String> {
    errors(d, NOW).iter().map(FieldError::code).collect()
}

#[test]
fn a_minimal_valid_draft_parses() {
    let r = NewReport::parse(&valid(), NOW).unwrap();
    assert_eq!(r.kind, IncidentKind::Threat);
    assert_eq!(r.channel, Channel::InPerson);
    assert_eq!(r.role, Role::Healthcare);
    assert_eq!(r.identity, Identity::Anonymous);
    assert_eq!(r.occurred_at, datetime!(2026-11-24 10:30 UTC));
}

#[test]
fn an_empty_draft_reports_every_required_field_at_once() {
    assert_eq!(
        codes(&ReportDraft::default()),
        [
            "kind.required",
            "channel.required",
            "occurred_at.required",
            "description.required",
            "role.required",
            "identity.required"
        ]
    );
}

#[test]
fn unknown_enum_values_are_invalid() {
    let d = ReportDraft {
        kind: "murder".into(),
        channel: "pigeon".into(),
        role: "king".into(),
        phase: "later".into(),
        perpetrator: "maybe".into(),
        identity: "secret".into(),
        ..valid()
    };
    assert_eq!(
        codes(&d),
        ["kind.invalid", "channel.invalid", "perpetrator.invalid", "role.invalid", "phase.invalid", "identity.invalid"]
    );
}

#[test]
fn occurred_at_must_be_rfc3339_and_not_in_the_future() {
    assert_eq!(codes(&ReportDraft { occurred_at: "igår".into(), ..valid() }), ["occurred_at.invalid"]);
    assert_eq!(codes(&ReportDraft { occurred_at: "1999-12-31T23:00:00Z".into(), ..valid() }), ["occurred_at.invalid"]);
    assert_eq!(
        codes(&ReportDraft { occurred_at: "2026-11-24T13:00:00Z".into(), ..valid() }),
        ["occurred_at.in_future"]
    );
    // Ten minutes ahead is clock skew, not the future.
    assert!(codes(&ReportDraft { occurred_at: "2026-11-24T12:10:00Z".into(), ..valid() }).is_empty());
}

#[test]
fn each_text_field_has_its_limit() {
    type Set = fn(&mut ReportDraft, String);
    let cases: [(Set, usize, &str); 7] = [
        (|d, s| d.description = s, limits::DESCRIPTION, "description.too_long"),
        (|d, s| d.location = s, limits::LOCATION, "location.too_long"),
        (|d, s| d.perpetrator_description = s, limits::PERPETRATOR_DESCRIPTION, "perpetrator_description.too_long"),
        (|d, s| d.witnesses = s, limits::WITNESSES, "witnesses.too_long"),
        (|d, s| d.unit = s, limits::UNIT, "unit.too_long"),
        (
            |d, s| {
                d.police_reported = true;
                d.police_case_number = s
            },
            limits::POLICE_CASE_NUMBER,
            "police_case_number.too_long",
        ),
        (
            |d, s| {
                d.identity = "named".into();
                d.reporter_name = s
            },
            limits::REPORTER_NAME,
            "reporter_name.too_long",
        ),
    ];
    for (set, max, code) in cases {
        let mut at_limit = valid();
        set(&mut at_limit, "ö".repeat(max).replace('ö', if code.starts_with("police") { "1" } else { "ö" }));
        assert!(codes(&at_limit).is_empty(), "{code} at the limit");
        let mut over = valid();
        set(&mut over, "1".repeat(max + 1));
        assert_eq!(codes(&over), [code]);
    }
}

#[test]
fn text_with_nul_bytes_is_rejected() {
    assert_eq!(codes(&ReportDraft { description: "a\0b".into(), ..valid() }), ["description.invalid_characters"]);
}

#[test]
fn named_and_confidential_reports_need_a_name() {
    for id in ["named", "confidential"] {
        assert_eq!(codes(&ReportDraft { identity: id.into(), ..valid() }), ["reporter_name.required"]);
        let ok = ReportDraft { identity: id.into(), reporter_name: "Anna Berg".into(), ..valid() };
        assert_eq!(NewReport::parse(&ok, NOW).unwrap().identity.name().unwrap().as_str(), "Anna Berg");
    }
}

#[test]
fn confidential_keeps_contact_details_and_says_so() {
    let d = ReportDraft {
        identity: "confidential".into(),
        reporter_name: "Anna".into(),
        reporter_phone: "070-123 45 67".into(),
        reporter_email: "anna@region.se".into(),
        ..valid()
    };
    let id = NewReport::parse(&d, NOW).unwrap().identity;
    assert_eq!(id.choice(), IdentityChoice::Confidential);
    assert_eq!(id.phone().unwrap().as_str(), "070-123 45 67");
    assert_eq!(id.email().unwrap().as_str(), "anna@region.se");
}

#[test]
fn anonymous_reports_store_no_name_phone_or_email_even_if_sent() {
    let d = ReportDraft {
        reporter_name: "Anna".into(),
        reporter_phone: "070-123 45 67".into(),
        reporter_email: "anna@region.se".into(),
        ..valid()
    };
    let id = NewReport::parse(&d, NOW).unwrap().identity;
    assert_eq!(id, Identity::Anonymous);
    assert!(id.name().is_none() && id.phone().is_none() && id.email().is_none());
}

#[test]
fn call_me_needs_a_phone_number_and_cannot_be_anonymous() {
    assert_eq!(codes(&ReportDraft { help_call_me: true, ..valid() }), ["help_call_me.not_when_anonymous"]);
    let named = ReportDraft { identity: "named".into(), reporter_name: "Anna".into(), help_call_me: true, ..valid() };
    assert_eq!(codes(&named), ["reporter_phone.required_for_call_me"]);
    let with_phone = ReportDraft { reporter_phone: "0701234567".into(), ..named };
    assert!(NewReport::parse(&with_phone, NOW).unwrap().help.call_me);
}

#[test]
fn contact_details_are_checked_together_and_all_errors_reported() {
    let d = ReportDraft {
        identity: "named".into(),
        reporter_phone: "abc".into(),
        reporter_email: "nope".into(),
        ..valid()
    };
    assert_eq!(codes(&d), ["reporter_name.required", "reporter_phone.invalid", "reporter_email.invalid"]);
}

#[test]
fn the_case_number_is_kept_only_when_reported_to_the_police() {
    let d = ReportDraft { police_case_number: "5000-K1-26".into(), ..valid() };
    assert_eq!(NewReport::parse(&d, NOW).unwrap().police_case_number, None);
    let reported = ReportDraft { police_reported: true, ..d };
    assert_eq!(NewReport::parse(&reported, NOW).unwrap().police_case_number.unwrap().as_str(), "5000-K1-26");
    let bad = ReportDraft { police_case_number: "x;y".into(), ..valid() };
    assert!(codes(&bad).is_empty(), "not checked without a police report");
    assert_eq!(codes(&ReportDraft { police_reported: true, ..bad }), ["police_case_number.invalid"]);
}

#[test]
fn optional_fields_are_optional() {
    let d = ReportDraft { phase: "during".into(), perpetrator: "known".into(), location: "Akuten".into(), ..valid() };
    let r = NewReport::parse(&d, NOW).unwrap();
    assert_eq!(r.phase, Some(Phase::During));
    assert_eq!(r.perpetrator, Some(Perpetrator::Known));
    assert_eq!(r.location.unwrap().as_str(), "Akuten");
}

#[test]
fn a_partial_json_draft_deserialises_with_defaults() {
    let d: ReportDraft = serde_json::from_str(r#"{"kind":"threat"}"#).unwrap();
    assert_eq!(d.kind, "threat");
    assert_eq!(d.description, "");
}

/// Mostly valid (weight 9), sometimes anything (weight 1): random text alone almost never makes
/// a valid kind, channel and RFC 3339 time at once, so the `Ok` arm below would never run.
fn mostly(valid: impl Strategy<Value = String> + 'static, any: &'static str) -> BoxedStrategy<String> {
    prop_oneof![9 => valid, 1 => any].boxed()
}

fn one_of(values: &[&'static str]) -> impl Strategy<Value = String> + 'static {
    prop::sample::select(values.to_vec()).prop_map(String::from)
}

fn drafts() -> impl Strategy<Value = ReportDraft> {
    (
        (
            mostly(one_of(&["threat", "harassment", "violence", "vandalism", "other"]), "\\PC{0,12}"),
            mostly(one_of(&["in_person", "phone", "email_letter", "social_media", "other"]), "\\PC{0,12}"),
            mostly(
                one_of(&["2026-11-24T11:30:00+01:00", "2026-01-02T08:00:00Z", "2025-06-30T23:59:59.5+02:00"]),
                "\\PC{0,30}",
            ),
            mostly("[a-zåäö ]{0,30}[a-zåäö]".boxed(), "\\PC{0,50}"),
        ),
        (
            mostly("[A-ZÅÄÖ][a-zåäö]{1,9} [A-Z][a-z]{1,9}".boxed(), "\\PC{0,20}"),
            prop_oneof![Just(String::new()), "07[0-9]-[0-9]{3} [0-9]{2} [0-9]{2}", "[0-9 +()-]{0,20}"],
            prop_oneof![Just(String::new()), "[a-z]{1,8}@[a-z]{1,8}\\.se", "\\PC{0,20}"],
            one_of(&["named", "confidential", "anonymous", "anonymous", "", "x"]),
        ),
        (prop::bool::weighted(0.2), any::<bool>(), mostly("[0-9]{4}-K[0-9]{1,6}-2[0-9]".boxed(), "\\PC{0,45}")),
    )
        .prop_map(|((kind, channel, when, desc), (name, phone, email, identity), (call_me, reported, case))| {
            ReportDraft {
                kind,
                channel,
                occurred_at: when,
                description: desc,
                reporter_name: name,
                reporter_phone: phone,
                reporter_email: email,
                identity,
                help_call_me: call_me,
                police_reported: reported,
                police_case_number: case,
                role: "healthcare".into(),
                ..ReportDraft::default()
            }
        })
}

/// Parse never panics; a valid draft keeps what it was given and an anonymous one no contact;
/// an invalid one names each field once. Both arms must run: the test counts them.
#[test]
fn parse_never_panics_and_errors_are_unique_and_both_outcomes_occur() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;
    let (accepted, refused) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(Config { cases: 512, failure_persistence: None, ..Config::default() });
    runner
        .run(&drafts(), |d| {
            match NewReport::parse(&d, NOW) {
                Ok(r) => {
                    accepted.set(accepted.get() + 1);
                    prop_assert_eq!(r.description.as_str(), d.description.trim());
                    prop_assert_eq!(r.identity.choice().as_str(), d.identity.as_str());
                    if d.identity == "anonymous" {
                        prop_assert!(r.identity.name().is_none() && r.identity.phone().is_none());
                        prop_assert!(r.identity.email().is_none() && !d.help_call_me);
                    }
                    prop_assert!(errors(&d, NOW).is_empty());
                }
                Err(errs) => {
                    refused.set(refused.get() + 1);
                    prop_assert!(!errs.is_empty());
                    let mut fields: Vec<_> = errs.iter().map(|e| e.field).collect();
                    fields.sort_by_key(|f| f.as_str());
                    fields.dedup();
                    prop_assert_eq!(fields.len(), errs.len(), "one error per field");
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(accepted.get() >= 20, "valid drafts parsed only {} times in 512", accepted.get());
    assert!(refused.get() >= 20, "invalid drafts refused only {} times in 512", refused.get());
}

#[test]
fn a_bidi_override_in_the_description_is_a_field_error() {
    let d = ReportDraft { description: "Han sa \u{202E}gidnäv\u{202C} till mig".into(), ..valid() };
    assert_eq!(codes(&d), ["description.invalid_characters"]);
}

#[test]
fn every_text_field_names_its_limit() {
    assert_eq!(limits::for_field(Field::Description), Some(limits::DESCRIPTION));
    assert_eq!(limits::for_field(Field::Body), Some(crate::casework::limits::BODY));
    assert_eq!(limits::for_field(Field::Kind), None);
}

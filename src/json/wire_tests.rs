//! Each shape of [`super`] against its serde form (what the server and the report bundle read
//! and write): serde's text reads back here as the same value, and this module's text reads back
//! in serde as the same value (byte for byte where this module writes it).

use super::*;
use trygg_domain::{ErrorKind, Field};
use trygg_wire::ContentBundle;
use trygg_wire::followup::Answers;

fn receipts() -> Vec<Receipt> {
    let base = Receipt {
        id: "0b6c6f2e-36f4-4a7c-9d1e-2f1f0b0a1c3d".into(),
        receipt_code: "K7QM-2XPA-9RTD".into(),
        received_at: "2026-11-24T13:30:00Z".into(),
        last_opened_ms: 0,
        seen_answer_at: String::new(),
    };
    vec![
        base.clone(),
        Receipt { last_opened_ms: 1_700_000_000_000, ..base.clone() },
        Receipt { seen_answer_at: "2026-11-25T08:00:00Z".into(), ..base.clone() },
        Receipt { receipt_code: "å \"ö\"\n\\".into(), last_opened_ms: u64::MAX, seen_answer_at: "x".into(), ..base },
    ]
}

#[test]
fn a_receipt_reads_and_writes_as_serde_does() {
    for r in receipts() {
        let serde_text = serde_json::to_string(&r).unwrap();
        assert_eq!(receipt(&serde_text), Some(r.clone()), "{serde_text}");
        assert_eq!(write_receipt(&r), serde_text, "byte for byte");
        assert_eq!(serde_json::from_str::<Receipt>(&write_receipt(&r)).unwrap(), r);
    }
    let all = receipts();
    let serde_text = serde_json::to_string(&all).unwrap();
    assert_eq!(super::receipts(&serde_text), Some(all.clone()));
    assert_eq!(write_receipts(&all), serde_text);
    assert_eq!(write_receipts(&[]), "[]");
}

#[test]
fn a_receipt_of_the_wrong_shape_is_refused_by_both() {
    for bad in [
        r#"{"id":"1","receipt_code":"c"}"#,
        r#"{"id":1,"receipt_code":"c","received_at":"t"}"#,
        r#"{"id":"1","receipt_code":"c","received_at":"t","last_opened_ms":-1}"#,
        r#"{"id":"1","receipt_code":"c","received_at":"t","last_opened_ms":null}"#,
        r#"{"id":"1","receipt_code":"c","received_at":"t","seen_answer_at":null}"#,
        "<html>",
    ] {
        assert!(serde_json::from_str::<Receipt>(bad).is_err(), "serde takes {bad}");
        assert_eq!(receipt(bad), None, "{bad}");
    }
    // Stricter than serde, which also takes a struct as an array of its fields: no writer does.
    assert_eq!(receipt(r#"["1","c","t"]"#), None);
    // Members a later server adds are ignored by both.
    let later = r#"{"id":"1","receipt_code":"c","received_at":"t","new":{"x":[1]}}"#;
    assert_eq!(receipt(later), serde_json::from_str(later).ok());
}

#[test]
fn field_errors_read_and_write_as_serde_does() {
    let all: Vec<FieldError> =
        Field::ALL.iter().flat_map(|&f| ErrorKind::ALL.iter().map(move |&k| FieldError::new(f, k))).collect();
    let serde_text = serde_json::to_string(&all).unwrap();
    assert_eq!(field_errors(&serde_text), Some(all.clone()));
    assert_eq!(write_field_errors(&all), serde_text);
    for bad in [r#"[{"field":"x","code":"x.new_rule"}]"#, r#"[{"code":"description.required"}]"#, "{}"] {
        assert!(serde_json::from_str::<Vec<FieldError>>(bad).is_err(), "serde takes {bad}");
        assert_eq!(field_errors(bad), None, "{bad}");
    }
}

#[test]
fn the_error_envelope_keeps_the_code_and_the_known_field_errors() {
    let known = FieldError::new(Field::Description, ErrorKind::TooLong);
    let fields = format!(r#"[{},{{"field":"x","code":"x.new_rule"}},7]"#, serde_json::to_string(&known).unwrap());
    let text = format!(r#"{{"error":{{"code":"validation","message":"Fel","fields":{fields}}}}}"#);
    assert_eq!(
        error_envelope(&text),
        Some(ErrorEnvelope { error: ErrorBody { code: "validation".into(), fields: vec![known] } })
    );
    let bare = r#"{"error":{"code":"not_found","message":"m"}}"#;
    assert_eq!(error_envelope(bare).map(|e| (e.error.code, e.error.fields)), Some(("not_found".into(), Vec::new())));
    for bad in
        [r#"{"error":{"message":"m"}}"#, r#"{"error":"x"}"#, r#"{"error":{"code":"c","fields":{}}}"#, "", "<html>"]
    {
        assert_eq!(error_envelope(bad), None, "{bad}");
    }
}

#[test]
fn the_answers_read_as_serde_writes_them() {
    for last in [vec![], vec![None], vec![Some("2026-11-25T08:00:00Z".to_owned()), None, Some("\"q\"".into())]] {
        let text = serde_json::to_string(&Answers { last_answer_at: last.clone() }).unwrap();
        assert_eq!(answers(&text), Some(last), "{text}");
    }
    for bad in [r#"{"last_answer_at":[1]}"#, r#"{"last_answer_at":null}"#, r#"{}"#, "[]"] {
        assert!(serde_json::from_str::<Answers>(bad).is_err(), "serde takes {bad}");
        assert_eq!(answers(bad), None, "{bad}");
    }
}

#[test]
fn the_notices_read_as_the_report_bundle_reads_the_whole_content() {
    let fixture = include_str!("../../crates/wire/tests/fixtures/content.json");
    let mut whole: ContentBundle = serde_json::from_str(fixture).unwrap();
    assert_eq!(start_content(fixture), Some(whole.notices.clone()));
    whole.notices = vec![
        PublicNotice {
            id: 7,
            audience: "all".into(),
            title: Localized { sv: "Stängt \"idag\"".into(), en: "Closed".into() },
            body: Localized { sv: "rad\nrad 😀".into(), en: String::new() },
        },
        PublicNotice { id: -1, audience: "healthcare".into(), title: Localized::default(), body: Localized::default() },
    ];
    let text = serde_json::to_string(&whole).unwrap();
    assert_eq!(start_content(&text), Some(whole.notices));
}

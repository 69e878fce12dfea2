//! Host tests of the text tables: completeness, field errors and labels in both languages.

use super::*;

#[test]
fn too_long_names_the_fields_limit() {
    let e = FieldError::new(Field::Location, ErrorKind::TooLong);
    assert_eq!(sv::SV.field_error(e), "Högst 200 tecken.");
    assert_eq!(en::EN.field_error(e), "At most 200 characters.");
}

#[test]
fn at_the_long_texts_limit_the_message_says_where_the_rest_can_go() {
    let story = FieldError::new(Field::Description, ErrorKind::TooLong);
    assert!(sv::SV.field_error(story).starts_with("Högst 4000 tecken. Skriv det viktigaste här"));
    assert!(en::EN.field_error(story).contains("as messages under Follow up"));
    let message = FieldError::new(Field::Body, ErrorKind::TooLong);
    assert!(sv::SV.field_error(message).contains("flera meddelanden"));
}

#[test]
fn a_wrong_receipt_code_says_it_is_not_found_and_what_to_check() {
    let e = FieldError::new(Field::ReceiptCode, ErrorKind::Invalid);
    assert!(sv::SV.field_error(e).starts_with("Vi hittar ingen rapport med den koden."));
    assert!(en::EN.field_error(e).starts_with("We cannot find a report with that code."));
}

#[test]
fn every_error_code_has_a_message_in_both_languages() {
    for lang in [Lang::Sv, Lang::En] {
        let t = lang.texts();
        for field in Field::ALL {
            assert!(!t.field_label(field).is_empty());
            for kind in ErrorKind::ALL {
                let msg = t.field_error(FieldError::new(field, kind));
                assert!(!msg.is_empty() && !msg.contains('{'), "{field}.{}: {msg}", kind.as_str());
            }
        }
    }
}

#[test]
fn the_required_description_message_is_specific() {
    let e = FieldError::new(Field::Description, ErrorKind::Required);
    assert_eq!(sv::SV.field_error(e), "Fyll i vad som hände.");
}

#[test]
fn a_generic_message_in_the_summary_names_its_field() {
    let t = &sv::SV;
    assert_eq!(
        t.summary_error(FieldError::new(Field::Location, ErrorKind::TooLong)),
        "Var hände det? – Högst 200 tecken."
    );
    assert_eq!(t.summary_error(FieldError::new(Field::Kind, ErrorKind::Required)), "Välj vad som hände.");
}

#[test]
fn each_languages_table_reaches_its_own_start_table() {
    for lang in [Lang::Sv, Lang::En] {
        assert!(std::ptr::eq(lang.texts().start, lang.start_texts()));
        assert_eq!(lang.texts().lang_switch, lang.start_texts().lang_switch);
    }
    assert_eq!(Lang::Sv.texts().app_name, "Trygg");
    assert_eq!(Lang::Sv.texts().lang_switch, "English");
    assert_eq!(Lang::En.texts().lang_switch, "Svenska");
}

/// The start bundle's pages must not link the other pages' texts (bench/size.sh).
#[test]
fn the_start_bundles_pages_read_only_the_start_table() {
    let files = [
        ("start.rs", include_str!("../pages/start.rs")),
        ("now.rs", include_str!("../pages/now.rs")),
        ("not_found.rs", include_str!("../pages/not_found.rs")),
        ("header.rs", include_str!("../components/header.rs")),
        ("app.rs", include_str!("../app.rs")),
    ];
    for (name, source) in files {
        for needle in ["use_texts(", ".texts()", "&Texts", "i18n::Texts"] {
            assert!(!source.contains(needle), "{name} reads the whole table: {needle}");
        }
    }
}

#[test]
fn language_codes_round_trip_and_the_switch_offers_the_other() {
    for lang in [Lang::Sv, Lang::En] {
        assert_eq!(Lang::from_code(lang.code()), Some(lang));
        assert_ne!(lang.other(), lang);
        assert_eq!(lang.other().other(), lang);
    }
    assert_eq!(Lang::from_code("de"), None);
    assert_eq!(Lang::En.pick("Hej", ""), "Hej");
    assert_eq!(Lang::En.pick("Hej", "Hi"), "Hi");
}

#[test]
fn unknown_wire_values_are_shown_raw() {
    let t = &sv::SV;
    assert_eq!(label_or_raw("violence", |k| t.kind(k)), "Våld");
    assert_eq!(label_or_raw("meteor", |k| t.kind(k)), "meteor");
}

#[test]
fn the_report_pages_html_shows_the_forms_introduction_word_for_word() {
    // rapport.html paints the form's lead before the wasm runs (the page's largest text, so its
    // LCP); it must stay the text the form then shows in the same place.
    let html = include_str!("../../rapport.html");
    assert!(html.contains(&format!("<p class=\"lead\">{}</p>", sv::SV.report_intro)));
    // On the follow-up page its script puts that page's heading and lead in the same place.
    assert!(html.contains(&format!("h1.textContent = \"{}\";", sv::SV.followup_title)));
    assert!(html.contains(&format!("lead.textContent = \"{}\";", sv::SV.followup_intro)));
}

//! Host tests of the report form's pure logic.

use super::*;
use trygg_domain::ErrorKind;

fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap()
}

fn valid() -> ReportDraft {
    ReportDraft {
        kind: "threat".into(),
        channel: "phone".into(),
        occurred_at: "2026-01-01T10:00:00.000Z".into(),
        description: "Han sa att han visste var jag bor.".into(),
        role: "elected_official".into(),
        identity: "anonymous".into(),
        ..ReportDraft::default()
    }
}

#[test]
fn every_field_but_help_call_me_edits_its_own_text() {
    for field in Field::REPORT {
        let mut d = ReportDraft::default();
        match text_mut(&mut d, field) {
            Some(slot) => *slot = "x".into(),
            None => {
                assert_eq!(field, Field::HelpCallMe);
                continue;
            }
        }
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json[field.as_str()], "x", "{field} edits the member with its JSON name");
        assert_eq!(text(&d, field), "x");
    }
}

#[test]
fn every_flag_sets_the_member_with_its_json_name() {
    for flag in [
        Flag::Injury,
        Flag::Damage,
        Flag::SickLeave,
        Flag::PoliceReported,
        Flag::HelpCallMe,
        Flag::HelpSupport,
        Flag::HelpPolice,
    ] {
        let mut d = ReportDraft::default();
        flag.set(&mut d, true);
        assert!(flag.get(&d));
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json[flag.as_str()], true, "{}", flag.as_str());
    }
}

#[test]
fn an_anonymous_report_sends_no_contact_details() {
    let mut d = valid();
    d.reporter_name = "Anna".into();
    d.reporter_phone = "070-123 45 67".into();
    d.reporter_email = "anna@example.se".into();
    let p = payload(&d);
    assert_eq!((p.reporter_name.as_str(), p.reporter_phone.as_str(), p.reporter_email.as_str()), ("", "", ""));
    assert_eq!(d.reporter_name, "Anna", "the local draft keeps what was typed");
}

#[test]
fn a_named_report_keeps_its_contact_details() {
    let mut d = valid();
    d.identity = "named".into();
    d.reporter_name = "Anna".into();
    assert_eq!(payload(&d).reporter_name, "Anna");
}

#[test]
fn a_case_number_is_sent_only_when_the_police_box_is_ticked() {
    let mut d = valid();
    d.police_case_number = "ogiltigt!!".into();
    assert_eq!(payload(&d).police_case_number, "");
    assert!(validate(&d, now()).is_empty(), "a hidden bad case number does not block sending");
    d.police_reported = true;
    assert_eq!(validate(&d, now()), vec![FieldError::new(Field::PoliceCaseNumber, ErrorKind::Invalid)]);
}

#[test]
fn an_empty_form_reports_every_required_field_in_form_order() {
    let fields: Vec<Field> = validate(&ReportDraft::default(), now()).iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        vec![Field::Kind, Field::Channel, Field::OccurredAt, Field::Description, Field::Role, Field::Identity]
    );
}

#[test]
fn one_per_field_prefers_the_earlier_list_and_keeps_form_order() {
    let client = [FieldError::new(Field::Description, ErrorKind::Required)];
    let server =
        [FieldError::new(Field::Description, ErrorKind::TooLong), FieldError::new(Field::Kind, ErrorKind::Invalid)];
    assert_eq!(
        one_per_field(&[&client, &server]),
        vec![
            FieldError::new(Field::Kind, ErrorKind::Invalid),
            FieldError::new(Field::Description, ErrorKind::Required)
        ]
    );
}

#[test]
fn the_summary_only_shrinks_and_shows_the_current_error() {
    let at_submit =
        [FieldError::new(Field::Kind, ErrorKind::Required), FieldError::new(Field::Description, ErrorKind::Required)];
    let current =
        [FieldError::new(Field::Description, ErrorKind::TooLong), FieldError::new(Field::Location, ErrorKind::TooLong)];
    assert_eq!(still_open(&at_submit, &current), vec![FieldError::new(Field::Description, ErrorKind::TooLong)]);
}

#[test]
fn text_fields_have_the_domain_limits_and_choices_have_none() {
    assert_eq!(limit(Field::Description), Some(limits::DESCRIPTION));
    assert_eq!(limit(Field::ReporterEmail), Some(limits::REPORTER_EMAIL));
    assert_eq!(limit(Field::Kind), None);
}

#[test]
fn remaining_counts_characters_of_the_trimmed_text() {
    assert_eq!(remaining("  åäö  ", 5), 2);
    assert_eq!(remaining("abcdef", 5), -1);
}

#[test]
fn a_description_at_the_limit_passes_and_one_over_fails() {
    let mut d = valid();
    d.description = "å".repeat(limits::DESCRIPTION);
    assert!(validate(&d, now()).is_empty());
    assert_eq!(remaining(&d.description, limits::DESCRIPTION), 0);
    d.description.push('å');
    assert_eq!(validate(&d, now()), vec![FieldError::new(Field::Description, ErrorKind::TooLong)]);
}

#[test]
fn an_excerpt_is_cut_at_a_word_with_an_ellipsis() {
    assert_eq!(excerpt("kort\ntext", 120), "kort text");
    assert_eq!(excerpt("ett två tre fyra", 10), "ett två…");
    assert_eq!(excerpt("abcdefghijkl", 5), "abcde…");
}

#[test]
fn a_datetime_local_value_is_zero_padded() {
    assert_eq!(local_input_value(2026, 3, 5, 9, 7), "2026-03-05T09:07");
}

#[test]
fn every_report_field_and_flag_is_on_one_of_the_five_input_steps() {
    for field in Field::REPORT {
        assert!((1..REVIEW_STEP).contains(&step_of(field)), "{field}");
    }
    let on_steps: Vec<Field> = (1..=STEPS).flat_map(step_fields).collect();
    assert_eq!(on_steps, Field::REPORT, "steps hold every field once, in form order");
    assert_eq!(flag_step(Flag::PoliceReported), step_of(Field::PoliceCaseNumber));
    assert_eq!(flag_step(Flag::HelpCallMe), step_of(Field::HelpCallMe));
    assert_eq!(step_of(Field::ReporterPhone), step_of(Field::HelpCallMe), "call me needs the phone on the same step");
}

#[test]
fn next_checks_only_the_fields_of_the_current_step() {
    let empty = ReportDraft::default();
    let fields = |step| step_errors(&empty, step, now()).iter().map(|e| e.field).collect::<Vec<_>>();
    assert_eq!(fields(1), [Field::Kind, Field::Channel, Field::OccurredAt]);
    assert_eq!(fields(2), [Field::Description]);
    assert_eq!(fields(3), Vec::<Field>::new());
    assert_eq!(fields(4), [Field::Role]);
    assert_eq!(fields(5), [Field::Identity]);
    assert_eq!(fields(REVIEW_STEP).len(), 6, "the review checks everything");
    let mut d = valid();
    d.identity = "named".into();
    d.help_call_me = true;
    d.reporter_name = "Anna".into();
    assert_eq!(step_errors(&d, 5, now()), [FieldError::new(Field::ReporterPhone, ErrorKind::RequiredForCallMe)]);
    assert!(step_errors(&d, 1, now()).is_empty());
}

#[test]
fn errors_show_under_fields_only_for_checked_steps() {
    let all = validate(&ReportDraft::default(), now());
    assert!(shown_errors(all.clone(), 0).is_empty());
    let step2: Vec<Field> = shown_errors(all.clone(), 1 << 2).iter().map(|e| e.field).collect();
    assert_eq!(step2, [Field::Description]);
    assert_eq!(shown_errors(all.clone(), steps_through(STEPS)), all);
    assert_eq!(steps_through(2), 0b110);
}

#[test]
fn the_step_in_the_url_is_clamped_and_defaults_to_the_first() {
    assert_eq!(parse_step(None), 1);
    assert_eq!(parse_step(Some("3")), 3);
    assert_eq!(parse_step(Some("0")), 1);
    assert_eq!(parse_step(Some("99")), STEPS);
    assert_eq!(parse_step(Some("två")), 1);
}

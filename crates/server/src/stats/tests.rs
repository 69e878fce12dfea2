//! Periods in Europe/Stockholm (ISO weeks across a year's end, summer time) and the numbers
//! computed from a handful of facts.

use super::*;
use jiff::civil::date;

fn at(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn fact(received: &str) -> Fact {
    Fact {
        received_at: at(received),
        kind: "threat".into(),
        channel: "phone".into(),
        role: "healthcare".into(),
        phase: None,
        severity: None,
        unit: None,
        urgency: "routine".into(),
        first_answer_at: None,
        closed_at: None,
        feedback: Some(0),
        purged: 0,
        status: "closed".into(),
    }
}

#[test]
fn iso_weeks_cross_the_year_end_with_the_weeks_own_year() {
    assert_eq!(Period::Week.label(Period::Week.start_of(date(2026, 12, 31))), "2026-W53");
    assert_eq!(Period::Week.label(Period::Week.start_of(date(2027, 1, 3))), "2026-W53");
    assert_eq!(Period::Week.label(Period::Week.start_of(date(2027, 1, 4))), "2027-W01");
    assert_eq!(Period::Week.label(Period::Week.start_of(date(2025, 12, 29))), "2026-W01");
    assert_eq!(Period::Month.label(Period::Month.start_of(date(2026, 12, 31))), "2026-12");
}

#[test]
fn a_week_starts_at_midnight_in_stockholm_summer_time_or_not() {
    // Monday 30 March 2026 00:00 CEST is 29 March 22:00 UTC; Monday 26 October 00:00 CET 23:00 UTC.
    assert_eq!(midnight(date(2026, 3, 30)), at("2026-03-29T22:00:00Z"));
    assert_eq!(midnight(date(2026, 10, 26)), at("2026-10-25T23:00:00Z"));
    let (labels, starts) = periods(Period::Week, date(2026, 3, 23), midnight(date(2026, 4, 6)));
    assert_eq!(labels, ["2026-W13", "2026-W14"]);
    assert_eq!(starts.len(), 3);
}

#[test]
fn counts_backlog_and_times_come_out_exactly() {
    let (labels, starts) = periods(Period::Week, date(2026, 12, 28), midnight(date(2027, 1, 11)));
    assert_eq!(labels, ["2026-W53", "2027-W01"]);
    let mut a = fact("2026-12-28T08:00:00Z");
    a.urgency = "urgent".into();
    a.first_answer_at = Some(at("2026-12-28T08:30:00Z"));
    a.closed_at = Some(at("2027-01-05T08:00:00Z"));
    a.feedback = Some(1);
    a.kind = "violence".into();
    a.severity = Some("high".into());
    let mut b = fact("2027-01-03T22:30:00Z"); // Sunday 23:30 in Stockholm: still W53
    b.first_answer_at = Some(at("2027-01-05T22:30:00Z")); // 48 h: late for a routine report
    let c = fact("2027-01-04T10:00:00Z");
    let now = at("2027-01-20T00:00:00Z");
    let s = compute_facts(&[a, b, c], Period::Week, labels, &starts, now);
    assert_eq!(s.counts, [2, 1]);
    assert_eq!(s.backlog, [2, 2], "a closed during W01; c opened");
    assert_eq!(s.serious, [1, 0]);
    let all = &s.times[0];
    assert_eq!((all.answered, all.answer_median_minutes, all.answer_p90_minutes), (2, Some(30), Some(2880)));
    assert_eq!((all.target_due, all.within_target), (3, 1));
    assert_eq!((all.closed, all.close_median_minutes), (1, Some(8 * 1440)));
    assert_eq!((s.feedback.closed, s.feedback.with_feedback, s.feedback.unknown), (1, 1, 0));
    let kind = &s.by[0];
    assert_eq!(kind.rows[0].value, "threat");
    assert_eq!(kind.rows[0].counts, [1, 1]);
}

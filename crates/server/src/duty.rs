//! The on-duty rule, pure (no I/O): who a weekly pattern and dated exceptions put on duty at an
//! instant, on the region's wall clock ([`crate::region_time`]).
//!
//! - A **slot** runs from a weekday and time to a weekday and time, and may run over midnight or
//!   over several days (Fri 17:00 → Mon 08:00 is one slot; an end on the same weekday at or
//!   before the start means a whole week later). Its ends are wall-clock times, resolved to
//!   instants for each week (summer time: see `region_time` for the gap and the fold). A slot
//!   covers `[start, end)`. Several slots covering one instant put several people on duty.
//! - An **exception** covers a dated interval `[starts_at, ends_at)` and replaces the pattern
//!   during it: its account is on duty instead, or nobody (`user_id: None`). Overlapping
//!   exceptions add up their people; nobody only where every covering exception says nobody.
//! - Nobody on duty: the caller sends to the fallback address (store/roster.rs).

use crate::region_time::{instant_at, iso_day, local};
use uuid::Uuid;

/// Minutes in a week.
pub const WEEK_MINUTES: u32 = 7 * 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Monday = 1 … Sunday = 7.
    pub start_day: u8,
    /// Minute of the day, 0..1440.
    pub start_min: u16,
    pub end_day: u8,
    pub end_min: u16,
    pub user_id: Uuid,
}

impl Slot {
    /// Its length on a week without a clock change, in minutes (1 ..= a whole week).
    pub fn span_minutes(&self) -> u32 {
        let at = |day: u8, min: u16| (u32::from(day) - 1) * 24 * 60 + u32::from(min);
        let d = (at(self.end_day, self.end_min) + WEEK_MINUTES - at(self.start_day, self.start_min)) % WEEK_MINUTES;
        if d == 0 { WEEK_MINUTES } else { d }
    }

    /// Whether this slot covers the instant `at_ms`.
    pub fn covers(&self, at_ms: i64) -> bool {
        let today = local(at_ms).date();
        let span_days = (i64::from(self.end_day) - i64::from(self.start_day)).rem_euclid(7);
        let span_days = if span_days == 0 && self.end_min <= self.start_min { 7 } else { span_days };
        // A slot that covers `at` started on one of the last eight days (a span is at most a week).
        (0..=7i64).any(|back| {
            let Ok(start_date) = today.checked_sub(jiff::Span::new().days(back)) else { return false };
            if iso_day(start_date.weekday()) != self.start_day {
                return false;
            }
            let Ok(end_date) = start_date.checked_add(jiff::Span::new().days(span_days)) else { return false };
            instant_at(start_date, self.start_min) <= at_ms && at_ms < instant_at(end_date, self.end_min)
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exception {
    pub starts_at: i64,
    pub ends_at: i64,
    /// `None`: nobody is on duty during it.
    pub user_id: Option<Uuid>,
}

impl Exception {
    pub fn covers(&self, at_ms: i64) -> bool {
        self.starts_at <= at_ms && at_ms < self.ends_at
    }
}

/// The accounts on duty at `at_ms`, each once, in the order of the slots (or exceptions) that
/// name them; empty when nobody is.
pub fn on_duty(at_ms: i64, slots: &[Slot], exceptions: &[Exception]) -> Vec<Uuid> {
    let covering: Vec<&Exception> = exceptions.iter().filter(|e| e.covers(at_ms)).collect();
    let people: Vec<Uuid> = if covering.is_empty() {
        slots.iter().filter(|s| s.covers(at_ms)).map(|s| s.user_id).collect()
    } else {
        covering.iter().filter_map(|e| e.user_id).collect()
    };
    let mut unique = Vec::with_capacity(people.len());
    for p in people {
        if !unique.contains(&p) {
            unique.push(p);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn utc(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    const A: Uuid = Uuid::from_u128(0xA);
    const B: Uuid = Uuid::from_u128(0xB);

    fn slot(start_day: u8, start: &str, end_day: u8, end: &str, user_id: Uuid) -> Slot {
        let m = |s| crate::region_time::parse_hhmm(s).unwrap();
        Slot { start_day, start_min: m(start), end_day, end_min: m(end), user_id }
    }

    /// Weekdays 08:00–17:00 A, the weekend Fri 17:00 → Mon 08:00 B; weeknights uncovered.
    fn week() -> Vec<Slot> {
        let mut s: Vec<Slot> = (1..=5).map(|d| slot(d, "08:00", d, "17:00", A)).collect();
        s.push(slot(5, "17:00", 1, "08:00", B));
        s
    }

    #[test]
    fn the_pattern_covers_a_winter_week() {
        // 2026-01-12 is a Monday (CET, UTC+1).
        let w = week();
        assert_eq!(on_duty(utc("2026-01-12T07:00:00Z"), &w, &[]), vec![A], "Mon 08:00");
        assert_eq!(on_duty(utc("2026-01-12T06:59:59Z"), &w, &[]), vec![B], "Mon 07:59 is the weekend's end");
        assert_eq!(on_duty(utc("2026-01-12T16:00:00Z"), &w, &[]), Vec::<Uuid>::new(), "Mon 17:00 nobody");
        assert_eq!(on_duty(utc("2026-01-14T11:00:00Z"), &w, &[]), vec![A], "Wed noon");
        assert_eq!(on_duty(utc("2026-01-16T16:00:00Z"), &w, &[]), vec![B], "Fri 17:00");
        assert_eq!(on_duty(utc("2026-01-17T23:00:00Z"), &w, &[]), vec![B], "Sun 00:00");
        assert_eq!(on_duty(utc("2026-01-13T02:00:00Z"), &w, &[]), Vec::<Uuid>::new(), "Tue 03:00");
    }

    #[test]
    fn a_summer_week_uses_summer_time() {
        // 2026-07-13 is a Monday (CEST, UTC+2): 08:00 local is 06:00 UTC.
        let w = week();
        assert_eq!(on_duty(utc("2026-07-13T06:00:00Z"), &w, &[]), vec![A]);
        assert_eq!(on_duty(utc("2026-07-13T05:59:00Z"), &w, &[]), vec![B]);
        assert_eq!(on_duty(utc("2026-07-13T15:00:00Z"), &w, &[]), Vec::<Uuid>::new(), "17:00 CEST");
    }

    #[test]
    fn a_night_slot_across_the_spring_gap_is_an_hour_shorter() {
        // Sat 22:00 → Sun 08:00 over 2026-03-28/29 (clocks jump 02:00 → 03:00).
        let s = [slot(6, "22:00", 7, "08:00", A)];
        assert!(!s[0].covers(utc("2026-03-28T20:59:00Z")), "21:59 CET");
        assert!(s[0].covers(utc("2026-03-28T21:00:00Z")), "22:00 CET");
        assert!(s[0].covers(utc("2026-03-29T01:30:00Z")), "03:30 CEST, just after the jump");
        assert!(s[0].covers(utc("2026-03-29T05:59:00Z")), "07:59 CEST");
        assert!(!s[0].covers(utc("2026-03-29T06:00:00Z")), "08:00 CEST: 9 hours after the start");
    }

    #[test]
    fn a_slot_starting_inside_the_spring_gap_starts_when_the_clocks_jump() {
        // Sun 02:30 does not exist on 2026-03-29: the slot starts at 03:30 CEST (01:30 UTC).
        let s = [slot(7, "02:30", 7, "06:00", A)];
        assert!(!s[0].covers(utc("2026-03-29T00:59:00Z")), "01:59 CET");
        assert!(s[0].covers(utc("2026-03-29T01:30:00Z")));
        assert!(!s[0].covers(utc("2026-03-29T04:00:00Z")), "06:00 CEST");
        // A normal Sunday: 02:30 CET is 01:30 UTC.
        assert!(s[0].covers(utc("2026-03-22T01:30:00Z")));
        assert!(!s[0].covers(utc("2026-03-22T01:29:00Z")));
    }

    #[test]
    fn the_repeated_autumn_hour_belongs_to_one_slot_without_flapping() {
        // 2026-10-25: 02:00–03:00 happens twice. A hands over to B at 02:30 (the first one).
        let s = [slot(6, "22:00", 7, "02:30", A), slot(7, "02:30", 7, "08:00", B)];
        assert_eq!(on_duty(utc("2026-10-25T00:29:00Z"), &s, &[]), vec![A], "first 02:29 CEST");
        assert_eq!(on_duty(utc("2026-10-25T00:30:00Z"), &s, &[]), vec![B], "first 02:30 CEST");
        assert_eq!(on_duty(utc("2026-10-25T01:10:00Z"), &s, &[]), vec![B], "second 02:10 CET: still B");
        assert_eq!(on_duty(utc("2026-10-25T06:59:00Z"), &s, &[]), vec![B], "07:59 CET");
        assert_eq!(on_duty(utc("2026-10-25T07:00:00Z"), &s, &[]), Vec::<Uuid>::new(), "08:00 CET");
        // The night slot lasts 11 hours that night: 22:00 CEST → 08:00 CET.
        let night = slot(6, "22:00", 7, "08:00", A);
        assert!(night.covers(utc("2026-10-24T20:00:00Z")));
        assert!(night.covers(utc("2026-10-25T06:59:00Z")));
        assert!(!night.covers(utc("2026-10-25T07:00:00Z")));
    }

    #[test]
    fn a_whole_week_slot_always_covers_and_spans_are_counted_right() {
        let always = slot(1, "00:00", 1, "00:00", A);
        assert_eq!(always.span_minutes(), WEEK_MINUTES);
        for t in ["2026-01-12T00:00:00Z", "2026-03-29T01:30:00Z", "2026-10-25T01:30:00Z", "2026-12-31T23:59:00Z"] {
            assert!(always.covers(utc(t)), "{t}");
        }
        assert_eq!(slot(5, "17:00", 1, "08:00", B).span_minutes(), 2 * 24 * 60 + 15 * 60);
        assert_eq!(slot(3, "22:00", 3, "06:00", B).span_minutes(), WEEK_MINUTES - 16 * 60);
    }

    #[test]
    fn exceptions_replace_the_pattern_with_someone_or_nobody() {
        let w = week();
        let wed_noon = utc("2026-01-14T11:00:00Z");
        let swap = Exception {
            starts_at: utc("2026-01-14T07:00:00Z"),
            ends_at: utc("2026-01-14T16:00:00Z"),
            user_id: Some(B),
        };
        assert_eq!(on_duty(wed_noon, &w, &[swap]), vec![B]);
        assert_eq!(on_duty(utc("2026-01-14T16:00:00Z"), &w, &[swap]), Vec::<Uuid>::new(), "ends exclusive");
        let nobody = Exception { user_id: None, ..swap };
        assert_eq!(on_duty(wed_noon, &w, &[nobody]), Vec::<Uuid>::new());
        assert_eq!(on_duty(wed_noon, &w, &[nobody, swap]), vec![B], "someone beats nobody");
        let extra = Exception { user_id: Some(A), ..swap };
        assert_eq!(on_duty(wed_noon, &w, &[swap, extra, swap]), vec![B, A], "each once");
        // Outside the exception the pattern holds.
        assert_eq!(on_duty(utc("2026-01-15T11:00:00Z"), &w, &[swap, nobody]), vec![A]);
    }

    #[test]
    fn overlapping_slots_put_both_on_duty() {
        let s = [slot(1, "08:00", 1, "17:00", A), slot(1, "12:00", 1, "20:00", B)];
        assert_eq!(on_duty(utc("2026-01-12T12:00:00Z"), &s, &[]), vec![A, B]);
    }
}

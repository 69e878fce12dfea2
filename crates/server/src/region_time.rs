//! The region's clock: instants (Unix ms, as stored) seen as wall-clock time in Europe/Stockholm,
//! summer time included, and wall-clock times turned back into instants.
//!
//! The time-zone rules come from the tz database bundled into the binary by `jiff`
//! (`tzdb-bundle-always`), never from the machine's `/usr/share/zoneinfo`, so every server of a
//! deployment agrees whatever its operating system ships.
//!
//! A wall-clock time that does not exist or exists twice resolves the way people expect
//! ("compatible", as RFC 5545 and Temporal do): in the spring gap (02:00–03:00 on the last Sunday
//! of March does not exist) a time means the moment the clocks jump to, later by the gap (02:30 →
//! 03:30 summer time, the instant a clock set before the change shows 02:30); in the autumn fold
//! (02:00–03:00 on the last Sunday of October happens twice) a time means its FIRST occurrence.
//! So a night shift Sat 22:00 → Sun 08:00 lasts 9 hours in March and 11 in October, as it does
//! for the person working it.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use std::sync::OnceLock;

/// The region's time zone name.
pub const ZONE: &str = "Europe/Stockholm";

/// Europe/Stockholm from the bundled database.
pub fn zone() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| TimeZone::get(ZONE).expect("the bundled tz database has Europe/Stockholm"))
}

/// `at_ms` on the region's wall clock.
pub fn local(at_ms: i64) -> ZonedDateTime {
    let ts = Timestamp::from_millisecond(at_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    ts.to_zoned_datetime(zone().clone())
}

/// The instant a wall-clock time means in the region (gap: the later reading; fold: the first).
pub fn instant_of(dt: DateTime) -> i64 {
    zone().to_timestamp(dt).map(Timestamp::as_millisecond).unwrap_or(0)
}

/// Monday = 1 … Sunday = 7 (ISO 8601), as the roster stores weekdays.
pub fn iso_day(w: Weekday) -> u8 {
    w.to_monday_one_offset() as u8
}

/// The wall-clock `date` at `minute` of the day (0..1440), as an instant.
pub fn instant_at(date: Date, minute: u16) -> i64 {
    let (h, m) = ((minute / 60) as i8, (minute % 60) as i8);
    instant_of(date.at(h, m, 0, 0))
}

/// Parses `HH:MM` (00:00–23:59) into minutes of the day.
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

pub fn format_hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// Parses a wall-clock `YYYY-MM-DDTHH:MM` (what an `<input type="datetime-local">` sends).
pub fn parse_local(s: &str) -> Option<DateTime> {
    let s = s.trim();
    let (date, time) = s.split_once('T')?;
    let date: Date = date.parse().ok()?;
    if date.year() < 2000 || date.year() > 2200 {
        return None;
    }
    let minute = parse_hhmm(time)?;
    Some(date.at((minute / 60) as i8, (minute % 60) as i8, 0, 0))
}

/// `YYYY-MM-DDTHH:MM` of a wall-clock time.
pub fn format_local(dt: DateTime) -> String {
    format!("{}T{:02}:{:02}", dt.date(), dt.hour(), dt.minute())
}

/// Whether `at_ms` falls in the region's night, 22:00–07:00 wall-clock time.
pub fn is_night(at_ms: i64) -> bool {
    let hour = local(at_ms).hour();
    !(7..22).contains(&hour)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn utc(s: &str) -> i64 {
        s.parse::<Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn winter_is_utc_plus_one_and_summer_utc_plus_two() {
        assert_eq!(local(utc("2026-01-15T12:00:00Z")).hour(), 13);
        assert_eq!(local(utc("2026-07-15T12:00:00Z")).hour(), 14);
    }

    #[test]
    fn a_time_in_the_spring_gap_means_the_moment_the_clocks_jump_to() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        assert_eq!(instant_of(date(2026, 3, 29).at(2, 30, 0, 0)), utc("2026-03-29T01:30:00Z"));
        assert_eq!(instant_of(date(2026, 3, 29).at(3, 0, 0, 0)), utc("2026-03-29T01:00:00Z"));
        assert_eq!(instant_of(date(2026, 3, 29).at(1, 59, 0, 0)), utc("2026-03-29T00:59:00Z"));
    }

    #[test]
    fn a_time_in_the_autumn_fold_means_its_first_occurrence() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
        assert_eq!(instant_of(date(2026, 10, 25).at(2, 30, 0, 0)), utc("2026-10-25T00:30:00Z"));
        assert_eq!(local(utc("2026-10-25T01:30:00Z")).hour(), 2, "the second 02:30");
        assert_eq!(instant_of(date(2026, 10, 25).at(3, 0, 0, 0)), utc("2026-10-25T02:00:00Z"));
    }

    #[test]
    fn night_is_22_to_7_on_the_wall_clock_in_winter_and_summer() {
        assert!(is_night(utc("2026-01-15T21:00:00Z")), "22:00 CET");
        assert!(!is_night(utc("2026-01-15T20:59:00Z")), "21:59 CET");
        assert!(is_night(utc("2026-01-16T05:59:00Z")), "06:59 CET");
        assert!(!is_night(utc("2026-01-16T06:00:00Z")), "07:00 CET");
        assert!(is_night(utc("2026-07-15T20:00:00Z")), "22:00 CEST");
        assert!(!is_night(utc("2026-07-16T05:00:00Z")), "07:00 CEST");
        assert!(is_night(utc("2026-07-16T04:59:00Z")), "06:59 CEST");
    }

    #[test]
    fn local_times_parse_strictly() {
        assert_eq!(parse_hhmm("08:05"), Some(485));
        assert_eq!(parse_hhmm("23:59"), Some(1439));
        for bad in ["24:00", "8:05", "08:60", "", "0805", "ab:cd"] {
            assert_eq!(parse_hhmm(bad), None, "{bad}");
        }
        let dt = parse_local("2026-12-24T17:30").unwrap();
        assert_eq!(format_local(dt), "2026-12-24T17:30");
        for bad in ["2026-12-24", "2026-02-30T10:00", "2026-12-24T25:00", "1900-01-01T00:00", "x"] {
            assert_eq!(parse_local(bad), None, "{bad}");
        }
    }
}

//! The reminder rule: which open reports deserve a reminder now, and at which level. The
//! notification jobs call [`Db::due_reminders`] every minute and send one reminder per
//! `reminder:{kind}:{level}:{report_id}` key (so a level is sent once; a later level is a new key).
//!
//! - **unanswered**: no coordinator has written to the reporter yet (`last_answer_at` empty) and
//!   the report is not closed. Urgent reports (the domain's `Urgency` at intake, kept in
//!   `reports.urgent`): level 1 after [`UNANSWERED_URGENT_HOURS`]`[0]` hours, level 2 after
//!   `[1]`; the others after [`UNANSWERED_ROUTINE_HOURS`]. Counted from arrival.
//! - **idle**: an open report with no activity (no triage change, note or message either way)
//!   for [`IDLE_DAYS`]`[0]`, then `[1]` days, counted from the later of its arrival and last change.
//! - **Night**: from 22:00 to 07:00 in Europe/Stockholm only urgent reports' reminders are due;
//!   the others wait and fall due at 07:00 (summer time included: the wall clock decides).
//! - Only the highest level due is returned per report and kind (a report found 80 hours late
//!   gets its second reminder, not both). A first answer ends the unanswered reminders; closing
//!   a report ends both kinds.

use super::{Db, on_db};
use crate::region_time::is_night;
use uuid::Uuid;

/// Hours without a first answer before an urgent report's reminders (level 1, level 2).
pub const UNANSWERED_URGENT_HOURS: [i64; 2] = [1, 4];
/// Hours without a first answer before a routine report's reminders (level 1, level 2).
pub const UNANSWERED_ROUTINE_HOURS: [i64; 2] = [24, 72];
/// Days without any activity before an open report's reminders (level 1, level 2).
pub const IDLE_DAYS: [i64; 2] = [7, 14];

/// `(id, assignee, urgent, received_at)` of unanswered reports; `(id, assignee, received_at,
/// updated_at)` of open ones.
type UnansweredRows = Vec<(Uuid, Option<Uuid>, bool, i64)>;
type ActivityRows = Vec<(Uuid, Option<Uuid>, i64, i64)>;

/// A due reminder with what "what waits for me" needs: the report's assignee and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFor {
    pub due: DueReminder,
    pub assignee: Option<Uuid>,
    pub since: i64,
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// One reminder that is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub report_id: Uuid,
    /// `unanswered` or `idle`.
    pub kind: &'static str,
    /// 1 or 2.
    pub level: i32,
}

/// The highest level whose threshold `elapsed_ms` has reached (thresholds ascending).
fn level_of(elapsed_ms: i64, thresholds_ms: impl IntoIterator<Item = i64>) -> Option<i32> {
    thresholds_ms.into_iter().zip(1..).filter(|(t, _)| elapsed_ms >= *t).map(|(_, l)| l).last()
}

/// The unanswered reminder due now for a report that arrived at `received_at`, if any.
pub fn unanswered_level(urgent: bool, received_at: i64, now: i64) -> Option<i32> {
    if !urgent && is_night(now) {
        return None;
    }
    let hours = if urgent { UNANSWERED_URGENT_HOURS } else { UNANSWERED_ROUTINE_HOURS };
    level_of(now - received_at, hours.map(|h| h * HOUR_MS))
}

/// The idle reminder due now for an open report last active at `last_activity`, if any.
pub fn idle_level(last_activity: i64, now: i64) -> Option<i32> {
    if is_night(now) {
        return None;
    }
    level_of(now - last_activity, IDLE_DAYS.map(|d| d * DAY_MS))
}

impl Db {
    /// Every reminder due at `now_ms`, the highest level per report and kind: unanswered ones
    /// first, then idle ones, each oldest first. Reads only open reports through the partial
    /// indexes `reports_unanswered` and `reports_open_activity`.
    pub async fn due_reminders(&self, now_ms: i64) -> Result<Vec<DueReminder>, sqlx::Error> {
        Ok(self.due_reminders_for(now_ms).await?.into_iter().map(|d| d.due).collect())
    }

    /// [`Db::due_reminders`] with each report's assignee and since when it waits (its arrival
    /// for unanswered, its last activity for idle), read in the same two queries.
    pub async fn due_reminders_for(&self, now_ms: i64) -> Result<Vec<DueFor>, sqlx::Error> {
        let first_urgent = now_ms - UNANSWERED_URGENT_HOURS[0] * HOUR_MS;
        // At night routine reports are not read at all.
        let first_routine = if is_night(now_ms) { i64::MIN } else { now_ms - UNANSWERED_ROUTINE_HOURS[0] * HOUR_MS };
        let idle_before = now_ms - IDLE_DAYS[0] * DAY_MS;
        let (unanswered, idle): (UnansweredRows, ActivityRows) = on_db!(self, |pool| {
            let unanswered = sqlx::query_as(
                "SELECT id, assignee_id, urgent, received_at FROM reports
                 WHERE last_answer_at IS NULL AND status <> 'closed' AND received_at <= $1
                   AND (urgent OR received_at <= $2)
                 ORDER BY received_at, seq",
            )
            .bind(first_urgent.max(first_routine))
            .bind(first_routine)
            .fetch_all(pool)
            .await?;
            let idle = if is_night(now_ms) {
                Vec::new()
            } else {
                sqlx::query_as(
                    "SELECT id, assignee_id, received_at, updated_at FROM reports
                     WHERE status <> 'closed' AND updated_at <= $1 AND received_at <= $1
                     ORDER BY received_at, seq",
                )
                .bind(idle_before)
                .fetch_all(pool)
                .await?
            };
            (unanswered, idle)
        });
        let mut due = Vec::new();
        for (report_id, assignee, urgent, received_at) in unanswered {
            if let Some(level) = unanswered_level(urgent, received_at, now_ms) {
                let due_now = DueReminder { report_id, kind: "unanswered", level };
                due.push(DueFor { due: due_now, assignee, since: received_at });
            }
        }
        for (report_id, assignee, received_at, updated_at) in idle {
            let since = received_at.max(updated_at);
            if let Some(level) = idle_level(since, now_ms) {
                due.push(DueFor { due: DueReminder { report_id, kind: "idle", level }, assignee, since });
            }
        }
        Ok(due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn an_urgent_report_is_reminded_after_one_then_four_hours_also_at_night() {
        let arrived = utc("2026-01-14T23:00:00Z"); // 00:00 CET: night
        assert_eq!(unanswered_level(true, arrived, arrived + HOUR_MS - 1), None);
        assert_eq!(unanswered_level(true, arrived, arrived + HOUR_MS), Some(1));
        assert_eq!(unanswered_level(true, arrived, arrived + 4 * HOUR_MS - 1), Some(1));
        assert_eq!(unanswered_level(true, arrived, arrived + 4 * HOUR_MS), Some(2));
        assert_eq!(unanswered_level(true, arrived, arrived + 400 * HOUR_MS), Some(2), "no level 3");
    }

    #[test]
    fn a_routine_report_waits_a_day_then_three_and_never_at_night() {
        let arrived = utc("2026-01-14T12:00:00Z"); // 13:00 CET
        assert_eq!(unanswered_level(false, arrived, arrived + 24 * HOUR_MS - 1), None);
        assert_eq!(unanswered_level(false, arrived, arrived + 24 * HOUR_MS), Some(1));
        assert_eq!(unanswered_level(false, arrived, arrived + 72 * HOUR_MS), Some(2));
        // Arrived 22:30 CET: due at 22:30 the next evening, which is night: held until 07:00.
        let late = utc("2026-01-14T21:30:00Z");
        assert_eq!(unanswered_level(false, late, late + 24 * HOUR_MS), None);
        assert_eq!(unanswered_level(false, late, utc("2026-01-16T05:59:00Z")), None, "06:59 CET");
        assert_eq!(unanswered_level(false, late, utc("2026-01-16T06:00:00Z")), Some(1), "07:00 CET");
    }

    #[test]
    fn the_night_follows_summer_time_on_both_changes() {
        // The night of the spring change (2026-03-29): 07:00 CEST is 05:00 UTC.
        let arrived = utc("2026-03-27T12:00:00Z");
        assert_eq!(unanswered_level(false, arrived, utc("2026-03-29T04:59:00Z")), None, "06:59 CEST");
        assert_eq!(unanswered_level(false, arrived, utc("2026-03-29T05:00:00Z")), Some(1), "07:00 CEST");
        // The night of the autumn change (2026-10-25): 07:00 CET is 06:00 UTC; 22:00 CEST the
        // evening before is 20:00 UTC.
        let arrived = utc("2026-10-23T12:00:00Z");
        assert_eq!(unanswered_level(false, arrived, utc("2026-10-24T19:59:00Z")), Some(1), "21:59 CEST");
        assert_eq!(unanswered_level(false, arrived, utc("2026-10-24T20:00:00Z")), None, "22:00 CEST");
        assert_eq!(unanswered_level(false, arrived, utc("2026-10-25T05:59:00Z")), None, "06:59 CET");
        assert_eq!(unanswered_level(false, arrived, utc("2026-10-25T06:00:00Z")), Some(1), "07:00 CET");
    }

    #[test]
    fn an_idle_case_is_reminded_after_a_week_then_two_by_day_only() {
        let active = utc("2026-01-05T10:00:00Z");
        assert_eq!(idle_level(active, active + 7 * DAY_MS - 1), None);
        assert_eq!(idle_level(active, active + 7 * DAY_MS), Some(1));
        assert_eq!(idle_level(active, active + 14 * DAY_MS), Some(2));
        assert_eq!(idle_level(active, utc("2026-01-30T22:00:00Z")), None, "23:00 CET");
    }
}

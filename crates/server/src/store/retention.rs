//! Retention of closed reports: how long they are kept (the `retention_months` setting, changed
//! by administrators with a version check and an audit entry), what a purge would delete (the dry
//! run) and the purge itself.
//!
//! A report is past retention when it is closed and its closing (its `closed_at`, kept by the
//! triggers of migration 0019: its last status event to `closed`, else its `updated_at` when it
//! was closed) is older than the period, counted in calendar months back from now. The purge
//! takes at most [`BATCH`] reports per transaction; for each it first deletes the report's
//! events (messages, notes, changes), reads and replay row, then the report (its search index
//! entry goes with it: the FTS trigger on SQLite, the generated column on PostgreSQL), and only
//! when that delete removed the row does it write the report's de-identified facts
//! (`report_facts`: week, kind, channel, role, phase, severity, unit, urgency, times, closure
//! feedback; no id, text, identity or place). Two servers purging at once therefore never count
//! a report twice: the second one's delete finds nothing. Each batch appends
//! one `retention.purge` access-log entry with the count; the access log keeps its entries about
//! the purged reports (their ids only), as it is append-only.

use super::audit::{Entry, append_in_tx};
use super::content_admin::Outcome;
use super::{BeginWrite, Db, from_ms, on_db};
use crate::crypto::Keys;
use sqlx::FromRow;
use time::{Date, Month, OffsetDateTime, Time};
use uuid::Uuid;

/// How many reports one purge transaction deletes at most.
pub const BATCH: i64 = 200;

/// The retention period in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct Setting {
    pub months: i64,
    pub version: i64,
}

/// What a purge as of a cutoff would delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct Preview {
    pub count: i64,
    pub first_closed: Option<i64>,
    pub last_closed: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
struct Doomed {
    id: Uuid,
    kind: String,
    channel: String,
    role: String,
    phase: Option<String>,
    severity: Option<String>,
    unit: Option<String>,
    injury: bool,
    help_call_me: bool,
    received_at: i64,
    first_answer_at: Option<i64>,
    closed_at: i64,
    feedback: Option<i64>,
}

impl Doomed {
    /// The domain's urgency rule on the stored answers.
    fn urgency(&self) -> &'static str {
        let urgent =
            self.kind == "violence" || self.injury || self.phase.as_deref() == Some("during") || self.help_call_me;
        if urgent { "urgent" } else { "routine" }
    }
}

/// Closed reports with their closing time (`closed_at`), as a derived table.
const CLOSED: &str = "SELECT r.id, r.kind, r.channel, r.role, r.phase, r.severity, r.unit, r.injury, r.help_call_me,
        r.received_at, r.first_answer_at, COALESCE(r.closed_at, r.updated_at) AS closed_at,
        CAST(CASE WHEN r.closed_reason IS NOT NULL AND r.closed_reason <> '' THEN 1 ELSE 0 END AS BIGINT) AS feedback
    FROM reports r WHERE r.status = 'closed'";

impl Db {
    pub async fn retention(&self) -> Result<Setting, sqlx::Error> {
        let sql = "SELECT value AS months, version FROM settings WHERE name = 'retention_months'";
        on_db!(self, |pool| sqlx::query_as(sql).fetch_one(pool).await)
    }

    /// Sets the period if it is still at `version`, with an audit entry (before → after).
    pub async fn set_retention(
        &self,
        keys: &Keys,
        user: Uuid,
        months: i64,
        version: i64,
        now: i64,
    ) -> Result<Outcome<Setting>, sqlx::Error> {
        let select = "SELECT value AS months, version FROM settings WHERE name = 'retention_months'";
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: Setting = sqlx::query_as(select).fetch_one(&mut *tx).await?;
            if before.version != version {
                tx.rollback().await?;
                return Ok(Outcome::Stale(Some(before)));
            }
            sqlx::query(
                "UPDATE settings SET value = $1, version = version + 1, updated_at = $2
                 WHERE name = 'retention_months' AND version = $3",
            )
            .bind(months)
            .bind(now)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            let after: Setting = sqlx::query_as(select).fetch_one(&mut *tx).await?;
            let reason = serde_json::json!({"before": {"months": before.months}, "after": {"months": after.months}});
            let reason = reason.to_string();
            let entry = Entry { user_id: Some(user), action: "retention.set", report_id: None, reason: Some(&reason) };
            append_in_tx!(tx, keys, &entry);
            tx.commit().await?;
            Ok(Outcome::Done(after))
        })
    }

    /// The dry run: how many closed reports were closed before `cutoff`, and when the first and
    /// last of them were closed. Deletes nothing.
    pub async fn retention_preview(&self, cutoff: i64) -> Result<Preview, sqlx::Error> {
        let sql = format!(
            "SELECT COUNT(*) AS count, MIN(t.closed_at) AS first_closed, MAX(t.closed_at) AS last_closed
             FROM ({CLOSED}) t WHERE t.closed_at < $1"
        );
        on_db!(self, |pool| sqlx::query_as(&sql).bind(cutoff).fetch_one(pool).await)
    }

    /// Deletes every report closed before `cutoff`, [`BATCH`] per transaction, keeping their
    /// facts; `user` is the administrator who asked (none for the background task). Returns
    /// how many this call deleted.
    pub async fn purge_closed(&self, keys: &Keys, user: Option<Uuid>, cutoff: i64) -> Result<u64, sqlx::Error> {
        let mut total = 0;
        loop {
            let (purged, seen) = self.purge_batch(keys, user, cutoff).await?;
            total += purged;
            // A full batch of reports kept for their flags would come back forever: stop.
            if seen < BATCH as u64 || purged == 0 {
                return Ok(total);
            }
        }
    }

    /// One batch: (deleted here, candidates seen).
    async fn purge_batch(&self, keys: &Keys, user: Option<Uuid>, cutoff: i64) -> Result<(u64, u64), sqlx::Error> {
        let select = format!("SELECT * FROM ({CLOSED}) t WHERE t.closed_at < $1 ORDER BY t.closed_at LIMIT $2");
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let doomed: Vec<Doomed> = sqlx::query_as(&select).bind(cutoff).bind(BATCH).fetch_all(&mut *tx).await?;
            let mut purged = 0u64;
            for d in &doomed {
                // A report whose risk flag is still in force stays until the flag has ended (a
                // flag lasts at most 12 months); ended and lifted flags go with their report.
                let live: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM flags WHERE report_id = $1 AND state <> 'lifted' AND ends_at > $2",
                )
                .bind(d.id)
                .bind(super::now_ms())
                .fetch_one(&mut *tx)
                .await?;
                if live > 0 {
                    continue;
                }
                for dependent in [
                    "DELETE FROM flags WHERE report_id = $1",
                    "DELETE FROM report_events WHERE report_id = $1",
                    "DELETE FROM report_reads WHERE report_id = $1",
                    "DELETE FROM receipt_replays WHERE report_id = $1",
                    "DELETE FROM attachments WHERE report_id = $1",
                ] {
                    sqlx::query(dependent).bind(d.id).execute(&mut *tx).await?;
                }
                let gone = sqlx::query("DELETE FROM reports WHERE id = $1").bind(d.id).execute(&mut *tx).await?;
                if gone.rows_affected() != 1 {
                    continue; // another server purged it first
                }
                sqlx::query(
                    "INSERT INTO report_facts (week, kind, channel, role, phase, severity, unit, urgency,
                        received_at, first_answer_at, closed_at, feedback)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(stockholm_week(d.received_at))
                .bind(&d.kind)
                .bind(&d.channel)
                .bind(&d.role)
                .bind(&d.phase)
                .bind(&d.severity)
                .bind(&d.unit)
                .bind(d.urgency())
                .bind(d.received_at)
                .bind(d.first_answer_at)
                .bind(d.closed_at)
                .bind(d.feedback)
                .execute(&mut *tx)
                .await?;
                purged += 1;
            }
            if purged > 0 {
                let reason = serde_json::json!({"purged": purged, "cutoff": cutoff}).to_string();
                let entry = Entry { user_id: user, action: "retention.purge", report_id: None, reason: Some(&reason) };
                append_in_tx!(tx, keys, &entry);
            }
            tx.commit().await?;
            Ok((purged, doomed.len() as u64))
        })
    }
}

/// The instant `months` calendar months before `now` (the day clamped to the month's length).
pub fn cutoff(now: i64, months: i64) -> i64 {
    let t = from_ms(now);
    let index = i64::from(t.year()) * 12 + i64::from(u8::from(t.month())) - 1 - months;
    let (year, month) =
        (index.div_euclid(12) as i32, Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(Month::January));
    let day = t.day().min(month.length(year));
    match Date::from_calendar_date(year, month, day) {
        Ok(date) => super::ms(t.replace_date(date)),
        Err(_) => i64::MIN,
    }
}

/// The last Sunday of a month, 01:00 UTC: when Europe/Stockholm's summer time starts (March)
/// or ends (October), by the EU rule.
fn last_sunday_0100_utc(year: i32, month: Month) -> OffsetDateTime {
    let last = month.length(year);
    let mut d = Date::from_calendar_date(year, month, last).unwrap_or(Date::MIN);
    while d.weekday() != time::Weekday::Sunday {
        d = d.previous_day().unwrap_or(Date::MIN);
    }
    d.with_time(Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_utc()
}

/// The ISO week (`2026-W05`) of an instant in Europe/Stockholm (CET, CEST in summer).
pub fn stockholm_week(ms: i64) -> String {
    let t = from_ms(ms);
    let summer =
        t >= last_sunday_0100_utc(t.year(), Month::March) && t < last_sunday_0100_utc(t.year(), Month::October);
    let local = t + time::Duration::hours(if summer { 2 } else { 1 });
    let (year, week, _) = local.date().to_iso_week_date();
    format!("{year}-W{week:02}")
}

/// The ISO week of an instant in Europe/Stockholm, for the dry run's range.
pub fn week_of(ms: Option<i64>) -> Option<String> {
    ms.map(stockholm_week)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn at(t: OffsetDateTime) -> i64 {
        super::super::ms(t)
    }

    #[test]
    fn the_cutoff_counts_calendar_months_back() {
        assert_eq!(cutoff(at(datetime!(2026-11-27 16:00 UTC)), 24), at(datetime!(2024-11-27 16:00 UTC)));
        assert_eq!(cutoff(at(datetime!(2026-03-31 08:00 UTC)), 1), at(datetime!(2026-02-28 08:00 UTC)));
        assert_eq!(cutoff(at(datetime!(2026-01-15 00:00 UTC)), 13), at(datetime!(2024-12-15 00:00 UTC)));
    }

    #[test]
    fn weeks_are_counted_in_stockholm_time_across_years_and_summer_time() {
        // Sunday 2026-01-04 23:30 UTC is Monday 00:30 in Stockholm: week 2.
        assert_eq!(stockholm_week(at(datetime!(2026-01-04 23:30 UTC))), "2026-W02");
        assert_eq!(stockholm_week(at(datetime!(2026-01-04 22:30 UTC))), "2026-W01");
        // 2027-01-01 is a Friday: ISO week 53 of 2026.
        assert_eq!(stockholm_week(at(datetime!(2027-01-01 12:00 UTC))), "2026-W53");
        // Summer: Sunday 2026-06-07 22:30 UTC is Monday 00:30 CEST.
        assert_eq!(stockholm_week(at(datetime!(2026-06-07 22:30 UTC))), "2026-W24");
        assert_eq!(stockholm_week(at(datetime!(2026-06-07 21:30 UTC))), "2026-W23");
    }
}

//! What statistics read: the live reports UNION ALL the purged reports' kept facts
//! (`report_facts`), so a purge changes no number. The statistics page reads them *grouped*
//! ([`Db::stats_tallies`]: a handful of `GROUP BY` queries over the closed-set columns, a time
//! segment and whole minutes, see [`crate::stats::tally`]); the row-level export and the
//! aggregated export read one de-identified fact per report ([`Db::stats_facts`]). A fact carries
//! no id, text, identity or place: received, kind, channel, role, phase, severity, unit, urgency,
//! first answer and closing (kept on `reports` as columns by migration 0019's triggers, so no
//! timeline is read), and whether the reporter got a closing reason (`report_facts.feedback`).
//! The filters are the inbox's closed-set ones and the received range.

use super::{Db, on_db};
use crate::stats::MINUTE_MS;
use crate::stats::tally::{BUCKET_MINUTES, Cell, Closing, Minutes, Segments, Tallies, ValueCell, needed_buckets};
use sqlx::FromRow;
use trygg_domain::stats::answer_target_minutes;

/// Which reports. `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsFilter {
    pub status: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub kind: Option<&'static str>,
    pub role: Option<&'static str>,
    pub phase: Option<&'static str>,
    /// Received at or after (Unix ms).
    pub from_ms: Option<i64>,
    /// Received before (Unix ms).
    pub to_ms: Option<i64>,
}

/// One report, de-identified.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Fact {
    pub received_at: i64,
    pub kind: String,
    pub channel: String,
    pub role: String,
    pub phase: Option<String>,
    pub severity: Option<String>,
    pub unit: Option<String>,
    /// `urgent` or `routine`.
    pub urgency: String,
    pub first_answer_at: Option<i64>,
    /// When it was closed; `None` while open.
    pub closed_at: Option<i64>,
    /// 1 when closed with a reason the reporter sees, 0 when not, `None` while open and for
    /// reports purged before migration 0019.
    pub feedback: Option<i64>,
    /// 1 for a purged report's kept facts.
    pub purged: i64,
}

const LIVE: &str = "SELECT r.received_at, r.kind, r.channel, r.role, r.phase, r.severity, r.unit,
        CASE WHEN r.urgent THEN 'urgent' ELSE 'routine' END AS urgency,
        r.first_answer_at, r.closed_at,
        CAST(CASE WHEN r.status <> 'closed' THEN NULL WHEN r.closed_reason IS NOT NULL AND r.closed_reason <> '' THEN 1 ELSE 0 END AS BIGINT) AS feedback,
        CAST(0 AS BIGINT) AS purged
    FROM reports r";

const PURGED: &str = "SELECT f.received_at, f.kind, f.channel, f.role, f.phase, f.severity, f.unit, f.urgency,
        f.first_answer_at, f.closed_at, CAST(f.feedback AS BIGINT) AS feedback, CAST(1 AS BIGINT) AS purged
    FROM report_facts f";

/// The columns the tallies group by, the same from both halves (urgency as 1 or 0).
const LIVE_TALLY: &str = "SELECT r.received_at, r.kind, r.channel, r.role, r.phase, r.severity, r.unit,
        CAST(CASE WHEN r.urgent THEN 1 ELSE 0 END AS BIGINT) AS urgent, r.first_answer_at, r.closed_at,
        CAST(CASE WHEN r.status <> 'closed' THEN NULL WHEN r.closed_reason IS NOT NULL AND r.closed_reason <> '' THEN 1 ELSE 0 END AS BIGINT) AS feedback,
        CAST(0 AS BIGINT) AS purged
    FROM reports r";

const PURGED_TALLY: &str = "SELECT f.received_at, f.kind, f.channel, f.role, f.phase, f.severity, f.unit,
        CAST(CASE WHEN f.urgency = 'urgent' THEN 1 ELSE 0 END AS BIGINT) AS urgent, f.first_answer_at, f.closed_at,
        CAST(f.feedback AS BIGINT) AS feedback, CAST(1 AS BIGINT) AS purged
    FROM report_facts f";

/// Whole minutes from receiving to `col` (0 when earlier).
fn minutes(col: &str) -> String {
    format!("CAST(CASE WHEN {col} < received_at THEN 0 ELSE ({col} - received_at) / {MINUTE_MS} END AS BIGINT)")
}

/// The queries of [`Db::stats_tallies`], one per list of [`Tallies`] (the minutes within the
/// needed hours follow from the hourly lists: [`Db::stats_minutes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    Cells,
    Channels,
    Units,
    Answers,
    Closes,
    Closings,
}

impl Tally {
    pub const ALL: [Tally; 6] =
        [Tally::Cells, Tally::Channels, Tally::Units, Tally::Answers, Tally::Closes, Tally::Closings];

    pub fn name(self) -> &'static str {
        match self {
            Tally::Cells => "cells",
            Tally::Channels => "channels",
            Tally::Units => "units",
            Tally::Answers => "answers",
            Tally::Closes => "closes",
            Tally::Closings => "closings",
        }
    }

    /// The query over the selected facts `t`.
    fn sql(self, facts: &str, segments: &Segments) -> String {
        match self {
            Tally::Cells => format!(
                "SELECT CAST({} AS BIGINT) AS seg, kind, role, phase, severity, urgent, purged,
                    COUNT(*) AS n, COUNT(first_answer_at) AS answered
                 FROM ({facts}) t GROUP BY 1, 2, 3, 4, 5, 6, 7",
                segments.sql("received_at")
            ),
            Tally::Channels | Tally::Units => format!(
                "SELECT CAST({} AS BIGINT) AS seg, {} AS value, COUNT(*) AS n FROM ({facts}) t GROUP BY 1, 2",
                segments.sql("received_at"),
                if self == Tally::Channels { "channel" } else { "unit" }
            ),
            Tally::Answers => format!(
                "SELECT urgent, severity, {} / {BUCKET_MINUTES} AS minutes,
                    CAST(CASE WHEN first_answer_at - received_at <= CASE WHEN urgent = 1 THEN {} ELSE {} END
                        THEN 1 ELSE 0 END AS BIGINT) AS within, COUNT(*) AS n
                 FROM ({facts}) t WHERE first_answer_at IS NOT NULL GROUP BY 1, 2, 3, 4",
                minutes("first_answer_at"),
                answer_target_minutes(true) * MINUTE_MS,
                answer_target_minutes(false) * MINUTE_MS
            ),
            Tally::Closes => format!(
                "SELECT urgent, severity, {} / {BUCKET_MINUTES} AS minutes, CAST(0 AS BIGINT) AS within, COUNT(*) AS n
                 FROM ({facts}) t WHERE closed_at IS NOT NULL GROUP BY 1, 2, 3",
                minutes("closed_at")
            ),
            Tally::Closings => format!(
                "SELECT CAST({} AS BIGINT) AS seg, feedback, COUNT(*) AS n
                 FROM ({facts}) t WHERE closed_at IS NOT NULL GROUP BY 1, 2",
                segments.sql("closed_at")
            ),
        }
    }
}

/// A bound value of the filter.
#[derive(Debug, Clone, Copy)]
enum Bind {
    Text(&'static str),
    Int(i64),
}

/// The WHERE clause for table alias `t`, its values appended to `binds` (placeholders number on
/// from those already there, so both halves of the union share one list).
fn conditions(f: &StatsFilter, t: &str, binds: &mut Vec<Bind>, purged: bool) -> String {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut eq = vec![("severity", f.severity), ("kind", f.kind), ("role", f.role), ("phase", f.phase)];
    if !purged {
        eq.push(("status", f.status));
    } else if f.status.is_some_and(|s| s != "closed") {
        // Every purged report was closed.
        sql.push_str(" AND 1 = 0");
    }
    for (col, v) in eq {
        if let Some(v) = v {
            binds.push(Bind::Text(v));
            sql.push_str(&format!(" AND {t}.{col} = ${}", binds.len()));
        }
    }
    for (op, v) in [(">=", f.from_ms), ("<", f.to_ms)] {
        if let Some(v) = v {
            binds.push(Bind::Int(v));
            sql.push_str(&format!(" AND {t}.received_at {op} ${}", binds.len()));
        }
    }
    sql
}

/// The facts `f` selects, live and purged, as the tallies see them, with their bound values.
fn selected(f: &StatsFilter) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let live_where = conditions(f, "r", &mut binds, false);
    let purged_where = conditions(f, "f", &mut binds, true);
    (format!("{LIVE_TALLY}{live_where} UNION ALL {PURGED_TALLY}{purged_where}"), binds)
}

/// Binds `binds` to a query, in order.
macro_rules! bound {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match *b {
                Bind::Text(s) => q.bind(s),
                Bind::Int(i) => q.bind(i),
            };
        }
        q
    }};
}

impl Db {
    /// The selected facts grouped for the statistics page: all [`Tally`] queries at once.
    pub async fn stats_tallies(&self, f: &StatsFilter, segments: &Segments) -> Result<Tallies, sqlx::Error> {
        let q = |t| self.stats_tally(t, f, segments);
        let (a, b, c, d, e, g) = tokio::try_join!(
            q(Tally::Cells),
            q(Tally::Channels),
            q(Tally::Units),
            q(Tally::Answers),
            q(Tally::Closes),
            q(Tally::Closings)
        )?;
        let (answer_hours, close_hours) = (needed_buckets(&d.answers), needed_buckets(&e.closes));
        let (answer_minutes, close_minutes) = tokio::try_join!(
            self.stats_minutes("first_answer_at", f, &answer_hours),
            self.stats_minutes("closed_at", f, &close_hours)
        )?;
        let mut all = Tallies { answer_minutes, close_minutes, ..Tallies::default() };
        for p in [a, b, c, d, e, g] {
            all.cells.extend(p.cells);
            all.channels.extend(p.channels);
            all.units.extend(p.units);
            all.answers.extend(p.answers);
            all.closes.extend(p.closes);
            all.closings.extend(p.closings);
        }
        Ok(all.sorted())
    }

    /// Reports per urgency, severity and whole minute from receiving to `col` (`first_answer_at`
    /// or `closed_at`), within the given hours only (none: no query).
    pub async fn stats_minutes(&self, col: &str, f: &StatsFilter, hours: &[i64]) -> Result<Vec<Minutes>, sqlx::Error> {
        if hours.is_empty() {
            return Ok(Vec::new());
        }
        let (facts, binds) = selected(f);
        let list: Vec<String> = hours.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT urgent, severity, {m} AS minutes, CAST(0 AS BIGINT) AS within, COUNT(*) AS n
             FROM ({facts}) t WHERE {col} IS NOT NULL AND {m} / {BUCKET_MINUTES} IN ({})
             GROUP BY 1, 2, 3",
            list.join(", "),
            m = minutes(col)
        );
        on_db!(self, |pool| bound!(sqlx::query_as::<_, Minutes>(&sql), &binds).fetch_all(pool).await)
    }

    /// One of the statistics page's queries: its list of [`Tallies`], the others empty.
    pub async fn stats_tally(&self, t: Tally, f: &StatsFilter, segments: &Segments) -> Result<Tallies, sqlx::Error> {
        let (facts, binds) = selected(f);
        let sql = t.sql(&facts, segments);
        let mut out = Tallies::default();
        on_db!(self, |pool| {
            match t {
                Tally::Cells => out.cells = bound!(sqlx::query_as::<_, Cell>(&sql), &binds).fetch_all(pool).await?,
                Tally::Channels => {
                    out.channels = bound!(sqlx::query_as::<_, ValueCell>(&sql), &binds).fetch_all(pool).await?
                }
                Tally::Units => {
                    out.units = bound!(sqlx::query_as::<_, ValueCell>(&sql), &binds).fetch_all(pool).await?
                }
                Tally::Answers => {
                    out.answers = bound!(sqlx::query_as::<_, Minutes>(&sql), &binds).fetch_all(pool).await?
                }
                Tally::Closes => {
                    out.closes = bound!(sqlx::query_as::<_, Minutes>(&sql), &binds).fetch_all(pool).await?
                }
                Tally::Closings => {
                    out.closings = bound!(sqlx::query_as::<_, Closing>(&sql), &binds).fetch_all(pool).await?
                }
            }
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(out)
    }

    /// Every fact the filter selects, live and purged, oldest first. With `live_only`, the
    /// purged reports' facts are left out (the coordinators' row-level export of the inbox).
    pub async fn stats_facts(&self, f: &StatsFilter, live_only: bool) -> Result<Vec<Fact>, sqlx::Error> {
        let mut binds = Vec::new();
        let live_where = conditions(f, "r", &mut binds, false);
        let mut sql = format!("{LIVE}{live_where}");
        if !live_only {
            let purged_where = conditions(f, "f", &mut binds, true);
            sql = format!("SELECT * FROM ({sql} UNION ALL {PURGED}{purged_where}) facts");
        }
        sql.push_str(" ORDER BY received_at");
        on_db!(self, |pool| bound!(sqlx::query_as::<_, Fact>(&sql), &binds).fetch_all(pool).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_bind_their_own_placeholders() {
        let f = StatsFilter { kind: Some("threat"), status: Some("closed"), from_ms: Some(5), ..Default::default() };
        let mut b = Vec::new();
        let live = conditions(&f, "r", &mut b, false);
        assert_eq!(live, " WHERE 1 = 1 AND r.kind = $1 AND r.status = $2 AND r.received_at >= $3");
        let purged = conditions(&f, "f", &mut b, true);
        assert_eq!(purged, " WHERE 1 = 1 AND f.kind = $4 AND f.received_at >= $5");
        let open = StatsFilter { status: Some("new"), ..Default::default() };
        assert!(conditions(&open, "f", &mut Vec::new(), true).contains("1 = 0"));
    }
}

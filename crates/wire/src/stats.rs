//! `/api/stats*`: statistics over live reports and the purged reports' de-identified facts
//! (coordinators and analysts), and the aggregated export with small counts suppressed.
//! No type here carries report content or a reporter's identity.

use serde::{Deserialize, Serialize};

/// Counts per period by dimension, the open backlog, answer and closing times, closure
/// feedback and serious incidents, for the reports the filters select.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// `week` (ISO weeks, `2026-W05`) or `month` (`2026-01`), in Europe/Stockholm.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(week|month)$"))]
    pub period: String,
    /// The periods, oldest first; every per-period list below has one number per entry.
    pub buckets: Vec<String>,
    /// Reports per period.
    pub counts: Vec<i64>,
    /// All reports selected (live and purged).
    pub total: i64,
    /// Of `total`, purged reports counted from their kept facts.
    pub purged: i64,
    /// Counts per period for each value of `kind`, `channel`, `role`, `phase`, `severity`, `unit`.
    pub by: Vec<Breakdown>,
    /// Reports open (received, not closed) at the end of each period (now, for the current one).
    pub backlog: Vec<i64>,
    /// Time to first answer and to close: for all reports, by urgency and by severity.
    pub times: Vec<TimeFigures>,
    pub feedback: Feedback,
    /// Reports that needed the 24-hour notice to the work-environment authority, per period.
    pub serious: Vec<i64>,
    pub serious_total: i64,
}

/// One dimension's counts per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// `kind`, `channel`, `role`, `phase`, `severity` or `unit`.
    pub dimension: String,
    /// One row per value seen (`none` for reports without one), largest total first.
    pub rows: Vec<CountRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountRow {
    pub value: String,
    /// One count per period (`Stats::buckets`).
    pub counts: Vec<i64>,
    pub total: i64,
}

/// Answer and closing times of one group of reports, in whole minutes (nearest-rank percentiles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeFigures {
    /// `all`, `urgent`, `routine`, or `severity:low` … `severity:critical`, `severity:none`.
    pub group: String,
    pub reports: i64,
    /// Reports with a first answer.
    pub answered: i64,
    pub answer_median_minutes: Option<i64>,
    pub answer_p90_minutes: Option<i64>,
    /// Reports whose target has passed or that were answered: the share's denominator.
    pub target_due: i64,
    /// Of those, answered within the target (1 h urgent, 24 h routine).
    pub within_target: i64,
    pub closed: i64,
    pub close_median_minutes: Option<i64>,
    pub close_p90_minutes: Option<i64>,
}

/// Closure feedback: a closed report whose reporter was given a closing reason (shown on the
/// reporter's follow-up page). Purged reports' facts do not keep this, so they are `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Feedback {
    /// Closed live reports.
    pub closed: i64,
    /// Of those, closed with a reason the reporter sees.
    pub with_feedback: i64,
    /// Closed purged reports, for which it is not known.
    pub unknown: i64,
}

/// The aggregated export of one fixed period (see docs/aggregate-export.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Aggregate {
    /// `2026-03` (month), `2026-Q1` (quarter) or `2026` (year), Europe/Stockholm.
    pub period: String,
    /// The period's start and end (exclusive), RFC 3339.
    pub from: String,
    pub to: String,
    /// Every reported cell: a count as digits, `<5` for 1–4, `x` for a cell hidden so that
    /// a `<5` cell cannot be computed back from the totals.
    pub total: String,
    pub tables: Vec<AggregateTable>,
    /// Median minutes to first answer and to close; `null` when fewer than 5 reports.
    pub answer_median_minutes: Option<i64>,
    pub close_median_minutes: Option<i64>,
}

/// A dimension crossed with the reporter's role: rows are the dimension's values, columns the
/// roles, each row and column with its (suppressed) total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AggregateTable {
    /// `kind`, `channel`, `phase` or `severity`.
    pub dimension: String,
    /// The roles (`healthcare`, `elected_official`).
    pub columns: Vec<String>,
    pub rows: Vec<AggregateRow>,
    /// Column totals, in `columns` order.
    pub column_totals: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AggregateRow {
    pub value: String,
    pub cells: Vec<String>,
    pub total: String,
}

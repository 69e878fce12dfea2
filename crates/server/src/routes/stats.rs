//! `/api/stats*`: statistics over live and purged reports for coordinators and analysts (JSON and
//! CSV), the coordinators' row-level CSV of the filtered reports (no free text, no identity), and
//! the aggregated export of a fixed period with small counts suppressed. Every request is an
//! access-log entry naming the filters used, never any content.

use crate::auth::{Coordinator, StatsReader};
use crate::error::{ApiError, ApiQuery, QueryErrors, ServerErrors, SessionErrors};
use crate::state::AppState;
use crate::stats::aggregate::{aggregate as build_aggregate, parse_period, to_csv};
use crate::stats::tally::Segments;
use crate::stats::{MAX_PERIODS, Period, compute, local_day, midnight, periods};
use crate::store::audit::Entry;
use crate::store::stats::StatsFilter;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use trygg_wire::stats::{Aggregate, Stats};

/// Which reports and how to group them; every parameter optional.
#[derive(Deserialize, Serialize, utoipa::IntoParams, Default, Debug)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct StatsQuery {
    /// `week` (default, ISO weeks) or `month`, in Europe/Stockholm.
    #[param(pattern = "^(week|month)$")]
    pub period: Option<String>,
    /// `new`, `in_progress` or `closed`
    pub status: Option<String>,
    /// `low`, `medium`, `high` or `critical`
    pub severity: Option<String>,
    /// `threat`, `harassment`, `violence`, `vandalism` or `other`
    pub kind: Option<String>,
    /// `healthcare` or `elected_official`
    pub role: Option<String>,
    /// `before`, `during` or `after`
    pub phase: Option<String>,
    /// Received on or after this day (`YYYY-MM-DD`, Europe/Stockholm). Default: 52 weeks
    /// (or 24 months) back.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Received on or before this day (`YYYY-MM-DD`, Europe/Stockholm). Default: today.
    #[param(format = Date)]
    pub to: Option<String>,
}

fn one_of<T: std::str::FromStr>(
    raw: &Option<String>,
    name: fn(T) -> &'static str,
) -> Result<Option<&'static str>, ApiError> {
    // An empty value is not "absent": the app leaves out what is not chosen, and the schema
    // (enums, `date`, the period's pattern) admits no empty string.
    match raw.as_deref().map(str::trim) {
        None => Ok(None),
        Some(s) => s.parse::<T>().map(|v| Some(name(v))).map_err(|_| ApiError::InvalidQuery),
    }
}

fn day(raw: &Option<String>) -> Result<Option<Date>, ApiError> {
    match raw.as_deref().map(str::trim) {
        None => Ok(None),
        Some(s) => {
            let d: Date = s.parse().map_err(|_| ApiError::InvalidQuery)?;
            if s.len() != 10 || !(2000..=2200).contains(&d.year()) {
                return Err(ApiError::InvalidQuery);
            }
            Ok(Some(d))
        }
    }
}

/// The query, checked: (period, filter with its received range, first day).
pub struct Selection {
    pub period: Period,
    pub filter: StatsFilter,
    pub first_day: Date,
    pub end_ms: i64,
}

impl StatsQuery {
    /// The periods and filter the query selects at `now` (the defaults filled in).
    pub fn select(&self, now: i64) -> Result<Selection, ApiError> {
        use trygg_domain::{IncidentKind, Phase, Role, Severity, Status};
        let period = match self.period.as_deref().map(str::trim) {
            None | Some("week") => Period::Week,
            Some("month") => Period::Month,
            Some(_) => return Err(ApiError::InvalidQuery),
        };
        let today = local_day(now);
        let end_ms = match day(&self.to)? {
            Some(d) => midnight(d.tomorrow().map_err(|_| ApiError::InvalidQuery)?),
            None => now + 1,
        };
        let last_day = local_day(end_ms - 1);
        let first_day = match day(&self.from)? {
            Some(d) => d,
            None => {
                let back = if period == Period::Week { 51.weeks() } else { 23.months() };
                period.start_of(last_day.min(today).checked_sub(back).map_err(|_| ApiError::InvalidQuery)?)
            }
        };
        if first_day > last_day {
            return Err(ApiError::InvalidQuery);
        }
        if periods(period, first_day, end_ms).0.len() > MAX_PERIODS {
            return Err(ApiError::InvalidQuery);
        }
        let filter = StatsFilter {
            status: one_of(&self.status, Status::as_str)?,
            severity: one_of(&self.severity, Severity::as_str)?,
            kind: one_of(&self.kind, IncidentKind::as_str)?,
            role: one_of(&self.role, Role::as_str)?,
            phase: one_of(&self.phase, Phase::as_str)?,
            from_ms: Some(midnight(first_day)),
            to_ms: Some(end_ms),
        };
        Ok(Selection { period, filter, first_day, end_ms })
    }
}

/// Writes `action` to the access log with the query (closed-set values and days only).
async fn log(state: &AppState, user: uuid::Uuid, action: &str, query: &impl Serialize) -> Result<(), ApiError> {
    let reason = serde_json::to_string(query).map_err(ApiError::internal)?;
    let entry = Entry { user_id: Some(user), action, report_id: None, reason: Some(&reason) };
    state.db.audit(&state.keys, &entry).await?;
    Ok(())
}

async fn statistics(state: &AppState, q: &StatsQuery) -> Result<Stats, ApiError> {
    let now = state.clock.now_ms();
    let sel = q.select(now)?;
    let (labels, starts) = periods(sel.period, sel.first_day, sel.end_ms);
    let segments = Segments::new(&starts, now);
    let tallies = state.db.stats_tallies(&sel.filter, &segments, now).await?;
    Ok(compute(&tallies, &segments, sel.period, labels, &starts, now))
}

fn csv_response(body: String, filename: &str) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// `GET /api/stats`: the statistics of the selected reports (live and purged), per period.
#[utoipa::path(get, path = "/api/stats", tag = "statistics", params(StatsQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The statistics (written to the access log as `stats.read`)", body = Stats),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn stats(
    State(state): State<AppState>,
    StatsReader(who): StatsReader,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Json<Stats>, ApiError> {
    let s = statistics(&state, &q).await?;
    log(&state, who.id, "stats.read", &q).await?;
    Ok(Json(s))
}

/// `GET /api/stats/csv`: the same statistics as a spreadsheet (`;`, UTF-8 with BOM).
#[utoipa::path(get, path = "/api/stats/csv", tag = "statistics", params(StatsQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The statistics as CSV (access log: `stats.export`)", content_type = "text/csv", body = String),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn stats_csv(
    State(state): State<AppState>,
    StatsReader(who): StatsReader,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let s = statistics(&state, &q).await?;
    log(&state, who.id, "stats.export", &q).await?;
    Ok(csv_response(crate::stats::export::statistics(&s), "trygg-statistik.csv"))
}

/// `GET /api/stats/rows`: one line per selected live report — day, week, kind, channel, role,
/// phase, severity, urgency, open or closed, minutes to first answer and to close; no id, no
/// free text (description, place, unit), no identity. Coordinators only.
#[utoipa::path(get, path = "/api/stats/rows", tag = "statistics", params(StatsQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The reports as CSV rows (access log: `stats.export_rows`)", content_type = "text/csv", body = String),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn rows(
    State(state): State<AppState>,
    who: Coordinator,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let sel = q.select(state.clock.now_ms())?;
    let facts = state.db.stats_facts(&sel.filter, true).await?;
    log(&state, who.id, "stats.export_rows", &q).await?;
    Ok(csv_response(crate::stats::export::rows(&facts), "trygg-rapporter.csv"))
}

#[derive(Deserialize, Serialize, utoipa::IntoParams, Default, Debug)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AggregateQuery {
    /// A month (`2026-03`), quarter (`2026-Q1`) or year (`2026`), Europe/Stockholm.
    #[param(pattern = "^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$")]
    period: String,
    /// `json` (default) or `csv`
    #[param(pattern = "^(json|csv)$")]
    format: Option<String>,
}

/// `GET /api/stats/aggregate`: the export for other regions: one fixed period, counts by
/// dimension and role with 1–4 published as `<5` and secondary suppression (docs/aggregate-export.md).
#[utoipa::path(get, path = "/api/stats/aggregate", tag = "statistics", params(AggregateQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The export (access log: `stats.aggregate`); CSV with `format=csv`",
            content((Aggregate = "application/json"), (String = "text/csv"))),
        QueryErrors, SessionErrors, ServerErrors,
    ))]
pub async fn aggregate(
    State(state): State<AppState>,
    StatsReader(who): StatsReader,
    ApiQuery(q): ApiQuery<AggregateQuery>,
) -> Result<Response, ApiError> {
    let period = parse_period(&q.period).ok_or(ApiError::InvalidQuery)?;
    let csv = match q.format.as_deref() {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::InvalidQuery),
    };
    let (from_ms, to_ms) = period.instants();
    let filter = StatsFilter { from_ms: Some(from_ms), to_ms: Some(to_ms), ..Default::default() };
    let facts = state.db.stats_facts(&filter, false).await?;
    let a = build_aggregate(&period, &facts);
    log(&state, who.id, "stats.aggregate", &q).await?;
    if csv {
        return Ok(csv_response(to_csv(&a), &format!("trygg-aggregat-{}.csv", a.period)));
    }
    Ok(Json(a).into_response())
}

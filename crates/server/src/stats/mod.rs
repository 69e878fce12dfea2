//! Statistics computed from de-identified facts ([`crate::store::stats`]): counts per ISO week or
//! month (Europe/Stockholm) by dimension, the open backlog at the end of each period, time to
//! first answer and to close (nearest-rank median and p90; share answered within the target),
//! closure feedback and the serious incidents that needed the work-environment notice. Pure:
//! the tallied facts ([`tally`]: counts grouped by time segment, closed-set values and minutes,
//! as the database returns them), the periods and `now` in, numbers out.

pub mod aggregate;
pub mod csv;
pub mod export;
pub mod fold;
pub mod rollup;
pub mod suppress;
pub mod tally;
pub mod times;

use crate::region_time::{instant_of, local};
use crate::store::stats::Fact;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;
use tally::{Cell, Group, Minutes, Segments, Tallies, groups};
use trygg_domain::stats::{answer_target_minutes, needs_work_environment_notice, percentile};
use trygg_wire::stats::{Breakdown, CountRow, Feedback, Stats, TimeFigures};

/// How facts are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The first day of the period holding `d` (a Monday, or the 1st).
    pub fn start_of(self, d: Date) -> Date {
        match self {
            Period::Week => d.checked_sub(i64::from(d.weekday().to_monday_zero_offset()).days()).unwrap_or(d),
            Period::Month => d.first_of_month(),
        }
    }

    /// The first day of the next period after the one starting on `start`.
    pub fn next(self, start: Date) -> Date {
        let step = match self {
            Period::Week => 7.days(),
            Period::Month => 1.month(),
        };
        start.checked_add(step).unwrap_or(Date::MAX)
    }

    /// `2026-W05` (the ISO week's own year) or `2026-01`.
    pub fn label(self, start: Date) -> String {
        match self {
            Period::Week => {
                let w = start.iso_week_date();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Period::Month => format!("{}-{:02}", start.year(), start.month()),
        }
    }
}

/// The local day of an instant in Europe/Stockholm.
pub fn local_day(ms: i64) -> Date {
    local(ms).date()
}

/// Local midnight of `d` as an instant.
pub fn midnight(d: Date) -> i64 {
    instant_of(d.at(0, 0, 0, 0))
}

/// The periods from the one holding `from` to the one holding the instant before `to_ms`:
/// (labels, start instants, plus the end instant of the last).
pub fn periods(period: Period, from: Date, to_ms: i64) -> (Vec<String>, Vec<i64>) {
    let mut labels = Vec::new();
    let mut starts = Vec::new();
    let mut d = period.start_of(from);
    loop {
        let at = midnight(d);
        if at >= to_ms && !starts.is_empty() {
            break;
        }
        labels.push(period.label(d));
        starts.push(at);
        d = period.next(d);
        if labels.len() > MAX_PERIODS {
            break;
        }
    }
    starts.push(midnight(d));
    (labels, starts)
}

/// The most periods one answer holds.
pub const MAX_PERIODS: usize = 600;

pub const MINUTE_MS: i64 = 60_000;

/// The percentile `p` of durations in ms, in whole minutes.
pub fn percentile_minutes(mut ms: Vec<i64>, p: u32) -> Option<i64> {
    ms.sort_unstable();
    percentile(&ms, p).map(|v| v.max(0) / MINUTE_MS)
}

/// An instant as RFC 3339 (UTC).
pub fn rfc3339(ms: i64) -> String {
    use time::format_description::well_known::Rfc3339;
    crate::store::from_ms(ms).format(&Rfc3339).unwrap_or_default()
}

fn value(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "none".to_owned())
}

fn is_serious(kind: &str, severity: Option<&str>) -> bool {
    let severity = severity.and_then(|s| s.parse().ok());
    kind.parse().ok().is_some_and(|k| needs_work_environment_notice(k, severity))
}

/// [`compute`] over row-level facts (folded by [`Tallies::of_facts`]).
pub fn compute_facts(facts: &[Fact], period: Period, labels: Vec<String>, starts: &[i64], now: i64) -> Stats {
    let segments = Segments::new(starts, now);
    compute(&Tallies::of_facts(facts, &segments), &segments, period, labels, starts, now)
}

/// Per-period counts of one dimension's values, the most frequent first.
fn breakdown(dimension: &str, map: BTreeMap<String, Vec<i64>>) -> Breakdown {
    let mut rows: Vec<CountRow> =
        map.into_iter().map(|(value, counts)| CountRow { total: counts.iter().sum(), value, counts }).collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.value.cmp(&b.value)));
    Breakdown { dimension: dimension.to_owned(), rows }
}

/// The statistics of the tallied reports (`t`, grouped by `segments`) over the periods
/// `starts` (as from [`periods`]) at `now`. Reports outside the periods are left out.
pub fn compute(
    t: &Tallies,
    segments: &Segments,
    period: Period,
    labels: Vec<String>,
    starts: &[i64],
    now: i64,
) -> Stats {
    let n = labels.len();
    let index = |at: i64| starts[..n].partition_point(|s| *s <= at).checked_sub(1).filter(|i| *i < n);
    let period_of = |seg: i64| segments.start(seg).and_then(index);
    let mut counts = vec![0; n];
    let mut serious = vec![0; n];
    let (mut total, mut purged) = (0, 0);
    let mut by: Vec<BTreeMap<String, Vec<i64>>> = vec![BTreeMap::new(); 6];
    let mut add = |dim: usize, v: String, i: usize, c: i64| by[dim].entry(v).or_insert_with(|| vec![0; n])[i] += c;
    let cells: Vec<&Cell> = t.cells.iter().filter(|c| period_of(c.seg).is_some()).collect();
    for c in &cells {
        let Some(i) = period_of(c.seg) else { continue };
        counts[i] += c.n;
        total += c.n;
        purged += c.n * c.purged;
        if is_serious(&c.kind, c.severity.as_deref()) {
            serious[i] += c.n;
        }
        add(0, c.kind.clone(), i, c.n);
        add(2, c.role.clone(), i, c.n);
        add(3, value(&c.phase), i, c.n);
        add(4, value(&c.severity), i, c.n);
    }
    for (dim, list) in [(1, &t.channels), (5, &t.units)] {
        for v in list {
            if let Some(i) = period_of(v.seg) {
                add(dim, value(&v.value), i, v.n);
            }
        }
    }
    let dims = ["kind", "channel", "role", "phase", "severity", "unit"];
    let by = dims.iter().zip(by).map(|(dim, map)| breakdown(dim, map)).collect();
    Stats {
        period: period.as_str().to_owned(),
        total,
        purged,
        backlog: backlog(&cells, t, segments, &starts[1..=n], now),
        times: times(&cells, t, segments, now),
        feedback: feedback(t),
        serious_total: serious.iter().sum(),
        serious,
        counts,
        by,
        buckets: labels,
    }
}

/// Open at each end (capped at `now`): received before it and not closed before it. Every end
/// and `now` are segment bounds, so a segment lies wholly before an end or wholly after.
fn backlog(cells: &[&Cell], t: &Tallies, segments: &Segments, ends: &[i64], now: i64) -> Vec<i64> {
    ends.iter()
        .map(|end| {
            let e = (*end).min(now);
            let received: i64 = cells.iter().filter(|c| segments.end(c.seg) <= e).map(|c| c.n).sum();
            let closed: i64 = t.closings.iter().filter(|c| segments.end(c.seg) <= e).map(|c| c.n).sum();
            received - closed
        })
        .collect()
}

fn times(cells: &[&Cell], t: &Tallies, segments: &Segments, now: i64) -> Vec<TimeFigures> {
    groups().iter().map(|g| figures(g, cells, t, segments, now)).collect()
}

fn figures(g: &Group, cells: &[&Cell], t: &Tallies, segments: &Segments, now: i64) -> TimeFigures {
    let (mut reports, mut due) = (0, 0);
    for c in cells.iter().filter(|c| g.has(c.urgent, c.severity.as_deref())) {
        reports += c.n;
        // Unanswered and past the target: received before `now` minus the target, a bound.
        let target_ms = answer_target_minutes(c.urgent == 1) * MINUTE_MS;
        if segments.end(c.seg) <= now - target_ms {
            due += c.n - c.answered;
        }
    }
    let mine = |list: &[Minutes]| -> Vec<Minutes> {
        list.iter().filter(|x| g.has(x.urgent, x.severity.as_deref())).cloned().collect()
    };
    let answers = mine(&t.answers);
    let closes = mine(&t.closes);
    let answered: i64 = answers.iter().map(|x| x.n).sum();
    let within = answers.iter().filter(|x| x.within == 1).map(|x| x.n).sum();
    let answer = |p| tally::percentile(&t.answers, &t.answer_minutes, g, p);
    let close = |p| tally::percentile(&t.closes, &t.close_minutes, g, p);
    TimeFigures {
        group: g.name.clone(),
        reports,
        answered,
        answer_median_minutes: answer(50),
        answer_p90_minutes: answer(90),
        target_due: due + answered,
        within_target: within,
        closed: closes.iter().map(|x| x.n).sum(),
        close_median_minutes: close(50),
        close_p90_minutes: close(90),
    }
}

fn feedback(t: &Tallies) -> Feedback {
    let (mut fb, mut known, mut unknown) = (0, 0, 0);
    for c in &t.closings {
        match c.feedback {
            Some(v) => {
                known += c.n;
                fb += c.n * v.clamp(0, 1);
            }
            None => unknown += c.n,
        }
    }
    Feedback { closed: known, with_feedback: fb, unknown }
}

#[cfg(test)]
mod tests;

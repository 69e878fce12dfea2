//! Statistics computed from de-identified facts ([`crate::store::stats`]): counts per ISO week or
//! month (Europe/Stockholm) by dimension, the open backlog at the end of each period, time to
//! first answer and to close (nearest-rank median and p90; share answered within the target),
//! closure feedback and the serious incidents that needed the work-environment notice. Pure:
//! the facts, the periods and `now` in, numbers out.

pub mod aggregate;
pub mod csv;
pub mod export;
pub mod suppress;

use crate::region_time::{instant_of, local};
use crate::store::stats::Fact;
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::BTreeMap;
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

fn is_serious(f: &Fact) -> bool {
    let kind = f.kind.parse().ok();
    let severity = f.severity.as_deref().and_then(|s| s.parse().ok());
    kind.is_some_and(|k| needs_work_environment_notice(k, severity))
}

/// The statistics of `facts` over the periods `starts` (as from [`periods`]) at `now`.
pub fn compute(facts: &[Fact], period: Period, labels: Vec<String>, starts: &[i64], now: i64) -> Stats {
    let n = labels.len();
    let index = |at: i64| starts[..n].partition_point(|s| *s <= at).checked_sub(1).filter(|i| *i < n);
    let mut counts = vec![0; n];
    let mut serious = vec![0; n];
    let dims = ["kind", "channel", "role", "phase", "severity", "unit"];
    let mut by: Vec<BTreeMap<String, Vec<i64>>> = vec![BTreeMap::new(); dims.len()];
    for f in facts {
        let Some(i) = index(f.received_at) else { continue };
        counts[i] += 1;
        if is_serious(f) {
            serious[i] += 1;
        }
        let values =
            [f.kind.clone(), f.channel.clone(), f.role.clone(), value(&f.phase), value(&f.severity), value(&f.unit)];
        for (map, v) in by.iter_mut().zip(values) {
            map.entry(v).or_insert_with(|| vec![0; n])[i] += 1;
        }
    }
    let by = dims
        .iter()
        .zip(by)
        .map(|(dim, map)| {
            let mut rows: Vec<CountRow> =
                map.into_iter().map(|(value, counts)| CountRow { total: counts.iter().sum(), value, counts }).collect();
            rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.value.cmp(&b.value)));
            Breakdown { dimension: (*dim).to_owned(), rows }
        })
        .collect();
    let counted: Vec<&Fact> = facts.iter().filter(|f| index(f.received_at).is_some()).collect();
    Stats {
        period: period.as_str().to_owned(),
        total: counted.len() as i64,
        purged: counted.iter().filter(|f| f.purged == 1).count() as i64,
        backlog: backlog(&counted, &starts[1..=n], now),
        times: times(&counted, now),
        feedback: feedback(&counted),
        serious_total: serious.iter().sum(),
        serious,
        counts,
        by,
        buckets: labels,
    }
}

/// Open at each end (capped at `now`): received before it and not closed before it.
fn backlog(facts: &[&Fact], ends: &[i64], now: i64) -> Vec<i64> {
    let mut received: Vec<i64> = facts.iter().map(|f| f.received_at).collect();
    let mut closed: Vec<i64> = facts.iter().filter_map(|f| f.closed_at).collect();
    received.sort_unstable();
    closed.sort_unstable();
    ends.iter()
        .map(|end| {
            let e = (*end).min(now);
            (received.partition_point(|r| *r < e) - closed.partition_point(|c| *c < e)) as i64
        })
        .collect()
}

fn times(facts: &[&Fact], now: i64) -> Vec<TimeFigures> {
    let mut groups: Vec<(String, Vec<&Fact>)> = vec![("all".into(), facts.to_vec())];
    for u in ["urgent", "routine"] {
        groups.push((u.into(), facts.iter().copied().filter(|f| f.urgency == u).collect()));
    }
    for s in ["low", "medium", "high", "critical", "none"] {
        let of = |f: &&Fact| f.severity.as_deref().unwrap_or("none") == s;
        groups.push((format!("severity:{s}"), facts.iter().copied().filter(of).collect()));
    }
    groups.into_iter().map(|(group, fs)| figures(group, &fs, now)).collect()
}

fn figures(group: String, facts: &[&Fact], now: i64) -> TimeFigures {
    let mut answer = Vec::new();
    let mut close = Vec::new();
    let (mut due, mut within) = (0, 0);
    for f in facts {
        let target_ms = answer_target_minutes(f.urgency == "urgent") * MINUTE_MS;
        match f.first_answer_at {
            Some(a) => {
                answer.push((a - f.received_at).max(0) / MINUTE_MS);
                due += 1;
                if a - f.received_at <= target_ms {
                    within += 1;
                }
            }
            None if now - f.received_at > target_ms => due += 1,
            None => {}
        }
        if let Some(c) = f.closed_at {
            close.push((c - f.received_at).max(0) / MINUTE_MS);
        }
    }
    answer.sort_unstable();
    close.sort_unstable();
    TimeFigures {
        group,
        reports: facts.len() as i64,
        answered: answer.len() as i64,
        answer_median_minutes: percentile(&answer, 50),
        answer_p90_minutes: percentile(&answer, 90),
        target_due: due,
        within_target: within,
        closed: close.len() as i64,
        close_median_minutes: percentile(&close, 50),
        close_p90_minutes: percentile(&close, 90),
    }
}

fn feedback(facts: &[&Fact]) -> Feedback {
    let closed = facts.iter().filter(|f| f.closed_at.is_some());
    let (mut fb, mut known, mut unknown) = (0, 0, 0);
    for f in closed {
        match f.feedback {
            Some(v) => {
                known += 1;
                fb += v.min(1);
            }
            None => unknown += 1,
        }
    }
    Feedback { closed: known, with_feedback: fb, unknown }
}

#[cfg(test)]
mod tests;

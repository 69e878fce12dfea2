//! What the statistics' SQL returns instead of one row per report: counts grouped by *segment*
//! (the stretch of time between two consecutive instants that matter — every period's start and
//! end in Europe/Stockholm, `now`, and `now` minus each first-answer target), by the closed-set
//! columns, and by whole minutes to first answer and to close. Every figure of
//! [`super::compute`] is a sum over these groups, so the numbers are exactly those of the
//! reports themselves: a period, the backlog at a period's end and "answer overdue" all fall on
//! segment boundaries. Times to first answer and to close come in two steps: counts per whole
//! hour ([`BUCKET_MINUTES`]) first, then per whole minute only within the hours that hold a
//! median or p90 ([`needed_buckets`]): nearest-rank percentiles over these counts are exactly
//! the percentiles of the minutes, without a row per distinct minute.
//!
//! [`Tallies::of_facts`] folds row-level facts the same way in Rust: the reference the SQL is
//! tested against.

use super::MINUTE_MS;
use crate::store::stats::Fact;
use std::collections::BTreeMap;
use trygg_domain::stats::answer_target_minutes;

/// The sorted instants that cut time into segments. Segment `i` is `[bounds[i], bounds[i+1])`;
/// segment `-1` is everything before the first bound, the last one everything from the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segments {
    pub bounds: Vec<i64>,
}

impl Segments {
    /// The period bounds `starts` (as from [`super::periods`]), `now` and `now` minus each target.
    pub fn new(starts: &[i64], now: i64) -> Segments {
        let mut bounds = starts.to_vec();
        bounds.push(now);
        for urgent in [true, false] {
            bounds.push(now - answer_target_minutes(urgent) * MINUTE_MS);
        }
        bounds.sort_unstable();
        bounds.dedup();
        Segments { bounds }
    }

    /// The segment holding `at`.
    pub fn of(&self, at: i64) -> i64 {
        self.bounds.partition_point(|b| *b <= at) as i64 - 1
    }

    /// Where segment `s` starts (`None` for segment -1).
    pub fn start(&self, s: i64) -> Option<i64> {
        usize::try_from(s).ok().and_then(|i| self.bounds.get(i)).copied()
    }

    /// Where segment `s` ends (`i64::MAX` for the last).
    pub fn end(&self, s: i64) -> i64 {
        usize::try_from(s + 1).ok().and_then(|i| self.bounds.get(i)).copied().unwrap_or(i64::MAX)
    }

    /// A SQL expression of the segment holding `col`: a binary search of nested `CASE`s over
    /// the bounds, written as integer literals (computed by the server, never user input).
    pub fn sql(&self, col: &str) -> String {
        self.case(col, -1, self.bounds.len() as i64 - 1)
    }

    fn case(&self, col: &str, first: i64, last: i64) -> String {
        if first >= last {
            return first.to_string();
        }
        let mid = (first + last + 1) / 2;
        let at = self.bounds[mid as usize];
        let (lo, hi) = (self.case(col, first, mid - 1), self.case(col, mid, last));
        format!("CASE WHEN {col} < {at} THEN {lo} ELSE {hi} END")
    }
}

/// Reports of one segment and closed-set values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Cell {
    pub seg: i64,
    pub kind: String,
    pub role: String,
    pub phase: Option<String>,
    pub severity: Option<String>,
    /// 1 for urgent, 0 for routine.
    pub urgent: i64,
    /// 1 for purged reports' facts.
    pub purged: i64,
    pub n: i64,
    /// How many of them have a first answer.
    pub answered: i64,
}

/// A cell's values: (segment, kind, role, phase, severity, urgent, purged).
pub type CellValues = (i64, String, String, Option<String>, Option<String>, i64, i64);

impl Cell {
    /// The cell of `values` with its counts (reports, answered).
    pub fn of(values: CellValues, (n, answered): (i64, i64)) -> Cell {
        let (seg, kind, role, phase, severity, urgent, purged) = values;
        Cell { seg, kind, role, phase, severity, urgent, purged, n, answered }
    }
}

/// Counts per (segment, value) as a list.
pub fn value_cells(m: BTreeMap<(i64, Option<String>), i64>) -> Vec<ValueCell> {
    m.into_iter().map(|((seg, value), n)| ValueCell { seg, value, n }).collect()
}

/// Counts per (segment, feedback) as a list.
pub fn closing_cells(m: BTreeMap<(i64, Option<i64>), i64>) -> Vec<Closing> {
    m.into_iter().map(|((seg, feedback), n)| Closing { seg, feedback, n }).collect()
}

/// Reports of one segment and one value of a dimension (`channel`, `unit`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct ValueCell {
    pub seg: i64,
    pub value: Option<String>,
    pub n: i64,
}

/// Minutes to first answer or to close are counted per this many whole minutes first.
pub const BUCKET_MINUTES: i64 = 60;

/// Reports of one urgency and severity with the same whole minutes to first answer (or to
/// close) — or, in the hourly lists, the same whole hours ([`BUCKET_MINUTES`]) in `minutes`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Minutes {
    pub urgent: i64,
    pub severity: Option<String>,
    pub minutes: i64,
    /// 1 when answered within the target (always 0 for closing times).
    pub within: i64,
    pub n: i64,
}

/// Closed reports of one closing segment and closure feedback (`None`: not known).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct Closing {
    pub seg: i64,
    pub feedback: Option<i64>,
    pub n: i64,
}

/// Everything the statistics are computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies {
    pub cells: Vec<Cell>,
    pub channels: Vec<ValueCell>,
    pub units: Vec<ValueCell>,
    /// Per urgency, severity, hour to first answer and whether within the target.
    pub answers: Vec<Minutes>,
    /// Per urgency, severity and hour to close.
    pub closes: Vec<Minutes>,
    /// Per urgency, severity and minute to first answer, within the needed hours only.
    pub answer_minutes: Vec<Minutes>,
    /// Per urgency, severity and minute to close, within the needed hours only.
    pub close_minutes: Vec<Minutes>,
    pub closings: Vec<Closing>,
}

/// A group of reports the time figures are given for: all, by urgency, by severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    urgent: Option<i64>,
    severity: Option<&'static str>,
}

impl Group {
    pub fn has(&self, urgent: i64, severity: Option<&str>) -> bool {
        self.urgent.is_none_or(|u| u == urgent) && self.severity.is_none_or(|s| severity.unwrap_or("none") == s)
    }
}

/// The groups, in the order the answer lists them.
pub fn groups() -> Vec<Group> {
    let mut g = vec![Group { name: "all".into(), urgent: None, severity: None }];
    for (name, u) in [("urgent", 1), ("routine", 0)] {
        g.push(Group { name: name.into(), urgent: Some(u), severity: None });
    }
    for s in ["low", "medium", "high", "critical", "none"] {
        g.push(Group { name: format!("severity:{s}"), urgent: None, severity: Some(s) });
    }
    g
}

/// The percentiles the statistics give.
pub const PERCENTILES: [u32; 2] = [50, 90];

/// `(value, count)` pairs of a group, ascending.
fn pairs(list: &[Minutes], g: &Group) -> Vec<(i64, i64)> {
    let mut m: BTreeMap<i64, i64> = BTreeMap::new();
    for x in list.iter().filter(|x| g.has(x.urgent, x.severity.as_deref())) {
        *m.entry(x.minutes).or_default() += x.n;
    }
    m.into_iter().collect()
}

/// Nearest rank of `p` among `n`.
fn rank(n: i64, p: u32) -> i64 {
    ((n * i64::from(p.clamp(1, 100)) + 99) / 100).max(1)
}

/// The hour in `hourly` holding rank `r` of a group, and how many come before that hour.
fn bucket_of(hourly: &[(i64, i64)], r: i64) -> Option<(i64, i64)> {
    let mut seen = 0;
    for (b, c) in hourly {
        if seen + c >= r {
            return Some((*b, seen));
        }
        seen += c;
    }
    None
}

/// The hours whose minutes are needed: those holding a percentile of some group.
pub fn needed_buckets(hourly: &[Minutes]) -> Vec<i64> {
    let mut out = Vec::new();
    for g in groups() {
        let h = pairs(hourly, &g);
        let n: i64 = h.iter().map(|(_, c)| c).sum();
        for p in PERCENTILES {
            if n > 0
                && let Some((b, _)) = bucket_of(&h, rank(n, p))
            {
                out.push(b);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The nearest-rank percentile `p` of a group's minutes, from the hourly counts and the minutes
/// within the needed hours.
pub fn percentile(hourly: &[Minutes], minutes: &[Minutes], g: &Group, p: u32) -> Option<i64> {
    let h = pairs(hourly, g);
    let n: i64 = h.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let r = rank(n, p);
    let (bucket, mut seen) = bucket_of(&h, r)?;
    for (m, c) in pairs(minutes, g).into_iter().filter(|(m, _)| m / BUCKET_MINUTES == bucket) {
        seen += c;
        if seen >= r {
            return Some(m);
        }
    }
    None
}

/// Sorts `list` and sums the counts of entries with the same key (`same`), with `add`.
fn coalesce<T: Ord>(list: &mut Vec<T>, same: impl Fn(&T, &T) -> bool, add: impl Fn(&mut T, &T)) {
    list.sort();
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for x in list.drain(..) {
        match out.last_mut() {
            Some(last) if same(last, &x) => add(last, &x),
            _ => out.push(x),
        }
    }
    *list = out;
}

impl Tallies {
    /// Sums the entries of equal keys (tallies read in parts: the rollup's and the reports'),
    /// sorted, so that two tallies of the same reports compare equal.
    pub fn merged(mut self) -> Tallies {
        coalesce(
            &mut self.cells,
            |a, b| {
                (a.seg, &a.kind, &a.role, &a.phase, &a.severity, a.urgent, a.purged)
                    == (b.seg, &b.kind, &b.role, &b.phase, &b.severity, b.urgent, b.purged)
            },
            |a, b| {
                a.n += b.n;
                a.answered += b.answered;
            },
        );
        for list in [&mut self.channels, &mut self.units] {
            coalesce(list, |a, b| (a.seg, &a.value) == (b.seg, &b.value), |a, b| a.n += b.n);
        }
        for list in [&mut self.answers, &mut self.closes, &mut self.answer_minutes, &mut self.close_minutes] {
            coalesce(
                list,
                |a, b| (a.urgent, &a.severity, a.minutes, a.within) == (b.urgent, &b.severity, b.minutes, b.within),
                |a, b| a.n += b.n,
            );
        }
        coalesce(&mut self.closings, |a, b| (a.seg, a.feedback) == (b.seg, b.feedback), |a, b| a.n += b.n);
        self
    }

    /// Sorts every list, so that two tallies of the same reports compare equal.
    pub fn sorted(mut self) -> Tallies {
        self.cells.sort();
        self.channels.sort();
        self.units.sort();
        self.answers.sort();
        self.closes.sort();
        self.answer_minutes.sort();
        self.close_minutes.sort();
        self.closings.sort();
        self
    }

    /// The same grouping done in Rust over row-level facts (the reference for the SQL).
    pub fn of_facts(facts: &[Fact], segments: &Segments) -> Tallies {
        super::fold::fold_facts(facts, segments, false).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_from_hours_then_minutes_equal_those_of_the_minutes() {
        let minutes = [0, 0, 5, 59, 60, 61, 61, 130, 1439, 1440, 1441, 2000, 2000, 2000, 9999];
        let mk = |m: i64, hourly: bool| Minutes {
            urgent: m % 2,
            severity: None,
            minutes: if hourly { m / BUCKET_MINUTES } else { m },
            within: 0,
            n: 1,
        };
        for len in 1..=minutes.len() {
            let some = &minutes[..len];
            let hourly: Vec<Minutes> = some.iter().map(|m| mk(*m, true)).collect();
            let needed = needed_buckets(&hourly);
            let fine: Vec<Minutes> =
                some.iter().map(|m| mk(*m, false)).filter(|m| needed.contains(&(m.minutes / 60))).collect();
            for g in groups() {
                let mine: Vec<i64> = some.iter().copied().filter(|m| g.has(m % 2, None)).collect();
                for p in [1, 50, 90, 100] {
                    let want = trygg_domain::stats::percentile(&mine, p);
                    if PERCENTILES.contains(&p) {
                        assert_eq!(percentile(&hourly, &fine, &g, p), want, "{} p{p} of {some:?}", g.name);
                    }
                }
            }
        }
    }

    #[test]
    fn segments_cut_at_every_bound_and_the_sql_agrees() {
        let s = Segments::new(&[100, 200, 300], 250 + 24 * 60 * MINUTE_MS);
        assert_eq!(s.bounds.len(), 6);
        assert_eq!((s.of(99), s.of(100), s.of(199), s.of(200)), (-1, 0, 0, 1));
        assert_eq!(s.of(i64::MAX), 5);
        assert_eq!((s.start(-1), s.start(0), s.end(-1), s.end(5)), (None, Some(100), 100, i64::MAX));
        let sql = s.sql("x");
        assert!(sql.starts_with("CASE WHEN x < "), "{sql}");
        assert_eq!(sql.matches("CASE").count(), 6, "one comparison per bound: {sql}");
        let one = Segments { bounds: vec![7] };
        assert_eq!(one.sql("x"), "CASE WHEN x < 7 THEN -1 ELSE 0 END");
    }
}

//! The statistics' rollup (migration 0020): what the reports of one *piece* of time add up to,
//! per combination of the values a selection filters by, so that the statistics page reads a few
//! thousand summaries instead of half a million reports.
//!
//! A piece is the run of local days (Europe/Stockholm) between two consecutive instants that are
//! a Monday's or a month's first midnight: every ISO week and every month is a union of pieces,
//! so a piece lies wholly inside one period of either kind. A piece is built once it lies wholly
//! before [`settled_before`] (local midnight before `now` minus the longest first-answer target),
//! so that no other segment bound ([`super::tally::Segments`]: `now` and `now` minus each target)
//! falls inside it either. What a selection reads from the rollup and what from the reports
//! themselves is decided per piece by the store ([`crate::store::stats_rollup`]).
//!
//! A [`Summary`] keeps every figure exact: counts per channel and unit, minutes to first answer
//! (with "within the target") and to close as counts per whole minute, and closings per local
//! day of closing and closure feedback. It is stored as a compact byte string ([`Summary::encode`]).

use super::{MINUTE_MS, Period, local_day, midnight};
use crate::store::stats::Fact;
use std::collections::BTreeMap;
use trygg_domain::stats::answer_target_minutes;

/// The piece holding the instant `at`: (start, end) instants, both local midnights.
pub fn piece_of(at: i64) -> (i64, i64) {
    let d = local_day(at);
    let (week, month) = (Period::Week.start_of(d), Period::Month.start_of(d));
    let start = week.max(month);
    let end = Period::Week.next(week).min(Period::Month.next(month));
    (midnight(start), midnight(end))
}

/// The pieces lying wholly within `[from, to)`, in order.
pub fn pieces_within(from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let (mut start, mut end) = piece_of(from);
    if start < from {
        (start, end) = piece_of(end);
    }
    while end <= to && start < end {
        out.push((start, end));
        (start, end) = piece_of(end);
    }
    out
}

/// Pieces ending at or before this instant may be built and read from the rollup: local
/// midnight of the day holding `now` minus the longest first-answer target.
pub fn settled_before(now: i64) -> i64 {
    let longest = answer_target_minutes(true).max(answer_target_minutes(false)) * MINUTE_MS;
    midnight(local_day(now - longest))
}

/// The values a selection filters by, and the report's urgency and whether it was purged.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Combo {
    pub status: String,
    pub kind: String,
    pub role: String,
    pub phase: Option<String>,
    pub severity: Option<String>,
    pub urgent: i64,
    pub purged: i64,
}

/// What the reports of one piece and [`Combo`] add up to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub n: i64,
    /// How many have a first answer.
    pub answered: i64,
    pub channels: Vec<(String, i64)>,
    pub units: Vec<(Option<String>, i64)>,
    /// (whole minutes to first answer, 1 when within the target, count), ascending.
    pub answers: Vec<(i64, i64, i64)>,
    /// (whole minutes to close, count), ascending.
    pub closes: Vec<(i64, i64)>,
    /// Closings before the [`settled_before`] of the build: (local midnight of the day of
    /// closing, closure feedback, count), ascending.
    pub closings: Vec<(i64, Option<i64>, i64)>,
    /// Closings since then, to the millisecond (a segment bound may cut their day):
    /// (instant, closure feedback, count), ascending.
    pub recent_closings: Vec<(i64, Option<i64>, i64)>,
}

/// The summaries of `facts` (one piece's), per combination, built when closings before
/// `settled` are settled.
pub fn summarize(facts: &[Fact], settled: i64) -> BTreeMap<Combo, Summary> {
    #[derive(Default)]
    struct Acc {
        n: i64,
        answered: i64,
        channels: BTreeMap<String, i64>,
        units: BTreeMap<Option<String>, i64>,
        answers: BTreeMap<(i64, i64), i64>,
        closes: BTreeMap<i64, i64>,
        closings: BTreeMap<(i64, Option<i64>), i64>,
        recent_closings: BTreeMap<(i64, Option<i64>), i64>,
    }
    let mut acc: BTreeMap<Combo, Acc> = BTreeMap::new();
    for f in facts {
        let urgent = i64::from(f.urgency == "urgent");
        let combo = Combo {
            status: f.status.clone(),
            kind: f.kind.clone(),
            role: f.role.clone(),
            phase: f.phase.clone(),
            severity: f.severity.clone(),
            urgent,
            purged: f.purged,
        };
        let a = acc.entry(combo).or_default();
        a.n += 1;
        *a.channels.entry(f.channel.clone()).or_default() += 1;
        *a.units.entry(f.unit.clone()).or_default() += 1;
        if let Some(at) = f.first_answer_at {
            a.answered += 1;
            let within = i64::from(at - f.received_at <= answer_target_minutes(urgent == 1) * MINUTE_MS);
            *a.answers.entry(((at - f.received_at).max(0) / MINUTE_MS, within)).or_default() += 1;
        }
        if let Some(at) = f.closed_at {
            *a.closes.entry((at - f.received_at).max(0) / MINUTE_MS).or_default() += 1;
            if at < settled {
                *a.closings.entry((midnight(local_day(at)), f.feedback)).or_default() += 1;
            } else {
                *a.recent_closings.entry((at, f.feedback)).or_default() += 1;
            }
        }
    }
    acc.into_iter()
        .map(|(combo, a)| {
            let s = Summary {
                n: a.n,
                answered: a.answered,
                channels: a.channels.into_iter().collect(),
                units: a.units.into_iter().collect(),
                answers: a.answers.into_iter().map(|((m, w), c)| (m, w, c)).collect(),
                closes: a.closes.into_iter().collect(),
                closings: a.closings.into_iter().map(|((d, f), c)| (d, f, c)).collect(),
                recent_closings: a.recent_closings.into_iter().map(|((d, f), c)| (d, f, c)).collect(),
            };
            (combo, s)
        })
        .collect()
}

fn put(out: &mut Vec<u8>, v: i64) {
    // Zigzag, then 7 bits a byte, low first.
    let mut u = ((v << 1) ^ (v >> 63)) as u64;
    while u >= 0x80 {
        out.push((u as u8) | 0x80);
        u >>= 7;
    }
    out.push(u as u8);
}

fn put_text(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => put(out, -1),
        Some(s) => {
            put(out, s.len() as i64);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// Reads what [`put`] and [`put_text`] wrote; `None` at the first malformed byte.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn int(&mut self) -> Option<i64> {
        let mut u: u64 = 0;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            u |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(((u >> 1) as i64) ^ -((u & 1) as i64));
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.int()?).ok().filter(|n| *n <= self.0.len())
    }

    fn text(&mut self) -> Option<Option<String>> {
        let n = self.int()?;
        if n == -1 {
            return Some(None);
        }
        let n = usize::try_from(n).ok().filter(|n| *n <= self.0.len())?;
        let (s, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(Some(std::str::from_utf8(s).ok()?.to_owned()))
    }
}

impl Summary {
    /// The byte string stored in `stats_pieces.data`: counts and lists as zigzag varints, the
    /// minutes and days as differences from the previous entry.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + 4 * (self.answers.len() + self.closes.len() + self.closings.len()));
        put(&mut out, self.n);
        put(&mut out, self.answered);
        put(&mut out, self.channels.len() as i64);
        for (v, c) in &self.channels {
            put_text(&mut out, Some(v));
            put(&mut out, *c);
        }
        put(&mut out, self.units.len() as i64);
        for (v, c) in &self.units {
            put_text(&mut out, v.as_deref());
            put(&mut out, *c);
        }
        put(&mut out, self.answers.len() as i64);
        let mut last = 0;
        for (m, w, c) in &self.answers {
            put(&mut out, m - last);
            put(&mut out, *w);
            put(&mut out, *c);
            last = *m;
        }
        put(&mut out, self.closes.len() as i64);
        last = 0;
        for (m, c) in &self.closes {
            put(&mut out, m - last);
            put(&mut out, *c);
            last = *m;
        }
        for list in [&self.closings, &self.recent_closings] {
            put(&mut out, list.len() as i64);
            last = 0;
            for (d, f, c) in list {
                put(&mut out, d - last);
                put(&mut out, f.unwrap_or(-1));
                put(&mut out, *c);
                last = *d;
            }
        }
        out
    }

    /// The summary [`Summary::encode`] wrote; `None` when `bytes` is not one.
    pub fn decode(bytes: &[u8]) -> Option<Summary> {
        let mut r = Reader(bytes);
        let (n, answered) = (r.int()?, r.int()?);
        let mut s = Summary { n, answered, ..Summary::default() };
        for _ in 0..r.len()? {
            s.channels.push((r.text()??, r.int()?));
        }
        for _ in 0..r.len()? {
            s.units.push((r.text()?, r.int()?));
        }
        let mut last = 0;
        for _ in 0..r.len()? {
            last += r.int()?;
            s.answers.push((last, r.int()?, r.int()?));
        }
        last = 0;
        for _ in 0..r.len()? {
            last += r.int()?;
            s.closes.push((last, r.int()?));
        }
        for list in [&mut s.closings, &mut s.recent_closings] {
            last = 0;
            for _ in 0..r.len()? {
                last += r.int()?;
                let f = r.int()?;
                list.push((last, (f >= 0).then_some(f), r.int()?));
            }
        }
        r.0.is_empty().then_some(s)
    }
}

/// A piece's summaries as stored in `stats_pieces.data`: their number, then per combination its
/// values, the length of its summary and the summary ([`Summary::encode`]).
pub fn encode_piece(summaries: &BTreeMap<Combo, Summary>) -> Vec<u8> {
    let mut out = Vec::new();
    put(&mut out, summaries.len() as i64);
    for (c, s) in summaries {
        for v in [
            Some(c.status.as_str()),
            Some(c.kind.as_str()),
            Some(c.role.as_str()),
            c.phase.as_deref(),
            c.severity.as_deref(),
        ] {
            put_text(&mut out, v);
        }
        put(&mut out, c.urgent);
        put(&mut out, c.purged);
        let bytes = s.encode();
        put(&mut out, bytes.len() as i64);
        out.extend_from_slice(&bytes);
    }
    out
}

/// The combinations of a piece ([`encode_piece`]) with their summaries' bytes, in order;
/// `None` when `bytes` is not one.
pub fn decode_piece(bytes: &[u8]) -> Option<Vec<(Combo, &[u8])>> {
    let mut r = Reader(bytes);
    let n = r.len()?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let (status, kind, role) = (r.text()??, r.text()??, r.text()??);
        let (phase, severity) = (r.text()?, r.text()?);
        let (urgent, purged) = (r.int()?, r.int()?);
        let len = usize::try_from(r.int()?).ok().filter(|l| *l <= r.0.len())?;
        let (summary, rest) = r.0.split_at(len);
        r.0 = rest;
        out.push((Combo { status, kind, role, phase, severity, urgent, purged }, summary));
    }
    r.0.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn pieces_cut_at_mondays_and_firsts_of_a_month_in_stockholm() {
        // Wednesday 1 April 2026 (summer time): the week of Monday 30 March is cut at the 1st.
        assert_eq!(piece_of(at("2026-03-31T12:00:00Z")), (at("2026-03-29T22:00:00Z"), at("2026-03-31T22:00:00Z")));
        assert_eq!(piece_of(at("2026-04-02T12:00:00Z")), (at("2026-03-31T22:00:00Z"), at("2026-04-05T22:00:00Z")));
        // Summer time ends Sunday 25 October 2026: the piece from Monday 19 October is 7 days and an hour.
        assert_eq!(piece_of(at("2026-10-25T12:00:00Z")), (at("2026-10-18T22:00:00Z"), at("2026-10-25T23:00:00Z")));
        let all = pieces_within(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
        assert_eq!(all.first().unwrap().0, at("2026-01-04T23:00:00Z"), "1 January's piece began before the range");
        assert_eq!(all.last().unwrap().1, at("2026-12-31T23:00:00Z"));
        assert!(all.windows(2).all(|w| w[0].1 == w[1].0), "pieces follow one another");
        // From Monday 5 January: 52 Mondays and 12 firsts (February to January), 1 June a Monday.
        assert_eq!(all.len(), 52 + 12 - 1 - 1, "a piece between each two bounds");
    }

    #[test]
    fn a_summary_and_a_piece_survive_their_bytes_and_hostile_bytes_are_refused() {
        let s = Summary {
            n: 5,
            answered: 3,
            channels: vec![("phone".into(), 4), ("other".into(), 1)],
            units: vec![(None, 2), (Some("Akuten, Östra".into()), 3)],
            answers: vec![(0, 1, 1), (59, 1, 1), (3000, 0, 1)],
            closes: vec![(60, 2), (1_000_000, 1)],
            closings: vec![(at("2026-03-29T22:00:00Z"), None, 1), (at("2026-03-30T22:00:00Z"), Some(1), 2)],
            recent_closings: vec![(at("2026-04-02T10:11:12Z"), Some(0), 1)],
        };
        let bytes = s.encode();
        assert_eq!(Summary::decode(&bytes), Some(s.clone()));
        for cut in 0..bytes.len() {
            assert_eq!(Summary::decode(&bytes[..cut]), None, "cut at {cut}");
        }
        assert_eq!(Summary::decode(&[0xff; 20]), None);
        let combo = Combo {
            status: "closed".into(),
            kind: "threat".into(),
            role: "healthcare".into(),
            phase: None,
            severity: Some("high".into()),
            urgent: 1,
            purged: 0,
        };
        let piece = encode_piece(&BTreeMap::from([(combo.clone(), s.clone())]));
        let read = decode_piece(&piece).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!((&read[0].0, Summary::decode(read[0].1)), (&combo, Some(s)));
        for cut in 0..piece.len() {
            assert_eq!(decode_piece(&piece[..cut]), None, "cut at {cut}");
        }
        assert_eq!(Summary::decode(&[2, 2, 0x7e]), None, "a list longer than the bytes");
    }
}

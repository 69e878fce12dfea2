//! Times to first answer and to close summed over many reports or summaries: counts per whole
//! minute (and whether within the target) per urgency and severity, from which the tallies'
//! hourly lists and the minutes within the hours that hold a percentile are read
//! ([`super::fold::Folded::finish`]).

use super::tally::{BUCKET_MINUTES, Minutes};
use std::collections::BTreeMap;

/// Counts per (whole minutes, within): dense below [`DENSE_MINUTES`] (a request sums hundreds
/// of thousands of entries), sparse above.
#[derive(Debug, Default)]
struct Hist {
    dense: Vec<i64>,
    sparse: BTreeMap<(i64, i64), i64>,
}

/// 45 days and a half.
const DENSE_MINUTES: i64 = 1 << 16;

impl Hist {
    fn add(&mut self, minutes: i64, within: i64, n: i64) {
        if (0..DENSE_MINUTES).contains(&minutes) && (within == 0 || within == 1) {
            let i = (minutes * 2 + within) as usize;
            if i >= self.dense.len() {
                self.dense.resize(i + 1, 0);
            }
            self.dense[i] += n;
        } else {
            *self.sparse.entry((minutes, within)).or_default() += n;
        }
    }

    /// (minutes, within, count) of every nonzero count, ascending.
    fn each(&self) -> impl Iterator<Item = (i64, i64, i64)> + '_ {
        let dense =
            self.dense.iter().enumerate().filter(|(_, n)| **n != 0).map(|(i, n)| ((i / 2) as i64, (i % 2) as i64, *n));
        dense.chain(self.sparse.iter().map(|((m, w), n)| (*m, *w, *n)))
    }
}

/// Counts per whole minute (or hour) to first answer or to close, per urgency and severity: the
/// rollup's share of [`super::tally::Tallies`]' time lists, summed over many summaries.
#[derive(Debug, Default)]
pub struct Times {
    by: BTreeMap<(i64, Option<String>), Hist>,
}

impl Times {
    pub fn add(&mut self, urgent: i64, severity: &Option<String>, list: impl Iterator<Item = (i64, i64, i64)>) {
        let key = (urgent, severity.clone());
        let hist = match self.by.get_mut(&key) {
            Some(h) => h,
            None => self.by.entry(key).or_default(),
        };
        for (minutes, within, n) in list {
            hist.add(minutes, within, n);
        }
    }

    /// Adds `other`'s counts.
    pub fn absorb(&mut self, other: &Times) {
        for ((urgent, severity), hist) in &other.by {
            self.add(*urgent, severity, hist.each());
        }
    }

    /// Per hour ([`BUCKET_MINUTES`]) and within.
    pub fn hourly(&self) -> Vec<Minutes> {
        let mut out: BTreeMap<(i64, Option<String>, i64, i64), i64> = BTreeMap::new();
        for ((urgent, severity), hist) in &self.by {
            let mut hours: BTreeMap<(i64, i64), i64> = BTreeMap::new();
            for (m, w, n) in hist.each() {
                *hours.entry((m / BUCKET_MINUTES, w)).or_default() += n;
            }
            for ((h, w), n) in hours {
                *out.entry((*urgent, severity.clone(), h, w)).or_default() += n;
            }
        }
        out.into_iter()
            .map(|((urgent, severity, minutes, within), n)| Minutes { urgent, severity, minutes, within, n })
            .collect()
    }

    /// Per whole minute within the given hours (within always 0, as the tallies' minute lists).
    pub fn minutes_in(&self, hours: &[i64]) -> Vec<Minutes> {
        let mut out: BTreeMap<(i64, Option<String>, i64), i64> = BTreeMap::new();
        for ((urgent, severity), hist) in &self.by {
            for (m, _, n) in hist.each().filter(|(m, _, _)| hours.contains(&(m / BUCKET_MINUTES))) {
                *out.entry((*urgent, severity.clone(), m)).or_default() += n;
            }
        }
        out.into_iter()
            .map(|((urgent, severity, minutes), n)| Minutes { urgent, severity, minutes, within: 0, n })
            .collect()
    }
}

//! Tallies summed in parts ([`Folded`]): the rollup's summaries, the reports read one by one
//! ([`fold_facts`], also the reference the tests hold the rollup to), and the finish that turns
//! them into [`Tallies`].

use super::MINUTE_MS;
use super::tally::{Cell, Segments, Tallies, closing_cells, needed_buckets, value_cells};
use super::times::Times;
use crate::store::stats::Fact;
use std::collections::BTreeMap;
use trygg_domain::stats::answer_target_minutes;

/// Tallies being summed in parts: the lists but the time lists, and the times per minute.
#[derive(Debug, Default)]
pub struct Folded {
    pub tallies: Tallies,
    pub answers: Times,
    pub closes: Times,
}

impl Folded {
    /// Adds `other`'s counts.
    pub fn absorb(&mut self, other: Folded) {
        let (t, o) = (&mut self.tallies, other.tallies);
        t.cells.extend(o.cells);
        t.channels.extend(o.channels);
        t.units.extend(o.units);
        t.closings.extend(o.closings);
        self.answers.absorb(&other.answers);
        self.closes.absorb(&other.closes);
    }

    /// The tallies: hourly time lists, and per minute within the hours that hold a percentile.
    pub fn finish(self) -> Tallies {
        let mut t = self.tallies;
        t.answers = self.answers.hourly();
        t.closes = self.closes.hourly();
        let mut t = t.merged();
        t.answer_minutes = self.answers.minutes_in(&needed_buckets(&t.answers));
        t.close_minutes = self.closes.minutes_in(&needed_buckets(&t.closes));
        t.merged()
    }
}

/// A cell's key, borrowed from the facts.
type CellKey<'a> = (i64, &'a str, &'a str, &'a Option<String>, &'a Option<String>, i64, i64);

/// Row-level facts folded; with `closings_only`, only their closings.
pub fn fold_facts(facts: &[Fact], segments: &Segments, closings_only: bool) -> Folded {
    let mut out = Folded::default();
    let mut cells: BTreeMap<CellKey<'_>, (i64, i64)> = BTreeMap::new();
    let (mut channels, mut units) = (BTreeMap::new(), BTreeMap::new());
    let mut closings: BTreeMap<(i64, Option<i64>), i64> = BTreeMap::new();
    for f in facts {
        if let Some(c) = f.closed_at {
            *closings.entry((segments.of(c), f.feedback)).or_default() += 1;
        }
        if closings_only {
            continue;
        }
        let seg = segments.of(f.received_at);
        let urgent = i64::from(f.urgency == "urgent");
        let e = cells.entry((seg, &f.kind, &f.role, &f.phase, &f.severity, urgent, f.purged)).or_default();
        e.0 += 1;
        e.1 += i64::from(f.first_answer_at.is_some());
        *channels.entry((seg, Some(f.channel.clone()))).or_insert(0) += 1;
        *units.entry((seg, f.unit.clone())).or_insert(0) += 1;
        if let Some(a) = f.first_answer_at {
            let within = i64::from(a - f.received_at <= answer_target_minutes(urgent == 1) * MINUTE_MS);
            let minutes = (a - f.received_at).max(0) / MINUTE_MS;
            out.answers.add(urgent, &f.severity, std::iter::once((minutes, within, 1)));
        }
        if let Some(c) = f.closed_at {
            let minutes = (c - f.received_at).max(0) / MINUTE_MS;
            out.closes.add(urgent, &f.severity, std::iter::once((minutes, 0, 1)));
        }
    }
    out.tallies.cells = cells
        .into_iter()
        .map(|((seg, kind, role, phase, severity, urgent, purged), counts)| {
            Cell::of((seg, kind.to_owned(), role.to_owned(), phase.clone(), severity.clone(), urgent, purged), counts)
        })
        .collect();
    out.tallies.channels = value_cells(channels);
    out.tallies.units = value_cells(units);
    out.tallies.closings = closing_cells(closings);
    out
}

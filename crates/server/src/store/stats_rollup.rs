//! The statistics read in two parts, and the rollup kept (migration 0020, [`crate::stats::rollup`]).
//!
//! **Reading** ([`Db::stats_tallies`]): the pieces of the selection that are built, ready and not
//! dirty are read from `stats_pieces` (a row per piece: some sixty for a year, a few thousand
//! summaries for a million reports, the filters applied as they are decoded); the rest of the range — today and yesterday, the part-pieces at the range's ends,
//! dirty and unbuilt pieces — from the reports themselves (their facts folded in Rust). The
//! piece holding [`settled_before`] is built up to that instant (and again as it moves on), so
//! what is read from the reports is about a day and a half. Each report is read from exactly
//! one of the two, so a piece rebuilt between the two reads changes nothing.
//!
//! **Building** ([`Db::stats_rollup`], from the scheduler's tick): a piece is first recorded as
//! built but not ready (so that from then on every change to its reports marks it dirty, see the
//! migration's triggers), then its dirty marks are read, then its facts, and the summaries are
//! written in one transaction that deletes only the marks read — a change after them has moved
//! its mark on, so its piece stays dirty until the next build. Two servers building the same
//! piece each write a summary of a consistent read.

use super::stats::{Bind, Scope, StatsFilter, bound, within_ranges};
use super::{BeginWrite, Db, on_db};
use crate::stats::fold::{Folded, fold_facts};
use crate::stats::rollup::{Combo, Summary, decode_piece, encode_piece, piece_of, settled_before, summarize};
use crate::stats::tally::{Cell, CellValues, Segments, Tallies, closing_cells, value_cells};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const HOUR_MS: i64 = 3_600_000;

/// One piece's row as read.
#[derive(sqlx::FromRow)]
struct PieceRow {
    piece_start: i64,
    data: Vec<u8>,
}

/// Whether the filter selects the reports of combination `c` (every purged report was closed,
/// and its combination says so).
fn selects(f: &StatsFilter, c: &Combo) -> bool {
    let is = |want: Option<&str>, have: Option<&str>| want.is_none_or(|w| have == Some(w));
    is(f.status, Some(&c.status))
        && is(f.kind, Some(&c.kind))
        && is(f.role, Some(&c.role))
        && is(f.phase, c.phase.as_deref())
        && is(f.severity, c.severity.as_deref())
}

/// Adjacent ranges joined.
fn joined(ranges: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &(a, b) in ranges {
        match out.last_mut() {
            Some(last) if last.1 == a => last.1 = b,
            _ => out.push((a, b)),
        }
    }
    out
}

/// `[from, to)` less the sorted, disjoint `taken` ranges (which lie within it).
fn rest(from: i64, to: i64, taken: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut at = from;
    for &(a, b) in taken {
        if a > at {
            out.push((at, a));
        }
        at = at.max(b);
    }
    if at < to {
        out.push((at, to));
    }
    out
}

impl Db {
    /// The selected facts grouped for the statistics page at `now` (see the module's opening).
    pub async fn stats_tallies(&self, f: &StatsFilter, segments: &Segments, now: i64) -> Result<Tallies, sqlx::Error> {
        let settled = settled_before(now);
        let (from, to) = (f.from_ms.unwrap_or(i64::MIN), f.to_ms.unwrap_or(i64::MAX));
        let rolled_up = joined(&self.stats_ready_pieces(from, to.min(settled)).await?);
        let raw = Scope { ranges: Some(rest(from, to, &rolled_up)) };
        let read_raw = raw.ranges.as_ref().is_some_and(|r| !r.is_empty());
        let (mut all, raw_facts) = tokio::try_join!(self.stats_rolled(f, &rolled_up, segments), async {
            if read_raw { self.stats_facts_in(f, &raw).await } else { Ok(Vec::new()) }
        })?;
        all.absorb(fold_facts(&raw_facts, segments, false));
        Ok(all.finish())
    }

    /// The pieces wholly within `[from, to)` that are built, ready and not dirty, in order.
    pub async fn stats_ready_pieces(&self, from: i64, to: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        if from >= to {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT piece_start, piece_end FROM stats_built b
             WHERE b.ready = 1 AND b.piece_start >= $1 AND b.piece_end <= $2 AND NOT EXISTS (
                 SELECT 1 FROM stats_dirty d WHERE d.utc_hour >= b.piece_start / {HOUR_MS} AND d.utc_hour < b.piece_end / {HOUR_MS})
             ORDER BY b.piece_start"
        );
        on_db!(self, |pool| sqlx::query_as(&sql).bind(from).bind(to).fetch_all(pool).await)
    }

    /// The rollup's summaries of the pieces in `ranges` that `f` selects, folded: cells per
    /// piece's segment, closings before `settled` per day's segment, times per minute.
    async fn stats_rolled(
        &self,
        f: &StatsFilter,
        ranges: &[(i64, i64)],
        segments: &Segments,
    ) -> Result<Folded, sqlx::Error> {
        if ranges.is_empty() {
            return Ok(Folded::default());
        }
        let mut binds = Vec::new();
        let mut sql = String::from("SELECT piece_start, data FROM stats_pieces WHERE 1 = 1");
        sql.push_str(&within_ranges("piece_start", ranges, &mut binds));
        let rows: Vec<PieceRow> =
            on_db!(self, |pool| bound!(sqlx::query_as::<_, PieceRow>(&sql), &binds).fetch_all(pool).await)?;
        let mut cells: BTreeMap<CellValues, (i64, i64)> = BTreeMap::new();
        let (mut channels, mut units) = (BTreeMap::new(), BTreeMap::new());
        // Closings per segment (index seg + 1) and feedback (none, 0, 1): a few hundred counters
        // that take some hundred thousand additions.
        let mut closings = vec![[0i64; 3]; segments.bounds.len() + 1];
        let mut other_closings: BTreeMap<(i64, Option<i64>), i64> = BTreeMap::new();
        let mut close = |seg: i64, feedback: Option<i64>, n: i64| match (usize::try_from(seg + 1), feedback) {
            (Ok(i), None) => closings[i][0] += n,
            (Ok(i), Some(f @ 0..=1)) => closings[i][f as usize + 1] += n,
            _ => *other_closings.entry((seg, feedback)).or_insert(0) += n,
        };
        let mut last_day = (i64::MIN, 0);
        let mut out = Folded::default();
        let malformed = |at: i64| sqlx::Error::Protocol(format!("a malformed statistics summary ({at})"));
        for row in rows {
            let seg = segments.of(row.piece_start);
            for (combo, bytes) in decode_piece(&row.data).ok_or_else(|| malformed(row.piece_start))? {
                if !selects(f, &combo) {
                    continue;
                }
                let s = Summary::decode(bytes).ok_or_else(|| malformed(row.piece_start))?;
                let key =
                    (seg, combo.kind, combo.role, combo.phase, combo.severity.clone(), combo.urgent, combo.purged);
                let c = cells.entry(key).or_default();
                c.0 += s.n;
                c.1 += s.answered;
                for (v, n) in s.channels {
                    *channels.entry((seg, Some(v))).or_insert(0) += n;
                }
                for (v, n) in s.units {
                    *units.entry((seg, v)).or_insert(0) += n;
                }
                out.answers.add(combo.urgent, &combo.severity, s.answers.into_iter());
                out.closes.add(combo.urgent, &combo.severity, s.closes.into_iter().map(|(m, n)| (m, 0, n)));
                // A day of closing before the build's settled instant holds no segment bound (see
                // crate::stats::rollup), so its midnight's segment is the closing's.
                for (day, feedback, n) in s.closings {
                    if last_day.0 != day {
                        last_day = (day, segments.of(day));
                    }
                    close(last_day.1, feedback, n);
                }
                for (at, feedback, n) in s.recent_closings {
                    close(segments.of(at), feedback, n);
                }
            }
        }
        out.tallies.cells = cells.into_iter().map(|(values, counts)| Cell::of(values, counts)).collect();
        out.tallies.channels = value_cells(channels);
        out.tallies.units = value_cells(units);
        for (i, counts) in closings.iter().enumerate() {
            for (f, n) in counts.iter().enumerate().filter(|(_, n)| **n != 0) {
                let feedback = f.checked_sub(1).map(|f| f as i64);
                other_closings.insert((i as i64 - 1, feedback), *n);
            }
        }
        out.tallies.closings = closing_cells(other_closings);
        Ok(out)
    }

    /// Builds the pieces up to [`settled_before`] `now` that are unbuilt, not ready, dirty or
    /// built only up to an earlier settled instant, oldest first, until none is left or `budget`
    /// has passed; returns how many it built.
    pub async fn stats_rollup(&self, now: i64, budget: Duration) -> Result<usize, sqlx::Error> {
        let started = Instant::now();
        let settled = settled_before(now);
        let earliest: Option<i64> = on_db!(self, |pool| {
            sqlx::query_scalar(
                "SELECT MIN(earliest) FROM (SELECT MIN(received_at) AS earliest FROM reports
                 UNION ALL SELECT MIN(received_at) FROM report_facts) t",
            )
            .fetch_one(pool)
            .await
        })?;
        let Some(earliest) = earliest else { return Ok(0) };
        let sql = format!(
            "SELECT piece_start, piece_end, CAST(CASE WHEN ready = 1 AND NOT EXISTS (
                 SELECT 1 FROM stats_dirty d WHERE d.utc_hour >= b.piece_start / {HOUR_MS} AND d.utc_hour < b.piece_end / {HOUR_MS})
             THEN 1 ELSE 0 END AS BIGINT) FROM stats_built b"
        );
        let built: Vec<(i64, i64, i64)> = on_db!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        let done: std::collections::HashSet<(i64, i64)> =
            built.iter().filter(|b| b.2 == 1).map(|b| (b.0, b.1)).collect();
        let mut todo = Vec::new();
        let (mut start, mut end) = piece_of(earliest);
        while start < settled && start < end {
            // The piece holding `settled` is built up to it, and again as it moves on.
            let upto = end.min(settled);
            if !done.contains(&(start, upto)) {
                todo.push((start, upto));
            }
            (start, end) = piece_of(end);
        }
        let mut n = 0;
        for piece in todo {
            if started.elapsed() > budget {
                break;
            }
            self.stats_build_piece(piece, now).await?;
            n += 1;
        }
        Ok(n)
    }

    /// (Re)builds the piece `[start, end)` (see the module's opening).
    pub async fn stats_build_piece(&self, (start, end): (i64, i64), now: i64) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| {
            sqlx::query(
                "INSERT INTO stats_built (piece_start, piece_end, ready, built_at) VALUES ($1, $2, 0, $3)
                 ON CONFLICT (piece_start) DO NOTHING",
            )
            .bind(start)
            .bind(end)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        let marks: Vec<(i64, i64)> = on_db!(self, |pool| {
            sqlx::query_as("SELECT utc_hour, mark FROM stats_dirty WHERE utc_hour >= $1 AND utc_hour < $2")
                .bind(start / HOUR_MS)
                .bind(end / HOUR_MS)
                .fetch_all(pool)
                .await
        })?;
        let facts = self
            .stats_facts(&StatsFilter { from_ms: Some(start), to_ms: Some(end), ..Default::default() }, false)
            .await?;
        // Encoded before the write transaction: nothing else waits while it runs.
        let data = encode_piece(&summarize(&facts, settled_before(now)));
        on_db!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            // First: the piece's row lock, so that a second server building it at the same time
            // waits, and then its write replaces these summaries.
            sqlx::query("UPDATE stats_built SET ready = 1, piece_end = $2, built_at = $3 WHERE piece_start = $1")
                .bind(start)
                .bind(end)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO stats_pieces (piece_start, data) VALUES ($1, $2)
                 ON CONFLICT (piece_start) DO UPDATE SET data = excluded.data",
            )
            .bind(start)
            .bind(&data)
            .execute(&mut *tx)
            .await?;
            for (hour, mark) in &marks {
                sqlx::query("DELETE FROM stats_dirty WHERE utc_hour = $1 AND mark = $2")
                    .bind(hour)
                    .bind(mark)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rest_of_a_range_is_what_the_rollup_does_not_cover() {
        assert_eq!(joined(&[(1, 2), (2, 3), (5, 6)]), vec![(1, 3), (5, 6)]);
        assert_eq!(rest(0, 10, &[(1, 3), (5, 6)]), vec![(0, 1), (3, 5), (6, 10)]);
        assert_eq!(rest(0, 10, &[(0, 10)]), vec![]);
        assert_eq!(rest(0, 10, &[]), vec![(0, 10)]);
    }
}

//! Small-count suppression of a published table (dimension values × columns, with row, column
//! and grand totals), so that no count of 1–4 can be read or worked out.
//!
//! 1. **Primary**: every figure (cell or total) of 1–4 is hidden and published as `<5`.
//! 2. **Secondary**: a reader knows each row and column sums to its total, the totals to the
//!    grand total, and that a `<5` figure is 1–4 (a secondary one 0 or more). Propagating those
//!    bounds through every equation until nothing changes is how a hidden figure would be
//!    recovered; whenever that pins a hidden figure to one value, one more figure of its row or
//!    column is hidden (the smallest positive one), and the check starts over. Secondary figures
//!    are published as `x`. Zero is shown as `0`. When nothing shown is left to hide, every
//!    `<5` becomes `x` as well (a table of small counts only).
//!
//! [`bounds`] is that reader's attack; it is public so tests can run it on what is published.

/// How a figure is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Shown,
    /// 1–4: published as `<5`.
    Small,
    /// Hidden so a small one cannot be worked out: published as `x`.
    Hidden,
}

impl Mark {
    /// The published text of `value` under this mark.
    pub fn publish(self, value: i64) -> String {
        match self {
            Mark::Shown => value.to_string(),
            Mark::Small => "<5".to_owned(),
            Mark::Hidden => "x".to_owned(),
        }
    }
}

/// The marks of a table: per cell, per row total, per column total, and the grand total's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub cells: Vec<Vec<Mark>>,
    pub row_totals: Vec<Mark>,
    pub column_totals: Vec<Mark>,
    pub total: Mark,
}

/// A table flattened: cells row by row, then row totals, column totals, the grand total; and the
/// equations between them, each as (index, +1 for the total / -1 for a part) summing to zero.
struct Layout {
    rows: usize,
    cols: usize,
    equations: Vec<Vec<(usize, i64)>>,
}

impl Layout {
    fn new(rows: usize, cols: usize) -> Self {
        let cell = |r: usize, c: usize| r * cols + c;
        let row_total = |r: usize| rows * cols + r;
        let col_total = |c: usize| rows * cols + rows + c;
        let grand = rows * cols + rows + cols;
        let mut equations = Vec::new();
        for r in 0..rows {
            let mut e = vec![(row_total(r), 1)];
            e.extend((0..cols).map(|c| (cell(r, c), -1)));
            equations.push(e);
        }
        for c in 0..cols {
            let mut e = vec![(col_total(c), 1)];
            e.extend((0..rows).map(|r| (cell(r, c), -1)));
            equations.push(e);
        }
        let mut by_rows = vec![(grand, 1)];
        by_rows.extend((0..rows).map(|r| (row_total(r), -1)));
        equations.push(by_rows);
        let mut by_cols = vec![(grand, 1)];
        by_cols.extend((0..cols).map(|c| (col_total(c), -1)));
        equations.push(by_cols);
        Layout { rows, cols, equations }
    }

    fn len(&self) -> usize {
        self.rows * self.cols + self.rows + self.cols + 1
    }
}

/// The flattened figures of `cells` (with their totals computed).
fn figures(cells: &[Vec<i64>], cols: usize) -> Vec<i64> {
    let mut out: Vec<i64> = cells.iter().flat_map(|r| r.iter().copied()).collect();
    out.extend(cells.iter().map(|r| r.iter().sum::<i64>()));
    out.extend((0..cols).map(|c| cells.iter().map(|r| r[c]).sum::<i64>()));
    out.push(cells.iter().flatten().sum());
    out
}

/// What a reader can bound each figure to from the published ones: (low, high) per figure, a
/// shown one exact. The reader knows `<5` means 1–4, `x` at least 0, and every equation.
pub fn bounds(published: &[Option<i64>], marks: &[Mark], equations: &[Vec<(usize, i64)>]) -> Vec<(i64, i64)> {
    const UNKNOWN_MAX: i64 = i64::MAX / 1024;
    let mut b: Vec<(i64, i64)> = published
        .iter()
        .zip(marks)
        .map(|(v, m)| match (v, m) {
            (Some(v), Mark::Shown) => (*v, *v),
            (_, Mark::Small) => (1, 4),
            _ => (0, UNKNOWN_MAX),
        })
        .collect();
    for _ in 0..100 {
        let mut changed = false;
        for e in equations {
            for &(v, av) in e {
                // av·v = −Σ others
                let (mut lo, mut hi) = (0i64, 0i64);
                for &(u, au) in e.iter().filter(|(u, _)| *u != v) {
                    let (l, h) = b[u];
                    if au > 0 {
                        lo += l;
                        hi += h;
                    } else {
                        lo -= h;
                        hi -= l;
                    }
                }
                let (nlo, nhi) = if av > 0 { (-hi, -lo) } else { (lo, hi) };
                let (clo, chi) = b[v];
                let next = (clo.max(nlo), chi.min(nhi));
                if next != b[v] && next.0 <= next.1 {
                    b[v] = next;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    b
}

/// Suppresses `cells` (rows × columns, every row the same length).
pub fn suppress(cells: &[Vec<i64>]) -> Suppressed {
    let rows = cells.len();
    let cols = cells.first().map_or(0, Vec::len);
    let layout = Layout::new(rows, cols);
    let values = figures(cells, cols);
    let mut marks: Vec<Mark> =
        values.iter().map(|v| if (1..=4).contains(v) { Mark::Small } else { Mark::Shown }).collect();
    for _ in 0..layout.len() {
        let published: Vec<Option<i64>> =
            values.iter().zip(&marks).map(|(v, m)| (*m == Mark::Shown).then_some(*v)).collect();
        let b = bounds(&published, &marks, &layout.equations);
        let Some(pinned) = (0..values.len()).find(|i| marks[*i] != Mark::Shown && b[*i].0 == b[*i].1) else {
            break;
        };
        // The smallest positive shown figure of an equation holding the pinned one (else of any).
        let near = layout.equations.iter().filter(|e| e.iter().any(|(i, _)| *i == pinned)).flatten().map(|(i, _)| *i);
        let pick = |it: &mut dyn Iterator<Item = usize>| {
            it.filter(|i| marks[*i] == Mark::Shown && values[*i] > 0).min_by_key(|i| (values[*i], *i))
        };
        match pick(&mut near.clone()).or_else(|| pick(&mut (0..values.len()))) {
            Some(extra) => marks[extra] = Mark::Hidden,
            // Nothing shown is left to hide (a table of small counts only, whose `<5` bounds
            // alone add up): publish every small one as `x` too, which says nothing.
            None if marks.contains(&Mark::Small) => {
                marks.iter_mut().filter(|m| **m == Mark::Small).for_each(|m| *m = Mark::Hidden);
            }
            None => break,
        }
    }
    let (cells_end, rows_end) = (rows * cols, rows * cols + rows);
    Suppressed {
        cells: (0..rows).map(|r| marks[r * cols..(r + 1) * cols].to_vec()).collect(),
        row_totals: marks[cells_end..rows_end].to_vec(),
        column_totals: marks[rows_end..rows_end + cols].to_vec(),
        total: marks[rows_end + cols],
    }
}

/// The equations of a `rows` × `cols` table, figures flattened as cells, row totals, column
/// totals, grand total (for tests that attack a published table).
pub fn equations(rows: usize, cols: usize) -> Vec<Vec<(usize, i64)>> {
    Layout::new(rows, cols).equations
}

#[cfg(test)]
mod tests;

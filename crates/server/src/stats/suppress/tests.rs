//! The suppression is attacked two ways: by bound propagation on many tables, and by brute force
//! (every table consistent with what is published) on every small 2 × 2 table.

use super::*;

fn publish(cells: &[Vec<i64>]) -> (Vec<Option<i64>>, Vec<Mark>) {
    let s = suppress(cells);
    let cols = cells[0].len();
    let values = figures(cells, cols);
    let mut marks: Vec<Mark> = s.cells.iter().flatten().copied().collect();
    marks.extend(&s.row_totals);
    marks.extend(&s.column_totals);
    marks.push(s.total);
    let published = values.iter().zip(&marks).map(|(v, m)| (*m == Mark::Shown).then_some(*v)).collect();
    (published, marks)
}

#[test]
fn counts_of_one_to_four_are_published_as_under_five_and_zero_and_five_as_they_are() {
    let s = suppress(&[vec![0, 5, 12], vec![0, 7, 20], vec![3, 9, 30]]);
    assert_eq!(s.cells[0][0], Mark::Shown);
    assert_eq!(s.total, Mark::Shown);
    assert_eq!(s.cells[2][0], Mark::Small);
    assert_eq!(s.column_totals[0], Mark::Small);
    assert_eq!(Mark::Small.publish(3), "<5");
    assert_eq!(Mark::Hidden.publish(12), "x");
    assert_eq!(Mark::Shown.publish(0), "0");
}

#[test]
fn a_lone_small_cell_takes_the_next_smallest_of_its_row_and_column_with_it() {
    // Row 1: 3 + 7 + 20 = 30. Without more, 3 = 30 − 7 − 20.
    let cells = [vec![6, 5, 12], vec![3, 7, 20]];
    let s = suppress(&cells);
    assert_eq!(s.cells[1][0], Mark::Small);
    assert_eq!(s.cells[1][1], Mark::Hidden, "the row's next smallest");
    assert_eq!(s.cells[0][0], Mark::Hidden, "the column's next smallest");
    let (published, marks) = publish(&cells);
    let b = bounds(&published, &marks, &equations(2, 3));
    assert_ne!(b[3].0, b[3].1, "the small cell stays unknown");
}

#[test]
fn no_hidden_figure_is_pinned_by_propagating_bounds_in_many_tables() {
    let mut seed = 0x2545_f491_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..400 {
        let (rows, cols) = (1 + (next() % 5) as usize, 1 + (next() % 4) as usize);
        let cells: Vec<Vec<i64>> = (0..rows)
            .map(|_| (0..cols).map(|_| [0, 1, 2, 3, 4, 5, 8, 13, 40][(next() % 9) as usize]).collect())
            .collect();
        let (published, marks) = publish(&cells);
        let b = bounds(&published, &marks, &equations(rows, cols));
        for (i, m) in marks.iter().enumerate() {
            if *m != Mark::Shown {
                assert_ne!(b[i].0, b[i].1, "figure {i} of {cells:?} recovered as {}", b[i].0);
            }
        }
    }
}

#[test]
fn no_hidden_figure_of_a_small_two_by_two_table_has_only_one_possible_value() {
    let values = [0, 1, 3, 5, 7];
    let range = 0..=8i64;
    let candidates: Vec<Vec<i64>> = range
        .clone()
        .flat_map(|a| {
            range.clone().flat_map(move |b| (0..=8).flat_map(move |c| (0..=8).map(move |d| vec![a, b, c, d])))
        })
        .collect();
    for a in values {
        for b in values {
            for c in values {
                for d in values {
                    let cells = [vec![a, b], vec![c, d]];
                    let (published, marks) = publish(&cells);
                    let mut seen: Vec<std::collections::BTreeSet<i64>> = vec![Default::default(); marks.len()];
                    for cand in &candidates {
                        let f = figures(&[vec![cand[0], cand[1]], vec![cand[2], cand[3]]], 2);
                        let fits = f.iter().zip(&published).zip(&marks).all(|((v, p), m)| match m {
                            Mark::Shown => Some(*v) == *p,
                            Mark::Small => (1..=4).contains(v),
                            Mark::Hidden => true,
                        });
                        if fits {
                            for (i, v) in f.iter().enumerate() {
                                seen[i].insert(*v);
                            }
                        }
                    }
                    for (i, m) in marks.iter().enumerate() {
                        if *m != Mark::Shown {
                            assert!(seen[i].len() > 1, "figure {i} of {cells:?} has one possible value: {:?}", seen[i]);
                        }
                    }
                }
            }
        }
    }
}

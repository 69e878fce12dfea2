//! The aggregated export for other regions and national bodies: one fixed period (a month, a
//! quarter or a year in Europe/Stockholm — never an arbitrary range, which two exports could be
//! differenced over), each dimension crossed with the reporter's role, every figure suppressed by
//! [`super::suppress`], median times only where at least 5 reports have one. The format is
//! documented in docs/aggregate-export.md.

use super::suppress::{Mark, suppress};
use super::{midnight, percentile_minutes};
use crate::store::stats::Fact;
use jiff::ToSpan;
use jiff::civil::Date;
use trygg_wire::stats::{Aggregate, AggregateRow, AggregateTable};

/// The columns of every table.
pub const ROLES: [&str; 2] = ["healthcare", "elected_official"];
/// The dimensions exported, each with its fixed values (so an empty row is still a row).
pub const DIMENSIONS: [(&str, &[&str]); 4] = [
    ("kind", &["threat", "harassment", "violence", "vandalism", "other"]),
    ("channel", &["in_person", "phone", "email_letter", "social_media", "other"]),
    ("phase", &["before", "during", "after", "none"]),
    ("severity", &["low", "medium", "high", "critical", "none"]),
];
/// Fewer reports with a time than this, and the time is not published.
pub const MIN_FOR_TIMES: usize = 5;

/// A fixed period: its label and first and next-after-last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedPeriod {
    pub label: String,
    pub start: Date,
    pub end: Date,
}

/// Parses `2026-03`, `2026-Q1` or `2026`; anything else is `None`.
pub fn parse_period(s: &str) -> Option<FixedPeriod> {
    let s = s.trim();
    let year = |y: &str| y.parse::<i16>().ok().filter(|y| (2000..=2200).contains(y) && s.is_ascii());
    let (start, span) = if let Some((y, q)) = s.split_once("-Q") {
        let q: i8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        (Date::new(year(y)?, (q - 1) * 3 + 1, 1).ok()?, 3.months())
    } else if let Some((y, m)) = s.split_once('-') {
        if m.len() != 2 {
            return None;
        }
        let m: i8 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        (Date::new(year(y)?, m, 1).ok()?, 1.month())
    } else {
        (Date::new(year(s)?, 1, 1).ok()?, 1.year())
    };
    if s.len() > 7 {
        return None;
    }
    Some(FixedPeriod { label: s.to_owned(), start, end: start.checked_add(span).ok()? })
}

impl FixedPeriod {
    /// (start, end) as instants.
    pub fn instants(&self) -> (i64, i64) {
        (midnight(self.start), midnight(self.end))
    }
}

fn value_of<'a>(f: &'a Fact, dimension: &str) -> &'a str {
    match dimension {
        "kind" => &f.kind,
        "channel" => &f.channel,
        "phase" => f.phase.as_deref().unwrap_or("none"),
        _ => f.severity.as_deref().unwrap_or("none"),
    }
}

/// The export of `facts` (all received within `period`).
pub fn aggregate(period: &FixedPeriod, facts: &[Fact]) -> Aggregate {
    let tables = DIMENSIONS
        .iter()
        .map(|(dim, values)| {
            let cells: Vec<Vec<i64>> = values
                .iter()
                .map(|v| {
                    ROLES
                        .iter()
                        .map(|r| facts.iter().filter(|f| f.role == *r && value_of(f, dim) == *v).count() as i64)
                        .collect()
                })
                .collect();
            let marks = suppress(&cells);
            let rows = values
                .iter()
                .zip(&cells)
                .zip(&marks.cells)
                .zip(&marks.row_totals)
                .map(|(((v, counts), m), total)| AggregateRow {
                    value: (*v).to_owned(),
                    cells: counts.iter().zip(m).map(|(c, m)| m.publish(*c)).collect(),
                    total: total.publish(counts.iter().sum()),
                })
                .collect();
            let column_totals =
                (0..ROLES.len()).map(|c| marks.column_totals[c].publish(cells.iter().map(|r| r[c]).sum())).collect();
            AggregateTable {
                dimension: (*dim).to_owned(),
                columns: ROLES.iter().map(|r| (*r).to_owned()).collect(),
                rows,
                column_totals,
            }
        })
        .collect();
    let n = facts.iter().filter(|f| ROLES.contains(&f.role.as_str())).count() as i64;
    let total = if (1..=4).contains(&n) { Mark::Small } else { Mark::Shown };
    let (from, to) = period.instants();
    let answers: Vec<i64> = facts.iter().filter_map(|f| f.first_answer_at.map(|a| a - f.received_at)).collect();
    let closes: Vec<i64> = facts.iter().filter_map(|f| f.closed_at.map(|c| c - f.received_at)).collect();
    Aggregate {
        period: period.label.clone(),
        from: super::rfc3339(from),
        to: super::rfc3339(to),
        total: total.publish(n),
        tables,
        answer_median_minutes: (answers.len() >= MIN_FOR_TIMES).then(|| percentile_minutes(answers, 50)).flatten(),
        close_median_minutes: (closes.len() >= MIN_FOR_TIMES).then(|| percentile_minutes(closes, 50)).flatten(),
    }
}

/// The export as CSV: one line per table row, `dimension;value;<roles…>;total`, then each
/// table's column totals as `dimension;total;…`, then the period's figures.
pub fn to_csv(a: &Aggregate) -> String {
    let mut csv = super::csv::Csv::new();
    let mut header = vec!["period".to_owned(), "dimension".to_owned(), "value".to_owned()];
    header.extend(ROLES.iter().map(|r| (*r).to_owned()));
    header.push("total".to_owned());
    csv.row(&header);
    for t in &a.tables {
        for r in &t.rows {
            let mut line = vec![a.period.clone(), t.dimension.clone(), r.value.clone()];
            line.extend(r.cells.iter().cloned());
            line.push(r.total.clone());
            csv.row(&line);
        }
        let mut line = vec![a.period.clone(), t.dimension.clone(), "total".to_owned()];
        line.extend(t.column_totals.iter().cloned());
        line.push(a.total.clone());
        csv.row(&line);
    }
    let time = |v: Option<i64>| v.map_or_else(String::new, |m| m.to_string());
    csv.blank();
    csv.row(["period", "reports", "answer_median_minutes", "close_median_minutes"]);
    csv.row([a.period.clone(), a.total.clone(), time(a.answer_median_minutes), time(a.close_median_minutes)]);
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_months_quarters_and_years_are_periods() {
        let q = parse_period("2026-Q2").unwrap();
        assert_eq!((q.start, q.end), (Date::new(2026, 4, 1).unwrap(), Date::new(2026, 7, 1).unwrap()));
        let m = parse_period("2026-12").unwrap();
        assert_eq!(m.end, Date::new(2027, 1, 1).unwrap());
        assert_eq!(parse_period("2026").unwrap().end, Date::new(2027, 1, 1).unwrap());
        for bad in ["2026-Q5", "2026-13", "2026-1", "26", "2026-03-01", "2026-W05", "", "１２３４", "2026-Q1x"] {
            assert_eq!(parse_period(bad), None, "{bad}");
        }
    }
}

//! The statistics and the coordinators' row-level export as CSV ([`super::csv`]): no id, no free
//! text (description, place, unit), no identity in a row.

use super::csv::Csv;
use super::{MINUTE_MS, Period, local_day};
use crate::store::stats::Fact;
use trygg_wire::stats::Stats;

fn opt(v: Option<i64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// The statistics: the per-period table (reports, each dimension's values, backlog, serious
/// incidents), then the time figures, then closure feedback.
pub fn statistics(s: &Stats) -> String {
    let mut csv = Csv::new();
    let mut header = vec!["table".to_owned(), "value".to_owned()];
    header.extend(s.buckets.iter().cloned());
    header.push("total".to_owned());
    csv.row(&header);
    let series = |csv: &mut Csv, table: &str, value: &str, counts: &[i64], total: i64| {
        let mut line = vec![table.to_owned(), value.to_owned()];
        line.extend(counts.iter().map(i64::to_string));
        line.push(total.to_string());
        csv.row(&line);
    };
    series(&mut csv, "reports", "all", &s.counts, s.total);
    for b in &s.by {
        for r in &b.rows {
            series(&mut csv, &b.dimension, &r.value, &r.counts, r.total);
        }
    }
    series(&mut csv, "backlog", "open", &s.backlog, s.backlog.last().copied().unwrap_or(0));
    series(&mut csv, "serious", "work_environment_notice", &s.serious, s.serious_total);
    csv.blank();
    csv.row([
        "group",
        "reports",
        "answered",
        "answer_median_minutes",
        "answer_p90_minutes",
        "target_due",
        "within_target",
        "closed",
        "close_median_minutes",
        "close_p90_minutes",
    ]);
    for t in &s.times {
        csv.row([
            t.group.clone(),
            t.reports.to_string(),
            t.answered.to_string(),
            opt(t.answer_median_minutes),
            opt(t.answer_p90_minutes),
            t.target_due.to_string(),
            t.within_target.to_string(),
            t.closed.to_string(),
            opt(t.close_median_minutes),
            opt(t.close_p90_minutes),
        ]);
    }
    csv.blank();
    csv.row(["closed", "with_feedback", "feedback_unknown"]);
    let f = s.feedback;
    csv.row([f.closed.to_string(), f.with_feedback.to_string(), f.unknown.to_string()]);
    csv.finish()
}

/// One line per report.
pub fn rows(facts: &[Fact]) -> String {
    let mut csv = Csv::new();
    csv.row([
        "received_day",
        "week",
        "kind",
        "channel",
        "role",
        "phase",
        "severity",
        "urgency",
        "state",
        "answer_minutes",
        "close_minutes",
    ]);
    for f in facts {
        let day = local_day(f.received_at);
        let minutes = |t: Option<i64>| opt(t.map(|t| (t - f.received_at).max(0) / MINUTE_MS));
        csv.row([
            day.to_string(),
            Period::Week.label(Period::Week.start_of(day)),
            f.kind.clone(),
            f.channel.clone(),
            f.role.clone(),
            f.phase.clone().unwrap_or_default(),
            f.severity.clone().unwrap_or_default(),
            f.urgency.clone(),
            if f.closed_at.is_some() { "closed" } else { "open" }.to_owned(),
            minutes(f.first_answer_at),
            minutes(f.closed_at),
        ]);
    }
    csv.finish()
}

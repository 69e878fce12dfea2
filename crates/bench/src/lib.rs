//! Shared pieces of Trygg's benchmark binaries (`load`, `ceiling-http`, `ceiling-db`, `inbox`,
//! `stats`): the report body every submit sends, latency statistics, a tiny flag parser, and the
//! large generated data set ([`generate`]).
//!
//! These are measurement tools, run by `bench/load.sh` against 127.0.0.1 only; they are not
//! part of the test suite.

pub mod generate;
pub mod timing;

use std::time::Duration;
use trygg_domain::ReportDraft;

/// Size the load generator aims for, in bytes of JSON body.
pub const REPORT_BODY_BYTES: usize = 600;

/// A valid report draft whose JSON is `target` bytes long (or as close as a pure-ASCII
/// description allows: exactly, unless the fixed fields alone are already longer).
///
/// `seq` goes into the description so that bodies differ from request to request. The fields
/// are the ones the browser form sends: the whole `ReportDraft`, empty strings included.
pub fn report_body(seq: u64, target: usize) -> String {
    report_body_in(seq, target, "during")
}

/// [`report_body`] with the given phase: `during` makes every report urgent (each enqueues its
/// mail job, the worst case for submits), `after` makes it routine (no job).
pub fn report_body_in(seq: u64, target: usize, phase: &str) -> String {
    let mut draft = ReportDraft {
        kind: "threat".into(),
        channel: "in_person".into(),
        occurred_at: "2026-01-15T14:30:00+01:00".into(),
        location: "Akutmottagningen, entrén".into(),
        description: format!("Benchmark report {seq}. "),
        role: "healthcare".into(),
        phase: phase.into(),
        identity: "anonymous".into(),
        ..ReportDraft::default()
    };
    let base = serde_json::to_string(&draft).expect("a draft always serializes").len();
    // Padding is ASCII and needs no JSON escaping, so each character adds exactly one byte.
    let pad = target.saturating_sub(base);
    const FILLER: &str = "Personen hotade personalen vid entren och vagrade lamna lokalen. ";
    draft.description.extend(FILLER.chars().cycle().take(pad));
    serde_json::to_string(&draft).expect("a draft always serializes")
}

/// Nearest-rank percentile (`p` in 0..=100) of ascending `sorted` values; `None` when empty.
/// p50 of 1..=100 is 50, p99 is 99, p100 is the maximum, p0 the minimum.
pub fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = ((p.clamp(0.0, 100.0) / 100.0) * n as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}

/// Latency summary of a run, in microseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub p50_us: u64,
    pub p90_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
    pub mean_us: f64,
}

impl Summary {
    /// Sorts `latencies_us` in place and summarises them; `None` when there are none.
    pub fn of(latencies_us: &mut [u64]) -> Option<Summary> {
        latencies_us.sort_unstable();
        let sum: u128 = latencies_us.iter().map(|&v| u128::from(v)).sum();
        Some(Summary {
            count: latencies_us.len(),
            p50_us: percentile(latencies_us, 50.0)?,
            p90_us: percentile(latencies_us, 90.0)?,
            p99_us: percentile(latencies_us, 99.0)?,
            max_us: *latencies_us.last()?,
            mean_us: sum as f64 / latencies_us.len() as f64,
        })
    }
}

/// Microseconds as milliseconds with two decimals, for people.
pub fn ms(us: u64) -> String {
    format!("{:.2}", us as f64 / 1000.0)
}

/// A clap value parser for a duration given in seconds (`2`, `0.5`); negative or non-finite
/// values are refused.
pub fn seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(v.is_finite() && v >= 0.0) {
        return Err("must be a non-negative number of seconds".into());
    }
    Ok(Duration::from_secs_f64(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use trygg_domain::NewReport;

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), Some(50));
        assert_eq!(percentile(&v, 90.0), Some(90));
        assert_eq!(percentile(&v, 99.0), Some(99));
        assert_eq!(percentile(&v, 99.5), Some(100));
        assert_eq!(percentile(&v, 100.0), Some(100));
        assert_eq!(percentile(&v, 0.0), Some(1));
        assert_eq!(percentile(&[7], 99.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
        // Ten values: p99 is the largest, p50 the fifth.
        let w = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
        assert_eq!(percentile(&w, 99.0), Some(1000));
        assert_eq!(percentile(&w, 50.0), Some(50));
    }

    #[test]
    fn summary_sorts_and_reports_tail() {
        let mut v = vec![5, 1, 4, 2, 3];
        let s = Summary::of(&mut v).unwrap();
        assert_eq!((s.count, s.p50_us, s.p90_us, s.p99_us, s.max_us), (5, 3, 5, 5, 5));
        assert!((s.mean_us - 3.0).abs() < 1e-9);
        assert_eq!(Summary::of(&mut []), None);
    }

    #[test]
    fn report_body_is_the_requested_size_and_a_valid_report() {
        let now = time::OffsetDateTime::now_utc();
        for seq in [0, 7, 123_456, u64::MAX] {
            let body = report_body(seq, REPORT_BODY_BYTES);
            assert_eq!(body.len(), REPORT_BODY_BYTES, "{body}");
            let draft: ReportDraft = serde_json::from_str(&body).unwrap();
            assert!(draft.description.contains(&seq.to_string()));
            NewReport::parse(&draft, now).expect("the benchmark must send reports the server accepts");
        }
        assert_ne!(report_body(1, 600), report_body(2, 600));
        // Too small a target: the fixed fields are sent unpadded.
        assert!(report_body(1, 10).len() > 10);
    }

    #[test]
    fn seconds_are_non_negative_numbers() {
        assert_eq!(seconds("2"), Ok(Duration::from_secs(2)));
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert!(seconds("-1").is_err());
        assert!(seconds("inf").is_err());
        assert!(seconds("soon").is_err());
    }
}

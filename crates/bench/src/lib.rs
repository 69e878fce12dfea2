//! Shared pieces of Trygg's benchmark binaries (`load`, `ceiling-http`, `ceiling-db`):
//! the report body every submit sends, latency statistics, and a tiny flag parser.
//!
//! These are measurement tools, run by `bench/load.sh` against 127.0.0.1 only; they are not
//! part of the test suite.

use std::collections::HashMap;
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
    let mut draft = ReportDraft {
        kind: "threat".into(),
        channel: "in_person".into(),
        occurred_at: "2026-01-15T14:30:00+01:00".into(),
        location: "Akutmottagningen, entrén".into(),
        description: format!("Benchmark report {seq}. "),
        role: "healthcare".into(),
        phase: "during".into(),
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

/// `--name value` flags and bare `--switch`es. Unknown flags are an error, so a typo in a
/// benchmark script fails loudly instead of silently measuring the default.
#[derive(Debug)]
pub struct Flags {
    values: HashMap<String, String>,
}

impl Flags {
    /// Parses `args` (without the program name); `known` lists the accepted names (without
    /// `--`), `switches` the ones that take no value.
    pub fn parse<I: IntoIterator<Item = String>>(args: I, known: &[&str], switches: &[&str]) -> Result<Flags, String> {
        let mut values = HashMap::new();
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            let name = a.strip_prefix("--").ok_or_else(|| format!("unexpected argument {a:?}"))?;
            if switches.contains(&name) {
                values.insert(name.to_owned(), "true".to_owned());
            } else if known.contains(&name) {
                let v = args.next().ok_or_else(|| format!("--{name} needs a value"))?;
                values.insert(name.to_owned(), v);
            } else {
                return Err(format!("unknown flag --{name}"));
            }
        }
        Ok(Flags { values })
    }

    pub fn str(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn switch(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value of `--name` parsed as `T`, or `default` when absent.
    pub fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.values.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("--{name}: cannot parse {v:?}")),
        }
    }

    pub fn seconds(&self, name: &str, default: f64) -> Result<Duration, String> {
        let s: f64 = self.get(name, default)?;
        if !(s.is_finite() && s >= 0.0) {
            return Err(format!("--{name} must be a non-negative number of seconds"));
        }
        Ok(Duration::from_secs_f64(s))
    }
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
    fn flags_parse_values_and_switches_and_reject_typos() {
        let args = ["--rate", "250", "--json", "--url", "http://127.0.0.1:1/"].map(String::from);
        let f = Flags::parse(args, &["rate", "url", "seconds"], &["json"]).unwrap();
        assert_eq!(f.get("rate", 0u32), Ok(250));
        assert_eq!(f.get("seconds", 5.0), Ok(5.0));
        assert!(f.switch("json"));
        assert_eq!(f.str("url"), Some("http://127.0.0.1:1/"));
        assert!(Flags::parse(["--raet", "1"].map(String::from), &["rate"], &[]).is_err());
        assert!(Flags::parse(["--rate"].map(String::from), &["rate"], &[]).is_err());
        assert!(f.get::<u32>("url", 0).is_err());
    }
}

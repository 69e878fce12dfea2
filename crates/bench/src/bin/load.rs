//! Load generator for `POST /api/reports`: every request carries a fresh `Idempotency-Key` and a
//! ~600-byte report.
//!
//! - `--rate R` (open loop): request `i` is due at `start + i/R`, whether or not earlier ones
//!   have been answered; at most `--concurrency` are in flight. Latency is measured from the
//!   moment the schedule's timer fired, so time spent waiting for a free slot (a server that
//!   falls behind) counts as latency instead of silently lowering the offered rate. How late
//!   the timer itself fired (the generator's lag, ~1 ms timer resolution) is reported apart.
//! - `--max C` (closed loop): `C` clients each send their next request as soon as the previous
//!   one is answered; the throughput is the sustained rate.
//!
//! The first `--warmup` seconds (connections opening, caches filling) are sent but not counted.
//! Only 127.0.0.1 is meant as a target; runs are bounded by `--seconds`.

use clap::Parser;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use trygg_bench::{REPORT_BODY_BYTES, Summary, ms, report_body_in, seconds};

/// Sends report submits at a fixed rate (open loop, `--rate`) or as fast as `--max` clients can
/// (closed loop) and prints throughput and latency percentiles.
#[derive(Parser)]
#[command(name = "load")]
struct Args {
    /// The submit endpoint, e.g. http://127.0.0.1:PORT/api/reports
    #[arg(long)]
    url: String,
    /// Requests per second (open loop)
    #[arg(long, conflicts_with = "max", required_unless_present = "max")]
    rate: Option<f64>,
    /// Clients sending back to back (closed loop)
    #[arg(long)]
    max: Option<usize>,
    #[arg(long, default_value = "5", value_parser = seconds)]
    seconds: Duration,
    #[arg(long, default_value = "1", value_parser = seconds)]
    warmup: Duration,
    /// Requests in flight at most (open loop)
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    #[arg(long, default_value_t = REPORT_BODY_BYTES)]
    body_bytes: usize,
    #[arg(long, default_value = "")]
    label: String,
    /// Routine reports (phase `after`): no urgent-mail job per batch. Default: every report is
    /// urgent (phase `during`), the worst case for the jobs' cost on submits.
    #[arg(long)]
    routine: bool,
    /// Print one JSON line as well
    #[arg(long)]
    json: bool,
}

/// Longest wait for in-flight requests after the last one was sent.
const DRAIN: Duration = Duration::from_secs(30);

struct Outcome {
    /// When the request was due (open loop) or sent (closed loop); decides whether it falls in
    /// the warm-up.
    due: Instant,
    /// When the generator got to it: latency is `done - start`.
    start: Instant,
    done: Instant,
    /// HTTP status, or the error's text when there was no response.
    status: Result<u16, String>,
}

#[derive(Clone)]
struct Target {
    client: reqwest::Client,
    url: Arc<str>,
    body_bytes: usize,
    phase: &'static str,
}

impl Target {
    async fn send(&self, body: String) -> Result<u16, String> {
        let res = self
            .client
            .post(&*self.url)
            .header("content-type", "application/json")
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        res.bytes().await.map_err(|e| e.to_string())?;
        Ok(status)
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), String> {
    let a = Args::parse();
    let (url, seconds, warmup, concurrency, body_bytes, label) =
        (a.url.as_str(), a.seconds, a.warmup, a.concurrency, a.body_bytes, a.label.clone());
    if seconds.is_zero() || concurrency == 0 {
        return Err("--seconds and --concurrency must be positive".into());
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::MAX)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let phase = if a.routine { "after" } else { "during" };
    let target = Target { client, url: url.into(), body_bytes, phase };

    let (mode, rate, conns, run) = match (a.rate, a.max) {
        (Some(rate), None) => {
            if !(rate.is_finite() && rate > 0.0) {
                return Err("--rate must be a positive number of requests per second".into());
            }
            ("rate", Some(rate), concurrency, open_loop(target, rate, concurrency, warmup, seconds).await)
        }
        (None, Some(clients)) => {
            if clients == 0 {
                return Err("--max needs a positive number of clients".into());
            }
            ("max", None, clients, closed_loop(target, clients, warmup, seconds).await)
        }
        _ => return Err("give exactly one of --rate and --max".into()),
    };

    let r = run.report(seconds);
    let offered = rate.map_or("as fast as possible".to_owned(), |r| format!("{r} req/s offered"));
    eprintln!(
        "{label} [{mode}, {offered}, {conns} max in flight, {:.1} s]: {} sent, {} 2xx, {} non-2xx, {} errors; \
         {:.0} req/s; latency ms p50 {} p90 {} p99 {} max {}; generator lag max {} ms",
        seconds.as_secs_f64(),
        r.sent,
        r.ok,
        r.non_2xx,
        r.errors,
        r.throughput,
        ms(r.lat.as_ref().map_or(0, |s| s.p50_us)),
        ms(r.lat.as_ref().map_or(0, |s| s.p90_us)),
        ms(r.lat.as_ref().map_or(0, |s| s.p99_us)),
        ms(r.lat.as_ref().map_or(0, |s| s.max_us)),
        ms(run.max_lag_us),
    );
    if let Some(e) = &r.first_error {
        eprintln!("  first error: {e}");
    }
    if !r.statuses.is_empty() {
        eprintln!("  statuses: {:?}", r.statuses);
    }
    if a.json {
        let lat = |g: fn(&Summary) -> u64| r.lat.as_ref().map(|s| g(s) as f64 / 1000.0);
        let j = serde_json::json!({
            "label": label,
            "mode": mode,
            "rate": rate,
            "concurrency": conns,
            "seconds": seconds.as_secs_f64(),
            "sent": r.sent,
            "sent_with_warmup": run.outcomes.len(),
            "ok": r.ok,
            "non_2xx": r.non_2xx,
            "errors": r.errors,
            "throughput": r.throughput,
            "p50_ms": lat(|s| s.p50_us),
            "p90_ms": lat(|s| s.p90_us),
            "p99_ms": lat(|s| s.p99_us),
            "max_ms": lat(|s| s.max_us),
            "max_lag_ms": run.max_lag_us as f64 / 1000.0,
            "statuses": r.statuses,
        });
        println!("{j}");
    }
    Ok(())
}

/// Everything a run produced, before it is summarised.
struct Run {
    outcomes: Vec<Outcome>,
    /// Start of the measured window (end of the warm-up).
    measure_from: Instant,
    /// Largest delay between a request being due and it being handed to the client.
    max_lag_us: u64,
    /// Closed loop: only requests answered by this instant count towards the throughput.
    closed_until: Option<Instant>,
}

struct Report {
    sent: usize,
    ok: usize,
    non_2xx: usize,
    errors: usize,
    throughput: f64,
    /// Latency of the 2xx answers.
    lat: Option<Summary>,
    statuses: BTreeMap<String, usize>,
    first_error: Option<String>,
}

impl Run {
    fn report(&self, seconds: Duration) -> Report {
        let measured: Vec<&Outcome> = self.outcomes.iter().filter(|o| o.due >= self.measure_from).collect();
        let mut statuses = BTreeMap::new();
        let mut lat = Vec::with_capacity(measured.len());
        let (mut ok, mut non_2xx, mut errors, mut first_error) = (0, 0, 0, None);
        for o in &measured {
            match &o.status {
                Ok(s) => {
                    *statuses.entry(s.to_string()).or_insert(0) += 1;
                    if (200..300).contains(s) {
                        ok += 1;
                        lat.push((o.done - o.start).as_micros() as u64);
                    } else {
                        non_2xx += 1;
                    }
                }
                Err(e) => {
                    errors += 1;
                    first_error.get_or_insert_with(|| e.clone());
                }
            }
        }
        let throughput = match self.closed_until {
            // Closed loop: 2xx answers that arrived inside the measured window, per second.
            Some(until) => {
                let n = measured.iter().filter(|o| o.done <= until && matches!(o.status, Ok(200..=299))).count();
                n as f64 / seconds.as_secs_f64()
            }
            // Open loop: 2xx answers per second from the window's start to the last answer.
            None => {
                let last = measured.iter().map(|o| o.done).max();
                match last {
                    Some(last) if last > self.measure_from => ok as f64 / (last - self.measure_from).as_secs_f64(),
                    _ => 0.0,
                }
            }
        };
        Report {
            sent: measured.len(),
            ok,
            non_2xx,
            errors,
            throughput,
            lat: Summary::of(&mut lat),
            statuses,
            first_error,
        }
    }
}

async fn open_loop(target: Target, rate: f64, concurrency: usize, warmup: Duration, seconds: Duration) -> Run {
    let total = ((warmup + seconds).as_secs_f64() * rate).round() as u64;
    let outcomes = Arc::new(Mutex::new(Vec::with_capacity(total as usize)));
    let slots = Arc::new(Semaphore::new(concurrency));
    let start = Instant::now() + Duration::from_millis(20);
    let mut max_lag_us = 0u64;
    for i in 0..total {
        let body = report_body_in(i, target.body_bytes, target.phase);
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        // The timer fires up to ~1 ms late (its resolution): that lag is the generator's, not the
        // server's, so latency counts from here; it is reported separately as `max_lag_ms`.
        let fired = Instant::now();
        max_lag_us = max_lag_us.max((fired - due).as_micros() as u64);
        // Waiting for a free slot (the server is slow to answer) does count as latency.
        let slot = slots.clone().acquire_owned().await.expect("the semaphore is never closed");
        let (target, outcomes) = (target.clone(), outcomes.clone());
        tokio::spawn(async move {
            let status = target.send(body).await;
            let done = Instant::now();
            drop(slot);
            outcomes.lock().expect("not poisoned").push(Outcome { due, start: fired, done, status });
        });
    }
    let drained = tokio::time::timeout(DRAIN, slots.acquire_many(concurrency as u32)).await;
    let mut outcomes = std::mem::take(&mut *outcomes.lock().expect("not poisoned"));
    if drained.is_err() {
        // Whatever is still in flight counts as failed (it was due; it was not answered).
        let missing = total as usize - outcomes.len();
        let now = Instant::now();
        outcomes.extend((0..missing).map(|_| Outcome {
            due: now,
            start: now,
            done: now,
            status: Err("no answer".into()),
        }));
    }
    Run { outcomes, measure_from: start + warmup, max_lag_us, closed_until: None }
}

async fn closed_loop(target: Target, clients: usize, warmup: Duration, seconds: Duration) -> Run {
    let start = Instant::now();
    let measure_from = start + warmup;
    let end = measure_from + seconds;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for i in 0u64.. {
                let body = report_body_in(i * clients as u64 + c as u64, target.body_bytes, target.phase);
                let start = Instant::now();
                if start >= end {
                    break;
                }
                let status = target.send(body).await;
                outcomes.push(Outcome { due: start, start, done: Instant::now(), status });
            }
            outcomes
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        if let Ok(Ok(o)) = tokio::time::timeout(end.saturating_duration_since(Instant::now()) + DRAIN, t).await {
            outcomes.extend(o);
        }
    }
    Run { outcomes, measure_from, max_lag_us: 0, closed_until: Some(end) }
}

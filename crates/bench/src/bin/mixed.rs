//! Mixed load: what a region's server sees on a busy day, not only submits. Closed loop: `--clients`
//! clients each send their next request as soon as the previous one is answered, and each
//! request is, by a fixed rotation over twenty slots:
//! - 14 (70 %) a report submit (`POST /api/reports`, fresh idempotency key, ~600 bytes);
//! - 4 (20 %) a coordinator's read of one of the seeded reports (`GET /api/reports/{id}`: an
//!   audited read, a read-then-write transaction that appends to the access log), or every
//!   fourth of them the inbox's first page;
//! - 2 (10 %) a reporter's follow-up by receipt code (`POST /api/followup`), every other one a
//!   message (`POST /api/followup/messages`).
//!
//! The coordinator signs in with `--email` / `--password` (the server must not require
//! two-factor sign-in: `TRYGG_REQUIRE_2FA=false`). Prints per kind: answers, 2xx, statuses,
//! p50/p99; `--json` adds one JSON line. Only 127.0.0.1 is meant as a target; runs are bounded
//! by `--seconds`.

use clap::Parser;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use trygg_bench::{REPORT_BODY_BYTES, Summary, ms, report_body, seconds};

/// A closed loop of realistic traffic: submits, coordinator reads and inbox pages, reporter
/// follow-ups and messages, at fixed shares.
#[derive(Parser)]
#[command(name = "mixed")]
struct Args {
    /// The server, e.g. http://127.0.0.1:PORT
    #[arg(long)]
    url: String,
    /// A coordinator's e-mail (two-factor off on the server under test)
    #[arg(long)]
    email: String,
    #[arg(long)]
    password: String,
    #[arg(long, default_value_t = 16)]
    clients: usize,
    #[arg(long, default_value = "5", value_parser = seconds)]
    seconds: Duration,
    #[arg(long, default_value = "1", value_parser = seconds)]
    warmup: Duration,
    /// Reports made before the run, for reads and follow-ups
    #[arg(long, default_value_t = 20)]
    seed_reports: usize,
    #[arg(long, default_value = "")]
    label: String,
    /// Print one JSON line as well
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Submit,
    Read,
    Inbox,
    Followup,
    ReporterMessage,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Submit => "submit",
            Kind::Read => "coordinator_read",
            Kind::Inbox => "inbox_page",
            Kind::Followup => "followup",
            Kind::ReporterMessage => "reporter_message",
        }
    }

    /// The kind of the `i`-th request of a client (see the module's shares).
    fn of(i: u64) -> Kind {
        match i % 20 {
            0..=13 => Kind::Submit,
            14 => Kind::Inbox,
            15..=17 => Kind::Read,
            18 => Kind::Followup,
            _ => Kind::ReporterMessage,
        }
    }
}

struct Seeded {
    /// (report id, receipt code)
    reports: Vec<(String, String)>,
    cookie: String,
}

struct Outcome {
    kind: Kind,
    sent: Instant,
    done: Instant,
    status: Result<u16, String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mixed: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), String> {
    let a = Args::parse();
    let base = a.url.trim_end_matches('/').to_owned();
    let (email, password, clients, seconds, warmup, seed_n) =
        (a.email.clone(), a.password.clone(), a.clients, a.seconds, a.warmup, a.seed_reports);
    let label = a.label.clone();
    if clients == 0 || seconds.is_zero() || seed_n == 0 {
        return Err("--clients, --seconds and --seed-reports must be positive".into());
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(usize::MAX)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let seeded = Arc::new(seed(&client, &base, &email, &password, seed_n).await?);

    let start = Instant::now();
    let measure_from = start + warmup;
    let end = measure_from + seconds;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
        let (client, base, seeded) = (client.clone(), base.clone(), seeded.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            // Clients start at different points of the rotation, so the shares hold at any instant.
            for i in (c as u64 * 7)..u64::MAX {
                let sent = Instant::now();
                if sent >= end {
                    break;
                }
                let kind = Kind::of(i);
                let status = send(&client, &base, &seeded, kind, i * clients as u64 + c as u64).await;
                out.push(Outcome { kind, sent, done: Instant::now(), status });
            }
            out
        }));
    }
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.extend(t.await.map_err(|e| e.to_string())?);
    }
    let measured: Vec<&Outcome> = outcomes.iter().filter(|o| o.sent >= measure_from && o.done <= end).collect();

    let mut by_kind: BTreeMap<Kind, Vec<&Outcome>> = BTreeMap::new();
    for o in &measured {
        by_kind.entry(o.kind).or_default().push(o);
    }
    let secs = seconds.as_secs_f64();
    let mut json_kinds = serde_json::Map::new();
    let total_ok = measured.iter().filter(|o| matches!(o.status, Ok(200..=299))).count();
    let total_5xx = measured.iter().filter(|o| matches!(o.status, Ok(500..=599))).count();
    let errors = measured.iter().filter(|o| o.status.is_err()).count();
    eprintln!(
        "{label} [mixed, {clients} clients, {secs:.1} s]: {} answered, {total_ok} 2xx, {total_5xx} 5xx, {errors} errors; {:.0} 2xx/s",
        measured.len(),
        total_ok as f64 / secs
    );
    for (kind, list) in &by_kind {
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        let mut lat = Vec::new();
        for o in list {
            let key = match &o.status {
                Ok(s) => s.to_string(),
                Err(_) => "error".to_owned(),
            };
            *statuses.entry(key).or_insert(0) += 1;
            if matches!(o.status, Ok(200..=299)) {
                lat.push((o.done - o.sent).as_micros() as u64);
            }
        }
        let ok = lat.len();
        let s = Summary::of(&mut lat);
        let p = |g: fn(&Summary) -> u64| s.as_ref().map_or(0, g);
        eprintln!(
            "  {:<17} {:>6} answered, {:>6} 2xx ({:.0}/s); p50 {} ms, p99 {} ms; statuses {:?}",
            kind.name(),
            list.len(),
            ok,
            ok as f64 / secs,
            ms(p(|s| s.p50_us)),
            ms(p(|s| s.p99_us)),
            statuses
        );
        json_kinds.insert(
            kind.name().to_owned(),
            serde_json::json!({
                "answered": list.len(),
                "ok": ok,
                "per_s": ok as f64 / secs,
                "p50_ms": s.as_ref().map(|s| s.p50_us as f64 / 1000.0),
                "p99_ms": s.as_ref().map(|s| s.p99_us as f64 / 1000.0),
                "statuses": statuses,
            }),
        );
    }
    if a.json {
        let j = serde_json::json!({
            "label": label,
            "mode": "mixed",
            "clients": clients,
            "seconds": secs,
            "answered": measured.len(),
            "ok": total_ok,
            "server_errors": total_5xx,
            "errors": errors,
            "throughput": total_ok as f64 / secs,
            "kinds": json_kinds,
        });
        println!("{j}");
    }
    Ok(())
}

/// Submits `n` reports (keeping their ids and receipt codes) and signs the coordinator in.
async fn seed(client: &reqwest::Client, base: &str, email: &str, password: &str, n: usize) -> Result<Seeded, String> {
    let mut reports = Vec::with_capacity(n);
    for i in 0..n {
        let res = client
            .post(format!("{base}/api/reports"))
            .header("content-type", "application/json")
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .body(report_body(i as u64, REPORT_BODY_BYTES))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !res.status().is_success() {
            return Err(format!("seeding a report: {}", res.status()));
        }
        let v: serde_json::Value =
            serde_json::from_slice(&res.bytes().await.map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let field = |k: &str| v[k].as_str().map(str::to_owned).ok_or(format!("no {k} in the receipt"));
        reports.push((field("id")?, field("receipt_code")?));
    }
    let res = client
        .post(format!("{base}/api/auth/login"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"email": email, "password": password}).to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.status().is_success() {
        return Err(format!("coordinator sign-in: {}", res.status()));
    }
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    if cookie.is_empty() {
        return Err("the sign-in set no cookie".into());
    }
    Ok(Seeded { reports, cookie })
}

async fn send(client: &reqwest::Client, base: &str, s: &Seeded, kind: Kind, n: u64) -> Result<u16, String> {
    let (id, code) = &s.reports[(n as usize) % s.reports.len()];
    let req = match kind {
        Kind::Submit => client
            .post(format!("{base}/api/reports"))
            .header("content-type", "application/json")
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .body(report_body(n, REPORT_BODY_BYTES)),
        Kind::Read => client.get(format!("{base}/api/reports/{id}")).header("cookie", &s.cookie),
        Kind::Inbox => client.get(format!("{base}/api/reports?limit=50")).header("cookie", &s.cookie),
        Kind::Followup => client
            .post(format!("{base}/api/followup"))
            .header("content-type", "application/json")
            .body(serde_json::json!({"receipt_code": code}).to_string()),
        Kind::ReporterMessage => {
            client.post(format!("{base}/api/followup/messages")).header("content-type", "application/json").body(
                serde_json::json!({"receipt_code": code, "body": format!("Tillägg {n} från rapportören.")}).to_string(),
            )
        }
    };
    let res = req.send().await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    res.bytes().await.map_err(|e| e.to_string())?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn the_rotation_gives_the_documented_shares() {
        let mut n = std::collections::BTreeMap::new();
        for i in 0..2000 {
            *n.entry(Kind::of(i)).or_insert(0) += 1;
        }
        assert_eq!(n[&Kind::Submit], 1400);
        assert_eq!(n[&Kind::Read] + n[&Kind::Inbox], 400);
        assert_eq!(n[&Kind::Followup] + n[&Kind::ReporterMessage], 200);
    }
}

//! From the 201 of an urgent report to its mail accepted by the SMTP server, beside the bare SMTP
//! send time to the same server (the ceiling).
//!
//! Sends `--count` urgent reports (phase `during`) at `--rate` per second to `--url` (a server or
//! a load balancer in front of several), records when each 201 arrived, then reads the SMTP
//! sink's Maildir (`--maildir`, written by aiosmtpd's Mailbox handler when it accepts a message):
//! each mail links its report's page (`/samordnare/inkorg/{id}`), and the file's modification
//! time is when the sink accepted it. A mail that links the inbox instead covers several reports
//! of one group-commit batch; those are counted apart, not timed. Then `--bare` plain sends
//! through lettre (the same crate and transport as the server) to `--smtp` measure the ceiling.
//! Prints a JSON line. Only loopback targets are meant.

use clap::Parser;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use trygg_bench::{REPORT_BODY_BYTES, Summary, report_body_in};

#[derive(Parser)]
#[command(name = "mail-latency")]
struct Args {
    /// Base URL of the server or balancer, e.g. http://127.0.0.1:8080
    #[arg(long)]
    url: String,
    /// The SMTP sink's Maildir (its `new/` holds one file per accepted message)
    #[arg(long)]
    maildir: PathBuf,
    /// The SMTP sink as host:port, for the bare sends
    #[arg(long)]
    smtp: String,
    #[arg(long, default_value_t = 300)]
    count: usize,
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    #[arg(long, default_value_t = 200)]
    bare: usize,
    /// Seconds to wait for the last mail
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    #[arg(long, default_value = "")]
    label: String,
}

fn unix_us(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or_default()
}

fn summary_json(s: Option<Summary>) -> serde_json::Value {
    match s {
        Some(s) => serde_json::json!({"n": s.count, "p50_ms": s.p50_us as f64 / 1e3, "p99_ms": s.p99_us as f64 / 1e3,
            "max_ms": s.max_us as f64 / 1e3}),
        None => serde_json::Value::Null,
    }
}

/// The report id a mail links, or `None` for a mail that links the inbox (a batch).
fn linked_report(text: &str) -> Option<String> {
    let at = text.find("/samordnare/inkorg/")? + "/samordnare/inkorg/".len();
    let id: String = text[at..].chars().take_while(|c| c.is_ascii_hexdigit() || *c == '-').collect();
    (id.len() == 36).then_some(id)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let a = Args::parse();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().map_err(|e| e.to_string())?;
    let new_dir = a.maildir.join("new");

    // Reports at a fixed rate; each 201's arrival time by report id.
    let start = Instant::now();
    let mut sends = Vec::with_capacity(a.count);
    for i in 0..a.count {
        tokio::time::sleep_until((start + Duration::from_secs_f64(i as f64 / a.rate)).into()).await;
        let (client, url) = (client.clone(), format!("{}/api/reports", a.url));
        let body = report_body_in(i as u64, REPORT_BODY_BYTES, "during");
        sends.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                .header("Content-Type", "application/json")
                .body(body)
                .send()
                .await
                .ok()?;
            let at = unix_us(SystemTime::now());
            if res.status().as_u16() != 201 {
                return None;
            }
            let v: serde_json::Value = serde_json::from_str(&res.text().await.ok()?).ok()?;
            Some((v["id"].as_str()?.to_owned(), at))
        }));
    }
    let mut created: HashMap<String, i64> = HashMap::new();
    for s in sends {
        if let Ok(Some((id, at))) = s.await {
            created.insert(id, at);
        }
    }

    // Wait until every report is covered by a mail (or the timeout).
    let deadline = Instant::now() + Duration::from_secs(a.timeout);
    let (mut latencies, mut batched_mails, mut covered);
    loop {
        (latencies, batched_mails, covered) = (Vec::new(), 0usize, 0usize);
        let mut files: Vec<_> = std::fs::read_dir(&new_dir).map_err(|e| e.to_string())?.flatten().collect();
        files.sort_by_key(|f| f.file_name());
        for f in files {
            let Ok(text) = std::fs::read_to_string(f.path()) else { continue };
            // Quoted-printable bodies fold long lines with a soft break (`=` at the line's end).
            let text = text.replace("=\r\n", "").replace("=\n", "");
            let accepted = f.metadata().and_then(|m| m.modified()).map(unix_us).unwrap_or_default();
            match linked_report(&text) {
                Some(id) => {
                    if let Some(at) = created.get(&id) {
                        latencies.push((accepted - at).max(0) as u64);
                        covered += 1;
                    }
                }
                None if text.contains("/samordnare/inkorg") => batched_mails += 1,
                None => {}
            }
        }
        if covered + batched_mails >= created.len() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The ceiling: bare sends to the same sink through lettre.
    let (host, port) = a.smtp.rsplit_once(':').ok_or("--smtp is host:port")?;
    let port: u16 = port.parse().map_err(|_| "--smtp port")?;
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).build();
    let mut bare = Vec::with_capacity(a.bare);
    for i in 0..a.bare {
        let m = Message::builder()
            .from("bench@region.se".parse().map_err(|_| "from")?)
            .to("sink@region.se".parse().map_err(|_| "to")?)
            .subject(format!("bare {i}"))
            .body("bare send".to_owned())
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        smtp.send(m).await.map_err(|e| e.to_string())?;
        bare.push(t.elapsed().as_micros() as u64);
    }
    let line = serde_json::json!({
        "label": a.label, "reports": a.count, "created": created.len(), "mailed_alone": covered,
        "batch_mails": batched_mails, "rate": a.rate,
        "created_to_mail": summary_json(Summary::of(&mut latencies)),
        "bare_smtp_send": summary_json(Summary::of(&mut bare)),
    });
    println!("{line}");
    Ok(())
}

//! Inbox query time over a large data set: fills a fresh database (SQLite file or PostgreSQL)
//! with N generated reports through the server's own migrations ([`trygg_bench::generate`]), then times the server's inbox
//! queries (`Db::inbox`, `Db::status_counts`: the code the API runs) beside the ceiling, a plain
//! indexed `SELECT … ORDER BY seq DESC LIMIT 50` on the same data.
//!
//! Usage: `inbox <database-url> [reports] [runs]` (defaults 1,000,000 and 30). Prints a markdown
//! table: median and p95 per query, in milliseconds. See bench/inbox.sh.

use std::time::{Duration, Instant};
use trygg_bench::generate::fill;
use trygg_bench::timing::{median, ms, time_n, upper};
use trygg_server::store::Db;
use trygg_server::store::inbox::{Assignee, Filter};
use uuid::Uuid;

/// Times the inbox's queries over many generated reports (made once, then reused).
#[derive(clap::Parser)]
#[command(name = "inbox")]
struct Args {
    /// `sqlite://FILE` or `postgres://…`
    database_url: String,
    /// How many reports the database should hold
    #[arg(default_value_t = 1_000_000)]
    reports: i64,
    /// Runs per query
    #[arg(default_value_t = 30)]
    runs: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = <Args as clap::Parser>::parse();
    let (url, total, runs) = (&a.database_url, a.reports, a.runs);
    let db = Db::connect(url, 4).await?;
    let backend = db.backend();

    let started = Instant::now();
    // A database already holding the reports (a rerun) is measured as it is.
    let have: i64 = match &db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(p).await?,
        Db::Postgres(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(p).await?,
    };
    if have == 0 {
        fill(&db, total).await?;
    } else if have != total {
        return Err(format!("the database holds {have} reports, not {total}: use a fresh one").into());
    }
    let fill_secs = started.elapsed().as_secs_f64();
    let user = Uuid::now_v7();
    eprintln!("{backend}: {total} reports generated in {fill_secs:.1} s");

    let mut rows: Vec<(String, Vec<Duration>)> = Vec::new();
    let ceiling = time_n(runs, || async { plain_select(&db).await }).await?;
    rows.push(("ceiling: plain indexed SELECT, newest 50".into(), ceiling));
    let cases: Vec<(&str, Filter)> = vec![
        ("inbox, newest 50, no filter", Filter::default()),
        ("inbox, status = new", Filter { status: Some("new"), ..Filter::default() }),
        (
            "inbox, severity = high and kind = threat",
            Filter { severity: Some("high"), kind: Some("threat"), ..Filter::default() },
        ),
        (
            "inbox, unassigned, oldest first",
            Filter { assignee: Some(Assignee::Nobody), oldest_first: true, ..Filter::default() },
        ),
        ("inbox, free text \"kniv\"", Filter { text: Some("kniv".into()), ..Filter::default() }),
        ("inbox, free text \"hot parkering\"", Filter { text: Some("hot parkering".into()), ..Filter::default() }),
        ("inbox, a rare word (1 in 10,000)", Filter { text: Some("brandbomb".into()), ..Filter::default() }),
    ];
    for (name, f) in &cases {
        let page = db.inbox(f, user, None, 50).await?;
        assert!(!page.is_empty(), "{name}: the generated data must match");
        let times = time_n(runs, || async { db.inbox(f, user, None, 50).await.map(|_| ()) }).await?;
        rows.push(((*name).into(), times));
    }
    let cursor = db.inbox(&Filter::default(), user, None, 50).await?.last().map(|r| r.seq - 400_000);
    let times = time_n(runs, || async { db.inbox(&Filter::default(), user, cursor, 50).await.map(|_| ()) }).await?;
    rows.push(("inbox, a page 400,000 rows deep (keyset)".into(), times));
    let times =
        time_n(runs.min(10), || async { db.status_counts(&Filter::default(), 10_000).await.map(|_| ()) }).await?;
    rows.push(("counts per status (each stops at 10,000), all reports".into(), times));
    let f = Filter { kind: Some("threat"), role: Some("healthcare"), ..Filter::default() };
    let times = time_n(runs.min(10), || async { db.status_counts(&f, 10_000).await.map(|_| ()) }).await?;
    rows.push(("counts per status (each stops at 10,000), kind = threat and role = healthcare".into(), times));

    println!("\n### {backend}: {total} reports ({fill_secs:.0} s to generate), {runs} runs per query\n");
    println!("| query | median ms | p95 ms | × ceiling (median) |");
    println!("|---|---:|---:|---:|");
    let base = median(&rows[0].1);
    for (name, times) in &rows {
        let (m, p) = (median(times), p95(times));
        println!("| {name} | {:.2} | {:.2} | {:.1} |", ms(m), ms(p), m.as_secs_f64() / base.as_secs_f64());
    }
    db.close().await;
    Ok(())
}

fn p95(t: &[Duration]) -> Duration {
    upper(t, 95)
}

/// The ceiling: the newest 50 rows by the primary key, the columns the inbox shows, no joins.
async fn plain_select(db: &Db) -> Result<(), sqlx::Error> {
    let sql =
        "SELECT seq, id, received_at, kind, status, severity, description FROM reports ORDER BY seq DESC LIMIT 50";
    let n = match db {
        Db::Sqlite(p) => sqlx::query(sql).fetch_all(p).await?.len(),
        Db::Postgres(p) => sqlx::query(sql).fetch_all(p).await?.len(),
    };
    assert_eq!(n, 50);
    Ok(())
}

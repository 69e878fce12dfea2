//! Statistics query time over a large data set: fills a fresh database (SQLite file or
//! PostgreSQL) with N generated reports ([`trygg_bench::generate`], the inbox benchmark's data
//! set), builds the statistics' rollup as the scheduler would (`Db::stats_rollup`, timed), then
//! times what the statistics page reads (`Db::stats_tallies`: the rollup's summaries plus the
//! rest from the reports, and the computation of the answer — the code behind GET /api/stats)
//! with the page's default selection (52 ISO weeks back from now) and with one filter set
//! (kind = violence), beside the ceiling: a plain `SELECT COUNT(*)` over the same rows in the
//! same run; and, for comparison, the same reads from the reports alone (no rollup, 3 runs).
//!
//! Usage: `stats <database-url> [reports] [runs]` (defaults 1,000,000 and 20). Prints markdown:
//! median and p90 per query, in milliseconds. See bench/stats.sh.

use std::time::{Duration, Instant};
use trygg_bench::generate::{NOW, fill};
use trygg_bench::timing::{median, ms, time_n, upper};
use trygg_server::routes::stats::StatsQuery;
use trygg_server::stats::fold::fold_facts;
use trygg_server::stats::tally::Segments;
use trygg_server::stats::{compute, periods};
use trygg_server::store::Db;
use trygg_server::store::stats::{Scope, StatsFilter};

/// Times the statistics page's queries over many generated reports (made once, then reused).
#[derive(clap::Parser)]
#[command(name = "stats")]
struct Args {
    /// `sqlite://FILE` or `postgres://…`
    database_url: String,
    /// How many reports the database should hold
    #[arg(default_value_t = 1_000_000)]
    reports: i64,
    /// Runs per query
    #[arg(default_value_t = 20)]
    runs: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = <Args as clap::Parser>::parse();
    let (url, total, runs) = (&a.database_url, a.reports, a.runs);
    let db = Db::connect(url, 8).await?;
    let backend = db.backend();
    let started = Instant::now();
    let have = count(&db, None).await?;
    if have == 0 {
        fill(&db, total).await?;
    } else if have != total {
        return Err(format!("the database holds {have} reports, not {total}: use a fresh one").into());
    }
    let fill_secs = started.elapsed().as_secs_f64();
    eprintln!("{backend}: {total} reports generated in {fill_secs:.1} s");
    let started = Instant::now();
    let pieces = db.stats_rollup(NOW, Duration::from_secs(3600)).await?;
    let rollup_secs = started.elapsed().as_secs_f64();
    if let Db::Sqlite(p) = &db {
        // As the server's checkpoint task does every few seconds: the WAL copied back.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(p).await?;
    }
    eprintln!("{backend}: {pieces} pieces rolled up in {rollup_secs:.1} s");

    let mut rows: Vec<(String, Vec<Duration>)> = Vec::new();
    let cases = [("default selection", StatsQuery::default()), ("kind = violence", violence())];
    let mut selected = Vec::new();
    for (name, q) in &cases {
        let sel = q.select(NOW).map_err(|e| format!("{e:?}"))?;
        let (labels, starts) = periods(sel.period, sel.first_day, sel.end_ms);
        let segments = Segments::new(&starts, NOW);
        let f = &sel.filter;
        let n = count(&db, Some(f)).await?;
        selected.push(format!("{name}: {n} reports in {} periods", labels.len()));
        let times = time_n(runs, || async { count(&db, Some(f)).await.map(|_| ()) }).await?;
        rows.push((format!("ceiling: plain SELECT COUNT(*) over the same rows ({name})"), times));
        let page = || async {
            let tallies = db.stats_tallies(f, &segments, NOW).await?;
            let s = compute(&tallies, &segments, sel.period, labels.clone(), &starts, NOW);
            assert_eq!(s.total, n, "the page counts every selected report");
            Ok(())
        };
        rows.push((
            format!("the whole page: rollup + the rest from the reports + compute ({name})"),
            time_n(runs, page).await?,
        ));
        let alone = || async {
            let facts = db.stats_facts_in(f, &Scope::default()).await?;
            let t = fold_facts(&facts, &segments, false).finish();
            compute(&t, &segments, sel.period, labels.clone(), &starts, NOW);
            Ok(())
        };
        rows.push((
            format!("for comparison: the same from the reports alone, no rollup ({name})"),
            time_n(3, alone).await?,
        ));
    }

    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "\n### {backend}: {total} reports ({fill_secs:.0} s to generate, {pieces} pieces rolled up in {rollup_secs:.1} s), {runs} runs per query, load after {}\n",
        load.join(" ")
    );
    for s in &selected {
        println!("- {s}");
    }
    println!("\n| query | median ms | p90 ms | × ceiling (median) |");
    println!("|---|---:|---:|---:|");
    let mut base = rows[0].1[0];
    for (name, times) in &rows {
        if name.starts_with("ceiling") {
            base = median(times);
        }
        let (m, p) = (median(times), p90(times));
        println!("| {name} | {:.2} | {:.2} | {:.1} |", ms(m), ms(p), m.as_secs_f64() / base.as_secs_f64());
    }
    db.close().await;
    Ok(())
}

fn violence() -> StatsQuery {
    StatsQuery { kind: Some("violence".into()), ..StatsQuery::default() }
}

/// `SELECT COUNT(*)` of the reports `f` selects (all with `None`), live and purged.
async fn count(db: &Db, f: Option<&StatsFilter>) -> Result<i64, sqlx::Error> {
    let (mut sql, mut purged) = ("SELECT COUNT(*) FROM reports WHERE 1 = 1".to_owned(), None);
    let mut binds: Vec<String> = Vec::new();
    let (mut from, mut to) = (i64::MIN, i64::MAX);
    if let Some(f) = f {
        for (col, v) in
            [("kind", f.kind), ("status", f.status), ("severity", f.severity), ("role", f.role), ("phase", f.phase)]
        {
            if let Some(v) = v {
                binds.push(v.to_owned());
                sql.push_str(&format!(" AND {col} = ${}", binds.len()));
            }
        }
        (from, to) = (f.from_ms.unwrap_or(i64::MIN), f.to_ms.unwrap_or(i64::MAX));
        sql.push_str(&format!(" AND received_at >= {from} AND received_at < {to}"));
        purged = Some("SELECT COUNT(*) FROM report_facts WHERE received_at >= $1 AND received_at < $2");
    }
    let live: i64 = match db {
        Db::Sqlite(p) => binds.iter().fold(sqlx::query_scalar(&sql), |q, b| q.bind(b)).fetch_one(p).await?,
        Db::Postgres(p) => binds.iter().fold(sqlx::query_scalar(&sql), |q, b| q.bind(b)).fetch_one(p).await?,
    };
    let Some(purged) = purged else { return Ok(live) };
    let facts: i64 = match db {
        Db::Sqlite(p) => sqlx::query_scalar(purged).bind(from).bind(to).fetch_one(p).await?,
        Db::Postgres(p) => sqlx::query_scalar(purged).bind(from).bind(to).fetch_one(p).await?,
    };
    Ok(live + facts)
}

fn p90(t: &[Duration]) -> Duration {
    upper(t, 90)
}

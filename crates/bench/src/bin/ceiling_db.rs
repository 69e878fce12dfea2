//! The database ceiling: how many durable commits per second the database itself takes, through
//! the same driver (sqlx) and with the same durability settings as Trygg's server.
//!
//! - single: one 600-byte row per transaction, back to back on one connection, for `--seconds`;
//! - batch: `--batch` rows (default 100) share each transaction, written by ONE multi-row
//!   INSERT (as the server's group commit writes a batch), for `--seconds`.
//!
//! SQLite runs in WAL mode with `synchronous=FULL` (as the server does: every commit is on disk
//! before it returns) and, like the server's connections, without automatic checkpoints
//! (`wal_autocheckpoint=0`: the server copies the log back from a task of its own, so no commit
//! waits for it; here no checkpoint runs at all, which can only raise the ceiling); PostgreSQL with its defaults (`fsync=on`, `synchronous_commit=on`), as
//! the server uses it. The table is created fresh and dropped at the end.
//!
//! usage: ceiling-db (--sqlite FILE | --postgres URL) [--seconds 2] [--batch 100] [--json]

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Executor};
use std::str::FromStr;
use std::time::{Duration, Instant};
use trygg_bench::{REPORT_BODY_BYTES, report_body};

/// Raw durable commits of report-sized rows, single and batched: the database's ceiling.
#[derive(clap::Parser)]
#[command(name = "ceiling-db")]
struct Args {
    /// A SQLite file to create
    #[arg(long, required_unless_present = "postgres", conflicts_with = "postgres")]
    sqlite: Option<String>,
    /// A PostgreSQL URL
    #[arg(long)]
    postgres: Option<String>,
    #[arg(long, default_value = "2", value_parser = trygg_bench::seconds)]
    seconds: Duration,
    #[arg(long, default_value_t = 100)]
    batch: u64,
    /// Print one JSON line as well
    #[arg(long)]
    json: bool,
}
const INSERT: &str = "INSERT INTO ceiling_rows (k, payload) VALUES ($1, $2)";
const INSERT_MANY: &str = "INSERT INTO ceiling_rows (k, payload) ";

/// The next row: a fresh 16-byte key and a 600-byte report.
fn row(seq: &mut u64) -> (Vec<u8>, String) {
    *seq += 1;
    (uuid::Uuid::new_v4().as_bytes().to_vec(), report_body(*seq, REPORT_BODY_BYTES))
}

struct Rates {
    single_commits_per_s: f64,
    /// Latency of one single-row commit, p50 and p99 (ms): no submit can be durable sooner.
    single_p50_ms: f64,
    single_p99_ms: f64,
    batch_rows_per_s: f64,
    batch_commits_per_s: f64,
}

/// The two measurements over any sqlx connection (the SQL is the same for both backends).
macro_rules! measure {
    ($conn:expr, $seconds:expr, $batch:expr) => {{
        let conn = $conn;
        let mut seq = 0u64;
        // Single-row commits: autocommit, so each INSERT is its own durable transaction.
        let (start, mut took) = (Instant::now(), Vec::new());
        while start.elapsed() < $seconds {
            let (k, payload) = row(&mut seq);
            let t = Instant::now();
            sqlx::query(INSERT).bind(k).bind(payload).execute(&mut *conn).await?;
            took.push(t.elapsed());
        }
        let single_commits_per_s = took.len() as f64 / start.elapsed().as_secs_f64();
        took.sort();
        let pct = |q: f64| took[((took.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
        let (single_p50_ms, single_p99_ms) = (pct(0.50), pct(0.99));
        // Batched: `batch` rows per transaction.
        let (start, mut commits) = (Instant::now(), 0u64);
        while start.elapsed() < $seconds {
            let rows: Vec<_> = (0..$batch).map(|_| row(&mut seq)).collect();
            let mut tx = conn.begin().await?;
            let mut qb = sqlx::QueryBuilder::new(INSERT_MANY);
            qb.push_values(rows, |mut b, (k, payload)| {
                b.push_bind(k).push_bind(payload);
            });
            qb.build().execute(&mut *tx).await?;
            tx.commit().await?;
            commits += 1;
        }
        let secs = start.elapsed().as_secs_f64();
        Rates {
            single_commits_per_s,
            single_p50_ms,
            single_p99_ms,
            batch_rows_per_s: (commits * $batch) as f64 / secs,
            batch_commits_per_s: commits as f64 / secs,
        }
    }};
}

async fn sqlite(path: &str, seconds: Duration, batch: u64) -> Result<Rates, sqlx::Error> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .pragma("wal_autocheckpoint", "0");
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
    conn.execute("DROP TABLE IF EXISTS ceiling_rows").await?;
    conn.execute("CREATE TABLE ceiling_rows (seq INTEGER PRIMARY KEY, k BLOB NOT NULL UNIQUE, payload TEXT NOT NULL)")
        .await?;
    let rates = measure!(&mut conn, seconds, batch);
    conn.execute("DROP TABLE ceiling_rows").await?;
    conn.close().await?;
    Ok(rates)
}

async fn postgres(url: &str, seconds: Duration, batch: u64) -> Result<Rates, sqlx::Error> {
    let opts = PgConnectOptions::from_str(url)?;
    let mut conn = sqlx::PgConnection::connect_with(&opts).await?;
    conn.execute("DROP TABLE IF EXISTS ceiling_rows").await?;
    conn.execute(
        "CREATE TABLE ceiling_rows (seq BIGSERIAL PRIMARY KEY, k BYTEA NOT NULL UNIQUE, payload TEXT NOT NULL)",
    )
    .await?;
    let rates = measure!(&mut conn, seconds, batch);
    conn.execute("DROP TABLE ceiling_rows").await?;
    conn.close().await?;
    Ok(rates)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let a = <Args as clap::Parser>::parse();
    let (seconds, batch) = (a.seconds, a.batch);
    if seconds.is_zero() || batch == 0 {
        eprintln!("ceiling-db: --seconds and --batch must be positive");
        return std::process::ExitCode::from(2);
    }
    let (backend, result) = match (a.sqlite.as_deref(), a.postgres.as_deref()) {
        (Some(path), None) => ("sqlite", sqlite(path, seconds, batch).await),
        (None, Some(url)) => ("postgres", postgres(url, seconds, batch).await),
        _ => unreachable!("clap requires exactly one of --sqlite and --postgres"),
    };
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ceiling-db ({backend}): {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    eprintln!(
        "{backend} durable commits, {REPORT_BODY_BYTES}-byte rows: {:.0} single-row commits/s \
         (p50 {:.2} ms, p99 {:.2} ms); {:.0} rows/s with {batch} rows per commit ({:.0} commits/s)",
        r.single_commits_per_s, r.single_p50_ms, r.single_p99_ms, r.batch_rows_per_s, r.batch_commits_per_s
    );
    if a.json {
        let j = serde_json::json!({
            "backend": backend,
            "row_bytes": REPORT_BODY_BYTES,
            "seconds": seconds.as_secs_f64(),
            "single_commits_per_s": r.single_commits_per_s,
            "single_p50_ms": r.single_p50_ms,
            "single_p99_ms": r.single_p99_ms,
            "batch": batch,
            "batch_rows_per_s": r.batch_rows_per_s,
            "batch_commits_per_s": r.batch_commits_per_s,
        });
        println!("{j}");
    }
    std::process::ExitCode::SUCCESS
}

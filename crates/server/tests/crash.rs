//! Crash safety: submits under load, SIGKILL the server mid-way, restart it, and check that
//! every report that was answered 201 exists exactly once, and that retrying every key (answered
//! or not) creates no duplicate. Runs the real binary on SQLite and on PostgreSQL.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use trygg_server::store::Db;
use uuid::Uuid;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start(database_url: &str, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trygg-server"))
        .env("DATABASE_URL", database_url)
        .env("TRYGG_ADDR", format!("127.0.0.1:{port}"))
        .env("TRYGG_DIST_DIR", "/nonexistent")
        // One fixed test key: the server refuses nothing without it, but must not write a key file here.
        .env("TRYGG_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        // The audit anchor goes next to a SQLite file by default; for PostgreSQL, not into the source tree.
        .env("TRYGG_AUDIT_ANCHOR_FILE", std::env::temp_dir().join(format!("trygg-crash-audit-head-{port}")))
        .env("RUST_LOG", "error")
        // Sixteen clients on one address submit like a script: lift the per-address flood limit.
        .env("TRYGG_SUBMIT_MAX_PER_ADDRESS", "1000000000")
        .stdout(Stdio::null())
        .spawn()
        .expect("start the server binary");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/healthz")).send().await
            && r.status().is_success()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().ok();
    child.wait().ok();
    panic!("server did not become healthy");
}

/// The server is killed once this many reports are acknowledged (16 clients keep sending).
const KILL_AFTER_ACKS: usize = 300;

fn report(i: usize) -> serde_json::Value {
    json!({"kind": "violence", "channel": "in_person", "occurred_at": "2026-02-01T08:00:00Z",
           "description": format!("Krocktest {i}"), "role": "healthcare", "identity": "anonymous"})
}

async fn crash_and_recover(database_url: String) {
    let port = free_port();
    let mut server = start(&database_url, port).await;
    let url = format!("http://127.0.0.1:{port}/api/reports");
    // (key, body index, acknowledged?)
    let sent: Arc<Mutex<Vec<(Uuid, usize, bool)>>> = Arc::default();
    // The kill comes when enough reports are acknowledged, whatever the machine's speed, and
    // while the clients are still sending (a condition, not a fixed sleep).
    let acked_count = Arc::new(AtomicUsize::new(0));
    let reached = Arc::new(tokio::sync::Notify::new());
    let killed = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for t in 0..16 {
        let (url, sent, acked_count, killed) = (url.clone(), sent.clone(), acked_count.clone(), killed.clone());
        let reached = reached.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
            let mut i = t * 1_000_000;
            loop {
                i += 1;
                let key = Uuid::new_v4();
                let res = client.post(&url).header("Idempotency-Key", key.to_string()).json(&report(i)).send().await;
                let acked = matches!(res, Ok(r) if r.status() == StatusCode::CREATED);
                sent.lock().unwrap().push((key, i, acked));
                if acked {
                    if acked_count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER_ACKS {
                        reached.notify_one();
                    }
                } else if killed.load(Ordering::SeqCst) {
                    // After the kill a client stops at its first failed request.
                    break;
                }
            }
        }));
    }
    // `notify_one` keeps its permit if it comes before this wait.
    tokio::time::timeout(Duration::from_secs(120), reached.notified())
        .await
        .unwrap_or_else(|_| panic!("the load did not reach {KILL_AFTER_ACKS} acknowledged reports"));
    killed.store(true, Ordering::SeqCst);
    server.kill().expect("SIGKILL");
    server.wait().ok();
    for t in tasks {
        t.await.unwrap();
    }
    let sent = sent.lock().unwrap().clone();
    let acked: Vec<_> = sent.iter().filter(|s| s.2).collect();
    assert!(acked.len() >= KILL_AFTER_ACKS, "the load ran before the kill ({} acknowledged)", acked.len());
    assert!(sent.len() > acked.len(), "some requests were cut off by the kill");

    let mut server = start(&database_url, port).await;
    let db = Db::connect(&database_url, 2).await.unwrap();
    for (key, _, _) in &acked {
        assert_eq!(db.count_reports_with_key(*key).await.unwrap(), 1, "an acknowledged report survived the crash");
    }
    // Every client retries every report it sent with the same key: nothing is duplicated.
    let client = reqwest::Client::new();
    for (key, i, acked) in &sent {
        let res = client.post(&url).header("Idempotency-Key", key.to_string()).json(&report(*i)).send().await.unwrap();
        let want = if *acked { vec![StatusCode::OK] } else { vec![StatusCode::OK, StatusCode::CREATED] };
        assert!(want.contains(&res.status()), "retry of {key} answered {}", res.status());
        assert_eq!(db.count_reports_with_key(*key).await.unwrap(), 1);
    }
    let total: i64 = match &db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(p).await.unwrap(),
    };
    assert_eq!(total as usize, sent.len(), "one row per distinct key, no more");
    eprintln!("crash test: {} sent, {} acknowledged before SIGKILL, all present once", sent.len(), acked.len());
    db.close().await;
    server.kill().ok();
    server.wait().ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_acknowledged_reports_survive_sigkill_and_retries_do_not_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    crash_and_recover(format!("sqlite://{}", dir.path().join("crash.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_acknowledged_reports_survive_sigkill_and_retries_do_not_duplicate() {
    let Ok(base) = std::env::var("TRYGG_TEST_PG_URL") else {
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "CI=true needs TRYGG_TEST_PG_URL");
        eprintln!("skipping: TRYGG_TEST_PG_URL is not set");
        return;
    };
    let name = format!("trygg_crash_{}", Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
    conn.close().await.ok();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    crash_and_recover(format!("{prefix}/{name}")).await;
}

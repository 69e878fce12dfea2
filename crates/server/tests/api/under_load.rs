//! Audited reads while reports pour in: a read that writes its log entry must wait for the
//! writer, never fail (SQLite: a deferred read-then-write transaction fails with
//! `SQLITE_BUSY_SNAPSHOT`, which busy_timeout does not cover).

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// Every client sends from 127.0.0.1: lift the per-address flood limit, which is not under test.
crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.submit_max_per_address = 1_000_000 =>
    audited_reads_answer_while_eight_clients_submit_reports,
);

async fn audited_reads_answer_while_eight_clients_submit_reports(app: &TestApp) {
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!("Anna Berg");
    let first: Value = app.submit(&new_key(), &r).await.json().await.unwrap();
    let id = first["id"].as_str().unwrap().to_owned();
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);

    let until = Instant::now() + Duration::from_secs(3);
    let (reads, submits, failures) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (client, url, submits, failures) =
            (app.new_client(), app.url("/api/reports"), submits.clone(), failures.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let res =
                    client.post(&url).header("Idempotency-Key", new_key()).json(&valid_report()).send().await.unwrap();
                if res.status().is_server_error() {
                    failures.fetch_add(1, Ordering::Relaxed);
                } else {
                    assert_eq!(res.status(), StatusCode::CREATED);
                    submits.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for _ in 0..2 {
        let (client, url, reads, failures) =
            (app.client.clone(), app.url(&format!("/api/reports/{id}")), reads.clone(), failures.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let res = client.get(&url).send().await.unwrap();
                if res.status().is_server_error() {
                    failures.fetch_add(1, Ordering::Relaxed);
                } else {
                    assert_eq!(res.status(), StatusCode::OK);
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (reads, submits, failures) =
        (reads.load(Ordering::Relaxed), submits.load(Ordering::Relaxed), failures.load(Ordering::Relaxed));
    eprintln!("{}: {reads} reads, {submits} submits, {failures} server errors", app.db.backend());
    assert_eq!(failures, 0, "{failures} answers were 5xx ({reads} reads and {submits} submits succeeded)");
    assert!(reads >= 10 && submits >= 10, "the load ran: {reads} reads, {submits} submits");
    // Every successful read left its entry in the log.
    let logged: i64 = match &app.db {
        trygg_server::store::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'report.read'")
                .fetch_one(p)
                .await
                .unwrap()
        }
        trygg_server::store::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'report.read'")
                .fetch_one(p)
                .await
                .unwrap()
        }
    };
    assert_eq!(logged as usize, reads);
}

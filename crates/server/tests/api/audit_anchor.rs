//! The access log against someone with write access to the database but not the server's key:
//! a cut tail with a rewound head, an emptied log and a forged entry are all detected, because
//! each entry carries an HMAC and the head is also recorded outside the database. And a check
//! that runs while entries are appended raises no false alarm.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

crate::on_both_backends!(
    cutting_the_tail_and_rewinding_the_head_is_detected,
    an_emptied_log_is_detected,
    an_entry_forged_without_the_key_is_detected,
    a_check_while_entries_are_appended_raises_no_false_alarm,
);

/// A confidential report read `reads` times by a coordinator (the default client); returns the
/// report's id and a signed-in administrator.
async fn log_with_reads(app: &TestApp, reads: usize) -> (String, Client) {
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!("Anna Berg");
    let body: Value = app.submit(&new_key(), &r).await.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_owned();
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    for _ in 0..reads {
        assert_eq!(
            app.client.get(app.url(&format!("/api/reports/{id}"))).send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    app.create_admin().await;
    let admin = app.new_client();
    assert_eq!(app.login_as(&admin, ADMIN_EMAIL).await.status(), StatusCode::OK);
    (id, admin)
}

async fn verify(app: &TestApp, admin: &Client) -> Value {
    let res = admin.get(app.url("/api/audit/verify")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// What someone with database access does first: switch off the guard against deletes.
async fn drop_delete_guard(app: &TestApp) {
    match app.db.backend() {
        "sqlite" => app.sql("DROP TRIGGER audit_log_no_delete").await.unwrap(),
        _ => app.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").await.unwrap(),
    };
}

async fn cutting_the_tail_and_rewinding_the_head_is_detected(app: &TestApp) {
    let (_, admin) = log_with_reads(app, 5).await;
    let v = verify(app, &admin).await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["entries"], app.audit_count().await - 1, "every entry but the verify's own");

    // Remove the last reads and rewind the head to the last entry kept: the chain in the
    // database is consistent again, as if those reads never happened.
    drop_delete_guard(app).await;
    assert!(app.sql("DELETE FROM audit_log WHERE seq > 2").await.unwrap() >= 3);
    app.sql("UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2) WHERE id = 1")
        .await
        .unwrap();
    let v = verify(app, &admin).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["problem"], "behind_anchor");
    assert_eq!(v["broken_at"], 3);
    // And it stays detected: the anchor never moves back, not even after new entries.
    assert_eq!(admin.get(app.url("/api/audit")).send().await.unwrap().status(), StatusCode::OK);
    let v = verify(app, &admin).await;
    assert_eq!(v["ok"], false, "{v}");
}

async fn an_emptied_log_is_detected(app: &TestApp) {
    let (_, admin) = log_with_reads(app, 3).await;
    assert_eq!(verify(app, &admin).await["ok"], true);
    match app.db.backend() {
        "sqlite" => {
            drop_delete_guard(app).await;
            app.sql("DELETE FROM audit_log").await.unwrap();
        }
        // TRUNCATE skips row triggers altogether.
        _ => {
            app.sql("TRUNCATE audit_log").await.unwrap();
        }
    }
    app.sql(&format!("UPDATE audit_head SET seq = 0, hash = '{}' WHERE id = 1", "0".repeat(64))).await.unwrap();
    let v = verify(app, &admin).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["problem"], "behind_anchor");
    assert_ne!(v["anchor_seq"], 0);
}

async fn an_entry_forged_without_the_key_is_detected(app: &TestApp) {
    let (id, admin) = log_with_reads(app, 2).await;
    assert_eq!(verify(app, &admin).await["ok"], true);
    // Someone appends an entry that blames another reading, with a correct chain hash.
    let head = "SELECT seq, hash FROM audit_head WHERE id = 1";
    let (seq, prev): (i64, String) = match &app.db {
        trygg_server::store::Db::Sqlite(p) => sqlx::query_as(head).fetch_one(p).await.unwrap(),
        trygg_server::store::Db::Postgres(p) => sqlx::query_as(head).fetch_one(p).await.unwrap(),
    };
    let (next, at) = (seq + 1, trygg_server::store::now_ms());
    let report = uuid::Uuid::parse_str(&id).unwrap();
    let hash = trygg_server::store::audit::chain_hash(&prev, next, at, None, "report.read", Some(report), None);
    let report_sql = match app.db.backend() {
        "sqlite" => format!("X'{}'", report.simple()),
        _ => format!("'{report}'"),
    };
    app.sql(&format!(
        "INSERT INTO audit_log (seq, at, user_id, action, report_id, reason, prev_hash, hash)
         VALUES ({next}, {at}, NULL, 'report.read', {report_sql}, NULL, '{prev}', '{hash}')"
    ))
    .await
    .unwrap();
    app.sql(&format!("UPDATE audit_head SET seq = {next}, hash = '{hash}' WHERE id = 1")).await.unwrap();
    let v = verify(app, &admin).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["problem"], "mac");
    assert_eq!(v["broken_at"], next);
}

async fn a_check_while_entries_are_appended_raises_no_false_alarm(app: &TestApp) {
    let (id, admin) = log_with_reads(app, 1).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for _ in 0..2 {
        let (client, url, stop) = (app.client.clone(), app.url(&format!("/api/reports/{id}")), stop.clone());
        readers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                assert_eq!(client.get(&url).send().await.unwrap().status(), StatusCode::OK);
                n += 1;
            }
            n
        }));
    }
    for round in 0..25 {
        let v = verify(app, &admin).await;
        assert_eq!(v["ok"], true, "round {round}: {v}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut reads = 0;
    for r in readers {
        reads += r.await.unwrap();
    }
    assert!(reads > 0, "entries were appended during the checks");
    assert_eq!(verify(app, &admin).await["ok"], true);
}

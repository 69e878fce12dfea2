//! Submitting reports: validation, receipts, idempotency.

use crate::helpers::*;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    a_valid_report_is_stored_and_answered_with_a_receipt,
    an_invalid_report_is_rejected_with_every_field_code,
    the_same_key_twice_stores_one_report_and_returns_the_same_receipt,
    twenty_concurrent_submits_with_one_key_store_exactly_one_report,
    a_key_reused_for_a_different_report_is_a_conflict,
    a_submit_without_an_idempotency_key_is_rejected,
    an_anonymous_report_keeps_no_name_even_if_one_was_sent,
    a_confidential_report_keeps_the_name_for_coordinators,
    receipt_codes_differ_between_reports,
    a_group_commit_batch_dedups_keys_within_itself,
    the_database_keeps_neither_the_key_nor_the_receipt_code,
    a_report_stored_before_sealing_is_sealed_at_start_and_still_replays,
);

async fn a_valid_report_is_stored_and_answered_with_a_receipt(app: &TestApp) {
    let res = app.submit(&new_key(), &valid_report()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    let code = body["receipt_code"].as_str().unwrap();
    assert_eq!(code.len(), 19, "four groups of four: {code}");
    assert!(trygg_domain::ReceiptCode::parse(code).is_some());
    assert!(uuid::Uuid::parse_str(body["id"].as_str().unwrap()).is_ok());
    assert!(body["received_at"].as_str().unwrap().ends_with('Z'));
}

async fn an_invalid_report_is_rejected_with_every_field_code(app: &TestApp) {
    let body = json!({"kind": "murder", "occurred_at": "2999-01-01T00:00:00Z", "description": "   ",
        "identity": "named", "reporter_email": "not-an-address", "help_call_me": true});
    let err = assert_error(app.submit(&new_key(), &body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "kind.invalid",
            "channel.required",
            "occurred_at.in_future",
            "description.required",
            "role.required",
            "reporter_name.required",
            "reporter_email.invalid",
            "reporter_phone.required_for_call_me",
        ]
    );
    assert_eq!(err["fields"][0]["field"], "kind");
}

async fn the_same_key_twice_stores_one_report_and_returns_the_same_receipt(app: &TestApp) {
    let key = new_key();
    let first = app.submit(&key, &valid_report()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = app.submit(&key, &valid_report()).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again);
    assert_eq!(app.db.count_reports_with_key(key.parse().unwrap()).await.unwrap(), 1);
}

async fn twenty_concurrent_submits_with_one_key_store_exactly_one_report(app: &TestApp) {
    let key = new_key();
    let report = valid_report();
    let sends = (0..20).map(|_| {
        let client = app.new_client();
        let (url, key, report) = (app.url("/api/reports"), key.clone(), report.clone());
        async move { client.post(url).header("Idempotency-Key", key).json(&report).send().await.unwrap() }
    });
    let mut created = 0;
    let mut ids = Vec::new();
    for res in join_all(sends).await {
        match res.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected status {other}"),
        }
        let body: Value = res.json().await.unwrap();
        ids.push((body["id"].clone(), body["receipt_code"].clone()));
    }
    assert_eq!(created, 1, "exactly one request created the report");
    ids.dedup();
    assert_eq!(ids.len(), 1, "all twenty answers name the same report and receipt");
    assert_eq!(app.db.count_reports_with_key(key.parse().unwrap()).await.unwrap(), 1);
}

async fn a_key_reused_for_a_different_report_is_a_conflict(app: &TestApp) {
    let key = new_key();
    assert_eq!(app.submit(&key, &valid_report()).await.status(), StatusCode::CREATED);
    let mut other = valid_report();
    other["description"] = json!("Något helt annat hände.");
    assert_error(app.submit(&key, &other).await, StatusCode::CONFLICT, "idempotency_conflict").await;
}

async fn a_submit_without_an_idempotency_key_is_rejected(app: &TestApp) {
    let res = app.client.post(app.url("/api/reports")).json(&valid_report()).send().await.unwrap();
    assert_error(res, StatusCode::BAD_REQUEST, "missing_idempotency_key").await;
    assert_error(app.submit("not-a-uuid", &valid_report()).await, StatusCode::BAD_REQUEST, "missing_idempotency_key")
        .await;
}

async fn list_first(app: &TestApp) -> Value {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let page: Value = app.client.get(app.url("/api/reports")).send().await.unwrap().json().await.unwrap();
    page["items"][0].clone()
}

async fn an_anonymous_report_keeps_no_name_even_if_one_was_sent(app: &TestApp) {
    let mut r = valid_report();
    r["reporter_name"] = json!("Anna Berg");
    r["reporter_phone"] = json!("070-123 45 67");
    assert_eq!(app.submit(&new_key(), &r).await.status(), StatusCode::CREATED);
    let item = list_first(app).await;
    assert_eq!(item["identity"], "anonymous");
    assert_eq!(item["reporter_name"], Value::Null);
}

async fn a_confidential_report_keeps_the_name_for_coordinators(app: &TestApp) {
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!("Anna Berg");
    assert_eq!(app.submit(&new_key(), &r).await.status(), StatusCode::CREATED);
    let item = list_first(app).await;
    assert_eq!(item["identity"], "confidential");
    // The list carries no name; the full (audited) read does.
    assert_eq!(item["reporter_name"], Value::Null);
    let full: Value = app
        .client
        .get(app.url(&format!("/api/reports/{}", item["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(full["reporter_name"], "Anna Berg");
}

async fn receipt_codes_differ_between_reports(app: &TestApp) {
    let a: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let b: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    assert_ne!(a["receipt_code"], b["receipt_code"]);
    assert_ne!(a["id"], b["id"]);
}

fn pending(key: uuid::Uuid, text: &str) -> trygg_server::store::reports::Pending {
    let mut draft: trygg_domain::ReportDraft = serde_json::from_value(valid_report()).unwrap();
    draft.description = text.to_owned();
    let report = trygg_domain::NewReport::parse(&draft, time::OffsetDateTime::now_utc()).unwrap();
    let receipt = trygg_domain::ReceiptCode::from_random(rand::random());
    let hash = trygg_server::auth::sha256_hex(receipt.canonical());
    let mut p = trygg_server::store::reports::Pending::new(key, text.to_owned(), report, receipt, hash);
    // What the writer does before it queues a report (one key for the whole test).
    p.seal(&trygg_server::crypto::Keys::single([9; 32]));
    p
}

async fn a_group_commit_batch_dedups_keys_within_itself(app: &TestApp) {
    let (k1, k2) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let batch = [pending(k1, "ett"), pending(k2, "två"), pending(k1, "ett")];
    let inserted = app.db.insert_batch(&batch).await.unwrap();
    assert_eq!(inserted, [true, true, false]);
    let first = app.db.settle(&batch[0], true).await.unwrap();
    let dup = app.db.settle(&batch[2], false).await.unwrap();
    assert!(dup.replayed);
    assert_eq!((dup.id, dup.receipt.canonical()), (first.id, first.receipt.canonical()));
    assert_eq!(app.db.count_reports_with_key(k1).await.unwrap(), 1);
    assert_eq!(app.db.count_reports_with_key(k2).await.unwrap(), 1);
}

/// Runs one statement with binds on whichever pool the app has.
macro_rules! exec {
    ($db:expr, $sql:expr $(, $bind:expr)*) => {
        match &$db {
            trygg_server::store::Db::Sqlite(pool) => {
                sqlx::query($sql)$(.bind($bind))*.execute(pool).await.unwrap().rows_affected()
            }
            trygg_server::store::Db::Postgres(pool) => {
                sqlx::query($sql)$(.bind($bind))*.execute(pool).await.unwrap().rows_affected()
            }
        }
    };
}

/// (stored idempotency key, stored receipt code) of the one report with this id.
async fn stored(app: &TestApp, id: uuid::Uuid) -> (uuid::Uuid, String) {
    let sql = "SELECT r.idempotency_key, p.receipt_code FROM reports r
        JOIN receipt_replays p ON p.report_id = r.id WHERE r.id = $1";
    match &app.db {
        trygg_server::store::Db::Sqlite(pool) => sqlx::query_as(sql).bind(id).fetch_one(pool).await.unwrap(),
        trygg_server::store::Db::Postgres(pool) => sqlx::query_as(sql).bind(id).fetch_one(pool).await.unwrap(),
    }
}

async fn the_database_keeps_neither_the_key_nor_the_receipt_code(app: &TestApp) {
    let key = new_key();
    let res = app.submit(&key, &valid_report()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    let code = trygg_domain::ReceiptCode::parse(body["receipt_code"].as_str().unwrap()).unwrap();
    let (stored_key, stored_code) = stored(app, body["id"].as_str().unwrap().parse().unwrap()).await;
    assert_ne!(stored_key.to_string(), key, "the client's key is not stored");
    assert!(!stored_code.to_uppercase().contains(code.canonical()), "the receipt code is not stored: {stored_code}");
    // And yet the retry gets its receipt back.
    let again: Value = app.submit(&key, &valid_report()).await.json().await.unwrap();
    assert_eq!(again, body);
}

async fn a_report_stored_before_sealing_is_sealed_at_start_and_still_replays(app: &TestApp) {
    let key = new_key();
    let body: Value = app.submit(&key, &valid_report()).await.json().await.unwrap();
    let id: uuid::Uuid = body["id"].as_str().unwrap().parse().unwrap();
    let code = trygg_domain::ReceiptCode::parse(body["receipt_code"].as_str().unwrap()).unwrap();
    // Put the row back the way the server stored it before codes were sealed.
    let plain_key: uuid::Uuid = key.parse().unwrap();
    assert_eq!(exec!(app.db, "UPDATE reports SET idempotency_key = $1 WHERE id = $2", plain_key, id), 1);
    assert_eq!(
        exec!(app.db, "UPDATE receipt_replays SET receipt_code = $1 WHERE report_id = $2", code.canonical(), id),
        1
    );
    assert_eq!(app.db.seal_old_replays().await.unwrap(), 1);
    assert_eq!(app.db.seal_old_replays().await.unwrap(), 0, "sealing twice changes nothing");
    let (stored_key, stored_code) = stored(app, id).await;
    assert_ne!(stored_key, plain_key);
    assert!(stored_code.starts_with("v1:"));
    let again = app.submit(&key, &valid_report()).await;
    assert_eq!(again.status(), StatusCode::OK, "replayed, not stored twice");
    assert_eq!(again.json::<Value>().await.unwrap(), body);
    assert_eq!(app.db.count_reports_with_key(plain_key).await.unwrap(), 1);
}

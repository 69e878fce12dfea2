//! A coordinator opens a report: every read is logged in a hash chain that detects tampering.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    a_coordinator_reads_every_field_and_the_read_is_logged,
    editing_or_deleting_a_log_row_is_refused_and_tampering_breaks_the_chain,
    a_coordinator_cannot_reach_admin_routes,
    unknown_or_malformed_report_ids_are_not_found,
    sign_in_is_throttled_after_repeated_failures,
);

/// Files a confidential report and signs the default client in as a coordinator; returns the id.
async fn report_and_coordinator(app: &TestApp) -> String {
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!("Anna Berg");
    r["reporter_phone"] = json!("070-123 45 67");
    r["help_call_me"] = json!(true);
    let body: Value = app.submit(&new_key(), &r).await.json().await.unwrap();
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    body["id"].as_str().unwrap().to_owned()
}

async fn a_coordinator_reads_every_field_and_the_read_is_logged(app: &TestApp) {
    let id = report_and_coordinator(app).await;
    let res = app.client.get(app.url(&format!("/api/reports/{id}?reason=Triage"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["id"], id.as_str());
    assert_eq!(r["reporter_name"], "Anna Berg");
    assert_eq!(r["reporter_phone"], "070-123 45 67");
    assert_eq!(r["help_call_me"], true);
    assert_eq!(r["location"], "Akutmottagningen");
    assert_eq!(r["status"], "new");

    app.create_admin().await;
    let admin = app.new_client();
    assert_eq!(app.login_as(&admin, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let log: Value = admin.get(app.url("/api/audit")).send().await.unwrap().json().await.unwrap();
    let entry =
        log.as_array().unwrap().iter().find(|e| e["action"] != "auth.login" && e["action"] != "user.create").unwrap();
    assert_eq!(entry["action"], "report.read");
    assert_eq!(entry["report_id"], id.as_str());
    assert_eq!(entry["reason"], "Triage");
    let me: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(entry["user_id"], me["id"]);
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    // The read, the sign-ins and account changes, and the administrator's read of the log.
    assert_eq!(verdict["ok"], true, "{verdict}");
    assert_eq!(verdict["entries"], app.audit_count().await - 1, "every entry but the verify's own");
    assert_eq!(verdict["broken_at"], Value::Null);
}

async fn editing_or_deleting_a_log_row_is_refused_and_tampering_breaks_the_chain(app: &TestApp) {
    let id = report_and_coordinator(app).await;
    for _ in 0..3 {
        let res = app.client.get(app.url(&format!("/api/reports/{id}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert!(app.sql("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2").await.is_err());
    assert!(app.sql("DELETE FROM audit_log WHERE seq = 3").await.is_err());

    app.create_admin().await;
    let admin = app.new_client();
    app.login_as(&admin, ADMIN_EMAIL).await;
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], true);
    assert_eq!(verdict["entries"], app.audit_count().await - 1, "every entry but the verify's own");

    // Someone with direct database access switches the guard off and edits a row.
    match app.db.backend() {
        "sqlite" => app.sql("DROP TRIGGER audit_log_no_update").await.unwrap(),
        _ => app.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").await.unwrap(),
    };
    assert_eq!(app.sql("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2").await.unwrap(), 1);
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], false);
    assert_eq!(verdict["entries"], 1);
    assert_eq!(verdict["broken_at"], 2);
    assert_eq!(verdict["problem"], "chain");
}

async fn a_coordinator_cannot_reach_admin_routes(app: &TestApp) {
    report_and_coordinator(app).await;
    for path in ["/api/audit", "/api/audit/verify"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
        let res = app.new_client().get(app.url(path)).send().await.unwrap();
        assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

async fn unknown_or_malformed_report_ids_are_not_found(app: &TestApp) {
    report_and_coordinator(app).await;
    for id in [uuid::Uuid::new_v4().to_string(), "nope".to_owned()] {
        let res = app.client.get(app.url(&format!("/api/reports/{id}"))).send().await.unwrap();
        assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let id = uuid::Uuid::new_v4();
    let res = app.new_client().get(app.url(&format!("/api/reports/{id}"))).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn sign_in_is_throttled_after_repeated_failures(app: &TestApp) {
    app.create_coordinator().await;
    let wrong = json!({"email": EMAIL, "password": "fel lösenord igen och igen"});
    for _ in 0..10 {
        let res = app.client.post(app.url("/api/auth/login")).json(&wrong).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Now even the right password is refused for this account until the window passes.
    let res = app.login().await;
    assert!(res.headers().contains_key("retry-after"));
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Another account from the same address is not blocked yet.
    app.create_admin().await;
    assert_eq!(app.login_as(&app.new_client(), ADMIN_EMAIL).await.status(), StatusCode::OK);
}

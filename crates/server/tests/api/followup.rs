//! The two-way loop: triage, internal notes and answers; the reporter follows up by receipt code.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    a_coordinator_triages_notes_and_answers_and_the_reporter_replies_by_receipt_code,
    closing_needs_a_reason_and_bad_triage_values_are_field_errors,
    a_wrong_receipt_code_is_rejected_and_guessing_is_throttled,
    casework_needs_a_signed_in_coordinator,
);

/// Files an anonymous report and signs in a coordinator; returns (report id, receipt code).
async fn setup(app: &TestApp) -> (String, String) {
    let body: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    (body["id"].as_str().unwrap().to_owned(), body["receipt_code"].as_str().unwrap().to_owned())
}

async fn a_coordinator_triages_notes_and_answers_and_the_reporter_replies_by_receipt_code(app: &TestApp) {
    let (id, code) = setup(app).await;
    let me: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    let url = app.url(&format!("/api/reports/{id}"));

    let r: Value = app
        .client
        .patch(&url)
        .header(CSRF, app.csrf())
        .json(&json!({"status": "in_progress", "severity": "high", "assignee": me["id"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((r["status"].as_str(), r["severity"].as_str()), (Some("in_progress"), Some("high")));
    assert_eq!(r["assignee_id"], me["id"]);
    let note = app
        .client
        .post(format!("{url}/notes"))
        .header(CSRF, app.csrf())
        .json(&json!({"body": "Internt: ring TiB"}))
        .send()
        .await
        .unwrap();
    assert_eq!(note.status(), StatusCode::CREATED);
    let answer = json!({"body": "Vi har tagit emot din rapport och hör av oss."});
    assert_eq!(
        app.client
            .post(format!("{url}/messages"))
            .header(CSRF, app.csrf())
            .json(&answer)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED
    );

    // The reporter, with nothing but the receipt code (typed sloppily), sees the answer.
    let reporter = app.new_client();
    let sloppy = code.to_lowercase().replace('-', " ");
    let res = reporter.post(app.url("/api/followup")).json(&json!({"receipt_code": sloppy})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let thread: Value = res.json().await.unwrap();
    assert_eq!(thread["status"], "in_progress");
    assert_eq!(thread["messages"][0]["from"], "coordinator");
    assert_eq!(thread["messages"][0]["body"], "Vi har tagit emot din rapport och hör av oss.");
    assert!(thread["last_answer_at"].is_string());
    let text = thread.to_string();
    assert!(!text.contains("Internt") && !text.contains("Sara"), "no internal note or coordinator name: {text}");

    let reply = json!({"receipt_code": code, "body": "Han har hört av sig igen i dag."});
    let res = reporter.post(app.url("/api/followup/messages")).json(&reply).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let thread: Value = res.json().await.unwrap();
    assert_eq!(thread["messages"][1]["from"], "reporter");

    // The coordinator sees who wrote what, in order, and the reply marks the report unread.
    let page: Value = app.client.get(app.url("/api/reports")).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"][0]["unread"], true);
    let r: Value = app.client.get(&url).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<(&str, &str)> = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("status", "coordinator"),
            ("severity", "coordinator"),
            ("assignee", "coordinator"),
            ("note", "coordinator"),
            ("message", "coordinator"),
            ("message", "reporter")
        ]
    );
    assert_eq!(r["events"][3]["author"], "Sara Samordnare");
    assert_eq!(r["events"][5]["author"], Value::Null);

    // Close it; the reporter sees the status and the reason.
    let closed = json!({"status": "closed", "closed_reason": "Polisanmält och åtgärdat"});
    assert_eq!(
        app.client.patch(&url).header(CSRF, app.csrf()).json(&closed).send().await.unwrap().status(),
        StatusCode::OK
    );
    let thread: Value = reporter
        .post(app.url("/api/followup"))
        .json(&json!({"receipt_code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(thread["status"], "closed");
    assert_eq!(thread["closed_reason"], "Polisanmält och åtgärdat");

    // Every coordinator action is in the chained log.
    app.create_admin().await;
    let admin = app.new_client();
    app.login_as(&admin, ADMIN_EMAIL).await;
    let log: Value = admin.get(app.url("/api/audit")).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| a.starts_with("report."))
        .collect();
    assert_eq!(actions, ["report.update", "report.note", "report.message", "report.read", "report.update"]);
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], true);
}

async fn closing_needs_a_reason_and_bad_triage_values_are_field_errors(app: &TestApp) {
    let (id, _) = setup(app).await;
    let url = app.url(&format!("/api/reports/{id}"));
    let res = app.client.patch(&url).header(CSRF, app.csrf()).json(&json!({"status": "closed"})).send().await.unwrap();
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "closed_reason.required");
    let res = app
        .client
        .patch(&url)
        .header(CSRF, app.csrf())
        .json(&json!({"status": "done", "severity": "extreme"}))
        .send()
        .await
        .unwrap();
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"].as_array().unwrap().len(), 2);
    let res = app
        .client
        .patch(&url)
        .header(CSRF, app.csrf())
        .json(&json!({"assignee": uuid::Uuid::new_v4().to_string()}))
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "unknown_assignee").await;
    let res = app
        .client
        .post(format!("{url}/messages"))
        .header(CSRF, app.csrf())
        .json(&json!({"body": "   "}))
        .send()
        .await
        .unwrap();
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "body.required");
    let missing = app.url(&format!("/api/reports/{}/notes", uuid::Uuid::new_v4()));
    let res = app.client.post(missing).header(CSRF, app.csrf()).json(&json!({"body": "x"})).send().await.unwrap();
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn a_wrong_receipt_code_is_rejected_and_guessing_is_throttled(app: &TestApp) {
    let (_, code) = setup(app).await;
    let guesser = app.new_client();
    let res = guesser.post(app.url("/api/followup")).json(&json!({"receipt_code": ""})).send().await.unwrap();
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "receipt_code.required");
    for i in 0..19 {
        let wrong = format!("0000-0000-0000-{i:04}");
        let res = guesser.post(app.url("/api/followup")).json(&json!({"receipt_code": wrong})).send().await.unwrap();
        let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
        assert_eq!(err["fields"][0]["code"], "receipt_code.invalid");
    }
    // After 20 wrong codes from this address, even the right one waits.
    let res = guesser.post(app.url("/api/followup")).json(&json!({"receipt_code": code})).send().await.unwrap();
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

async fn casework_needs_a_signed_in_coordinator(app: &TestApp) {
    let (id, _) = setup(app).await;
    let anon = app.new_client();
    let url = app.url(&format!("/api/reports/{id}"));
    let res = anon.patch(&url).json(&json!({"status": "in_progress"})).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for path in ["notes", "messages"] {
        let res = anon.post(format!("{url}/{path}")).json(&json!({"body": "x"})).send().await.unwrap();
        assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

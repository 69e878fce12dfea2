//! Every answer that carries a report's content or a reporter's identity is an audited read,
//! or it does not carry them: the inbox list shows an excerpt and no name or place; a PATCH
//! that changes nothing is logged as a read; each search is logged (without its words).

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use trygg_server::store::Db;

crate::on_both_backends!(
    an_empty_patch_returns_the_report_only_as_a_logged_read,
    a_patch_with_the_current_values_is_logged_as_a_read,
    the_inbox_list_holds_no_confidential_name_no_place_and_only_a_short_excerpt,
    each_search_is_logged_without_its_words,
    a_read_reason_of_600_multibyte_letters_is_cut_cleanly_not_a_500,
    a_closing_reason_of_600_multibyte_letters_is_a_field_error_not_a_500,
);

/// Files a confidential report with a long description; signs the default client in as a
/// coordinator; returns the report's id.
async fn seed(app: &TestApp) -> String {
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!("Anna Berg");
    r["reporter_phone"] = json!("070-123 45 67");
    r["location"] = json!("Storgatan 1, Vårdcentralen Norr");
    r["description"] =
        json!(format!("Hotad av anhörig. {}", "Han återkom och hotade igen på parkeringen. ".repeat(20)));
    let res = app.submit(&new_key(), &r).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    body["id"].as_str().unwrap().to_owned()
}

/// The access log's entries, oldest first: (action, report id, reason), straight from the database.
pub async fn log_entries(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    // Sign-ins and account changes are logged too; these tests are about reads of reports.
    let sql = "SELECT action, report_id, reason FROM audit_log
        WHERE action NOT LIKE 'auth.%' AND action NOT LIKE 'user.%' ORDER BY seq";
    let rows: Vec<(String, Option<uuid::Uuid>, Option<String>)> = match &app.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    };
    rows.into_iter().map(|(a, r, why)| (a, r.map(|r| r.to_string()), why)).collect()
}

async fn patch(app: &TestApp, id: &str, body: Value) -> reqwest::Response {
    app.client.patch(app.url(&format!("/api/reports/{id}"))).header(CSRF, app.csrf()).json(&body).send().await.unwrap()
}

async fn an_empty_patch_returns_the_report_only_as_a_logged_read(app: &TestApp) {
    let id = seed(app).await;
    assert!(log_entries(app).await.is_empty());
    let res = patch(app, &id, json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["reporter_name"], "Anna Berg", "the answer carries the report");
    assert_eq!(log_entries(app).await, [("report.read".to_owned(), Some(id.clone()), None)]);
}

async fn a_patch_with_the_current_values_is_logged_as_a_read(app: &TestApp) {
    let id = seed(app).await;
    assert_eq!(patch(app, &id, json!({"severity": "high"})).await.status(), StatusCode::OK);
    assert_eq!(patch(app, &id, json!({"severity": "high", "status": "new"})).await.status(), StatusCode::OK);
    let actions: Vec<String> = log_entries(app).await.into_iter().map(|e| e.0).collect();
    assert_eq!(actions, ["report.update", "report.read"]);
}

async fn the_inbox_list_holds_no_confidential_name_no_place_and_only_a_short_excerpt(app: &TestApp) {
    seed(app).await;
    let res = app.client.get(app.url("/api/reports")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    for secret in ["Anna Berg", "070-123 45 67", "Storgatan", "Vårdcentralen"] {
        assert!(!text.contains(secret), "the list carries {secret:?}: {text}");
    }
    let page: Value = serde_json::from_str(&text).unwrap();
    let item = &page["items"][0];
    assert_eq!(item["identity"], "confidential");
    let excerpt = item["excerpt"].as_str().unwrap();
    assert!(excerpt.starts_with("Hotad av anhörig."));
    assert!(excerpt.chars().count() <= 120, "{} characters", excerpt.chars().count());
    assert!(excerpt.ends_with('…'));
    assert!(item.get("description").is_none() && item.get("location").is_none() && item.get("reporter_name").is_none());
    // A list is no read: nothing to log.
    assert!(log_entries(app).await.is_empty());
}

async fn each_search_is_logged_without_its_words(app: &TestApp) {
    seed(app).await;
    for path in ["/api/reports?q=Anna+parkeringen", "/api/reports/counts?q=Anna+parkeringen"] {
        assert_eq!(app.client.get(app.url(path)).send().await.unwrap().status(), StatusCode::OK);
    }
    let entries = log_entries(app).await;
    assert_eq!(entries, [("inbox.search".to_owned(), None, None), ("inbox.search_counts".to_owned(), None, None)]);
    // Filters without words are no search.
    assert_eq!(app.client.get(app.url("/api/reports?status=new")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(log_entries(app).await.len(), 2);
}

async fn a_read_reason_of_600_multibyte_letters_is_cut_cleanly_not_a_500(app: &TestApp) {
    let id = seed(app).await;
    let reason = "å".repeat(600);
    let res = app.client.get(app.url(&format!("/api/reports/{id}?reason={reason}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let entries = log_entries(app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].2.as_deref(), Some("å".repeat(500).as_str()));
}

async fn a_closing_reason_of_600_multibyte_letters_is_a_field_error_not_a_500(app: &TestApp) {
    let id = seed(app).await;
    let res = patch(app, &id, json!({"status": "closed", "closed_reason": "å".repeat(600)})).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "closed_reason.too_long", "{err}");
    let res = patch(app, &id, json!({"status": "closed", "closed_reason": "å".repeat(500)})).await;
    assert_eq!(res.status(), StatusCode::OK);
}

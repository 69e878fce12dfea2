//! Notices to reporters (issue 16 item 5): coordinators publish, change and end them (each an
//! access-log entry, a stale version refused with the newer state); the content bundle carries
//! the current ones — by the region's calendar, both dates inclusive — and its ETag moves with
//! every change and every new day.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

crate::on_both_backends!(
    a_coordinator_publishes_a_notice_and_reporters_get_it_with_the_content_from_its_start_to_its_end,
    a_notice_is_checked_field_by_field_and_nothing_is_published_on_an_error,
    two_coordinators_editing_one_notice_the_second_gets_409_with_the_newer_state,
    every_change_is_an_access_log_entry_with_before_and_after,
    only_coordinators_and_administrators_publish_notices,
);

fn today(app: &TestApp) -> String {
    trygg_server::routes::flags::date_of(app.clock.now_ms())
}

fn in_days(app: &TestApp, days: i64) -> String {
    let d: jiff::civil::Date = today(app).parse().unwrap();
    d.checked_add(jiff::Span::new().days(days)).unwrap().to_string()
}

fn notice(app: &TestApp, audience: &str, from: i64, to: i64) -> Value {
    json!({
        "title_sv": "Valvaka på fredag", "title_en": "Election night on Friday",
        "body_sv": "Gå två och två till och från lokalen.", "body_en": "Go in pairs to and from the venue.",
        "audience": audience, "starts_on": in_days(app, from), "ends_on": in_days(app, to),
    })
}

async fn signed_in(app: &TestApp) -> String {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    app.csrf()
}

async fn publish(app: &TestApp, csrf: &str, body: &Value) -> reqwest::Response {
    app.client.post(app.url("/api/notices")).header(CSRF, csrf).json(body).send().await.unwrap()
}

async fn content(app: &TestApp) -> (String, Value) {
    let res = app.new_client().get(app.url("/api/content")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    (res.headers()["etag"].to_str().unwrap().to_owned(), res.json().await.unwrap())
}

async fn a_coordinator_publishes_a_notice_and_reporters_get_it_with_the_content_from_its_start_to_its_end(
    app: &TestApp,
) {
    let csrf = signed_in(app).await;
    let (etag, bundle) = content(app).await;
    assert_eq!(bundle["notices"], json!([]));
    // From tomorrow to the day after: upcoming today, not in the bundle yet.
    let res = publish(app, &csrf, &notice(app, "elected_official", 1, 2)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    assert_eq!((created["state"].as_str(), created["version"].as_i64()), (Some("upcoming"), Some(1)));
    let (etag2, bundle) = content(app).await;
    assert_ne!(etag2, etag, "a change moves the ETag");
    assert_eq!(bundle["notices"], json!([]));
    let res = app.new_client().get(app.url("/api/content")).header("if-none-match", &etag2).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    // Tomorrow: current, both languages and its audience, and the same ETag no longer matches.
    app.clock.advance(Duration::from_secs(24 * 3600));
    let res = app.new_client().get(app.url("/api/content")).header("if-none-match", &etag2).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "a new day is a new ETag: a notice may start or end");
    let (_, bundle) = content(app).await;
    let shown = &bundle["notices"][0];
    assert_eq!(shown["audience"], "elected_official");
    assert_eq!(shown["title"], json!({"sv": "Valvaka på fredag", "en": "Election night on Friday"}));
    assert_eq!(shown["body"]["en"], "Go in pairs to and from the venue.");
    // The last day still shows it (inclusive); the day after does not.
    app.clock.advance(Duration::from_secs(24 * 3600));
    assert_eq!(content(app).await.1["notices"].as_array().unwrap().len(), 1);
    app.clock.advance(Duration::from_secs(24 * 3600));
    assert_eq!(content(app).await.1["notices"], json!([]));
    let list: Value = app.client.get(app.url("/api/notices")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["state"], "ended");
}

async fn a_notice_is_checked_field_by_field_and_nothing_is_published_on_an_error(app: &TestApp) {
    let csrf = signed_in(app).await;
    let mut bad = notice(app, "pilots", 3, 1);
    bad["title_en"] = json!("  ");
    bad["body_sv"] = json!("x".repeat(1001));
    let res = publish(app, &csrf, &bad).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["title_en.required", "body_sv.too_long", "audience.invalid", "ends_on.before_start"]);
    let res = publish(app, &csrf, &notice(app, "all", -3, -1)).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "ends_on.past");
    let mut junk = notice(app, "all", 0, 1);
    junk["starts_on"] = json!("fredag");
    let err = assert_error(publish(app, &csrf, &junk).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "starts_on.invalid");
    let list: Value = app.client.get(app.url("/api/notices")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list, json!([]));
}

async fn two_coordinators_editing_one_notice_the_second_gets_409_with_the_newer_state(app: &TestApp) {
    let csrf = signed_in(app).await;
    let created: Value = publish(app, &csrf, &notice(app, "all", 0, 7)).await.json().await.unwrap();
    let url = app.url(&format!("/api/notices/{}", created["id"]));
    app.create_admin().await;
    let (other, jar) = app.new_browser();
    app.login_as(&other, ADMIN_EMAIL).await;
    let csrf2 = app.csrf_of(&jar);

    let mut mine = notice(app, "all", 0, 7);
    mine["title_sv"] = json!("Valvaka på lördag");
    mine["version"] = json!(1);
    let res = app.client.put(&url).header(CSRF, &csrf).json(&mine).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let saved: Value = res.json().await.unwrap();
    assert_eq!((saved["title_sv"].as_str(), saved["version"].as_i64()), (Some("Valvaka på lördag"), Some(2)));

    let mut theirs = notice(app, "healthcare", 0, 7);
    theirs["version"] = json!(1);
    let res = other.put(&url).header(CSRF, &csrf2).json(&theirs).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_conflict");
    assert_eq!(body["current"]["title_sv"], "Valvaka på lördag");
    // Ending it with the stale version is refused too; with the current one it ends today.
    let end = format!("{url}/end");
    let res = other.post(&end).header(CSRF, &csrf2).json(&json!({"version": 1})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = other.post(&end).header(CSRF, &csrf2).json(&json!({"version": 2})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let ended: Value = res.json().await.unwrap();
    assert_eq!((ended["state"].as_str(), ended["ends_on"].as_str()), (Some("ended"), Some(in_days(app, -1).as_str())));
    assert_eq!(content(app).await.1["notices"], json!([]));
    let missing = app.url("/api/notices/999999");
    let res = app.client.put(&missing).header(CSRF, &csrf).json(&mine).send().await.unwrap();
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn every_change_is_an_access_log_entry_with_before_and_after(app: &TestApp) {
    let csrf = signed_in(app).await;
    let created: Value = publish(app, &csrf, &notice(app, "all", 0, 7)).await.json().await.unwrap();
    let url = app.url(&format!("/api/notices/{}", created["id"]));
    let mut edit = notice(app, "all", 0, 7);
    edit["body_sv"] = json!("Ny text.");
    edit["version"] = json!(1);
    assert_eq!(app.client.put(&url).header(CSRF, &csrf).json(&edit).send().await.unwrap().status(), StatusCode::OK);
    let sql = "SELECT action, reason FROM audit_log WHERE action LIKE 'notice.%' ORDER BY seq";
    let rows: Vec<(String, String)> = match &app.db {
        trygg_server::store::Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        trygg_server::store::Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    };
    assert_eq!(rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["notice.create", "notice.update"]);
    let change: Value = serde_json::from_str(&rows[1].1).unwrap();
    assert_eq!(change["before"]["body_sv"], "Gå två och två till och från lokalen.");
    assert_eq!(change["after"]["body_sv"], "Ny text.");
}

async fn only_coordinators_and_administrators_publish_notices(app: &TestApp) {
    let anon = app.new_client();
    let res = anon.get(app.url("/api/notices")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    trygg_server::cli::create_user(&app.db, &app.keys, "analys@region.se", "Ana Analys", "analyst", PASSWORD)
        .await
        .unwrap();
    let (analyst, jar) = app.new_browser();
    app.login_as(&analyst, "analys@region.se").await;
    let res = analyst.get(app.url("/api/notices")).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = analyst
        .post(app.url("/api/notices"))
        .header(CSRF, app.csrf_of(&jar))
        .json(&notice(app, "all", 0, 1))
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
}

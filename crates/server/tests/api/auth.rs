//! Coordinator sign-in, sessions and the protected list.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    the_list_without_signing_in_is_unauthorized,
    a_wrong_password_or_unknown_email_is_unauthorized,
    after_signing_in_the_list_shows_reports_newest_first_with_pages,
    the_session_cookie_is_http_only_and_same_site,
    signing_out_ends_the_session,
    an_idle_session_expires,
    a_bad_page_size_or_cursor_is_rejected,
);

async fn the_list_without_signing_in_is_unauthorized(app: &TestApp) {
    let res = app.client.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app.client.get(app.url("/api/reports")).header("Cookie", "trygg_session=forged").send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn a_wrong_password_or_unknown_email_is_unauthorized(app: &TestApp) {
    app.create_coordinator().await;
    for (email, password) in [(EMAIL, "fel lösenord helt och hållet"), ("okand@region.se", PASSWORD), ("", "")] {
        let res = app
            .client
            .post(app.url("/api/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert!(res.headers().get("set-cookie").is_none());
        assert_error(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    }
    let res = app.client.get(app.url("/api/reports")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn after_signing_in_the_list_shows_reports_newest_first_with_pages(app: &TestApp) {
    for text in ["Första", "Andra", "Tredje"] {
        let mut r = valid_report();
        r["description"] = json!(text);
        assert_eq!(app.submit(&new_key(), &r).await.status(), StatusCode::CREATED);
    }
    app.create_coordinator().await;
    let me: Value = app.login().await.json().await.unwrap();
    assert_eq!(me["email"], EMAIL);
    assert_eq!(me["roles"], json!(["coordinator"]));
    let me: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["display_name"], "Sara Samordnare");

    let page: Value = app.client.get(app.url("/api/reports?limit=2")).send().await.unwrap().json().await.unwrap();
    let texts: Vec<&str> = page["items"].as_array().unwrap().iter().map(|i| i["excerpt"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Tredje", "Andra"]);
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let url = app.url(&format!("/api/reports?limit=2&before={cursor}"));
    let page: Value = app.client.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["excerpt"], "Första");
    assert_eq!(page["items"][0]["status"], "new");
    assert_eq!(page["items"][0]["kind"], "threat");
    assert_eq!(page["next_cursor"], Value::Null);
}

async fn the_session_cookie_is_http_only_and_same_site(app: &TestApp) {
    app.create_coordinator().await;
    let res = app.login().await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("trygg_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"));
    assert!(!cookie.contains("Secure"), "not Secure on plain http by default");
}

async fn signing_out_ends_the_session(app: &TestApp) {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    assert_eq!(app.client.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    let res = app.client.post(app.url("/api/auth/logout")).header(CSRF, app.csrf()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app.client.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn an_idle_session_expires(app: &TestApp) {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    // Pretend the last request was an hour ago (idle limit: 30 minutes).
    let hour_ago = trygg_server::store::now_ms() - 3_600_000;
    match &app.db {
        trygg_server::store::Db::Sqlite(p) => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1").bind(hour_ago).execute(p).await.unwrap();
        }
        trygg_server::store::Db::Postgres(p) => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1").bind(hour_ago).execute(p).await.unwrap();
        }
    }
    let res = app.client.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

async fn a_bad_page_size_or_cursor_is_rejected(app: &TestApp) {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    for q in ["limit=0", "limit=101", "limit=abc", "before=xyz"] {
        let res = app.client.get(app.url(&format!("/api/reports?{q}"))).send().await.unwrap();
        assert_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
}

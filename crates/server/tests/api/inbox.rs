//! The inbox: filters, free-text search, sorting, counts per status and unread markers.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    filters_search_and_sort_narrow_the_inbox,
    counts_per_status_follow_the_filters,
    a_report_is_unread_until_this_coordinator_opens_it,
    bad_filters_are_rejected,
);

/// Three reports of different kinds and roles; signs in a coordinator.
async fn seed(app: &TestApp) {
    for (kind, role, text, place) in [
        ("threat", "healthcare", "Hotad med kniv vid hämtning", "Storgatan 1"),
        ("harassment", "elected_official", "Hatmejl efter debatten 100% anonymt", "Kommunhuset"),
        ("violence", "healthcare", "Sparkad av anhörig", "Akuten"),
    ] {
        let mut r = valid_report();
        r["kind"] = json!(kind);
        r["role"] = json!(role);
        r["description"] = json!(text);
        r["location"] = json!(place);
        assert_eq!(app.submit(&new_key(), &r).await.status(), StatusCode::CREATED);
    }
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
}

async fn texts(app: &TestApp, query: &str) -> Vec<String> {
    let res = app.client.get(app.url(&format!("/api/reports?{query}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    let page: Value = res.json().await.unwrap();
    page["items"].as_array().unwrap().iter().map(|i| i["excerpt"].as_str().unwrap().to_owned()).collect()
}

async fn filters_search_and_sort_narrow_the_inbox(app: &TestApp) {
    seed(app).await;
    assert_eq!(texts(app, "role=healthcare").await, ["Sparkad av anhörig", "Hotad med kniv vid hämtning"]);
    assert_eq!(texts(app, "kind=harassment").await, ["Hatmejl efter debatten 100% anonymt"]);
    assert_eq!(texts(app, "role=healthcare&sort=oldest").await, ["Hotad med kniv vid hämtning", "Sparkad av anhörig"]);
    assert_eq!(texts(app, "q=KNIV").await, ["Hotad med kniv vid hämtning"]);
    assert_eq!(texts(app, "q=storgatan").await, ["Hotad med kniv vid hämtning"], "the place is searched too");
    assert_eq!(texts(app, "q=100%25").await, ["Hatmejl efter debatten 100% anonymt"]);
    assert!(texts(app, "q=kniv%20debatten").await.is_empty(), "all words must match");
    assert!(texts(app, "q=%25%25").await.is_empty(), "% is not a wildcard");
    assert_eq!(texts(app, "q=H%C3%84MTN").await, ["Hotad med kniv vid hämtning"], "prefix, and Ä folds to ä");
    assert_eq!(texts(app, "q=anh%C3%B6r%20sparkad").await, ["Sparkad av anhörig"]);
    assert!(texts(app, "q=hamtning").await.is_empty(), "a and ä are different letters in Swedish");
    assert!(
        texts(app, "q=%22kniv%22%20OR%20NOT%20*").await.is_empty(),
        "query syntax is only text: 'or', 'not' must match too"
    );
    assert_eq!(texts(app, "status=new&assignee=none").await.len(), 3);
    assert!(texts(app, "assignee=me").await.is_empty());
    assert!(texts(app, "status=closed").await.is_empty());
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(texts(app, &format!("from={today}&to={today}")).await.len(), 3);
    assert!(texts(app, &format!("to={}", today.previous_day().unwrap())).await.is_empty());
    // Keyset pagination keeps the filter.
    let page: Value =
        app.client.get(app.url("/api/reports?role=healthcare&limit=1")).send().await.unwrap().json().await.unwrap();
    let next = page["next_cursor"].as_str().unwrap();
    assert_eq!(texts(app, &format!("role=healthcare&limit=1&before={next}")).await, ["Hotad med kniv vid hämtning"]);
    // … and the text search, newest first and oldest first.
    for (sort, first, second) in [
        ("newest", "Sparkad av anhörig", "Hatmejl efter debatten 100% anonymt"),
        ("oldest", "Hatmejl efter debatten 100% anonymt", "Sparkad av anhörig"),
    ] {
        let q = format!("q=h%C3%A4mtning%20anh%C3%B6rig&sort={sort}&limit=1");
        assert!(texts(app, &q).await.is_empty(), "both words in one report: none");
        let q = format!("q=a&sort={sort}&limit=1");
        let page: Value =
            app.client.get(app.url(&format!("/api/reports?{q}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(page["items"][0]["excerpt"], first, "{sort}");
        let next = page["next_cursor"].as_str().unwrap();
        assert_eq!(texts(app, &format!("{q}&before={next}")).await, [second], "{sort}");
    }
}

async fn counts_per_status_follow_the_filters(app: &TestApp) {
    seed(app).await;
    let c: Value = app.client.get(app.url("/api/reports/counts")).send().await.unwrap().json().await.unwrap();
    assert_eq!(c, json!({"new": 3, "in_progress": 0, "closed": 0, "cap": 10_000}));
    let c: Value = app
        .client
        .get(app.url("/api/reports/counts?role=elected_official"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(c, json!({"new": 1, "in_progress": 0, "closed": 0, "cap": 10_000}));
}

async fn a_report_is_unread_until_this_coordinator_opens_it(app: &TestApp) {
    seed(app).await;
    let page: Value = app.client.get(app.url("/api/reports")).send().await.unwrap().json().await.unwrap();
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["unread"] == true));
    let id = page["items"][0]["id"].as_str().unwrap();
    assert_eq!(app.client.get(app.url(&format!("/api/reports/{id}"))).send().await.unwrap().status(), StatusCode::OK);
    let page: Value = app.client.get(app.url("/api/reports")).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"][0]["unread"], false);
    assert_eq!(page["items"][1]["unread"], true);
    // Another coordinator still sees it as unread.
    app.create_admin().await;
    let other = app.new_client();
    app.login_as(&other, ADMIN_EMAIL).await;
    let page: Value = other.get(app.url("/api/reports")).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["items"][0]["unread"], true);
}

async fn bad_filters_are_rejected(app: &TestApp) {
    seed(app).await;
    for q in
        ["status=done", "kind=murder", "role=king", "phase=later", "sort=random", "from=2026-13-01", "assignee=xyz"]
    {
        let res = app.client.get(app.url(&format!("/api/reports?{q}"))).send().await.unwrap();
        assert_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
}

//! Checklists and contacts: seeded, per situation, both languages, one-tap numbers.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

crate::on_both_backends!(
    every_situation_has_a_seeded_checklist_in_both_languages,
    the_during_checklist_for_officials_starts_with_calling_112,
    an_unknown_situation_is_rejected,
    contacts_are_grouped_with_emergency_first_and_tel_links,
);

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

async fn every_situation_has_a_seeded_checklist_in_both_languages(app: &TestApp) {
    for role in ["healthcare", "elected_official"] {
        for phase in ["before", "during", "after"] {
            let res = get(app, &format!("/api/checklists?role={role}&phase={phase}")).await;
            assert_eq!(res.status(), StatusCode::OK);
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["role"], role);
            assert_eq!(body["phase"], phase);
            let items = body["items"].as_array().unwrap();
            assert!(items.len() >= 4, "{role}/{phase} has {} items", items.len());
            for i in items {
                assert!(!i["text"]["sv"].as_str().unwrap().is_empty());
                assert!(!i["text"]["en"].as_str().unwrap().is_empty());
                assert_ne!(i["text"]["sv"], i["text"]["en"]);
            }
        }
    }
}

async fn the_during_checklist_for_officials_starts_with_calling_112(app: &TestApp) {
    let body: Value = get(app, "/api/checklists?role=elected_official&phase=during").await.json().await.unwrap();
    assert!(body["items"][0]["text"]["sv"].as_str().unwrap().contains("112"));
    let hc: Value = get(app, "/api/checklists?role=healthcare&phase=during").await.json().await.unwrap();
    assert_ne!(body["items"][0]["id"], hc["items"][0]["id"], "roles have their own lists");
}

async fn an_unknown_situation_is_rejected(app: &TestApp) {
    assert_error(get(app, "/api/checklists?role=king&phase=during").await, StatusCode::BAD_REQUEST, "invalid_query")
        .await;
    assert_error(get(app, "/api/checklists?role=healthcare").await, StatusCode::BAD_REQUEST, "invalid_query").await;
}

async fn contacts_are_grouped_with_emergency_first_and_tel_links(app: &TestApp) {
    let body: Value = get(app, "/api/contacts").await.json().await.unwrap();
    let groups = body["groups"].as_array().unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g["group"].as_str().unwrap()).collect();
    assert_eq!(names, ["emergency", "region", "support"]);
    let first = &groups[0]["contacts"][0];
    assert_eq!(first["phone"], "112");
    assert_eq!(first["tel"], "tel:112");
    let police = &groups[0]["contacts"][1];
    assert_eq!(police["tel"], "tel:11414");
    let victim = groups[2]["contacts"].as_array().unwrap().iter().find(|c| c["phone"] == "116 006").unwrap();
    assert_eq!(victim["tel"], "tel:116006");
    let tib = &groups[1]["contacts"][0];
    assert!(tib["name"]["sv"].as_str().unwrap().contains("TiB"));
}

//! The wire contract's fixtures: real answers of the server, kept under
//! `crates/wire/tests/fixtures/`, which the app's model tests decode (`src/model/tests.rs`). Each
//! answer must decode into its `trygg_wire` type and have the fixture's shape (the same keys, at
//! every depth); after a deliberate change rerun with `TRYGG_UPDATE_FIXTURES=1` (on SQLite) and
//! review the diff. So the app's tests decode what the server really sends, and drift on either
//! side fails a test.

use crate::helpers::*;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::BTreeSet;

crate::on_both_backends!(the_fixtures_are_what_the_server_sends);

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../wire/tests/fixtures");

/// Every key path of `v` (`a.b`, `a[].c`), with arrays represented by all their elements.
fn shape(v: &Value, at: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{at}.{k}");
                out.insert(p.clone());
                shape(v, &p, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| shape(i, &format!("{at}[]"), out)),
        _ => {}
    }
}

fn shape_of(v: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    shape(v, "", &mut out);
    out
}

/// Checks one real answer against its type and its fixture (or writes the fixture).
fn check<T: DeserializeOwned>(name: &str, answer: Value, update: bool) {
    if let Err(e) = serde_json::from_value::<T>(answer.clone()) {
        panic!("{name}: the server's answer does not decode into its wire type: {e}\n{answer:#}");
    }
    let path = format!("{DIR}/{name}.json");
    if update {
        std::fs::create_dir_all(DIR).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&answer).unwrap() + "\n").unwrap();
        return;
    }
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        shape_of(&answer),
        shape_of(&fixture),
        "{name}: the answer's shape differs from {path}: rerun with TRYGG_UPDATE_FIXTURES=1 and review the diff"
    );
}

async fn ok_json(res: reqwest::Response) -> Value {
    let status = res.status();
    assert!(status.is_success(), "{status}");
    res.json().await.unwrap()
}

async fn the_fixtures_are_what_the_server_sends(app: &TestApp) {
    let update = std::env::var("TRYGG_UPDATE_FIXTURES").is_ok_and(|v| v == "1")
        && matches!(app.db, trygg_server::store::Db::Sqlite(_));
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!("Anna Berg");
    let receipt = ok_json(app.submit(&new_key(), &r).await).await;
    let id = receipt["id"].as_str().unwrap().to_owned();
    let code = receipt["receipt_code"].as_str().unwrap().to_owned();
    check::<trygg_wire::Receipt>("receipt", receipt, update);

    let checklist = app.client.get(app.url("/api/checklists?role=healthcare&phase=during")).send().await.unwrap();
    check::<trygg_wire::Checklist>("checklist", ok_json(checklist).await, update);
    let contacts = app.client.get(app.url("/api/contacts")).send().await.unwrap();
    check::<trygg_wire::Contacts>("contacts", ok_json(contacts).await, update);
    let content = app.client.get(app.url("/api/content")).send().await.unwrap();
    check::<trygg_wire::ContentBundle>("content", ok_json(content).await, update);

    app.create_coordinator().await;
    let me = ok_json(app.login().await).await;
    check::<trygg_wire::Me>("me", me, update);
    let page = ok_json(app.client.get(app.url("/api/reports")).send().await.unwrap()).await;
    check::<trygg_wire::ReportPage>("report_page", page, update);
    let counts = ok_json(app.client.get(app.url("/api/reports/counts")).send().await.unwrap()).await;
    check::<trygg_wire::Counts>("counts", counts, update);
    let people = ok_json(app.client.get(app.url("/api/coordinators")).send().await.unwrap()).await;
    check::<trygg_wire::Colleagues>("colleagues", people, update);

    let url = app.url(&format!("/api/reports/{id}/messages"));
    let res = app.client.post(url).header(CSRF, app.csrf()).json(&json!({"body": "Hej"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body = json!({"status": "closed", "closed_reason": "Klart", "severity": "high"});
    let url = app.url(&format!("/api/reports/{id}"));
    let detail = ok_json(app.client.patch(url).header(CSRF, app.csrf()).json(&body).send().await.unwrap()).await;
    check::<trygg_wire::ReportDetail>("report_detail", detail, update);

    let thread = app.client.post(app.url("/api/followup")).json(&json!({"receipt_code": code})).send().await.unwrap();
    check::<trygg_wire::Thread>("thread", ok_json(thread).await, update);

    app.create_admin().await;
    let admin = app.new_client();
    assert_eq!(app.login_as(&admin, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let log = ok_json(admin.get(app.url("/api/audit?limit=3")).send().await.unwrap()).await;
    check::<Vec<trygg_wire::AuditEntry>>("audit_entries", log, update);
    let verdict = ok_json(admin.get(app.url("/api/audit/verify")).send().await.unwrap()).await;
    check::<trygg_wire::AuditVerdict>("audit_verdict", verdict, update);
}

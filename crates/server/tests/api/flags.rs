//! Risk flags for crews (issue 17): four eyes before a flag is active, flags that end by
//! themselves, a look-up that reveals only an exact address's active flags to responders and
//! dispatch tokens (each logged and rate-limited), tokens that do nothing else and can be
//! revoked, and a database that holds no flagged address in plain text.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

crate::on_both_backends!(
    no_flag_is_active_without_a_second_coordinator_and_the_proposer_cannot_approve_it,
    an_expired_flag_never_matches_and_a_lifted_one_neither,
    a_responder_learns_only_level_category_and_guidance_of_an_exact_address,
    a_responder_cannot_list_flags_nor_read_reports,
    spellings_of_one_address_find_one_flag,
    the_database_holds_no_flagged_address_nor_reason_in_plain_text,
    a_bad_proposal_is_refused_field_by_field_and_a_stale_review_gets_the_newer_flag,
    an_active_flag_is_due_for_review_with_its_owner_from_its_review_date_until_it_ends,
);

const BO: &str = "bo@region.se";
const RUT: &str = "rut@ambulans.se";
pub const ADDRESS: &str = "Storgatan 12 B, 123 45 Stockholm";

/// A signed-in browser and its CSRF token.
pub struct Browser {
    pub client: Client,
    pub csrf: String,
}

impl Browser {
    pub async fn post(&self, app: &TestApp, path: &str, body: Value) -> reqwest::Response {
        self.client.post(app.url(path)).header(CSRF, &self.csrf).json(&body).send().await.unwrap()
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        self.client.get(app.url(path)).send().await.unwrap()
    }
}

async fn browser(app: &TestApp, email: &str) -> Browser {
    let (client, jar) = app.new_browser();
    assert_eq!(app.login_as(&client, email).await.status(), StatusCode::OK, "{email} signs in");
    Browser { client, csrf: app.csrf_of(&jar) }
}

/// Two coordinators (Sara, Bo), a responder (Rut), an administrator, and a report.
pub struct World {
    pub sara: Browser,
    pub bo: Browser,
    pub rut: Browser,
    pub admin: Browser,
    pub report: String,
}

pub async fn world(app: &TestApp) -> World {
    app.create_coordinator().await;
    app.create_admin().await;
    let mk = |email: &'static str, name: &'static str, roles: &'static str| async move {
        trygg_server::cli::create_user(&app.db, &app.keys, email, name, roles, PASSWORD).await.unwrap();
    };
    mk(BO, "Bo Samordnare", "coordinator").await;
    mk(RUT, "Rut Ambulans", "responder").await;
    let body: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    World {
        sara: browser(app, EMAIL).await,
        bo: browser(app, BO).await,
        rut: browser(app, RUT).await,
        admin: browser(app, ADMIN_EMAIL).await,
        report: body["id"].as_str().unwrap().to_owned(),
    }
}

fn proposal(address: &str) -> Value {
    json!({
        "address": address,
        "level": "police_escort",
        "category": "weapon",
        "guidance_sv": "Vänta på polis vid uppsamlingsplatsen.",
        "guidance_en": "Wait for the police at the staging point.",
        "reason": "Hot med kniv mot ambulanspersonal i mars.",
        "resident": {"not_informed_reason": "Det skulle öka risken."}
    })
}

async fn propose(app: &TestApp, w: &World, address: &str) -> Value {
    let res = w.sara.post(app, &format!("/api/reports/{}/flags", w.report), proposal(address)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

async fn approve(app: &TestApp, by: &Browser, flag: &Value) -> reqwest::Response {
    by.post(app, &format!("/api/flags/{}/approve", flag["id"].as_str().unwrap()), json!({"version": flag["version"]}))
        .await
}

/// A 409 `version_conflict` answer's newer flag.
async fn stale_current(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_conflict", "{body}");
    body["current"].clone()
}

pub async fn active_flag(app: &TestApp, w: &World, address: &str) -> Value {
    let flag = propose(app, w, address).await;
    let res = approve(app, &w.bo, &flag).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

pub async fn look_up(app: &TestApp, who: &Browser, address: &str) -> reqwest::Response {
    who.post(app, "/api/lookup", json!({"address": address, "purpose": "Larm 2026-1234"})).await
}

pub async fn found(app: &TestApp, who: &Browser, address: &str) -> Vec<Value> {
    let res = look_up(app, who, address).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    body["flags"].as_array().unwrap().clone()
}

async fn no_flag_is_active_without_a_second_coordinator_and_the_proposer_cannot_approve_it(app: &TestApp) {
    let w = world(app).await;
    let flag = propose(app, &w, ADDRESS).await;
    assert_eq!(flag["state"], "proposed");
    assert!(found(app, &w.rut, ADDRESS).await.is_empty(), "a proposed flag does not match");
    assert_error(approve(app, &w.sara, &flag).await, StatusCode::FORBIDDEN, "own_flag").await;
    assert!(found(app, &w.rut, ADDRESS).await.is_empty(), "still not active");
    let res = approve(app, &w.bo, &flag).await;
    assert_eq!(res.status(), StatusCode::OK);
    let active: Value = res.json().await.unwrap();
    assert_eq!(active["state"], "active");
    assert_eq!(active["approved_by"], "Bo Samordnare");
    assert_eq!(found(app, &w.rut, ADDRESS).await.len(), 1);
    // Approving twice, or from the old version, changes nothing.
    assert_error(approve(app, &w.admin, &active).await, StatusCode::CONFLICT, "wrong_state").await;
    let stale = stale_current(approve(app, &w.admin, &flag).await).await;
    assert_eq!(stale["state"], "active");
}

async fn an_expired_flag_never_matches_and_a_lifted_one_neither(app: &TestApp) {
    let w = world(app).await;
    let mut p = proposal(ADDRESS);
    let today = &trygg_server::routes::flags::date_of(app.clock.now_ms());
    let in_10_days = today.parse::<jiff::civil::Date>().unwrap().checked_add(jiff::Span::new().days(10)).unwrap();
    p["ends_on"] = json!(in_10_days.to_string());
    let flag: Value = w.sara.post(app, &format!("/api/reports/{}/flags", w.report), p).await.json().await.unwrap();
    assert_eq!(approve(app, &w.bo, &flag).await.status(), StatusCode::OK);
    assert_eq!(found(app, &w.rut, ADDRESS).await.len(), 1);
    app.clock.advance(Duration::from_secs(12 * 24 * 3600));
    assert!(found(app, &w.rut, ADDRESS).await.is_empty(), "ended without anyone acting");
    let list: Value = w.sara.get(app, &format!("/api/reports/{}/flags", w.report)).await.json().await.unwrap();
    assert_eq!(list[0]["expired"], true);

    // A lifted flag: gone at once, with the reason in its history.
    let other = active_flag(app, &w, "Kyrkvägen 3, 981 31 Kiruna").await;
    assert_eq!(found(app, &w.rut, "Kyrkvägen 3, 981 31 Kiruna").await.len(), 1);
    let path = format!("/api/flags/{}/review", other["id"].as_str().unwrap());
    let res = w
        .sara
        .post(app, &path, json!({"action": "lift", "reason": "Personen har flyttat.", "version": other["version"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(found(app, &w.rut, "Kyrkvägen 3, 981 31 Kiruna").await.is_empty());
    let d: Value =
        w.sara.get(app, &format!("/api/flags/{}", other["id"].as_str().unwrap())).await.json().await.unwrap();
    let actions: Vec<&str> = d["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["flag.propose", "flag.approve", "flag.lift"]);
    assert!(
        d["history"][2]["detail"].as_str().unwrap().contains("state active → lifted; reason: Personen har flyttat.")
    );
}

async fn a_responder_learns_only_level_category_and_guidance_of_an_exact_address(app: &TestApp) {
    let w = world(app).await;
    active_flag(app, &w, "Storgatan 12 B lgh 1101, 123 45 Stockholm").await;
    let flags = found(app, &w.rut, "storgatan 12b lgh 1101 12345").await;
    assert_eq!(flags.len(), 1);
    let keys: Vec<&String> = flags[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["category", "guidance_en", "guidance_sv", "level"], "nothing else");
    assert_eq!(flags[0]["level"], "police_escort");
    assert_eq!(flags[0]["guidance_sv"], "Vänta på polis vid uppsamlingsplatsen.");
    // No partial match: the building, the next entrance, the street in the town, another flat.
    for near in [
        "Storgatan 12 B, 123 45 Stockholm",
        "Storgatan 12 A lgh 1101, 123 45 Stockholm",
        "Storgatan 12 B lgh 1102, 123 45 Stockholm",
        "Storgatan 12 lgh 1101, 123 45 Stockholm",
    ] {
        assert!(found(app, &w.rut, near).await.is_empty(), "{near} must not match");
    }
    for partial in ["Storgatan", "Storgatan 12", "Stor", "%"] {
        assert_error(look_up(app, &w.rut, partial).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    // A purpose is required.
    let res = w.rut.post(app, "/api/lookup", json!({"address": ADDRESS, "purpose": " "})).await;
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["fields"][0]["code"], "purpose.required");
}

async fn a_responder_cannot_list_flags_nor_read_reports(app: &TestApp) {
    let w = world(app).await;
    let flag = active_flag(app, &w, ADDRESS).await;
    let id = flag["id"].as_str().unwrap();
    for path in [
        format!("/api/reports/{}/flags", w.report),
        format!("/api/reports/{}", w.report),
        "/api/reports".to_owned(),
        format!("/api/flags/{id}"),
        "/api/lookups".to_owned(),
        "/api/lookup-tokens".to_owned(),
    ] {
        assert_error(w.rut.get(app, &path).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let res = w.rut.post(app, &format!("/api/reports/{}/flags", w.report), proposal(ADDRESS)).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(approve(app, &w.rut, &flag).await, StatusCode::FORBIDDEN, "forbidden").await;
    // And a coordinator without the responder role makes no look-up.
    assert_error(look_up(app, &w.sara, ADDRESS).await, StatusCode::FORBIDDEN, "forbidden").await;
    // Without the CSRF token a responder's look-up is refused.
    let res = w
        .rut
        .client
        .post(app.url("/api/lookup"))
        .json(&json!({"address": ADDRESS, "purpose": "x"}))
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
}

async fn spellings_of_one_address_find_one_flag(app: &TestApp) {
    let w = world(app).await;
    active_flag(app, &w, "Östra Långgatan 3 A, 211 20 Malmö").await;
    for spelling in ["östra långg. 3a 21120 malmö", "ÖSTRA LÅNGGATAN 3 A, 211 20 MALMÖ", "Östra Långg. 3 A, 21120"]
    {
        assert_eq!(found(app, &w.rut, spelling).await.len(), 1, "{spelling}");
    }
}

async fn the_database_holds_no_flagged_address_nor_reason_in_plain_text(app: &TestApp) {
    let w = world(app).await;
    active_flag(app, &w, ADDRESS).await;
    found(app, &w.rut, ADDRESS).await;
    let dump = dump_text(app).await;
    for secret in ["Storgatan", "storgatan", "12345", "123 45", "Hot med kniv", "öka risken", "Larm 2026"] {
        assert!(!dump.contains(secret), "{secret} is in the database in plain text");
    }
}

/// Every text column of the flag tables and the audit log, concatenated.
async fn dump_text(app: &TestApp) -> String {
    let sql = [
        "SELECT COALESCE(address_index,'') || address_sealed || reason_sealed || COALESCE(not_informed_sealed,'') || guidance_sv FROM flags",
        "SELECT address_index || building_index || purpose_sealed FROM flag_lookups",
        "SELECT COALESCE(reason,'') FROM audit_log",
    ];
    let mut out = String::new();
    for q in sql {
        let rows: Vec<String> = match &app.db {
            trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar(q).fetch_all(p).await.unwrap(),
            trygg_server::store::Db::Postgres(p) => sqlx::query_scalar(q).fetch_all(p).await.unwrap(),
        };
        out.push_str(&rows.join("\n"));
    }
    out
}

async fn a_bad_proposal_is_refused_field_by_field_and_a_stale_review_gets_the_newer_flag(app: &TestApp) {
    let w = world(app).await;
    let mut p = proposal("Storgatan");
    p["guidance_en"] = json!("");
    p["ends_on"] = json!("2099-01-01");
    p["resident"] = json!({"informed_on": "2020-01-01", "not_informed_reason": "both"});
    let res = w.sara.post(app, &format!("/api/reports/{}/flags", w.report), p).await;
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    for want in ["address.invalid", "guidance_en.required", "ends_on.too_late", "not_informed_reason.conflict"] {
        assert!(codes.contains(&want), "{want} in {codes:?}");
    }
    let res = w.sara.post(app, &format!("/api/reports/{}/flags", uuid::Uuid::new_v4()), proposal(ADDRESS)).await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;

    let flag = active_flag(app, &w, ADDRESS).await;
    let path = format!("/api/flags/{}/review", flag["id"].as_str().unwrap());
    let res =
        w.bo.post(
            app,
            &path,
            json!({"action": "change", "reason": "Hund också.", "category": "dog", "version": flag["version"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = w
        .sara
        .post(
            app,
            &path,
            json!({"action": "change", "reason": "Nivå.", "level": "caution", "version": flag["version"]}),
        )
        .await;
    let stale = stale_current(res).await;
    assert_eq!(stale["category"], "dog");
    let res = w.sara.post(app, &path, json!({"action": "extend", "reason": "", "version": stale["version"]})).await;
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["reason.required", "ends_on.required"]);
}

async fn an_active_flag_is_due_for_review_with_its_owner_from_its_review_date_until_it_ends(app: &TestApp) {
    let w = world(app).await;
    let today: jiff::civil::Date = trygg_server::routes::flags::date_of(app.clock.now_ms()).parse().unwrap();
    let day = |n: i64| today.checked_add(jiff::Span::new().days(n)).unwrap().to_string();
    let mut p = proposal(ADDRESS);
    p["review_on"] = json!(day(5));
    p["ends_on"] = json!(day(20));
    let flag: Value = w.sara.post(app, &format!("/api/reports/{}/flags", w.report), p).await.json().await.unwrap();
    let sara: Value = w.sara.get(app, "/api/auth/me").await.json().await.unwrap();
    let due = |at: i64| async move { app.db.flags_due_for_review(at).await.unwrap() };
    let later = app.clock.now_ms() + 7 * 24 * 3600 * 1000;
    assert!(due(later).await.is_empty(), "a proposed flag is not reviewed");
    assert_eq!(approve(app, &w.bo, &flag).await.status(), StatusCode::OK);
    assert!(due(app.clock.now_ms()).await.is_empty(), "not before its review date");
    let listed = due(later).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].0.to_string(), flag["id"].as_str().unwrap());
    assert_eq!(listed[0].1.to_string(), sara["id"].as_str().unwrap(), "the owner is the proposer");
    assert!(due(later + 30 * 24 * 3600 * 1000).await.is_empty(), "an ended flag needs no review");
}

//! Reviewing a risk flag (issue 17): a review extends (at most 12 months ahead), changes or
//! lifts an active flag with a reason; the flag's history shows every change with who, when and
//! why; and the flag shows every look-up of its address, hit or miss — each read audited.

use crate::flags::{ADDRESS, Browser, World, active_flag, found, world};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    a_review_extends_changes_and_lifts_with_a_reason_and_the_history_shows_each_change,
    a_flag_shows_every_look_up_of_its_address_hit_or_miss_and_reading_it_is_audited,
);

fn day(app: &TestApp, n: i64) -> String {
    let today: jiff::civil::Date = trygg_server::routes::flags::date_of(app.clock.now_ms()).parse().unwrap();
    today.checked_add(jiff::Span::new().days(n)).unwrap().to_string()
}

async fn review(app: &TestApp, by: &Browser, flag: &Value, body: Value) -> reqwest::Response {
    let mut body = body;
    body["version"] = flag["version"].clone();
    by.post(app, &format!("/api/flags/{}/review", flag["id"].as_str().unwrap()), body).await
}

async fn detail(app: &TestApp, by: &Browser, flag: &Value) -> reqwest::Response {
    by.get(app, &format!("/api/flags/{}", flag["id"].as_str().unwrap())).await
}

async fn codes_of(res: reqwest::Response) -> Vec<String> {
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_owned()).collect()
}

async fn a_review_extends_changes_and_lifts_with_a_reason_and_the_history_shows_each_change(app: &TestApp) {
    let world = world(app).await;
    let w = active_flag(app, &world, ADDRESS).await;
    let World { sara, bo, rut, .. } = world;
    // Beyond 12 months, a review date after the end, or no reason: refused, nothing changed.
    let res =
        review(app, &bo, &w, json!({"action": "extend", "reason": "Fortsatt hot.", "ends_on": day(app, 400)})).await;
    assert_eq!(codes_of(res).await, ["ends_on.too_late"]);
    let res = review(
        app,
        &bo,
        &w,
        json!({"action": "extend", "reason": " ", "ends_on": day(app, 100), "review_on": day(app, 120)}),
    )
    .await;
    assert_eq!(codes_of(res).await, ["reason.required", "review_on.after_end"]);

    let res = review(
        app,
        &bo,
        &w,
        json!({"action": "extend", "reason": "Fortsatt hot.", "ends_on": day(app, 300), "review_on": day(app, 200)}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let extended: Value = res.json().await.unwrap();
    assert_eq!(
        (extended["ends_on"].as_str(), extended["review_on"].as_str()),
        (Some(&*day(app, 300)), Some(&*day(app, 200)))
    );
    assert_eq!(extended["version"], w["version"].as_i64().unwrap() + 1);

    let res = review(
        app,
        &sara,
        &extended,
        json!({"action": "change", "reason": "Polisen bedömer lägre risk.", "level": "caution",
               "resident": {"informed_on": day(app, 0)}}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["level"], "caution");
    assert_eq!(changed["resident"]["informed_on"].as_str(), Some(&*day(app, 0)));
    assert_eq!(changed["resident"]["not_informed_reason"], Value::Null);
    assert_eq!(found(app, &rut, ADDRESS).await[0]["level"], "caution", "crews see the change at once");

    let res = review(app, &bo, &changed, json!({"action": "lift", "reason": "Personen har flyttat."})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let lifted: Value = res.json().await.unwrap();
    assert_eq!(lifted["state"], "lifted");
    assert!(found(app, &rut, ADDRESS).await.is_empty(), "a lifted flag never matches");
    let res =
        review(app, &sara, &lifted, json!({"action": "change", "reason": "Igen.", "level": "police_escort"})).await;
    assert_error(res, StatusCode::CONFLICT, "wrong_state").await;

    let d: Value = detail(app, &sara, &w).await.json().await.unwrap();
    let history = d["history"].as_array().unwrap();
    let steps: Vec<(&str, &str)> =
        history.iter().map(|e| (e["action"].as_str().unwrap(), e["by"].as_str().unwrap_or_default())).collect();
    assert_eq!(
        steps,
        [
            ("flag.propose", "Sara Samordnare"),
            ("flag.approve", "Bo Samordnare"),
            ("flag.extend", "Bo Samordnare"),
            ("flag.change", "Sara Samordnare"),
            ("flag.lift", "Bo Samordnare"),
        ]
    );
    let text = |i: usize| history[i]["detail"].as_str().unwrap().to_owned();
    assert!(text(2).contains("Fortsatt hot.") && text(2).contains(&format!("→ {}", day(app, 300))), "{}", text(2));
    assert!(text(3).contains("level police_escort → caution") && text(3).contains("Polisen bedömer lägre risk."));
    assert!(text(4).contains("state active → lifted") && text(4).contains("Personen har flyttat."));
    for e in history {
        assert!(!e.to_string().contains("Hot med kniv"), "the internal reason is not in the history: {e}");
        assert!(!e.to_string().contains("Storgatan"), "nor the address: {e}");
    }
    // A responder reads no flag, its history nor who looked.
    assert_eq!(detail(app, &rut, &w).await.status(), StatusCode::FORBIDDEN);
}

async fn a_flag_shows_every_look_up_of_its_address_hit_or_miss_and_reading_it_is_audited(app: &TestApp) {
    let w = world(app).await;
    let res = w
        .sara
        .post(
            app,
            &format!("/api/reports/{}/flags", w.report),
            json!({"address": ADDRESS, "level": "caution", "category": "dog", "guidance_sv": "Hund.",
                   "guidance_en": "Dog.", "reason": "Hunden bet."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let proposed: Value = res.json().await.unwrap();
    assert!(found(app, &w.rut, "storg. 12b 12345").await.is_empty(), "proposed: a miss");
    app.clock.advance(std::time::Duration::from_secs(60));
    let res =
        w.bo.post(app, &format!("/api/flags/{}/approve", proposed["id"].as_str().unwrap()), json!({"version": 1}))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(found(app, &w.rut, ADDRESS).await.len(), 1, "active: a hit");
    assert!(found(app, &w.rut, "Storgatan 14, 123 45 Stockholm").await.is_empty(), "another address");

    let d: Value = detail(app, &w.sara, &proposed).await.json().await.unwrap();
    let seen: Vec<(&str, bool, &str)> = d["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["by"].as_str().unwrap(), l["matched"].as_bool().unwrap(), l["purpose"].as_str().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [("Rut Ambulans", true, "Larm 2026-1234"), ("Rut Ambulans", false, "Larm 2026-1234")],
        "this address's look-ups, newest first; not the neighbour's"
    );
    let audit: Value = w.admin.get(app, "/api/audit").await.json().await.unwrap();
    let reads = audit
        .as_array()
        .or_else(|| audit["entries"].as_array())
        .map(|a| a.iter().filter(|e| e["action"] == "flag.read").count())
        .unwrap_or_default();
    assert!(reads >= 1, "reading the flag is an audited read: {audit}");
}

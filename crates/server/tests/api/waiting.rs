//! "What waits for me": per coordinator, by reason, with no report text in the answer.

use crate::helpers::*;
use crate::roster::utc;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use trygg_server::store::Db;

crate::on_both_backends!(each_coordinator_sees_what_waits_for_them_and_no_report_text);

const HOUR: i64 = 3_600_000;
const OLLE: &str = "olle@region.se";

/// Files a report that arrived `hours_ago` before the server's now; returns (id, receipt code).
async fn report(app: &TestApp, urgent: bool, hours_ago: i64) -> (String, String) {
    let mut r = valid_report();
    if urgent {
        r["kind"] = json!("violence");
    }
    let body: Value = app.submit(&new_key(), &r).await.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_owned();
    let at = app.clock.now_ms() - hours_ago * HOUR;
    let sql = "UPDATE reports SET received_at = $1 WHERE id = $2";
    let uuid = uuid::Uuid::parse_str(&id).unwrap();
    match &app.db {
        Db::Sqlite(p) => drop(sqlx::query(sql).bind(at).bind(uuid).execute(p).await.unwrap()),
        Db::Postgres(p) => drop(sqlx::query(sql).bind(at).bind(uuid).execute(p).await.unwrap()),
    }
    (id, body["receipt_code"].as_str().unwrap().to_owned())
}

async fn waiting(app: &TestApp, client: &Client) -> (Value, BTreeSet<(String, String)>) {
    let res = client.get(app.url("/api/waiting")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let items = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let reason = match (i["reason"].as_str().unwrap(), i["reminder_kind"].as_str()) {
                ("reminder", Some(kind)) => format!("reminder:{kind}:{}", i["level"]),
                (r, _) => r.to_owned(),
            };
            (i["report_id"].as_str().unwrap().to_owned(), reason)
        })
        .collect();
    (body, items)
}

fn set(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
}

async fn each_coordinator_sees_what_waits_for_them_and_no_report_text(app: &TestApp) {
    // Wednesday 2027-01-13 11:00 CET: daytime, so routine reminders are due.
    app.clock.advance(std::time::Duration::from_millis((utc("2027-01-13T10:00:00Z") - app.clock.now_ms()) as u64));
    app.create_coordinator().await;
    trygg_server::cli::create_user(&app.db, &app.keys, OLLE, "Olle Övrig", "coordinator", PASSWORD).await.unwrap();
    let sara = &app.client;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let (olle, olle_jar) = app.new_browser();
    assert_eq!(app.login_as(&olle, OLLE).await.status(), StatusCode::OK);
    let people: Value = sara.get(app.url("/api/coordinators")).send().await.unwrap().json().await.unwrap();
    let id_of = |name: &str| {
        people["coordinators"].as_array().unwrap().iter().find(|c| c["display_name"] == name).unwrap()["id"].clone()
    };

    let (u, _) = report(app, true, 0).await; // urgent, unassigned
    let (n, _) = report(app, false, 25).await; // routine, unassigned, a day old: a reminder
    let (m, m_code) = report(app, false, 0).await; // Sara's, the reporter wrote
    let (o, o_code) = report(app, false, 25).await; // Olle's, the reporter wrote, a day old
    for (id, who) in [(&m, "Sara Samordnare"), (&o, "Olle Övrig")] {
        let res = sara
            .patch(app.url(&format!("/api/reports/{id}")))
            .header(CSRF, app.csrf())
            .json(&json!({"status": "in_progress", "assignee": id_of(who)}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    for code in [&m_code, &o_code] {
        let body = json!({"receipt_code": code, "body": "Han stod utanför igen i morse."});
        let res = app.new_client().post(app.url("/api/followup/messages")).json(&body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
    }

    let (body, items) = waiting(app, sara).await;
    let unanswered = "reminder:unanswered:1";
    assert_eq!(
        items,
        set(&[
            (&u, "urgent_unanswered"),
            (&u, "unassigned"),
            (&n, "unassigned"),
            (&n, unanswered),
            (&m, "unread_message")
        ])
    );
    assert_eq!(body["count"], 3, "distinct reports");
    assert_eq!(body["items"][0]["reason"], "urgent_unanswered", "urgent first");
    let text = body.to_string();
    assert!(!text.contains("Akutmottagningen") && !text.contains("hotade") && !text.contains("utanför"), "{text}");

    let (body, items) = waiting(app, &olle).await;
    assert_eq!(
        items,
        set(&[
            (&u, "urgent_unanswered"),
            (&u, "unassigned"),
            (&n, "unassigned"),
            (&n, unanswered),
            (&o, "unread_message"),
            (&o, unanswered)
        ])
    );
    assert_eq!(body["count"], 3);

    // Sara opens her report: its message is read. Olle answers the urgent one and takes it.
    assert_eq!(sara.get(app.url(&format!("/api/reports/{m}"))).send().await.unwrap().status(), StatusCode::OK);
    let res = olle
        .post(app.url(&format!("/api/reports/{u}/messages")))
        .header(CSRF, app.csrf_of(&olle_jar))
        .json(&json!({"body": "Vi ringer dig nu."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = olle
        .patch(app.url(&format!("/api/reports/{u}")))
        .header(CSRF, app.csrf_of(&olle_jar))
        .json(&json!({"assignee": id_of("Olle Övrig")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (body, items) = waiting(app, sara).await;
    assert_eq!(items, set(&[(&n, "unassigned"), (&n, unanswered)]));
    assert_eq!(body["count"], 1);

    let res = app.new_client().get(app.url("/api/waiting")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

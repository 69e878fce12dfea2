//! Retention: administrators set how long closed reports are kept (bounded, versioned, audited);
//! the dry run deletes nothing; the purge leaves no row of a purged report in any table (the
//! schema's tables are enumerated, so a new table is not forgotten; the search index included),
//! keeps its de-identified facts, answers its receipt code with not found, and goes by the
//! server's clock.

use crate::admin_content::admin;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use trygg_server::store::Db;
use uuid::Uuid;

crate::on_both_backends!(
    the_purge_leaves_no_row_of_a_purged_report_in_any_table,
    the_dry_run_shows_what_would_go_and_deletes_nothing,
    the_period_is_bounded_versioned_and_every_change_audited,
    the_purge_goes_by_the_servers_clock_and_twice_purges_once,
    only_an_administrator_sees_or_runs_retention,
);

const DAY_MS: i64 = 86_400_000;

/// Files a report whose text holds `word`, then closes it as a coordinator after a note, an
/// answer, the reporter's reply and a read. Returns (id, receipt code).
async fn closed_report(app: &TestApp, word: &str, coordinator: &Client, csrf: &str) -> (String, String) {
    let (id, code) = open_report(app, word).await;
    let url = app.url(&format!("/api/reports/{id}"));
    assert_eq!(coordinator.get(format!("{url}?reason=Triage")).send().await.unwrap().status(), StatusCode::OK);
    for (path, body) in [("notes", "Intern anteckning"), ("messages", "Vi hör av oss")] {
        let res =
            coordinator.post(format!("{url}/{path}")).header(CSRF, csrf).json(&json!({"body": body})).send().await;
        assert_eq!(res.unwrap().status(), StatusCode::CREATED);
    }
    let reply = json!({"receipt_code": code, "body": "Tack"});
    assert_eq!(
        app.new_client().post(app.url("/api/followup/messages")).json(&reply).send().await.unwrap().status(),
        StatusCode::CREATED
    );
    let close = json!({"status": "closed", "closed_reason": "Åtgärdat", "severity": "high"});
    assert_eq!(coordinator.patch(&url).header(CSRF, csrf).json(&close).send().await.unwrap().status(), StatusCode::OK);
    (id, code)
}

async fn open_report(app: &TestApp, word: &str) -> (String, String) {
    let mut r = valid_report();
    r["description"] = json!(format!("Hot mot personal, ordet {word} nämndes."));
    r["location"] = json!(format!("Plats {word}"));
    let body: Value = app.submit(&new_key(), &r).await.json().await.unwrap();
    (body["id"].as_str().unwrap().to_owned(), body["receipt_code"].as_str().unwrap().to_owned())
}

async fn coordinator(app: &TestApp) -> (Client, String) {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    (app.client.clone(), app.csrf())
}

/// Moves a report's closing (and every event) `days` into the past.
async fn age(app: &TestApp, id: &str, days: i64) {
    let id = Uuid::parse_str(id).unwrap();
    let sql = "UPDATE report_events SET at = at - $1 WHERE report_id = $2";
    match &app.db {
        Db::Sqlite(p) => {
            assert!(sqlx::query(sql).bind(days * DAY_MS).bind(id).execute(p).await.unwrap().rows_affected() > 0)
        }
        Db::Postgres(p) => {
            assert!(sqlx::query(sql).bind(days * DAY_MS).bind(id).execute(p).await.unwrap().rows_affected() > 0)
        }
    }
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

/// Every (table, column) of the schema, from the database's own catalogue.
async fn columns(app: &TestApp) -> Vec<(String, String)> {
    match &app.db {
        Db::Sqlite(p) => {
            let tables: Vec<String> =
                sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(p).await.unwrap();
            let mut out = Vec::new();
            for t in tables {
                let cols: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info($1)").bind(&t).fetch_all(p).await.unwrap();
                out.extend(cols.into_iter().map(|c| (t.clone(), c)));
            }
            out
        }
        Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    }
}

/// The (table, column)s outside the access log that hold the report's id, or its row number
/// where a table keys by it (the SQLite search index), or that the search index still finds.
async fn traces(app: &TestApp, id: &str, seq: i64, word: &str) -> Vec<String> {
    let uuid = Uuid::parse_str(id).unwrap();
    let mut found = Vec::new();
    for (table, column) in columns(app).await {
        if table == "audit_log" {
            continue;
        }
        let n: i64 = match &app.db {
            Db::Sqlite(p) => {
                let by_seq = if table == "reports_fts_docsize" || table == "reports" {
                    format!(" OR \"{column}\" = $3")
                } else {
                    String::new()
                };
                let sql =
                    format!("SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" = $1 OR \"{column}\" = $2{by_seq}");
                sqlx::query_scalar(&sql).bind(uuid).bind(id).bind(seq).fetch_one(p).await.unwrap()
            }
            Db::Postgres(p) => {
                let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\"::text = $1");
                sqlx::query_scalar(&sql).bind(id).fetch_one(p).await.unwrap()
            }
        };
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    if let Db::Sqlite(p) = &app.db {
        let sql = format!("SELECT COUNT(*) FROM reports_fts WHERE reports_fts MATCH '{word}'");
        let n: i64 = sqlx::query_scalar(&sql).fetch_one(p).await.unwrap();
        if n > 0 {
            found.push("reports_fts (MATCH)".into());
        }
    }
    found
}

async fn seq_of(app: &TestApp, id: &str) -> i64 {
    let uuid = Uuid::parse_str(id).unwrap();
    let sql = "SELECT seq FROM reports WHERE id = $1";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(uuid).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(uuid).fetch_one(p).await.unwrap(),
    }
}

async fn the_purge_leaves_no_row_of_a_purged_report_in_any_table(app: &TestApp) {
    let (coord, ccsrf) = coordinator(app).await;
    let (old, code) = closed_report(app, "gammalord", &coord, &ccsrf).await;
    let (recent, recent_code) = closed_report(app, "nyttord", &coord, &ccsrf).await;
    let (open, _) = open_report(app, "öppetord").await;
    age(app, &old, 25 * 31).await;
    age(app, &recent, 300).await;
    let seq = seq_of(app, &old).await;
    assert!(!traces(app, &old, seq, "gammalord").await.is_empty(), "the check finds the report before the purge");
    let facts_before = scalar(app, "SELECT COUNT(*) FROM report_facts").await;

    let (admin, csrf) = admin(app).await;
    let res = admin.post(app.url("/api/admin/retention/purge")).header(CSRF, &csrf).send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["purged"], 1);

    assert_eq!(traces(app, &old, seq, "gammalord").await, Vec::<String>::new());
    // Its receipt code now answers exactly as a code never issued: not found (`receipt_code.invalid`).
    let followup =
        app.new_client().post(app.url("/api/followup")).json(&json!({"receipt_code": code})).send().await.unwrap();
    let err = assert_error(followup, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"], json!([{"field": "receipt_code", "code": "receipt_code.invalid"}]));
    let reply = json!({"receipt_code": code, "body": "Hallå?"});
    let res = app.new_client().post(app.url("/api/followup/messages")).json(&reply).send().await.unwrap();
    assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    // The facts remain, without id, text or place.
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM report_facts").await, facts_before + 1);
    let fact_columns: Vec<String> =
        columns(app).await.into_iter().filter(|(t, _)| t == "report_facts").map(|(_, c)| c).collect();
    for banned in ["id", "report_id", "description", "location", "reporter_name", "unit_text"] {
        assert!(!fact_columns.iter().any(|c| c == banned), "report_facts.{banned}");
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM report_facts WHERE severity = 'high' AND kind = 'threat' AND first_answer_at IS NOT NULL AND closed_at IS NOT NULL").await, 1);
    // The open report and the recently closed one are untouched, with their events.
    for (id, word) in [(&open, "öppetord"), (&recent, "nyttord")] {
        let res = coord.get(app.url(&format!("/api/reports/{id}?reason=Kontroll"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let seq = seq_of(app, id).await;
        assert!(!traces(app, id, seq, word).await.is_empty());
    }
    let still = app
        .new_client()
        .post(app.url("/api/followup"))
        .json(&json!({"receipt_code": recent_code}))
        .send()
        .await
        .unwrap();
    assert_eq!(still.status(), StatusCode::OK);
    // The access log keeps its entries about the purged report (its id only) and says how many.
    let log: Value = admin.get(app.url("/api/audit?limit=200")).send().await.unwrap().json().await.unwrap();
    let purge: Vec<&Value> = log.as_array().unwrap().iter().filter(|e| e["action"] == "retention.purge").collect();
    assert_eq!(purge.len(), 1);
    let reason: Value = serde_json::from_str(purge[0]["reason"].as_str().unwrap()).unwrap();
    assert_eq!(reason["purged"], 1);
    assert!(log.as_array().unwrap().iter().any(|e| e["report_id"] == old.as_str()));
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], true);
}

async fn the_dry_run_shows_what_would_go_and_deletes_nothing(app: &TestApp) {
    let (coord, ccsrf) = coordinator(app).await;
    let (a, _) = closed_report(app, "forsta", &coord, &ccsrf).await;
    let (b, _) = closed_report(app, "andra", &coord, &ccsrf).await;
    closed_report(app, "tredje", &coord, &ccsrf).await;
    age(app, &a, 800).await;
    age(app, &b, 900).await;
    let (admin, _) = admin(app).await;
    let reports = scalar(app, "SELECT COUNT(*) FROM reports").await;
    for _ in 0..2 {
        let p: Value = admin.get(app.url("/api/admin/retention/preview")).send().await.unwrap().json().await.unwrap();
        assert_eq!(p["count"], 2, "{p}");
        let (first, last) = (p["first_week"].as_str().unwrap(), p["last_week"].as_str().unwrap());
        assert!(first < last && first.contains("-W"), "{p}");
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM reports").await, reports);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM report_facts").await, 0);
}

async fn the_period_is_bounded_versioned_and_every_change_audited(app: &TestApp) {
    let (admin, csrf) = admin(app).await;
    let r: Value = admin.get(app.url("/api/admin/retention")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (r["months"].as_i64(), r["min_months"].as_i64(), r["max_months"].as_i64()),
        (Some(24), Some(6), Some(120))
    );
    let put = |body: Value| admin.put(app.url("/api/admin/retention")).header(CSRF, &csrf).json(&body).send();
    for months in [5, 121, 0, -3] {
        let err = assert_error(
            put(json!({"months": months, "version": r["version"]})).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert_eq!(err["fields"], json!([{"field": "months", "code": "months.invalid"}]));
    }
    let set: Value = put(json!({"months": 36, "version": r["version"]})).await.unwrap().json().await.unwrap();
    assert_eq!(set["months"], 36);
    // A second admin's change from the old version is refused with the newer period.
    let res = put(json!({"months": 6, "version": r["version"]})).await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (body["error"]["code"].as_str(), body["current"]["months"].as_i64()),
        (Some("version_conflict"), Some(36))
    );
    assert_eq!(put(json!({"months": 120, "version": set["version"]})).await.unwrap().status(), StatusCode::OK);
    let log: Value = admin.get(app.url("/api/audit")).send().await.unwrap().json().await.unwrap();
    let changes: Vec<Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "retention.set")
        .map(|e| serde_json::from_str(e["reason"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        changes,
        [
            json!({"before": {"months": 36}, "after": {"months": 120}}),
            json!({"before": {"months": 24}, "after": {"months": 36}})
        ]
    );
}

async fn the_purge_goes_by_the_servers_clock_and_twice_purges_once(app: &TestApp) {
    let (coord, ccsrf) = coordinator(app).await;
    closed_report(app, "klocka", &coord, &ccsrf).await;
    let (admin, csrf) = admin(app).await;
    let preview = || async {
        admin.get(app.url("/api/admin/retention/preview")).send().await.unwrap().json::<Value>().await.unwrap()["count"]
            .clone()
    };
    assert_eq!(preview().await, 0);
    app.clock.advance(Duration::from_secs(23 * 31 * 86_400));
    assert_eq!(preview().await, 0, "23 months: still kept");
    app.clock.advance(Duration::from_secs(40 * 86_400));
    assert_eq!(preview().await, 1, "past 24 months");
    // Two purges at once (two servers) delete it once and count it once.
    let run = || admin.post(app.url("/api/admin/retention/purge")).header(CSRF, &csrf).send();
    let (a, b) = tokio::join!(run(), run());
    let total = a.unwrap().json::<Value>().await.unwrap()["purged"].as_i64().unwrap()
        + b.unwrap().json::<Value>().await.unwrap()["purged"].as_i64().unwrap();
    assert_eq!(total, 1);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM report_facts").await, 1);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM reports").await, 0);
    // The background task's purge finds nothing more.
    let n = trygg_server::store::purge::retention(&app.db, &app.keys, &app.clock).await.unwrap();
    assert_eq!(n, 0);
}

async fn only_an_administrator_sees_or_runs_retention(app: &TestApp) {
    let (coord, csrf) = coordinator(app).await;
    for res in [
        coord.get(app.url("/api/admin/retention")).send().await.unwrap(),
        coord.get(app.url("/api/admin/retention/preview")).send().await.unwrap(),
        coord.post(app.url("/api/admin/retention/purge")).header(CSRF, &csrf).send().await.unwrap(),
    ] {
        assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    }
}

//! Statistics: exact numbers for a small hand-made set (weeks across a year's end, summer time in
//! Europe/Stockholm), purged reports still counted, who may read what (the analyst gets
//! statistics and 403 on every report), every request in the access log, the CSV exports
//! (BOM, `;`, formulas neutralised, no free text), and an aggregated export whose suppressed
//! cells cannot be worked out from what it publishes.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use trygg_server::stats::suppress::{Mark, bounds, equations};
use trygg_server::store::Db;
use uuid::Uuid;

crate::on_both_backends!(
    the_numbers_of_a_hand_made_set_are_exact_across_a_year_end_and_summer_time,
    purged_reports_still_count,
    an_analyst_reads_statistics_and_is_refused_every_report,
    every_statistics_request_is_in_the_access_log_without_content,
    the_csv_exports_open_in_excel_neutralise_formulas_and_carry_no_free_text,
    no_suppressed_cell_of_the_aggregated_export_can_be_worked_out,
);

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// Runs `sql` with `$1` bound to `id`.
async fn exec(app: &TestApp, sql: &str, id: Uuid) {
    match &app.db {
        Db::Sqlite(p) => assert_eq!(sqlx::query(sql).bind(id).execute(p).await.unwrap().rows_affected(), 1),
        Db::Postgres(p) => assert_eq!(sqlx::query(sql).bind(id).execute(p).await.unwrap().rows_affected(), 1),
    }
}

/// Files a report, then sets its columns (`set`, SQL) directly: the data set's reports.
async fn report(app: &TestApp, set: &str) -> Uuid {
    let body: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let id = Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    exec(app, &format!("UPDATE reports SET {set} WHERE id = $1"), id).await;
    id
}

async fn answer(app: &TestApp, id: Uuid, at: &str) {
    let sql = format!(
        "INSERT INTO report_events (report_id, at, actor, kind, body) VALUES ($1, {}, 'coordinator', 'message', 'Svar')",
        ms(at)
    );
    exec(app, &sql, id).await;
}

/// The set: R1 violence, critical, urgent, answered after 30 min, closed after 2 days with a
/// reason (2026-W53); R2 Sunday 3 Jan 2027 23:30 in Stockholm, open, unanswered (2026-W53); R3
/// Monday 00:30 (2027-W01), answered after 2 h; a purged report's facts (2027-W01, answered after
/// 1 h, closed after a day); R4 Monday 30 March 2026 00:30 summer time (W14); R5 Sunday
/// 25 October 2026 23:30 winter time (W43).
async fn data_set(app: &TestApp) -> Uuid {
    let r1 = report(
        app,
        &format!(
            "received_at = {}, kind = 'violence', severity = 'critical', urgent = TRUE, status = 'closed',
             closed_reason = 'Åtgärdat', updated_at = {}",
            ms("2026-12-31T10:00:00Z"),
            ms("2027-01-02T10:00:00Z")
        ),
    )
    .await;
    answer(app, r1, "2026-12-31T10:30:00Z").await;
    report(app, &format!("received_at = {}, urgent = FALSE", ms("2027-01-03T22:30:00Z"))).await;
    let r3 = report(app, &format!("received_at = {}, urgent = FALSE", ms("2027-01-03T23:30:00Z"))).await;
    answer(app, r3, "2027-01-04T01:30:00Z").await;
    app.sql(&format!(
        "INSERT INTO report_facts (week, kind, channel, role, phase, severity, unit, urgency, received_at,
            first_answer_at, closed_at)
         VALUES ('2027-W01', 'harassment', 'phone', 'elected_official', NULL, 'low', NULL, 'routine', {}, {}, {})",
        ms("2027-01-05T12:00:00Z"),
        ms("2027-01-05T13:00:00Z"),
        ms("2027-01-06T12:00:00Z")
    ))
    .await
    .unwrap();
    report(app, &format!("received_at = {}, urgent = FALSE", ms("2026-03-29T22:30:00Z"))).await;
    report(app, &format!("received_at = {}, urgent = FALSE", ms("2026-10-25T22:30:00Z"))).await;
    // The server's clock: late January 2027, every target long past.
    let ahead = ms("2027-01-26T00:00:00Z") - app.clock.now_ms();
    app.clock.advance(Duration::from_millis(ahead.max(0) as u64));
    r1
}

async fn signed_in(app: &TestApp) -> Client {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    app.client.clone()
}

async fn get_json(app: &TestApp, client: &Client, path: &str) -> Value {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.unwrap()
}

const YEAR_END: &str = "/api/stats?period=week&from=2026-12-28&to=2027-01-10";

async fn the_numbers_of_a_hand_made_set_are_exact_across_a_year_end_and_summer_time(app: &TestApp) {
    let client = signed_in(app).await;
    data_set(app).await;
    let s = get_json(app, &client, YEAR_END).await;
    assert_eq!(s["buckets"], json!(["2026-W53", "2027-W01"]));
    assert_eq!(s["counts"], json!([2, 2]), "Sunday 23:30 belongs to W53, Monday 00:30 to W01");
    assert_eq!((s["total"].clone(), s["purged"].clone()), (json!(4), json!(1)));
    assert_eq!(s["backlog"], json!([1, 2]));
    assert_eq!(s["serious"], json!([1, 0]));
    let all = &s["times"][0];
    assert_eq!(all["group"], "all");
    assert_eq!((all["answered"].clone(), all["answer_median_minutes"].clone()), (json!(3), json!(60)));
    assert_eq!(all["answer_p90_minutes"], 120);
    assert_eq!((all["target_due"].clone(), all["within_target"].clone()), (json!(4), json!(3)));
    assert_eq!((all["closed"].clone(), all["close_median_minutes"].clone()), (json!(2), json!(1440)));
    assert_eq!(all["close_p90_minutes"], 2880);
    let urgent = &s["times"][1];
    assert_eq!(
        (urgent["group"].clone(), urgent["reports"].clone(), urgent["within_target"].clone()),
        (json!("urgent"), json!(1), json!(1))
    );
    assert_eq!(s["feedback"], json!({"closed": 1, "with_feedback": 1, "unknown": 1}));
    let kinds = &s["by"][0];
    assert_eq!(kinds["dimension"], "kind");
    assert_eq!(kinds["rows"][0], json!({"value": "threat", "counts": [1, 1], "total": 2}));
    let by_month = get_json(app, &client, "/api/stats?period=month&from=2026-12-01&to=2027-01-31").await;
    assert_eq!(
        (by_month["buckets"].clone(), by_month["counts"].clone()),
        (json!(["2026-12", "2027-01"]), json!([1, 3]))
    );
    let spring = get_json(app, &client, "/api/stats?from=2026-03-23&to=2026-04-05").await;
    assert_eq!((spring["buckets"].clone(), spring["counts"].clone()), (json!(["2026-W13", "2026-W14"]), json!([0, 1])));
    let autumn = get_json(app, &client, "/api/stats?from=2026-10-19&to=2026-11-01").await;
    assert_eq!((autumn["buckets"].clone(), autumn["counts"].clone()), (json!(["2026-W43", "2026-W44"]), json!([1, 0])));
    let violence = get_json(app, &client, &format!("{YEAR_END}&kind=violence")).await;
    assert_eq!(violence["counts"], json!([1, 0]));
    let open = get_json(app, &client, &format!("{YEAR_END}&status=new")).await;
    assert_eq!(
        (open["counts"].clone(), open["purged"].clone()),
        (json!([1, 1]), json!(0)),
        "purged reports are closed"
    );
    for bad in [
        "period=day",
        "period=",
        "to=",
        "kind=",
        "kind=fire",
        "from=2027-01-10&to=2027-01-01",
        "from=27-01-01",
        "from=1900-01-01",
    ] {
        assert_error(
            client.get(app.url(&format!("/api/stats?{bad}"))).send().await.unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid_query",
        )
        .await;
    }
}

async fn purged_reports_still_count(app: &TestApp) {
    let client = signed_in(app).await;
    data_set(app).await;
    let before = get_json(app, &client, YEAR_END).await;
    let purged = app.db.purge_closed(&app.keys, None, i64::MAX / 2).await.unwrap();
    assert_eq!(purged, 1, "R1, the one closed report");
    let after = get_json(app, &client, YEAR_END).await;
    for key in ["buckets", "counts", "total", "backlog", "times", "serious", "by", "feedback"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(after["purged"], 2);
    assert_eq!(
        after["feedback"],
        json!({"closed": 1, "with_feedback": 1, "unknown": 1}),
        "R1's facts keep its closing reason; only the facts purged without the flag are unknown"
    );
}

async fn an_analyst_reads_statistics_and_is_refused_every_report(app: &TestApp) {
    let client = signed_in(app).await;
    let id = data_set(app).await;
    for (email, roles) in [("analys@region.se", "analyst"), ("ambulans@region.se", "responder")] {
        trygg_server::cli::create_user(&app.db, &app.keys, email, "Namn", roles, PASSWORD).await.unwrap();
    }
    let analyst = app.new_client();
    assert_eq!(app.login_as(&analyst, "analys@region.se").await.status(), StatusCode::OK);
    for path in [YEAR_END, "/api/stats/csv?from=2026-12-28", "/api/stats/aggregate?period=2027-01"] {
        assert_eq!(analyst.get(app.url(path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
    for path in [
        "/api/reports".to_owned(),
        "/api/reports/counts".to_owned(),
        format!("/api/reports/{id}"),
        "/api/stats/rows".to_owned(),
        "/api/waiting".to_owned(),
    ] {
        assert_error(analyst.get(app.url(&path)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    }
    let responder = app.new_client();
    assert_eq!(app.login_as(&responder, "ambulans@region.se").await.status(), StatusCode::OK);
    assert_error(responder.get(app.url(YEAR_END)).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    assert_error(
        app.new_client().get(app.url(YEAR_END)).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_eq!(
        client.get(app.url("/api/stats/rows")).send().await.unwrap().status(),
        StatusCode::OK,
        "a coordinator may"
    );
}

async fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>, Option<Uuid>)> {
    let sql = "SELECT action, reason, report_id FROM audit_log WHERE action LIKE 'stats.%' ORDER BY seq";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    }
}

async fn every_statistics_request_is_in_the_access_log_without_content(app: &TestApp) {
    let client = signed_in(app).await;
    data_set(app).await;
    for path in [
        format!("{YEAR_END}&kind=violence"),
        "/api/stats/csv".to_owned(),
        "/api/stats/rows?role=healthcare".to_owned(),
        "/api/stats/aggregate?period=2027-Q1&format=csv".to_owned(),
    ] {
        assert_eq!(client.get(app.url(&path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
    let log = audit_actions(app).await;
    let actions: Vec<&str> = log.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(actions, ["stats.read", "stats.export", "stats.export_rows", "stats.aggregate"]);
    assert!(log[0].1.as_deref().unwrap().contains("\"kind\":\"violence\""), "the filters, {:?}", log[0].1);
    assert!(log.iter().all(|(_, _, report)| report.is_none()));
    let text = format!("{log:?}");
    assert!(!text.contains("anhörig") && !text.contains("Akutmottagningen") && !text.contains("Åtgärdat"), "{text}");
}

async fn the_csv_exports_open_in_excel_neutralise_formulas_and_carry_no_free_text(app: &TestApp) {
    let client = signed_in(app).await;
    let id = data_set(app).await;
    exec(app, "UPDATE reports SET unit = '=HYPERLINK(\"http://x\";\"y\")' WHERE id = $1", id).await;
    let res = client.get(app.url("/api/stats/csv?from=2026-12-28&to=2027-01-10")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}table;value;2026-W53;2027-W01;total\r\n"), "{csv}");
    assert!(csv.contains("\r\nreports;all;2;2;4\r\n"), "{csv}");
    assert!(csv.contains("\r\nunit;\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\";1;0;1\r\n"), "{csv}");
    let rows = client.get(app.url("/api/stats/rows?from=2026-12-28&to=2027-01-10")).send().await.unwrap();
    let rows = rows.text().await.unwrap();
    let lines: Vec<&str> = rows.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 4, "a header and the three live reports, not the purged one: {rows}");
    assert_eq!(lines[1], "2026-12-31;2026-W53;violence;in_person;healthcare;after;critical;urgent;closed;30;2880");
    for secret in ["anhörig", "Akutmottagningen", "HYPERLINK", "Åtgärdat", &id.to_string()] {
        assert!(!rows.contains(secret), "{secret} in {rows}");
    }
}

/// Inserts `n` purged facts of (kind, role) received on 10 February 2026.
async fn facts(app: &TestApp, kind: &str, role: &str, n: usize) {
    for _ in 0..n {
        app.sql(&format!(
            "INSERT INTO report_facts (week, kind, channel, role, phase, severity, unit, urgency, received_at)
             VALUES ('2026-W07', '{kind}', 'phone', '{role}', 'after', 'medium', NULL, 'routine', {})",
            ms("2026-02-10T09:00:00Z")
        ))
        .await
        .unwrap();
    }
}

async fn no_suppressed_cell_of_the_aggregated_export_can_be_worked_out(app: &TestApp) {
    let client = signed_in(app).await;
    let true_counts =
        [("threat", [12, 3]), ("harassment", [7, 9]), ("violence", [2, 0]), ("vandalism", [6, 5]), ("other", [0, 0])];
    for (kind, [hc, eo]) in true_counts {
        facts(app, kind, "healthcare", hc).await;
        facts(app, kind, "elected_official", eo).await;
    }
    let a = get_json(app, &client, "/api/stats/aggregate?period=2026-Q1").await;
    assert_eq!((a["period"].clone(), a["total"].clone()), (json!("2026-Q1"), json!("44")));
    assert_eq!(a["answer_median_minutes"], Value::Null, "no answers: no time");
    let kind = a["tables"].as_array().unwrap().iter().find(|t| t["dimension"] == "kind").unwrap();
    assert_eq!(kind["columns"], json!(["healthcare", "elected_official"]));
    // What a reader has: the published figures, flattened as cells, row totals, column totals, total.
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    let mut published: Vec<String> = Vec::new();
    for row in kind["rows"].as_array().unwrap() {
        published.extend(row["cells"].as_array().unwrap().iter().map(text));
    }
    published.extend(kind["rows"].as_array().unwrap().iter().map(|r| text(&r["total"])));
    published.extend(kind["column_totals"].as_array().unwrap().iter().map(text));
    published.push(text(&a["total"]));
    let truth: Vec<i64> = {
        let cells: Vec<i64> = true_counts.iter().flat_map(|(_, c)| c.iter().map(|n| *n as i64)).collect();
        let mut t = cells.clone();
        t.extend(true_counts.iter().map(|(_, c)| (c[0] + c[1]) as i64));
        t.extend([0, 1].map(|j| true_counts.iter().map(|(_, c)| c[j] as i64).sum::<i64>()));
        t.push(44);
        t
    };
    let marks: Vec<Mark> = published
        .iter()
        .map(|p| match p.as_str() {
            "<5" => Mark::Small,
            "x" => Mark::Hidden,
            _ => Mark::Shown,
        })
        .collect();
    for ((p, m), t) in published.iter().zip(&marks).zip(&truth) {
        match m {
            Mark::Shown => assert_eq!(p.parse::<i64>().unwrap(), *t, "a shown figure is true"),
            Mark::Small => assert!((1..=4).contains(t), "only 1–4 is <5"),
            Mark::Hidden => {}
        }
        assert!(*m != Mark::Shown || !(1..=4).contains(t), "1–4 is never shown: {published:?}");
    }
    assert!(marks.contains(&Mark::Small) && marks.contains(&Mark::Hidden), "{published:?}");
    let values: Vec<Option<i64>> = published.iter().map(|p| p.parse().ok()).collect();
    let b = bounds(&values, &marks, &equations(5, 2));
    for (i, m) in marks.iter().enumerate() {
        if *m != Mark::Shown {
            assert!(b[i].0 < b[i].1, "figure {i} (truly {}) worked out as {:?} from {published:?}", truth[i], b[i]);
        }
    }
    let csv = client.get(app.url("/api/stats/aggregate?period=2026-Q1&format=csv")).send().await.unwrap();
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}period;dimension;value;healthcare;elected_official;total\r\n"), "{csv}");
    assert!(csv.contains("\r\n2026-Q1;kind;violence;<5;0;<5\r\n"), "{csv}");
    for bad in ["2026-01-01", "2026-W05", "2026-Q0", "", "2026&format=xml"] {
        let res = client.get(app.url(&format!("/api/stats/aggregate?period={bad}"))).send().await.unwrap();
        assert_error(res, StatusCode::BAD_REQUEST, "invalid_query").await;
    }
}

//! The statistics' own columns (migration 0019) and grouped queries: `first_answer_at` is the
//! first coordinator *message* (not a note, not the reporter's), `closed_at` the last closing
//! (reopening clears it, closing again moves it), whether the reporter got a closing reason,
//! which the purge keeps in `report_facts`; and the grouped queries the
//! statistics page runs count exactly what the row-level facts hold, live and purged.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use trygg_server::stats::tally::{Segments, Tallies};
use trygg_server::stats::{Period, local_day, periods};
use trygg_server::store::Db;
use trygg_server::store::stats::StatsFilter;
use uuid::Uuid;

crate::on_both_backends!(
    the_first_answer_is_the_first_coordinator_message_and_the_closing_the_last,
    purged_reports_keep_whether_the_reporter_got_a_closing_reason,
    the_grouped_queries_count_exactly_what_the_facts_hold,
);

type Columns = (Option<i64>, Option<i64>, Option<i64>);

async fn columns(app: &TestApp, id: &str) -> Columns {
    let sql = "SELECT first_answer_at, closed_at, CAST(CASE WHEN status <> 'closed' THEN NULL
        WHEN closed_reason IS NOT NULL AND closed_reason <> '' THEN 1 ELSE 0 END AS BIGINT) FROM reports WHERE id = $1";
    let id = Uuid::parse_str(id).unwrap();
    match &app.db {
        Db::Sqlite(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
    }
}

/// The instants of the report's events of `kind` by `actor`, in order.
async fn event_times(app: &TestApp, id: &str, kind: &str, actor: &str) -> Vec<i64> {
    let sql = "SELECT at FROM report_events WHERE report_id = $1 AND kind = $2 AND actor = $3 ORDER BY seq";
    let id = Uuid::parse_str(id).unwrap();
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).bind(kind).bind(actor).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).bind(kind).bind(actor).fetch_all(p).await.unwrap(),
    }
}

/// Files a report and signs in a coordinator: (id, receipt code).
async fn filed(app: &TestApp) -> (String, String) {
    let body: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    (body["id"].as_str().unwrap().to_owned(), body["receipt_code"].as_str().unwrap().to_owned())
}

async fn post(app: &TestApp, path: &str, body: Value) {
    let res = app.client.post(app.url(path)).header(CSRF, app.csrf()).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{path}");
    // Events a minute apart (the server's clock moved), so that which one counted can be told
    // by its instant.
    app.clock.advance(Duration::from_secs(60));
}

async fn triage(app: &TestApp, id: &str, body: Value) {
    let res = app.client.patch(app.url(&format!("/api/reports/{id}"))).header(CSRF, app.csrf()).json(&body);
    assert_eq!(res.send().await.unwrap().status(), StatusCode::OK);
    app.clock.advance(Duration::from_secs(60));
}

async fn the_first_answer_is_the_first_coordinator_message_and_the_closing_the_last(app: &TestApp) {
    let (id, code) = filed(app).await;
    assert_eq!(columns(app, &id).await, (None, None, None), "a new report: not answered, not closed");
    let reply = json!({"receipt_code": code, "body": "Han kom tillbaka."});
    let res = app.new_client().post(app.url("/api/followup/messages")).json(&reply).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    app.clock.advance(Duration::from_secs(60));
    post(app, &format!("/api/reports/{id}/notes"), json!({"body": "Internt: ring upp"})).await;
    assert_eq!(columns(app, &id).await.0, None, "neither the reporter's message nor a note is an answer");
    post(app, &format!("/api/reports/{id}/messages"), json!({"body": "Vi har tagit emot den."})).await;
    post(app, &format!("/api/reports/{id}/messages"), json!({"body": "Vi ringer i morgon."})).await;
    let answers = event_times(app, &id, "message", "coordinator").await;
    assert_eq!(answers.len(), 2);
    assert!(answers[0] < answers[1]);
    assert_eq!(columns(app, &id).await.0, Some(answers[0]), "the first coordinator message, not the latest");

    triage(app, &id, json!({"status": "closed", "closed_reason": "Åtgärdat"})).await;
    let first_closing = event_times(app, &id, "status", "coordinator").await[0];
    assert_eq!(columns(app, &id).await, (Some(answers[0]), Some(first_closing), Some(1)));
    triage(app, &id, json!({"status": "in_progress"})).await;
    assert_eq!(columns(app, &id).await, (Some(answers[0]), None, None), "reopened: not closed");
    post(app, &format!("/api/reports/{id}/messages"), json!({"body": "Vi tittar igen."})).await;
    triage(app, &id, json!({"status": "closed", "closed_reason": "Polisanmält"})).await;
    let closings = event_times(app, &id, "status", "coordinator").await;
    let last = *closings.last().unwrap();
    assert!(last > first_closing);
    assert_eq!(columns(app, &id).await, (Some(answers[0]), Some(last), Some(1)), "the last closing counts");
    // A later message or severity change does not move the closing.
    post(app, &format!("/api/reports/{id}/messages"), json!({"body": "Hör av dig om det händer igen."})).await;
    triage(app, &id, json!({"severity": "high"})).await;
    assert_eq!(columns(app, &id).await, (Some(answers[0]), Some(last), Some(1)));
    // Closed without a reason the reporter sees (only older data has that): feedback 0.
    let id_bound = Uuid::parse_str(&id).unwrap();
    let clear = "UPDATE reports SET closed_reason = NULL WHERE id = $1";
    match &app.db {
        Db::Sqlite(p) => assert_eq!(sqlx::query(clear).bind(id_bound).execute(p).await.unwrap().rows_affected(), 1),
        Db::Postgres(p) => assert_eq!(sqlx::query(clear).bind(id_bound).execute(p).await.unwrap().rows_affected(), 1),
    }
    assert_eq!(columns(app, &id).await, (Some(answers[0]), Some(last), Some(0)));
}

async fn feedback_of_facts(app: &TestApp) -> Vec<Option<i64>> {
    let sql = "SELECT CAST(feedback AS BIGINT) FROM report_facts ORDER BY seq";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
    }
}

async fn purged_reports_keep_whether_the_reporter_got_a_closing_reason(app: &TestApp) {
    let (id, _) = filed(app).await;
    post(app, &format!("/api/reports/{id}/messages"), json!({"body": "Vi har tagit emot den."})).await;
    triage(app, &id, json!({"status": "closed", "closed_reason": "Åtgärdat"})).await;
    let (answered, closed, _) = columns(app, &id).await;
    let before: Value = app.client.get(app.url("/api/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(before["feedback"], json!({"closed": 1, "with_feedback": 1, "unknown": 0}));
    assert_eq!(app.db.purge_closed(&app.keys, None, i64::MAX / 2).await.unwrap(), 1);
    assert_eq!(feedback_of_facts(app).await, [Some(1)]);
    let sql = "SELECT first_answer_at, closed_at FROM report_facts";
    let kept: (Option<i64>, Option<i64>) = match &app.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await.unwrap(),
    };
    assert_eq!(kept, (answered, closed), "the facts keep the report's times");
    let after: Value = app.client.get(app.url("/api/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!((after["purged"].clone(), after["total"].clone()), (json!(1), json!(1)));
    assert_eq!(after["feedback"], before["feedback"], "purged reports' feedback still counts");
    assert_eq!(after["times"], before["times"]);
}

fn ms(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

async fn the_grouped_queries_count_exactly_what_the_facts_hold(app: &TestApp) {
    filed(app).await;
    // Reports around a year's end and summer time, answered and closed at awkward instants
    // (a second past a target, before being received), some purged, some with a unit.
    let base = ms("2026-12-27T22:59:59Z");
    for i in 0..40i64 {
        let received = base + i * 7 * 3_600_000 + i * 61_001;
        let answered = match i % 4 {
            0 => "NULL".to_owned(),
            1 => (received + 3_600_000 + 1000).to_string(),
            2 => (received - 5).to_string(),
            _ => (received + i * 997_000).to_string(),
        };
        let closed = if i % 3 == 0 { "NULL".to_owned() } else { (received + i * 3_600_000).to_string() };
        let kind = ["threat", "violence", "harassment", "vandalism", "other"][i as usize % 5];
        let severity = ["'low'", "'high'", "NULL", "'critical'"][i as usize % 4];
        if i % 5 == 4 {
            let feedback = ["NULL", "0", "1"][i as usize % 3];
            app.sql(&format!(
                "INSERT INTO report_facts (week, kind, channel, role, phase, severity, unit, urgency, received_at,
                    first_answer_at, closed_at, feedback)
                 VALUES ('x', '{kind}', 'phone', 'elected_official', NULL, {severity}, 'Nord', 'urgent', {received},
                    {answered}, {closed}, {feedback})"
            ))
            .await
            .unwrap();
            continue;
        }
        let body: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
        let status = if closed == "NULL" { "in_progress" } else { "closed" };
        let unit = if i % 2 == 0 { "'Syd'" } else { "NULL" };
        let uid = Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
        let set = format!(
            "UPDATE reports SET received_at = {received}, kind = '{kind}', severity = {severity}, unit = {unit},
                urgent = {}, updated_at = COALESCE({closed}, updated_at), first_answer_at = {answered} WHERE id = $1",
            if i % 2 == 0 { "TRUE" } else { "FALSE" },
        );
        let close = format!(
            "UPDATE reports SET status = '{status}', closed_reason = {} WHERE id = $1",
            if i % 7 == 0 { "NULL" } else { "'Klart'" }
        );
        for sql in [set, close] {
            match &app.db {
                Db::Sqlite(p) => assert_eq!(sqlx::query(&sql).bind(uid).execute(p).await.unwrap().rows_affected(), 1),
                Db::Postgres(p) => assert_eq!(sqlx::query(&sql).bind(uid).execute(p).await.unwrap().rows_affected(), 1),
            }
        }
    }
    let now = ms("2027-02-20T10:00:00Z");
    let ahead = now - app.clock.now_ms();
    app.clock.advance(Duration::from_millis(ahead.max(0) as u64));
    // Read from the reports alone (nothing rolled up yet), from the rollup, from both while a
    // piece is dirty, and again once it is rebuilt: the same numbers each time.
    grouped_equals_facts(app, base, now, Some(40)).await;
    let built = app.db.stats_rollup(now, Duration::from_secs(60)).await.unwrap();
    assert!(built >= 3, "the pieces from the first report to the day before yesterday: {built}");
    let whole = (ms("2026-12-01T00:00:00Z"), ms("2027-02-01T00:00:00Z"));
    let ready = app.db.stats_ready_pieces(whole.0, whole.1).await.unwrap();
    assert!(ready.len() >= 3, "{ready:?}");
    grouped_equals_facts(app, base, now, Some(40)).await;
    let touched = base + 7 * 3_600_000 + 61_001;
    app.sql(&format!("UPDATE reports SET kind = 'other', severity = 'high' WHERE received_at = {touched}"))
        .await
        .unwrap();
    let dirty = app.db.stats_ready_pieces(whole.0, whole.1).await.unwrap();
    assert_eq!(dirty.len(), ready.len() - 1, "the changed report's piece is read from the reports");
    grouped_equals_facts(app, base, now, Some(40)).await;
    assert!(app.db.purge_closed(&app.keys, None, ms("2027-01-01T00:00:00Z")).await.unwrap() > 0);
    grouped_equals_facts(app, base, now, Some(40)).await;
    assert!(app.db.stats_rollup(now, Duration::from_secs(60)).await.unwrap() >= 1);
    assert_eq!(app.db.stats_ready_pieces(whole.0, whole.1).await.unwrap(), ready, "rebuilt, none dirty");
    grouped_equals_facts(app, base, now, Some(40)).await;
    // Earlier, while the reports were coming in: the piece holding the settled instant is built
    // up to it, and closings after it are kept to the millisecond (a segment bound cuts the day).
    let early = base + 3 * 86_400_000 + 3_600_000;
    assert!(app.db.stats_rollup(early, Duration::from_secs(60)).await.unwrap() >= 1);
    let settled = trygg_server::stats::rollup::settled_before(early);
    let pieces = app.db.stats_ready_pieces(whole.0, settled).await.unwrap();
    assert_eq!(pieces.last().map(|p| p.1), Some(settled), "{pieces:?}");
    grouped_equals_facts(app, base, early, None).await;
    grouped_equals_facts(app, base, now, Some(40)).await;
}

/// The grouped statistics at `now` of the reports from `base` on equal those of their facts.
async fn grouped_equals_facts(app: &TestApp, base: i64, now: i64, total: Option<i64>) {
    for period in [Period::Week, Period::Month] {
        let first = local_day(base - 86_400_000);
        let (labels, starts) = periods(period, first, now + 1);
        let segments = Segments::new(&starts, now);
        for filter in [
            StatsFilter { from_ms: Some(starts[0]), to_ms: Some(now + 1), ..Default::default() },
            StatsFilter {
                kind: Some("violence"),
                from_ms: Some(starts[0]),
                to_ms: Some(now + 1),
                ..Default::default()
            },
            StatsFilter {
                status: Some("closed"),
                from_ms: Some(starts[0]),
                to_ms: Some(now + 1),
                ..Default::default()
            },
            // A range that begins and ends inside pieces.
            StatsFilter { from_ms: Some(base + 86_400_000), to_ms: Some(base + 9 * 86_400_000), ..Default::default() },
        ] {
            let grouped = app.db.stats_tallies(&filter, &segments, now).await.unwrap();
            let facts = app.db.stats_facts(&filter, false).await.unwrap();
            assert_eq!(grouped, Tallies::of_facts(&facts, &segments), "{filter:?}");
            let a = trygg_server::stats::compute(&grouped, &segments, period, labels.clone(), &starts, now);
            let b = trygg_server::stats::compute_facts(&facts, period, labels.clone(), &starts, now);
            assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap());
            if let Some(total) = total.filter(|_| filter.kind.is_none() && filter.status.is_none())
                && filter.from_ms == Some(starts[0])
            {
                assert_eq!(a.total, total, "the report filed first was received before the range");
            }
        }
    }
}

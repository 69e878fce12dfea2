//! The reminder rule over real reports: levels by urgency and kind, the night for routine
//! reports (across both summer-time changes), and none after a first answer or closing.
//! Instants are explicit (`due_reminders(now)`), in 2027 so that they follow every real write.

use crate::helpers::*;
use crate::roster::utc;
use reqwest::StatusCode;
use serde_json::{Value, json};
use trygg_server::store::Db;
use trygg_server::store::reminders::DueReminder;
use uuid::Uuid;

crate::on_both_backends!(
    unanswered_reports_are_reminded_per_level_by_urgency_and_idle_ones_after_a_week,
    routine_reminders_wait_for_the_morning_across_summer_time_but_urgent_ones_do_not,
    a_first_answer_ends_the_unanswered_reminders_and_closing_ends_all,
    each_reports_urgency_is_kept_at_intake_by_the_domains_rule,
);

const HOUR: i64 = 3_600_000;

/// Files a report (`urgent`: a violence report, the domain's rule) that arrived at `at`.
async fn report(app: &TestApp, urgent: bool, at: i64) -> Uuid {
    let mut r = valid_report();
    if urgent {
        r["kind"] = json!("violence");
    }
    let body: Value = app.submit(&new_key(), &r).await.json().await.unwrap();
    let id = Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    let sql = "UPDATE reports SET received_at = $1 WHERE id = $2";
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql).bind(at).bind(id).execute(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query(sql).bind(at).bind(id).execute(p).await.map(|_| Default::default()).unwrap(),
    };
    id
}

fn due(report_id: Uuid, kind: &'static str, level: i32) -> DueReminder {
    DueReminder { report_id, kind, level }
}

async fn unanswered_reports_are_reminded_per_level_by_urgency_and_idle_ones_after_a_week(app: &TestApp) {
    // Wednesday 2027-01-13 09:00 CET.
    let t0 = utc("2027-01-13T08:00:00Z");
    let urgent = report(app, true, t0).await;
    let routine = report(app, false, t0).await;
    let at = |h: i64| t0 + h * HOUR;
    assert_eq!(app.db.due_reminders(at(0) + 59 * 60_000).await.unwrap(), vec![]);
    assert_eq!(app.db.due_reminders(at(1)).await.unwrap(), vec![due(urgent, "unanswered", 1)]);
    assert_eq!(
        app.db.due_reminders(at(4)).await.unwrap(),
        vec![due(urgent, "unanswered", 2)],
        "only the highest level"
    );
    assert_eq!(
        app.db.due_reminders(at(24)).await.unwrap(),
        vec![due(urgent, "unanswered", 2), due(routine, "unanswered", 1)]
    );
    assert_eq!(
        app.db.due_reminders(at(72)).await.unwrap(),
        vec![due(urgent, "unanswered", 2), due(routine, "unanswered", 2)]
    );
    // A week without any activity: idle too; two weeks: its second level.
    assert_eq!(
        app.db.due_reminders(at(7 * 24)).await.unwrap(),
        vec![
            due(urgent, "unanswered", 2),
            due(routine, "unanswered", 2),
            due(urgent, "idle", 1),
            due(routine, "idle", 1)
        ]
    );
    let two_weeks = app.db.due_reminders(at(14 * 24)).await.unwrap();
    assert!(two_weeks.contains(&due(routine, "idle", 2)) && two_weeks.len() == 4, "{two_weeks:?}");
}

async fn routine_reminders_wait_for_the_morning_across_summer_time_but_urgent_ones_do_not(app: &TestApp) {
    // The spring change, Sun 2027-03-28: a routine report from Sat 03:00 CET is a day old at
    // Sun 04:00 CEST (02:00 UTC), which is night: it falls due at 07:00 CEST (05:00 UTC).
    let routine = report(app, false, utc("2027-03-27T02:00:00Z")).await;
    // An urgent report at 01:30 CET that night is reminded at 03:30 CEST, night or not.
    let urgent = report(app, true, utc("2027-03-28T00:30:00Z")).await;
    assert_eq!(app.db.due_reminders(utc("2027-03-28T01:30:00Z")).await.unwrap(), vec![due(urgent, "unanswered", 1)]);
    assert_eq!(app.db.due_reminders(utc("2027-03-28T02:00:00Z")).await.unwrap(), vec![due(urgent, "unanswered", 1)]);
    assert_eq!(app.db.due_reminders(utc("2027-03-28T04:59:00Z")).await.unwrap(), vec![due(urgent, "unanswered", 2)]);
    assert_eq!(
        app.db.due_reminders(utc("2027-03-28T05:00:00Z")).await.unwrap(),
        vec![due(routine, "unanswered", 1), due(urgent, "unanswered", 2)],
        "07:00 CEST"
    );

    // The autumn change, Sun 2027-10-31: a routine report from Sat 22:30 CEST (20:30 UTC) is a
    // day old at Sun 21:30 CET (20:30 UTC), still evening: due. One from Sat 23:30 CEST is a day
    // old at Sun 22:30 CET, night: it waits for Mon 07:00 CET (06:00 UTC).
    let evening = report(app, false, utc("2027-10-30T20:30:00Z")).await;
    let late = report(app, false, utc("2027-10-30T21:30:00Z")).await;
    let ours = |all: Vec<DueReminder>| -> Vec<DueReminder> {
        all.into_iter().filter(|d| d.report_id == evening || d.report_id == late).collect()
    };
    assert_eq!(
        ours(app.db.due_reminders(utc("2027-10-31T20:30:00Z")).await.unwrap()),
        vec![due(evening, "unanswered", 1)]
    );
    assert_eq!(ours(app.db.due_reminders(utc("2027-10-31T21:30:00Z")).await.unwrap()), vec![], "22:30 CET: night");
    assert_eq!(ours(app.db.due_reminders(utc("2027-11-01T05:59:00Z")).await.unwrap()), vec![], "06:59 CET");
    assert_eq!(
        ours(app.db.due_reminders(utc("2027-11-01T06:00:00Z")).await.unwrap()),
        vec![due(evening, "unanswered", 1), due(late, "unanswered", 1)],
        "Mon 07:00 CET"
    );
}

async fn a_first_answer_ends_the_unanswered_reminders_and_closing_ends_all(app: &TestApp) {
    let t0 = utc("2027-01-13T08:00:00Z");
    let answered = report(app, true, t0).await;
    let closed = report(app, false, t0).await;
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let later = t0 + 8 * 24 * HOUR;
    assert_eq!(app.db.due_reminders(later).await.unwrap().len(), 4, "both kinds for both");
    let res = app
        .client
        .post(app.url(&format!("/api/reports/{answered}/messages")))
        .header(CSRF, app.csrf())
        .json(&json!({"body": "Vi har tagit emot din rapport."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let res = app
        .client
        .patch(app.url(&format!("/api/reports/{closed}")))
        .header(CSRF, app.csrf())
        .json(&json!({"status": "closed", "closed_reason": "Dubblett"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The answered report is idle again only a week after its answer (written at the real
    // clock's now, before these 2027 instants): here it still counts from its arrival.
    assert_eq!(app.db.due_reminders(later).await.unwrap(), vec![due(answered, "idle", 1)]);
    assert_eq!(app.db.due_reminders(t0 + 5 * HOUR).await.unwrap(), vec![], "no unanswered reminder after the answer");
}

async fn each_reports_urgency_is_kept_at_intake_by_the_domains_rule(app: &TestApp) {
    let cases = [
        ("routine", json!({}), false),
        ("violence", json!({"kind": "violence"}), true),
        ("injury", json!({"injury": true}), true),
        ("ongoing", json!({"phase": "during"}), true),
        (
            "call me",
            json!({"identity": "named", "reporter_name": "Anna Berg", "reporter_phone": "070-123 45 67", "help_call_me": true}),
            true,
        ),
    ];
    for (what, change, urgent) in cases {
        let mut r = valid_report();
        for (k, v) in change.as_object().unwrap() {
            r[k] = v.clone();
        }
        let res = app.submit(&new_key(), &r).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{what}");
        let id = Uuid::parse_str(res.json::<Value>().await.unwrap()["id"].as_str().unwrap()).unwrap();
        let sql = "SELECT urgent FROM reports WHERE id = $1";
        let stored: bool = match &app.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap(),
        };
        assert_eq!(stored, urgent, "{what}");
    }
}

//! After an incident (issue 18 items 2–4): support tasks with owners, due dates, an overdue list
//! and reminders once per level; the agreed next step in the reporter's follow-up (never the
//! note); the work-environment rule and its reminder; the K-number; and the police summary
//! (the reporter's words verbatim, the address kept out when asked, every summary audited).

use crate::flags::{Browser, World, world};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use trygg_server::jobs::after::due_jobs;
use trygg_server::jobs::handlers::kinds;
use trygg_server::store::Db;
use uuid::Uuid;

crate::on_both_backends!(
    a_coordinator_adds_a_task_and_marks_it_done_each_change_audited_and_a_stale_change_gets_the_newer_task,
    a_bad_task_is_refused_field_by_field_and_the_owner_must_be_a_coordinator,
    the_reporter_sees_the_agreed_next_step_but_never_the_internal_note,
    an_open_task_is_on_the_overdue_list_once_its_due_date_has_ended,
    a_task_reminder_is_enqueued_once_per_level_and_none_once_it_is_done,
    the_work_environment_rule_shows_on_the_report_and_marking_it_sent_is_audited,
    a_work_environment_reminder_fires_once_per_level_until_the_notice_is_sent,
    a_k_number_is_checked_loosely_with_a_field_error_and_recorded_with_an_audit_entry,
    the_police_summary_carries_the_reporters_words_verbatim_and_every_summary_is_an_audited_read,
    the_address_is_kept_out_of_the_summary_when_the_reporter_asks,
    strangers_get_no_tasks_nor_summaries,
);

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

impl Browser {
    async fn patch(&self, app: &TestApp, path: &str, body: Value) -> reqwest::Response {
        self.client.patch(app.url(path)).header(CSRF, &self.csrf).json(&body).send().await.unwrap()
    }
}

async fn id_of(app: &TestApp, email: &str) -> String {
    app.db.user_by_email(email).await.unwrap().unwrap().id.to_string()
}

fn today(app: &TestApp) -> String {
    trygg_server::region_time::local(app.clock.now_ms()).date().to_string()
}

fn in_days(app: &TestApp, days: i64) -> String {
    trygg_server::region_time::local(app.clock.now_ms() + days * DAY).date().to_string()
}

async fn add_task(app: &TestApp, w: &World, body: Value) -> Value {
    let res = w.sara.post(app, &format!("/api/reports/{}/tasks", w.report), body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

async fn task_body(app: &TestApp, due_on: &str) -> Value {
    json!({
        "kind": "call_back",
        "due_on": due_on,
        "owner_id": id_of(app, EMAIL).await,
        "note": "Internt: ringer efter skiftet, chefen informerad.",
        "next_step": "Vi ringer dig på fredag.",
    })
}

/// The audit actions on a report, oldest first.
async fn actions(app: &TestApp, report: &str) -> Vec<String> {
    let id = Uuid::parse_str(report).unwrap();
    let sql = "SELECT action FROM audit_log WHERE report_id = $1 ORDER BY seq";
    match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).fetch_all(p).await.unwrap(),
    }
}

async fn set_received_at(app: &TestApp, report: Uuid, at: i64) {
    let sql = "UPDATE reports SET received_at = $1 WHERE id = $2";
    match &app.db {
        Db::Sqlite(p) => sqlx::query(sql).bind(at).bind(report).execute(p).await.map(|_| ()).unwrap(),
        Db::Postgres(p) => sqlx::query(sql).bind(at).bind(report).execute(p).await.map(|_| ()).unwrap(),
    }
}

/// Files `body` and answers its id and receipt code.
async fn file(app: &TestApp, body: &Value) -> (String, String) {
    let res = app.submit(&new_key(), body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let r: Value = res.json().await.unwrap();
    (r["id"].as_str().unwrap().to_owned(), r["receipt_code"].as_str().unwrap().to_owned())
}

async fn a_coordinator_adds_a_task_and_marks_it_done_each_change_audited_and_a_stale_change_gets_the_newer_task(
    app: &TestApp,
) {
    let w = world(app).await;
    let task = add_task(app, &w, task_body(app, &in_days(app, 2)).await).await;
    assert_eq!(task["kind"], "call_back");
    assert_eq!(task["note"], "Internt: ringer efter skiftet, chefen informerad.");
    assert_eq!(task["overdue"], false);
    let path = format!("/api/tasks/{}", task["id"].as_str().unwrap());
    let done = w.bo.patch(app, &path, json!({"version": task["version"], "done": true})).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done: Value = done.json().await.unwrap();
    assert!(done["done_at"].is_string());
    // Sara still holds version 1: her change is refused with the newer task.
    let stale = w.sara.patch(app, &path, json!({"version": task["version"], "due_on": in_days(app, 5)})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_conflict");
    assert!(body["current"]["done_at"].is_string(), "{body}");
    let reopened = w.sara.patch(app, &path, json!({"version": done["version"], "done": false})).await;
    assert_eq!(reopened.status(), StatusCode::OK);
    let list: Vec<Value> = w.sara.get(app, &format!("/api/reports/{}/tasks", w.report)).await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0]["done_at"].is_null());
    let a = actions(app, &w.report).await;
    for expected in ["task.add", "task.done", "task.reopen", "task.read"] {
        assert!(a.iter().any(|x| x == expected), "{expected} in {a:?}");
    }
    // The audit detail never holds the note.
    let details: Vec<Option<String>> = match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT reason FROM audit_log").fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT reason FROM audit_log").fetch_all(p).await.unwrap(),
    };
    assert!(details.iter().flatten().all(|d| !d.contains("Internt")));
}

async fn a_bad_task_is_refused_field_by_field_and_the_owner_must_be_a_coordinator(app: &TestApp) {
    let w = world(app).await;
    let rut = app.db.user_by_email("rut@ambulans.se").await.unwrap().unwrap().id.to_string();
    let body = json!({
        "kind": "court_date", "due_on": in_days(app, -2), "owner_id": rut,
        "note": "x".repeat(2001), "next_step": "ok",
    });
    let res = w.sara.post(app, &format!("/api/reports/{}/tasks", w.report), body).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["due_on.past", "owner_id.not_a_coordinator", "note.too_long"]);
    let bad_date = json!({"kind": "other", "due_on": "2026-02-30", "owner_id": id_of(app, EMAIL).await});
    let res = w.sara.post(app, &format!("/api/reports/{}/tasks", w.report), bad_date).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "due_on.invalid");
    let unknown = json!({"kind": "lunch", "due_on": today(app), "owner_id": id_of(app, EMAIL).await});
    let res = w.sara.post(app, &format!("/api/reports/{}/tasks", w.report), unknown).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let nowhere = format!("/api/reports/{}/tasks", Uuid::new_v4());
    let missing = w.sara.post(app, &nowhere, task_body(app, &today(app)).await).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn the_reporter_sees_the_agreed_next_step_but_never_the_internal_note(app: &TestApp) {
    let w = world(app).await;
    let (report, code) = file(app, &valid_report()).await;
    let body = task_body(app, &in_days(app, 3)).await;
    let res = w.sara.post(app, &format!("/api/reports/{report}/tasks"), body).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let no_step = json!({"kind": "debriefing", "due_on": in_days(app, 4), "owner_id": id_of(app, EMAIL).await,
        "note": "Bara internt."});
    assert_eq!(w.sara.post(app, &format!("/api/reports/{report}/tasks"), no_step).await.status(), StatusCode::CREATED);
    let res = app.client.post(app.url("/api/followup")).json(&json!({"receipt_code": code})).send().await.unwrap();
    let text = res.text().await.unwrap();
    assert!(!text.contains("Internt") && !text.contains("Bara internt"), "{text}");
    let thread: Value = serde_json::from_str(&text).unwrap();
    let steps = thread["next_steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "only tasks with an agreed step");
    assert_eq!(steps[0]["text"], "Vi ringer dig på fredag.");
    assert_eq!(steps[0]["kind"], "call_back");
    assert_eq!(steps[0]["done"], false);
}

async fn an_open_task_is_on_the_overdue_list_once_its_due_date_has_ended(app: &TestApp) {
    let w = world(app).await;
    let task = add_task(app, &w, task_body(app, &today(app)).await).await;
    let overdue = |b: &Browser| {
        let b = b.client.clone();
        async move { b.get(app.url("/api/tasks?overdue=true")).send().await.unwrap().json::<Vec<Value>>().await.unwrap() }
    };
    assert!(overdue(&w.sara).await.is_empty(), "due today: not overdue yet");
    let all: Vec<Value> = w.sara.get(app, "/api/tasks").await.json().await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].get("note").is_none() && all[0].get("next_step").is_none(), "the list holds no content");
    app.clock.advance(Duration::from_secs(2 * 86_400));
    let list = overdue(&w.bo).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], task["id"]);
    assert_eq!(list[0]["overdue"], true);
    let path = format!("/api/tasks/{}", task["id"].as_str().unwrap());
    let done = w.sara.patch(app, &path, json!({"version": task["version"], "done": true})).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(overdue(&w.sara).await.is_empty(), "done: off the list");
}

async fn a_task_reminder_is_enqueued_once_per_level_and_none_once_it_is_done(app: &TestApp) {
    let w = world(app).await;
    let first = add_task(app, &w, task_body(app, &today(app)).await).await;
    let second = add_task(app, &w, task_body(app, &today(app)).await).await;
    let row = app.db.task(Uuid::parse_str(first["id"].as_str().unwrap()).unwrap()).await.unwrap().unwrap();
    // The due date ends at local midnight; 08:00 the next morning is day time.
    let morning = row.due_at + 8 * HOUR;
    let count = || async { app.db.jobs_of_kind(kinds::TASK_REMINDER).await.unwrap().len() };
    due_jobs(&app.db, row.due_at - HOUR).await.unwrap();
    assert_eq!(count().await, 0, "not due yet");
    due_jobs(&app.db, row.due_at + 2 * HOUR).await.unwrap();
    assert_eq!(count().await, 0, "at night the reminder waits for the morning");
    due_jobs(&app.db, morning).await.unwrap();
    due_jobs(&app.db, morning + HOUR).await.unwrap();
    assert_eq!(count().await, 2, "level 1 of each task, once");
    let path = format!("/api/tasks/{}", second["id"].as_str().unwrap());
    let done = w.sara.patch(app, &path, json!({"version": second["version"], "done": true})).await;
    assert_eq!(done.status(), StatusCode::OK);
    due_jobs(&app.db, morning + 3 * DAY).await.unwrap();
    due_jobs(&app.db, morning + 3 * DAY + HOUR).await.unwrap();
    let jobs = app.db.jobs_of_kind(kinds::TASK_REMINDER).await.unwrap();
    let keys: Vec<&str> = jobs.iter().map(|j| j.unique_key.as_str()).collect();
    assert_eq!(jobs.len(), 3, "level 2 of the open task only: {keys:?}");
    assert!(keys.contains(&format!("task_reminder:{}:2", row.id).as_str()), "{keys:?}");
}

async fn the_work_environment_rule_shows_on_the_report_and_marking_it_sent_is_audited(app: &TestApp) {
    let w = world(app).await;
    let after: Value = w.sara.get(app, &format!("/api/reports/{}/after", w.report)).await.json().await.unwrap();
    assert_eq!(after["work_env"]["qualifies"], false, "a threat without injury: {after}");
    let mut violent = valid_report();
    violent["kind"] = json!("violence");
    violent["injury"] = json!(true);
    let (report, _) = file(app, &violent).await;
    let path = format!("/api/reports/{report}/after");
    let after: Value = w.sara.get(app, &path).await.json().await.unwrap();
    assert_eq!(after["work_env"]["qualifies"], true);
    assert_eq!(after["work_env"]["reasons"], json!(["injury", "violence"]));
    assert!(after["work_env"]["due_by"].is_string() && after["work_env"]["sent_at"].is_null());
    let sent = w.sara.patch(app, &path, json!({"version": after["version"], "work_env_sent": true})).await;
    assert_eq!(sent.status(), StatusCode::OK);
    let sent: Value = sent.json().await.unwrap();
    assert!(sent["work_env"]["sent_at"].is_string());
    assert_eq!(sent["work_env"]["sent_by"], "Sara Samordnare");
    assert!(actions(app, &report).await.iter().any(|a| a == "after.update"));
    let mut official = violent.clone();
    official["role"] = json!("elected_official");
    let (report, _) = file(app, &official).await;
    let after: Value = w.sara.get(app, &format!("/api/reports/{report}/after")).await.json().await.unwrap();
    assert_eq!(after["work_env"]["qualifies"], false, "no employer duty for an elected official");
}

async fn a_work_environment_reminder_fires_once_per_level_until_the_notice_is_sent(app: &TestApp) {
    let w = world(app).await;
    let mut violent = valid_report();
    violent["kind"] = json!("violence");
    let t0 = app.clock.now_ms() - 40 * DAY; // far enough back that the real clock's ticks never reach it
    let (a, _) = file(app, &violent).await;
    let (b, _) = file(app, &violent).await;
    let (quiet, _) = file(app, &valid_report()).await;
    for r in [&a, &b, &quiet] {
        set_received_at(app, Uuid::parse_str(r).unwrap(), t0).await;
    }
    let count = |report: String| async move {
        let jobs = app.db.jobs_of_kind(kinds::WORK_ENV_REMINDER).await.unwrap();
        jobs.iter().filter(|j| j.unique_key.contains(&report)).count()
    };
    due_jobs(&app.db, t0 + 11 * HOUR).await.unwrap();
    assert_eq!(count(a.clone()).await, 0);
    due_jobs(&app.db, t0 + 12 * HOUR).await.unwrap();
    due_jobs(&app.db, t0 + 13 * HOUR).await.unwrap();
    assert_eq!((count(a.clone()).await, count(b.clone()).await), (1, 1), "level 1 once each");
    let path = format!("/api/reports/{b}/after");
    let after: Value = w.sara.get(app, &path).await.json().await.unwrap();
    let sent = w.sara.patch(app, &path, json!({"version": after["version"], "work_env_sent": true})).await;
    assert_eq!(sent.status(), StatusCode::OK, "a reminder's bookkeeping does not make the coordinator stale");
    due_jobs(&app.db, t0 + 24 * HOUR).await.unwrap();
    due_jobs(&app.db, t0 + 30 * HOUR).await.unwrap();
    assert_eq!(count(a.clone()).await, 2, "level 2 once");
    assert_eq!(count(b.clone()).await, 1, "sent: no second reminder");
    assert_eq!(count(quiet.clone()).await, 0, "a threat without injury never");
}

async fn a_k_number_is_checked_loosely_with_a_field_error_and_recorded_with_an_audit_entry(app: &TestApp) {
    let w = world(app).await;
    let path = format!("/api/reports/{}/after", w.report);
    let bad = w.sara.patch(app, &path, json!({"version": 0, "police_case_number": "12345; DROP"})).await;
    let err = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["field"], "police_case_number");
    assert_eq!(err["fields"][0]["code"], "police_case_number.invalid");
    let ok = w.sara.patch(app, &path, json!({"version": 0, "police_case_number": " k123456-26 "})).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let ok: Value = ok.json().await.unwrap();
    assert_eq!(ok["police_case_number"], "K123456-26");
    assert_eq!(ok["version"], 1);
    let stale = w.bo.patch(app, &path, json!({"version": 0, "police_case_number": "K1"})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["current"]["police_case_number"], "K123456-26");
    let id = Uuid::parse_str(&w.report).unwrap();
    let sql = "SELECT reason FROM audit_log WHERE report_id = $1 AND action = 'after.update'";
    let reasons: Vec<String> = match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).fetch_all(p).await.unwrap(),
    };
    assert_eq!(reasons, ["police_case_number: – → K123456-26"]);
}

async fn the_police_summary_carries_the_reporters_words_verbatim_and_every_summary_is_an_audited_read(app: &TestApp) {
    let w = world(app).await;
    let mut named = valid_report();
    let words = "Han sa: \"Jag vet var du bor\" <b>två gånger</b>\n– och följde efter mig till bilen.";
    named["description"] = json!(words);
    named["identity"] = json!("named");
    named["reporter_name"] = json!("Anna Andersson");
    named["reporter_phone"] = json!("070-123 45 67");
    named["witnesses"] = json!("Kollegan Per");
    let (report, code) = file(app, &named).await;
    let msg = json!({"receipt_code": code, "body": "Han ringde igen i morse."});
    assert_eq!(app.client.post(app.url("/api/followup/messages")).json(&msg).send().await.unwrap().status(), 201);
    let path = format!("/api/reports/{report}/after");
    w.sara.patch(app, &path, json!({"version": 0, "police_case_number": "K4711-26"})).await;
    let before = actions(app, &report).await.iter().filter(|a| *a == "summary.read").count();
    let s: Value = w.sara.get(app, &format!("/api/reports/{report}/police-summary")).await.json().await.unwrap();
    assert_eq!(s["description"], words, "verbatim");
    assert_eq!(s["witnesses"], "Kollegan Per");
    assert_eq!(s["location"], "Akutmottagningen");
    assert_eq!(s["reporter"]["name"], "Anna Andersson");
    assert_eq!(s["messages"][0]["body"], "Han ringde igen i morse.");
    assert_eq!(s["police_case_number"], "K4711-26");
    assert_eq!(s["evidence"], json!([]));
    let mine = app.client.post(app.url("/api/followup/police-summary")).json(&json!({"receipt_code": code}));
    let mine: Value = mine.send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["description"], words);
    assert!(mine["reporter"].is_null(), "the reporter's own summary carries no contact details");
    let after = actions(app, &report).await.iter().filter(|a| *a == "summary.read").count();
    assert_eq!(after - before, 2, "each summary served is an audited read");
    let wrong = app.client.post(app.url("/api/followup/police-summary")).json(&json!({"receipt_code": "AAAA-BBBB"}));
    assert_eq!(wrong.send().await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_address_is_kept_out_of_the_summary_when_the_reporter_asks(app: &TestApp) {
    let w = world(app).await;
    let mut named = valid_report();
    named["identity"] = json!("confidential");
    named["reporter_name"] = json!("Anna Andersson");
    named["reporter_phone"] = json!("070-123 45 67");
    named["location"] = json!("Hemma, Storgatan 1, Gävle");
    let (report, code) = file(app, &named).await;
    let req = json!({"receipt_code": code, "hide_address": true});
    let res = app.client.post(app.url("/api/followup/summary-options")).json(&req).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mine: Value = res.json().await.unwrap();
    assert_eq!(mine["address_omitted"], true);
    assert!(mine["location"].is_null());
    let text = w.sara.get(app, &format!("/api/reports/{report}/police-summary")).await.text().await.unwrap();
    assert!(!text.contains("Storgatan") && !text.contains("070"), "{text}");
    let s: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(s["reporter"]["name"], "Anna Andersson");
    assert_eq!(s["address_omitted"], true);
    let after: Value = w.sara.get(app, &format!("/api/reports/{report}/after")).await.json().await.unwrap();
    assert_eq!(after["hide_address"], true);
    assert!(actions(app, &report).await.iter().any(|a| a == "after.update"));
}

async fn strangers_get_no_tasks_nor_summaries(app: &TestApp) {
    let w = world(app).await;
    for path in [
        format!("/api/reports/{}/tasks", w.report),
        format!("/api/reports/{}/police-summary", w.report),
        format!("/api/reports/{}/after", w.report),
        "/api/tasks".to_owned(),
    ] {
        assert_eq!(app.new_client().get(app.url(&path)).send().await.unwrap().status(), 401, "{path}");
        assert_eq!(w.rut.get(app, &path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
}

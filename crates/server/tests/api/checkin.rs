//! Safety check-ins (issue 19): the timer lives on the server. A missed check-in alerts the
//! on-duty address exactly once, with a link and nothing of the person; one in time alerts
//! nobody; a late one sends the all-clear; *more time* moves the alert; an anonymous person is
//! refused; a coordinator's read is audited and the acknowledgement is an audit entry; the data
//! is gone a day after the check-in ended. Time moves with the injectable clock.

use crate::helpers::{Backend, TestApp, assert_error, eventually, job_when, spawn_with};
use crate::mail::smtp_sink::{self, Sink};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use trygg_server::config::Config;
use trygg_server::crypto::sha256_hex;
use trygg_server::jobs::handlers::kinds;
use trygg_wire::checkin::TOKEN_HEADER;
use trygg_wire::headers::CSRF;

const ON_DUTY: &str = "jour@region.se";
const MINUTE: u64 = 60;
/// The grace period after the due time, and a second more.
const PAST_GRACE: u64 = 5 * MINUTE + 1;

async fn start_app(pg: bool, sink_port: u16) -> Option<TestApp> {
    let backend = if pg { Backend::Postgres } else { Backend::Sqlite };
    spawn_with(backend, move |c: &mut Config| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{sink_port}").into());
        c.mail_from = "Trygg <trygg@region.se>".into();
        c.public_url = "https://trygg.region.se".into();
        c.notify_fallback_email = Some(ON_DUTY.into());
        c.job_poll_millis = 50;
    })
    .await
}

fn person(minutes: u32) -> Value {
    json!({
        "reporter_name": "NAMNMARKOR Nilsson",
        "reporter_phone": "070-765 43 21",
        "location": "PLATSMARKOR Storgatan 1, hembesök",
        "minutes": minutes
    })
}

/// Starts a check-in; its token and id.
async fn begin(app: &TestApp, minutes: u32) -> (String, uuid::Uuid) {
    let res = app.client.post(app.url("/api/checkin")).json(&person(minutes)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"]["state"], "active");
    assert_eq!(body["status"]["remaining_seconds"], i64::from(minutes) * 60);
    let token = body["token"].as_str().unwrap().to_owned();
    let id = app.db.checkin_by_token(&sha256_hex(&token)).await.unwrap().unwrap().id;
    (token, id)
}

async fn device(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> reqwest::Response {
    let req = match body {
        Some(b) => app.client.post(app.url(path)).json(&b),
        None if path == "/api/checkin/safe" => app.client.post(app.url(path)),
        None => app.client.get(app.url(path)),
    };
    req.header(TOKEN_HEADER, token).send().await.unwrap()
}

async fn state_of(app: &TestApp, token: &str) -> Value {
    let res = device(app, token, "/api/checkin", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// Waits until the job under `key` has run (done), so that "nothing was sent" is a fact.
async fn until_done(app: &TestApp, key: &str) {
    if job_when(app, key, |j| j.state == "done").await.is_none() {
        panic!("the job {key} did not run: {:?}", app.db.job_by_key(key).await.unwrap());
    }
}

fn due_key(app_due_ms: i64, id: uuid::Uuid) -> String {
    format!("checkin_due:{id}:{app_due_ms}")
}

async fn a_missed_check_in_alerts_the_on_duty_address_exactly_once_without_the_persons_details(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start_app(pg, sink.port).await else { return };
    let (token, id) = begin(&app, 30).await;
    app.clock.advance(Duration::from_secs(30 * MINUTE));
    assert_eq!(state_of(&app, &token).await["state"], "active", "within the grace period nothing happens yet");
    app.clock.advance(Duration::from_secs(PAST_GRACE));
    let mails = sink.wait_for(1, 10).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert!(m.to.contains(ON_DUTY), "{}", m.to);
    assert!(m.body.contains(&format!("https://trygg.region.se/samordnare/incheckningar/{id}")), "{}", m.body);
    for marker in ["NAMNMARKOR", "PLATSMARKOR", "765 43 21", "Nilsson"] {
        assert!(!m.raw.contains(marker), "{marker} leaked into the mail");
    }
    assert_eq!(state_of(&app, &token).await["state"], "alerted");
    // The due job runs again (a second server, a retry): the conditional update has nothing left
    // to do, and the alert's unique key holds.
    let due = app.db.checkin(id).await.unwrap().unwrap().due_at;
    let again = trygg_server::jobs::handlers::checkin_alert(id, app.clock.now_ms());
    assert!(!app.db.alert_if_due(id, app.clock.now_ms(), &again).await.unwrap());
    assert_eq!(app.db.enqueue_jobs(&[again]).await.unwrap(), 0, "one alert job per check-in, ever");
    until_done(&app, &due_key(due, id)).await;
    until_done(&app, &format!("checkin_alert:{id}")).await;
    app.clock.advance(Duration::from_secs(60 * MINUTE));
    let probe = app.db.claim_jobs("probe", app.clock.now_ms(), 60_000, 1000).await.unwrap();
    assert!(!probe.iter().any(|c| c.kind.starts_with("mail.")), "{probe:?}");
    assert_eq!(sink.mails().len(), 1);
    app.stop().await;
}

async fn a_check_in_in_time_alerts_nobody_and_a_repeat_changes_nothing(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start_app(pg, sink.port).await else { return };
    let (token, id) = begin(&app, 60).await;
    let due = app.db.checkin(id).await.unwrap().unwrap().due_at;
    app.clock.advance(Duration::from_secs(50 * MINUTE));
    let res = device(&app, &token, "/api/checkin/safe", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "safe");
    // The device's queue sends it again after a lost answer: still safe, nothing else.
    let again: Value = device(&app, &token, "/api/checkin/safe", None).await.json().await.unwrap();
    assert_eq!(again["state"], "safe");
    app.clock.advance(Duration::from_secs(20 * MINUTE));
    until_done(&app, &due_key(due, id)).await;
    assert!(app.db.jobs_of_kind(kinds::CHECKIN_ALERT).await.unwrap().is_empty());
    assert!(sink.mails().is_empty());
    // More time after it ended is refused: it is not running.
    let res = device(&app, &token, "/api/checkin/extend", Some(json!({"minutes": 30}))).await;
    assert_error(res, StatusCode::CONFLICT, "checkin_not_active").await;
    app.stop().await;
}

async fn a_late_check_in_sends_the_all_clear(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start_app(pg, sink.port).await else { return };
    let (token, id) = begin(&app, 30).await;
    app.clock.advance(Duration::from_secs(30 * MINUTE + PAST_GRACE));
    assert_eq!(sink.wait_for(1, 10).await.len(), 1);
    // More time is too late now: the person must check in.
    let res = device(&app, &token, "/api/checkin/extend", Some(json!({"minutes": 30}))).await;
    assert_error(res, StatusCode::CONFLICT, "checkin_not_active").await;
    let res = device(&app, &token, "/api/checkin/safe", None).await;
    assert_eq!(res.json::<Value>().await.unwrap()["state"], "late_all_clear");
    let mails = sink.wait_for(2, 10).await;
    assert_eq!(mails.len(), 2);
    let clear = mails.iter().find(|m| m.body.contains("har nu checkat in")).expect("the all-clear");
    assert!(clear.body.contains(&format!("/samordnare/incheckningar/{id}")));
    assert!(!clear.raw.contains("NAMNMARKOR"));
    // A repeat sends no second all-clear.
    device(&app, &token, "/api/checkin/safe", None).await;
    until_done(&app, &format!("checkin_all_clear:{id}")).await;
    assert_eq!(app.db.jobs_of_kind(kinds::CHECKIN_ALL_CLEAR).await.unwrap().len(), 1);
    app.stop().await;
}

async fn more_time_moves_the_alert_and_the_old_due_job_does_nothing(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start_app(pg, sink.port).await else { return };
    let (token, id) = begin(&app, 30).await;
    let first_due = app.db.checkin(id).await.unwrap().unwrap().due_at;
    app.clock.advance(Duration::from_secs(20 * MINUTE));
    let res = device(&app, &token, "/api/checkin/extend", Some(json!({"minutes": 60}))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["state"], "active");
    assert_eq!(body["remaining_seconds"], 3600);
    // Past the first due time and its grace: the old job runs and finds it not due.
    app.clock.advance(Duration::from_secs(20 * MINUTE));
    until_done(&app, &due_key(first_due, id)).await;
    assert_eq!(state_of(&app, &token).await["state"], "active");
    assert!(sink.mails().is_empty());
    // Past the new one: the alert.
    app.clock.advance(Duration::from_secs(40 * MINUTE + PAST_GRACE));
    assert_eq!(sink.wait_for(1, 10).await.len(), 1);
    assert_eq!(state_of(&app, &token).await["state"], "alerted");
    // Hostile: out-of-range minutes, no token, a made-up token.
    let res = device(&app, &token, "/api/checkin/extend", Some(json!({"minutes": 0}))).await;
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["fields"][0]["code"], "minutes.invalid");
    let res = app.client.get(app.url("/api/checkin")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_error(device(&app, "made-up", "/api/checkin/safe", None).await, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

async fn an_anonymous_person_is_refused_with_a_message_per_field(pg: bool) {
    let Some(app) = start_app(pg, smtp_sink::free_port()).await else { return };
    let res = app
        .client
        .post(app.url("/api/checkin"))
        .json(&json!({"reporter_name": "  ", "reporter_phone": "", "minutes": 30}))
        .send()
        .await
        .unwrap();
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["reporter_name.required", "reporter_phone.required"]);
    assert!(body["message"].as_str().unwrap().contains("so that someone can reach you"));
    // A phone that is not one, an over-long place, and minutes out of range.
    let res = app
        .client
        .post(app.url("/api/checkin"))
        .json(&json!({"reporter_name": "Eva", "reporter_phone": "ring mig", "location": "x".repeat(201), "minutes": 1441}))
        .send()
        .await
        .unwrap();
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["reporter_phone.invalid", "location.too_long", "minutes.invalid"]);
    assert!(app.db.open_checkin_alert_rows().await.unwrap().is_empty());
    app.stop().await;
}

async fn a_coordinator_reads_the_alert_audited_and_acknowledges_what_was_done(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start_app(pg, sink.port).await else { return };
    app.create_coordinator().await;
    let (_running, running_id) = begin(&app, 120).await;
    let (_token, id) = begin(&app, 30).await;
    // Not signed in: refused.
    let res = app.new_client().get(app.url("/api/checkin-alerts")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let csrf = app.csrf();
    // A running check-in is nobody's business yet.
    let res = app.client.get(app.url(&format!("/api/checkin-alerts/{running_id}"))).send().await.unwrap();
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
    app.clock.advance(Duration::from_secs(30 * MINUTE + PAST_GRACE));
    assert_eq!(sink.wait_for(1, 10).await.len(), 1);
    let list: Value = app.client.get(app.url("/api/checkin-alerts")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["items"][0]["id"], id.to_string());
    assert!(!list.to_string().contains("NAMNMARKOR"), "the list carries nothing of the person");
    let waiting: Value = app.client.get(app.url("/api/waiting")).send().await.unwrap().json().await.unwrap();
    assert_eq!(waiting["checkin_alerts"], 1);
    let before = app.audit_count().await;
    let detail: Value =
        app.client.get(app.url(&format!("/api/checkin-alerts/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["reporter_name"], "NAMNMARKOR Nilsson");
    assert_eq!(detail["reporter_phone"], "070-765 43 21");
    assert_eq!(detail["alert"]["state"], "alerted");
    assert_eq!(app.audit_count().await, before + 1, "the read is audited");
    // An empty note is refused; then the acknowledgement, audited.
    let url = app.url(&format!("/api/checkin-alerts/{id}/acknowledge"));
    let res = app.client.post(&url).header(CSRF, &csrf).json(&json!({"note": " "})).send().await.unwrap();
    let body = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(body["fields"][0]["code"], "note.required");
    let res = app.client.post(&url).json(&json!({"note": "Ringde, inget svar"})).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let note = "Ringde personen, svarade inte; larmade polisen 21:12.";
    let res = app.client.post(&url).header(CSRF, &csrf).json(&json!({"note": note})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["alert"]["state"], "acknowledged");
    assert_eq!(body["note"], note);
    assert_eq!(body["acknowledged_by"], "Sara Samordnare");
    assert_eq!(app.audit_count().await, before + 2);
    // The note is sealed at rest.
    let stored = app.db.checkin(id).await.unwrap().unwrap();
    assert!(!stored.note_sealed.unwrap().contains("polisen") && !stored.details_sealed.contains("NAMNMARKOR"));
    // A second acknowledgement (another coordinator at the same time): 409 with the newer state.
    let res = app.client.post(&url).header(CSRF, &csrf).json(&json!({"note": "också"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "already_acknowledged");
    assert_eq!(body["current"]["state"], "acknowledged");
    let waiting: Value = app.client.get(app.url("/api/waiting")).send().await.unwrap().json().await.unwrap();
    assert_eq!(waiting["checkin_alerts"], 0);
    app.stop().await;
}

async fn check_in_data_is_gone_a_day_after_it_ended(pg: bool) {
    let Some(sink) = Sink::start().await else { return };
    let Some(app) = start_app(pg, sink.port).await else { return };
    let (token, id) = begin(&app, 30).await;
    let (open, open_id) = begin(&app, 30).await;
    assert_eq!(device(&app, &token, "/api/checkin/safe", None).await.status(), StatusCode::OK);
    // The scheduler's next tick runs after the clock moved: once it is done, its purge has looked.
    let tick = app.db.jobs_of_kind(trygg_server::jobs::handlers::kinds::TICK).await.unwrap();
    let pending = tick.into_iter().find(|j| j.state != "done").expect("a tick is always queued").unique_key;
    app.clock.advance(Duration::from_secs(23 * 60 * MINUTE));
    until_done(&app, &pending).await;
    assert!(app.db.checkin(id).await.unwrap().is_some(), "kept for a day");
    app.clock.advance(Duration::from_secs(2 * 60 * MINUTE));
    eventually(|| async { app.db.checkin(id).await.unwrap().is_none() }).await;
    assert!(app.db.checkin(id).await.unwrap().is_none(), "deleted by the scheduler's tick");
    assert_error(device(&app, &token, "/api/checkin", None).await, StatusCode::NOT_FOUND, "not_found").await;
    // The one that was missed and nobody acknowledged has not ended: it stays.
    assert!(app.db.checkin(open_id).await.unwrap().is_some());
    assert_eq!(state_of(&app, &open).await["state"], "alerted");
    app.stop().await;
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() { super::$name(false).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() { super::$name(true).await }
            )*
        }
    };
}

on_both!(
    a_missed_check_in_alerts_the_on_duty_address_exactly_once_without_the_persons_details,
    a_check_in_in_time_alerts_nobody_and_a_repeat_changes_nothing,
    a_late_check_in_sends_the_all_clear,
    more_time_moves_the_alert_and_the_old_due_job_does_nothing,
    an_anonymous_person_is_refused_with_a_message_per_field,
    a_coordinator_reads_the_alert_audited_and_acknowledges_what_was_done,
    check_in_data_is_gone_a_day_after_it_ended,
);

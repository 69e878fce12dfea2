//! The on-duty roster: a weekly pattern in Europe/Stockholm (both summer-time changes), dated
//! exceptions, the fallback address, field errors, the version check and the access log.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use trygg_server::store::roster::OnDuty;
use uuid::Uuid;

crate::on_both_backends!(
    on_duty_follows_the_week_and_both_summer_time_changes,
    an_exception_overrides_the_pattern_with_someone_or_nobody,
    hours_nobody_covers_go_to_the_fallback_address_or_nowhere,
    a_malformed_fallback_address_and_bad_rows_are_refused_field_by_field,
    a_save_from_a_stale_version_gets_409_with_the_newer_roster,
    every_save_is_audited_with_what_changed_before_and_after,
    a_coordinator_sees_who_is_on_duty_now_but_cannot_edit_the_roster,
);

pub fn utc(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// An administrator's browser (signed in) and its CSRF token; a coordinator exists too.
pub struct Admin {
    pub client: Client,
    pub csrf: String,
    pub ada: String,
    pub sara: String,
}

pub async fn admin(app: &TestApp) -> Admin {
    app.create_admin().await;
    app.create_coordinator().await;
    let (client, jar) = app.new_browser();
    assert_eq!(app.login_as(&client, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let csrf = app.csrf_of(&jar);
    let view: Value = client.get(app.url("/api/roster")).send().await.unwrap().json().await.unwrap();
    let id_of = |name: &str| {
        view["accounts"].as_array().unwrap().iter().find(|a| a["name"] == name).unwrap()["user_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (ada, sara) = (id_of("Ada Admin"), id_of("Sara Samordnare"));
    Admin { client, csrf, ada, sara }
}

impl Admin {
    pub async fn get(&self, app: &TestApp) -> Value {
        self.client.get(app.url("/api/roster")).send().await.unwrap().json().await.unwrap()
    }

    pub async fn put(&self, app: &TestApp, roster: &Value) -> reqwest::Response {
        self.client.put(app.url("/api/roster")).header(CSRF, &self.csrf).json(roster).send().await.unwrap()
    }

    /// Saves `slots`, `exceptions` and `fallback` over the current version; returns the answer.
    pub async fn save(&self, app: &TestApp, slots: Value, exceptions: Value, fallback: Value) -> Value {
        let version = self.get(app).await["roster"]["version"].clone();
        let body = json!({"version": version, "slots": slots, "exceptions": exceptions, "fallback_email": fallback});
        let res = self.put(app, &body).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }
}

fn slot(start_day: u8, start: &str, end_day: u8, end: &str, user: &str) -> Value {
    json!({"start_day": start_day, "start_time": start, "end_day": end_day, "end_time": end, "user_id": user})
}

/// Weekdays 08:00–17:00 Sara; Fri 17:00 → Mon 08:00 Ada (one slot over the weekend).
fn week(a: &Admin) -> Value {
    let mut s: Vec<Value> = (1..=5).map(|d| slot(d, "08:00", d, "17:00", &a.sara)).collect();
    s.push(slot(5, "17:00", 1, "08:00", &a.ada));
    Value::from(s)
}

async fn who(app: &TestApp, at: &str) -> Vec<Option<Uuid>> {
    app.db.on_duty_at(utc(at)).await.unwrap().into_iter().map(|d| d.user_id).collect()
}

fn id(s: &str) -> Option<Uuid> {
    Some(Uuid::parse_str(s).unwrap())
}

async fn on_duty_follows_the_week_and_both_summer_time_changes(app: &TestApp) {
    let a = admin(app).await;
    a.save(app, week(&a), json!([]), json!("jour@region.se")).await;
    // A winter week (2027-01-11 is a Monday; CET = UTC+1).
    assert_eq!(who(app, "2027-01-11T07:00:00Z").await, vec![id(&a.sara)], "Mon 08:00");
    assert_eq!(who(app, "2027-01-11T06:59:00Z").await, vec![id(&a.ada)], "Mon 07:59");
    assert_eq!(who(app, "2027-01-13T15:59:00Z").await, vec![id(&a.sara)], "Wed 16:59");
    assert_eq!(who(app, "2027-01-13T16:00:00Z").await, vec![None], "Wed 17:00: the fallback");
    assert_eq!(who(app, "2027-01-15T16:00:00Z").await, vec![id(&a.ada)], "Fri 17:00");
    assert_eq!(who(app, "2027-01-16T12:00:00Z").await, vec![id(&a.ada)], "Sat");
    // The spring change, Sun 2027-03-28 (02:00 CET → 03:00 CEST): Ada's weekend runs through
    // it and ends at Mon 08:00 CEST = 06:00 UTC.
    assert_eq!(who(app, "2027-03-28T01:30:00Z").await, vec![id(&a.ada)], "03:30 CEST");
    assert_eq!(who(app, "2027-03-29T05:59:00Z").await, vec![id(&a.ada)], "Mon 07:59 CEST");
    assert_eq!(who(app, "2027-03-29T06:00:00Z").await, vec![id(&a.sara)], "Mon 08:00 CEST");
    // The autumn change, Sun 2027-10-31 (03:00 CEST → 02:00 CET): the weekend began Fri 17:00
    // CEST (15:00 UTC) and ends Mon 08:00 CET (07:00 UTC).
    assert_eq!(who(app, "2027-10-29T14:59:00Z").await, vec![id(&a.sara)], "Fri 16:59 CEST");
    assert_eq!(who(app, "2027-10-29T15:00:00Z").await, vec![id(&a.ada)], "Fri 17:00 CEST");
    assert_eq!(who(app, "2027-10-31T00:30:00Z").await, vec![id(&a.ada)], "first 02:30");
    assert_eq!(who(app, "2027-10-31T01:30:00Z").await, vec![id(&a.ada)], "second 02:30");
    assert_eq!(who(app, "2027-11-01T06:59:00Z").await, vec![id(&a.ada)], "Mon 07:59 CET");
    assert_eq!(who(app, "2027-11-01T07:00:00Z").await, vec![id(&a.sara)], "Mon 08:00 CET");
    // The answer carries the address and language of each person's mails.
    let now = app.db.on_duty_at(utc("2027-01-13T10:00:00Z")).await.unwrap();
    assert_eq!(now, vec![OnDuty { user_id: id(&a.sara), email: EMAIL.into(), lang: "sv".into() }]);
}

async fn an_exception_overrides_the_pattern_with_someone_or_nobody(app: &TestApp) {
    let a = admin(app).await;
    let exceptions = json!([
        // Sara is away Wednesday 2027-01-13 from 12:00: Ada covers until 17:00.
        {"starts": "2027-01-13T12:00", "ends": "2027-01-13T17:00", "user_id": a.ada},
        // Thursday morning: nobody (the fallback gets the notices).
        {"starts": "2027-01-14T08:00", "ends": "2027-01-14T12:00"},
        // Over the autumn change: a night exception written in wall-clock times.
        {"starts": "2027-10-30T22:00", "ends": "2027-10-31T08:00", "user_id": a.sara},
    ]);
    let saved = a.save(app, week(&a), exceptions, json!("jour@region.se")).await;
    assert_eq!(saved["roster"]["exceptions"][1]["user_id"], Value::Null);
    assert_eq!(who(app, "2027-01-13T10:59:00Z").await, vec![id(&a.sara)], "Wed 11:59");
    assert_eq!(who(app, "2027-01-13T11:00:00Z").await, vec![id(&a.ada)], "Wed 12:00");
    assert_eq!(who(app, "2027-01-13T15:59:00Z").await, vec![id(&a.ada)]);
    assert_eq!(who(app, "2027-01-14T08:00:00Z").await, vec![None], "Thu 09:00: nobody, the fallback");
    assert_eq!(who(app, "2027-01-14T11:00:00Z").await, vec![id(&a.sara)], "Thu 12:00: the pattern again");
    // 22:00 CEST = 20:00 UTC; 08:00 CET = 07:00 UTC: 11 hours.
    assert_eq!(who(app, "2027-10-30T19:59:00Z").await, vec![id(&a.ada)]);
    assert_eq!(who(app, "2027-10-30T20:00:00Z").await, vec![id(&a.sara)]);
    assert_eq!(who(app, "2027-10-31T06:59:00Z").await, vec![id(&a.sara)]);
    assert_eq!(who(app, "2027-10-31T07:00:00Z").await, vec![id(&a.ada)]);
}

async fn hours_nobody_covers_go_to_the_fallback_address_or_nowhere(app: &TestApp) {
    let a = admin(app).await;
    let tuesday_night = "2027-01-12T02:00:00Z";
    assert_eq!(app.db.on_duty_at(utc(tuesday_night)).await.unwrap(), vec![], "an empty roster and no fallback");
    a.save(app, week(&a), json!([]), json!(null)).await;
    assert_eq!(app.db.on_duty_at(utc(tuesday_night)).await.unwrap(), vec![], "uncovered, no fallback");
    a.save(app, week(&a), json!([]), json!("  jour@region.se ")).await;
    let fallback = OnDuty { user_id: None, email: "jour@region.se".into(), lang: "sv".into() };
    assert_eq!(app.db.on_duty_at(utc(tuesday_night)).await.unwrap(), vec![fallback]);
    // Covered hours never go to the fallback.
    assert_eq!(who(app, "2027-01-12T10:00:00Z").await, vec![id(&a.sara)]);
}

async fn a_malformed_fallback_address_and_bad_rows_are_refused_field_by_field(app: &TestApp) {
    let a = admin(app).await;
    let body = json!({
        "version": 1,
        "fallback_email": "jour@region",
        "slots": [slot(1, "08:00", 1, "17:00", &a.sara), slot(2, "25:00", 9, "17:00", &Uuid::new_v4().to_string())],
        "exceptions": [{"starts": "2027-01-13T12:00", "ends": "2027-01-13T11:00"}, {"starts": "13/1 12:00", "ends": "2027-01-13T11:00", "user_id": "x"}],
    });
    let err = assert_error(a.put(app, &body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let fields: Vec<(String, String)> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap().to_owned(), f["code"].as_str().unwrap().to_owned()))
        .collect();
    let want = [
        ("fallback_email", "fallback_email.invalid"),
        ("slots[1].start_time", "slots.start_time.invalid"),
        ("slots[1].end_day", "slots.end_day.invalid"),
        ("slots[1].user_id", "slots.user_id.invalid"),
        ("exceptions[0].ends", "exceptions.ends.before_start"),
        ("exceptions[1].starts", "exceptions.starts.invalid"),
        ("exceptions[1].user_id", "exceptions.user_id.invalid"),
    ];
    for (field, code) in want {
        assert!(fields.contains(&(field.into(), code.into())), "{field} {code} in {fields:?}");
    }
    assert_eq!(fields.len(), want.len(), "{fields:?}");
    // Nothing was saved.
    let now = a.get(app).await;
    assert_eq!(now["roster"]["version"], 1);
    assert_eq!(now["roster"]["slots"], json!([]));
    // The address alone is refused too.
    let body = json!({"version": 1, "fallback_email": "två ord@region.se", "slots": [], "exceptions": []});
    let err = assert_error(a.put(app, &body).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"], json!([{"field": "fallback_email", "code": "fallback_email.invalid"}]));
}

async fn a_save_from_a_stale_version_gets_409_with_the_newer_roster(app: &TestApp) {
    let a = admin(app).await;
    let opened = a.get(app).await["roster"].clone();
    assert_eq!(opened["version"], 1);
    // Another administrator (another browser) saves first.
    let (other, jar) = app.new_browser();
    assert_eq!(app.login_as(&other, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let theirs = json!({"version": 1, "slots": [slot(3, "08:00", 3, "12:00", &a.ada)], "exceptions": [], "fallback_email": null});
    let res = other.put(app.url("/api/roster")).header(CSRF, app.csrf_of(&jar)).json(&theirs).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["roster"]["version"], 2);
    // Ours, from version 1, is refused with theirs.
    let mut ours = opened.clone();
    ours["slots"] = json!([slot(1, "08:00", 1, "17:00", &a.sara)]);
    let res = a.put(app, &ours).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_conflict");
    assert_eq!(body["current"]["roster"]["version"], 2);
    assert_eq!(body["current"]["roster"]["slots"], theirs["slots"]);
    // Saved from the newer version, ours goes through.
    ours["version"] = json!(2);
    let res = a.put(app, &ours).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.json::<Value>().await.unwrap()["roster"]["version"], 3);
}

async fn every_save_is_audited_with_what_changed_before_and_after(app: &TestApp) {
    let a = admin(app).await;
    a.save(app, json!([slot(1, "08:00", 1, "17:00", &a.sara)]), json!([]), json!("jour@region.se")).await;
    a.save(app, json!([slot(1, "08:00", 1, "17:00", &a.sara)]), json!([]), json!("vakt@region.se")).await;
    let log: Value = a.client.get(app.url("/api/audit")).send().await.unwrap().json().await.unwrap();
    let saves: Vec<&Value> = log.as_array().unwrap().iter().filter(|e| e["action"] == "roster.update").collect();
    assert_eq!(saves.len(), 2);
    let me: Value = a.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    // Newest first.
    assert_eq!(saves[0]["user_id"], me["id"]);
    assert_eq!(saves[0]["reason"], "version: 2 → 3; fallback_email: jour@region.se → vakt@region.se");
    let first = saves[1]["reason"].as_str().unwrap();
    assert!(
        first.starts_with("version: 1 → 2; fallback_email: none → jour@region.se; slots: [] → [Mon 08:00–Mon 17:00 "),
        "{first}"
    );
    assert!(first.contains(&a.sara), "{first}");
    let verdict: Value = a.client.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], true, "{verdict}");
}

async fn a_coordinator_sees_who_is_on_duty_now_but_cannot_edit_the_roster(app: &TestApp) {
    let a = admin(app).await;
    a.save(app, week(&a), json!([]), json!("jour@region.se")).await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    assert_error(app.client.get(app.url("/api/roster")).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden")
        .await;
    let body = json!({"version": 2, "slots": [], "exceptions": []});
    let res = app.client.put(app.url("/api/roster")).header(CSRF, app.csrf()).json(&body).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    // Without the CSRF token even an administrator is refused.
    let res = a.client.put(app.url("/api/roster")).json(&body).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;

    // Move the server's clock to Wednesday 2027-01-13 10:00 CET: Sara is on duty.
    app.clock.advance(std::time::Duration::from_millis((utc("2027-01-13T09:00:00Z") - app.clock.now_ms()) as u64));
    let now: Value = app.client.get(app.url("/api/roster/now")).send().await.unwrap().json().await.unwrap();
    assert_eq!(now, json!({"people": [{"user_id": a.sara, "name": "Sara Samordnare"}], "fallback": false}));
    // Wednesday 20:00 CET: nobody, the fallback.
    app.clock.advance(std::time::Duration::from_secs(10 * 3600));
    let now: Value = app.client.get(app.url("/api/roster/now")).send().await.unwrap().json().await.unwrap();
    assert_eq!(now, json!({"people": [], "fallback": true}));
    assert_error(
        app.new_client().get(app.url("/api/roster/now")).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
}

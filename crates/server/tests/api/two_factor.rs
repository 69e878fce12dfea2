//! Two-factor sign-in: enrolment, the second step, replay protection, recovery codes, throttling,
//! and signing out everywhere.

use crate::helpers::*;
use reqwest::cookie::Jar;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use totp_rs::{Algorithm, Secret, TOTP};

crate::on_both_backends!(
    a_coordinator_enrols_and_then_needs_the_code_which_works_only_once,
    a_wrong_code_is_refused_and_repeated_wrong_codes_are_throttled,
    a_recovery_code_works_once,
    signing_out_everywhere_ends_every_session,
);

pub fn code_at(secret_b32: &str, offset_steps: i64) -> String {
    let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().unwrap();
    let t = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some("Trygg".into()), "x".into()).unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    t.generate((now + offset_steps * 30) as u64)
}

/// Signs in, enrols TOTP; returns the base32 secret, the confirming code and the recovery codes.
async fn enrol(app: &TestApp) -> (String, String, Vec<String>) {
    app.create_coordinator().await;
    let me: Value = app.login().await.json().await.unwrap();
    assert_eq!(me["mfa_required"], false, "not enrolled yet");
    let res = app.client.post(app.url("/api/auth/totp/setup")).header(CSRF, app.csrf()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let e: Value = res.json().await.unwrap();
    let secret = e["secret"].as_str().unwrap().to_owned();
    assert!(e["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/Trygg:"));
    let first = code_at(&secret, 0);
    let res = app
        .client
        .post(app.url("/api/auth/totp/confirm"))
        .header(CSRF, app.csrf())
        .json(&json!({"code": first}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let codes: Value = res.json().await.unwrap();
    let codes: Vec<String> =
        codes["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(codes.len(), 10);
    // Enrolling again is refused.
    let res = app.client.post(app.url("/api/auth/totp/setup")).header(CSRF, app.csrf()).send().await.unwrap();
    assert_error(res, StatusCode::CONFLICT, "already_enrolled").await;
    (secret, first, codes)
}

async fn password_step(app: &TestApp) -> (Client, Arc<Jar>) {
    let (c, jar) = app.new_browser();
    let me: Value = app.login_as(&c, EMAIL).await.json().await.unwrap();
    assert_eq!(me["mfa_required"], true);
    assert_eq!(me["csrf_token"], app.csrf_of(&jar));
    (c, jar)
}

async fn second_step(app: &TestApp, (c, jar): &(Client, Arc<Jar>), body: Value) -> reqwest::Response {
    c.post(app.url("/api/auth/totp")).header(CSRF, app.csrf_of(jar)).json(&body).send().await.unwrap()
}

async fn a_coordinator_enrols_and_then_needs_the_code_which_works_only_once(app: &TestApp) {
    let (secret, first, _) = enrol(app).await;
    let c = password_step(app).await;
    // The password alone opens nothing.
    let res = c.0.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "mfa_required").await;
    // The code used to confirm enrolment cannot be replayed; the next one works.
    let res = second_step(app, &c, json!({"code": first})).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    let next = code_at(&secret, 1);
    assert_eq!(second_step(app, &c, json!({"code": next})).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(c.0.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    // The same code again, in another session: replayed, refused.
    let other = password_step(app).await;
    let res = second_step(app, &other, json!({"code": next})).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
}

async fn a_wrong_code_is_refused_and_repeated_wrong_codes_are_throttled(app: &TestApp) {
    let (secret, _, _) = enrol(app).await;
    let c = password_step(app).await;
    for _ in 0..10 {
        let res = second_step(app, &c, json!({"code": "000000"})).await;
        assert_error(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
    }
    let res = second_step(app, &c, json!({"code": code_at(&secret, 1)})).await;
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

async fn a_recovery_code_works_once(app: &TestApp) {
    let (_, _, codes) = enrol(app).await;
    let c = password_step(app).await;
    let typed = codes[3].to_lowercase();
    assert_eq!(second_step(app, &c, json!({"recovery_code": typed})).await.status(), StatusCode::NO_CONTENT);
    let again = password_step(app).await;
    let res = second_step(app, &again, json!({"recovery_code": codes[3]})).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_code").await;
}

async fn signing_out_everywhere_ends_every_session(app: &TestApp) {
    app.create_coordinator().await;
    let ((a, a_jar), b) = (app.new_browser(), app.new_client());
    app.login_as(&a, EMAIL).await;
    app.login_as(&b, EMAIL).await;
    assert_eq!(b.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    let res = a.post(app.url("/api/auth/logout-everywhere")).header(CSRF, app.csrf_of(&a_jar)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = b.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

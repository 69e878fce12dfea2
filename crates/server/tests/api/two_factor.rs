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
    other_sessions_end_on_enrolment,
    the_old_token_does_not_work_after_the_totp_step,
    account_events_and_reads_of_the_log_are_in_the_access_log,
);

pub fn code_at(secret_b32: &str, offset_steps: i64) -> String {
    let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().unwrap();
    let t = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes, Some("Trygg".into()), "x".into()).unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    t.generate((now + offset_steps * 30) as u64)
}

/// Signs in, enrols TOTP; returns the base32 secret, the confirming code and the recovery codes.
async fn enrol(app: &TestApp) -> (String, String, Vec<String>) {
    // The account may exist already (a test that signed in other browsers first).
    let _ = trygg_server::cli::create_user(&app.db, &app.keys, EMAIL, "Sara Samordnare", "coordinator", PASSWORD).await;
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

/// The session token in `jar` (the cookie's value).
fn token_in(app: &TestApp, jar: &Jar) -> String {
    use reqwest::cookie::CookieStore;
    let url: reqwest::Url = app.url("/").parse().unwrap();
    let cookies = jar.cookies(&url).map(|v| v.to_str().unwrap_or_default().to_owned()).unwrap_or_default();
    cookies
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == trygg_server::auth::SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
        .expect("a session cookie")
}

async fn other_sessions_end_on_enrolment(app: &TestApp) {
    app.create_coordinator().await;
    // Two other browsers signed in with the password before the account enrols.
    let (b, c) = (app.new_client(), app.new_client());
    for other in [&b, &c] {
        assert_eq!(app.login_as(other, EMAIL).await.status(), StatusCode::OK);
        assert_eq!(other.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    }
    let (secret, _, _) = enrol(app).await;
    for other in [&b, &c] {
        let res = other.get(app.url("/api/reports")).send().await.unwrap();
        assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // The enrolling session is signed in fully (the code was entered in it), under a new token.
    assert_eq!(app.client.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    let me: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!((me["mfa_required"].clone(), me["totp_enabled"].clone()), (json!(false), json!(true)));
    assert_eq!(me["csrf_token"], app.csrf(), "the CSRF token follows the rotated cookie");
    // A new sign-in in another browser needs the code.
    let again = password_step(app).await;
    let res = again.0.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "mfa_required").await;
    assert_eq!(second_step(app, &again, json!({"code": code_at(&secret, 1)})).await.status(), StatusCode::NO_CONTENT);
}

async fn the_old_token_does_not_work_after_the_totp_step(app: &TestApp) {
    let (secret, _, _) = enrol(app).await;
    let c = password_step(app).await;
    let before = token_in(app, &c.1);
    let res = second_step(app, &c, json!({"code": code_at(&secret, 1)})).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("trygg_session=") && set_cookie.contains("HttpOnly"), "{set_cookie}");
    let after = token_in(app, &c.1);
    assert_ne!(before, after, "the token is rotated at the second factor");
    assert_eq!(res.headers()[CSRF].to_str().unwrap(), app.csrf_of(&c.1), "the new CSRF token comes with it");
    // The browser (new cookie) is signed in fully…
    assert_eq!(c.0.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    // …and whoever kept the token from before the step (session fixation) has nothing.
    let fixed = app.new_client();
    let res =
        fixed.get(app.url("/api/reports")).header("Cookie", format!("trygg_session={before}")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res =
        fixed.get(app.url("/api/auth/me")).header("Cookie", format!("trygg_session={before}")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// The access log holds more than report reads: every sign-in (and failed one), second factor,
/// enrolment, recovery-code use, account change and read of the log itself.
async fn account_events_and_reads_of_the_log_are_in_the_access_log(app: &TestApp) {
    let wrong =
        app.client.post(app.url("/api/auth/login")).json(&json!({"email": EMAIL, "password": "fel fel fel fel"}));
    let (_, _, codes) = enrol(app).await; // user.create, auth.login, auth.totp_enrolled
    assert_eq!(wrong.send().await.unwrap().status(), StatusCode::UNAUTHORIZED); // auth.login_failed
    let c = password_step(app).await; // auth.login
    assert_eq!(second_step(app, &c, json!({"recovery_code": codes[0]})).await.status(), StatusCode::NO_CONTENT);
    app.create_admin().await; // user.create
    let (admin, _) = app.new_browser();
    assert_eq!(app.login_as(&admin, ADMIN_EMAIL).await.status(), StatusCode::OK);
    assert_eq!(admin.get(app.url("/api/audit")).send().await.unwrap().status(), StatusCode::OK);
    let log: Value = admin.get(app.url("/api/audit?limit=200")).send().await.unwrap().json().await.unwrap();
    let actions: Vec<&str> = log.as_array().unwrap().iter().rev().map(|e| e["action"].as_str().unwrap()).collect();
    for want in [
        "user.create",
        "auth.login",
        "auth.totp_enrolled",
        "auth.login_failed",
        "auth.recovery_code",
        "auth.second_factor",
        "audit.read",
    ] {
        assert!(actions.contains(&want), "{want} is missing from {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "user.create").count(), 2, "{actions:?}");
    let verdict: Value = admin.get(app.url("/api/audit/verify")).send().await.unwrap().json().await.unwrap();
    assert_eq!(verdict["ok"], true, "{verdict}");
}

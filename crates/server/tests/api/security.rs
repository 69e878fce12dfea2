//! With two-factor sign-in required (the production default): nothing is shown before TOTP is
//! switched on, and no state changes without the session's CSRF token.

use crate::helpers::*;
use crate::two_factor::code_at;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.require_2fa = true =>
    nothing_is_shown_until_two_factor_sign_in_is_switched_on,
    a_state_change_without_the_sessions_csrf_token_is_refused,
);

/// Signs the coordinator in and switches TOTP on through the API; returns the secret.
async fn enrolled(app: &TestApp) -> String {
    app.create_coordinator().await;
    let me: Value = app.login().await.json().await.unwrap();
    assert_eq!(me["enrolment_required"], true);
    enrol(app).await
}

/// Switches TOTP on for the signed-in `app.client` (setup, then the first code); returns the secret.
async fn enrol(app: &TestApp) -> String {
    let e: Value = app
        .client
        .post(app.url("/api/auth/totp/setup"))
        .header(CSRF, app.csrf())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = e["secret"].as_str().unwrap().to_owned();
    let res = app
        .client
        .post(app.url("/api/auth/totp/confirm"))
        .header(CSRF, app.csrf())
        .json(&json!({"code": code_at(&secret, 0)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    secret
}

async fn nothing_is_shown_until_two_factor_sign_in_is_switched_on(app: &TestApp) {
    app.create_coordinator().await;
    let me: Value = app.login().await.json().await.unwrap();
    assert_eq!(me["enrolment_required"], true);
    assert_eq!(me["totp_enabled"], false);
    assert_eq!(me["mfa_required"], false);
    assert_eq!(me["csrf_token"], app.csrf(), "the login answer carries the session's CSRF token");
    for path in ["/api/reports", "/api/reports/counts", "/api/coordinators"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_error(res, StatusCode::FORBIDDEN, "mfa_enrolment_required").await;
    }
    // `me` still answers, so the app knows to show the enrolment step.
    let again: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["enrolment_required"], true);
    assert_eq!(again["csrf_token"], me["csrf_token"]);

    enrol(app).await;
    assert_eq!(app.client.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    let me: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!((me["enrolment_required"].clone(), me["totp_enabled"].clone()), (json!(false), json!(true)));
    let list: Value = app.client.get(app.url("/api/coordinators")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["coordinators"][0]["display_name"], "Sara Samordnare");
    assert_eq!(list["coordinators"][0]["id"], me["id"]);

    // A new sign-in now needs the code before anything is shown.
    let other = app.new_client();
    let me: Value = app.login_as(&other, EMAIL).await.json().await.unwrap();
    assert_eq!((me["mfa_required"].clone(), me["enrolment_required"].clone()), (json!(true), json!(false)));
    let res = other.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "mfa_required").await;
}

async fn a_state_change_without_the_sessions_csrf_token_is_refused(app: &TestApp) {
    enrolled(app).await;
    let receipt: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let url = app.url(&format!("/api/reports/{}", receipt["id"].as_str().unwrap()));
    let triage = json!({"status": "in_progress"});

    let res = app.client.patch(&url).json(&triage).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = app.client.patch(&url).header(CSRF, "0".repeat(64)).json(&triage).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    // Another session's token does not fit this session.
    let (admin, admin_jar) = app.new_browser();
    app.create_admin().await;
    assert_eq!(app.login_as(&admin, ADMIN_EMAIL).await.status(), StatusCode::OK);
    let res = app.client.patch(&url).header(CSRF, app.csrf_of(&admin_jar)).json(&triage).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = app.client.post(format!("{url}/notes")).json(&json!({"body": "x"})).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;
    let res = app.client.post(app.url("/api/auth/logout")).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "csrf_failed").await;

    // Nothing changed, and the session still works; with the token the change goes through.
    let r: Value = app.client.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(r["status"], "new");
    let res = app.client.patch(&url).header(CSRF, app.csrf()).json(&triage).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Reading needs no token; reporters' routes need none either (they have no session).
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), StatusCode::OK);
    let res = app.new_client().post(app.url("/api/followup")).json(&json!({"receipt_code": receipt["receipt_code"]}));
    assert_eq!(res.send().await.unwrap().status(), StatusCode::OK);
}

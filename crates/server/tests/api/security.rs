//! With two-factor sign-in required (the production default): nothing is shown before TOTP is
//! switched on, and no state changes without the session's CSRF token.

use crate::helpers::*;
use crate::two_factor::code_at;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.require_2fa = true =>
    nothing_is_shown_until_two_factor_sign_in_is_switched_on,
    a_state_change_without_the_sessions_csrf_token_is_refused,
    a_session_opened_before_enrolment_is_not_signed_in_after_it,
    every_api_answer_says_no_store_and_static_assets_keep_their_caching,
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

async fn a_session_opened_before_enrolment_is_not_signed_in_after_it(app: &TestApp) {
    app.create_coordinator().await;
    // Another browser signs in with the password while the account has no second factor yet.
    let early = app.new_client();
    let me: Value = app.login_as(&early, EMAIL).await.json().await.unwrap();
    assert_eq!(me["enrolment_required"], true);
    let res = early.get(app.url("/api/reports")).send().await.unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "mfa_enrolment_required").await;
    // The account enrols in this browser: only the session the code was entered in is signed in.
    assert_eq!(app.login().await.status(), StatusCode::OK);
    enrol(app).await;
    assert_eq!(app.client.get(app.url("/api/reports")).send().await.unwrap().status(), StatusCode::OK);
    for path in ["/api/reports", "/api/reports/counts", "/api/coordinators", "/api/auth/me"] {
        let res = early.get(app.url(path)).send().await.unwrap();
        assert_ne!(res.status(), StatusCode::OK, "{path}: a session without a code is not signed in");
        assert_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

async fn every_api_answer_says_no_store_and_static_assets_keep_their_caching(app: &TestApp) {
    let receipt: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let anon = app.new_client();
    let answers = [
        app.submit(&new_key(), &valid_report()).await,
        anon.post(app.url("/api/followup"))
            .json(&json!({"receipt_code": receipt["receipt_code"]}))
            .send()
            .await
            .unwrap(),
        anon.post(app.url("/api/followup")).json(&json!({"receipt_code": "x"})).send().await.unwrap(),
        anon.get(app.url("/api/auth/me")).send().await.unwrap(),
        anon.get(app.url("/api/no/such/thing")).send().await.unwrap(),
        anon.get(app.url("/api/openapi.json")).send().await.unwrap(),
    ];
    for res in answers {
        let url = res.url().path().to_owned();
        assert_eq!(res.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("no-store"), "{url}");
    }
    enrolled(app).await;
    for path in ["/api/reports", "/api/auth/me", &format!("/api/reports/{}", receipt["id"].as_str().unwrap())] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
    let res = anon.get(app.url("/trygg-app-0123456789abcdef_bg.wasm")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
}

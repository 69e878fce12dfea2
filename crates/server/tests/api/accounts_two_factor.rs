//! Accounts with two-factor sign-in required: an administrator's reset of someone's two-factor
//! sign-in, and the holder's own password change (old password + a current code).

use crate::accounts::{Browser, account, browser, change, get, post};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.require_2fa = true =>
    resetting_two_factor_ends_sessions_and_forces_enrolment,
    a_password_change_needs_the_old_password_and_a_code_and_ends_other_sessions,
);

/// Signs `email` in and enrols TOTP in a new browser (using the code of this 30-second step);
/// returns it (fully signed in), the secret and the recovery codes.
async fn enrolled(app: &TestApp, email: &str) -> (Browser, String, Vec<String>) {
    let b = browser(app, email).await;
    let e: Value = post(app, &b, "/api/auth/totp/setup", json!({})).await.json().await.unwrap();
    let secret = e["secret"].as_str().unwrap().to_owned();
    let res = post(app, &b, "/api/auth/totp/confirm", json!({"code": crate::two_factor::code_at(&secret, 0)})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let codes: Value = res.json().await.unwrap();
    let codes = codes["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    (b, secret, codes)
}

/// A second browser of an enrolled `email`, through both steps with a recovery code (the
/// next TOTP step stays free for the test).
async fn second_browser(app: &TestApp, email: &str, recovery_code: &str) -> Browser {
    let b = browser(app, email).await;
    let res = post(app, &b, "/api/auth/totp", json!({"recovery_code": recovery_code})).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    b
}

async fn resetting_two_factor_ends_sessions_and_forces_enrolment(app: &TestApp) {
    app.create_admin().await;
    let (admin, ..) = enrolled(app, ADMIN_EMAIL).await;
    app.create_coordinator().await;
    let (coordinator, ..) = enrolled(app, EMAIL).await;
    assert_eq!(get(app, &coordinator, "/api/reports").await.status(), StatusCode::OK);
    assert_eq!(account(app, &admin, EMAIL).await["totp_enabled"], true);
    assert_eq!(change(app, &admin, EMAIL, "reset-two-factor", json!({})).await.status(), StatusCode::OK);
    assert_error(get(app, &coordinator, "/api/reports").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(account(app, &admin, EMAIL).await["totp_enabled"], false);
    let again = app.new_browser();
    let me: Value = app.login_as(&again.0, EMAIL).await.json().await.unwrap();
    assert_eq!((me["enrolment_required"].as_bool(), me["mfa_required"].as_bool()), (Some(true), Some(false)));
    assert_error(get(app, &again, "/api/reports").await, StatusCode::FORBIDDEN, "mfa_enrolment_required").await;
    // Enrolling again works.
    enrolled(app, EMAIL).await;
}

async fn a_password_change_needs_the_old_password_and_a_code_and_ends_other_sessions(app: &TestApp) {
    app.create_coordinator().await;
    let (here, secret, recovery) = enrolled(app, EMAIL).await;
    let elsewhere = second_browser(app, EMAIL, &recovery[0]).await;
    let new = "ett helt nytt långt lösenord";
    let codes = |res: Value| -> Vec<String> {
        res["error"]["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_owned()).collect()
    };
    let res = post(app, &here, "/api/account/password", json!({"old_password": "fel lösenord här", "new_password": new, "code": crate::two_factor::code_at(&secret, 1)})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(res.json().await.unwrap()), ["old_password.invalid"]);
    let res =
        post(app, &here, "/api/account/password", json!({"old_password": PASSWORD, "new_password": new, "code": ""}))
            .await;
    assert_eq!(codes(res.json().await.unwrap()), ["code.invalid"]);
    let res = post(
        app,
        &here,
        "/api/account/password",
        json!({"old_password": PASSWORD, "new_password": "kort", "code": "000000"}),
    )
    .await;
    assert_eq!(codes(res.json().await.unwrap()), ["new_password.too_short", "code.invalid"]);
    assert_eq!(get(app, &elsewhere, "/api/reports").await.status(), StatusCode::OK, "nothing changed yet");
    assert_eq!(password_notices(app).await, 0, "a refused change tells nobody");
    let res = post(
        app,
        &here,
        "/api/account/password",
        json!({"old_password": PASSWORD, "new_password": new, "code": crate::two_factor::code_at(&secret, 1)}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(password_notices(app).await, 1, "the holder's notice is queued with the change");
    assert_error(get(app, &elsewhere, "/api/reports").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(get(app, &here, "/api/reports").await.status(), StatusCode::OK, "this session goes on");
    assert_error(app.login_as(&app.new_client(), EMAIL).await, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let res = app
        .new_client()
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": EMAIL, "password": new}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // The language, too, is the holder's own choice.
    assert_eq!(post(app, &here, "/api/account/lang", json!({"lang": "en"})).await.status(), StatusCode::NO_CONTENT);
    let me: Value = get(app, &here, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["lang"], "en");
    let res = post(app, &here, "/api/account/lang", json!({"lang": "de"})).await;
    assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
}

/// Password-change notices queued (mail jobs; their payload names what changed, never how).
async fn password_notices(app: &TestApp) -> i64 {
    let sql = "SELECT COUNT(*) FROM jobs WHERE kind = 'mail.account_notice' AND payload LIKE '%\"password\"%'";
    match &app.db {
        trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        trygg_server::store::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

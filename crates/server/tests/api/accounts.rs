//! Accounts and roles: need-to-know roles, invitations, disabling, resetting two-factor,
//! deleting (pseudonymising), the last administrator and version checks.
//! The tests that need two-factor sign-in switched on: `accounts_two_factor.rs`; the audit trail
//! of every change: `accounts_audit.rs`.

use crate::helpers::*;
use reqwest::cookie::Jar;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

crate::on_both_backends!(
    an_invitation_works_once_and_then_the_account_signs_in,
    an_invitation_does_not_work_after_its_expiry_nor_once_withdrawn,
    a_duplicate_or_malformed_invitation_is_a_field_error,
    an_admin_without_the_coordinator_role_reads_no_report_and_a_coordinator_manages_no_account,
    a_disabled_account_is_refused_on_its_next_request_and_at_sign_in,
    the_last_admin_cannot_disable_demote_or_delete_themself,
    two_admins_demoting_each_other_at_once_leave_one_admin,
    a_stale_version_is_refused_with_the_newer_state,
    deleting_a_person_who_acted_keeps_the_reports_history_readable,
);

pub const ADMIN_ONLY: &str = "endast-admin@region.se";

pub type Browser = (Client, Arc<Jar>);

/// A new browser signed in (password step) as `email`.
pub async fn browser(app: &TestApp, email: &str) -> Browser {
    let b = app.new_browser();
    assert_eq!(app.login_as(&b.0, email).await.status(), StatusCode::OK, "{email} signs in");
    b
}

pub async fn post(app: &TestApp, b: &Browser, path: &str, body: Value) -> Response {
    b.0.post(app.url(path)).header(CSRF, app.csrf_of(&b.1)).json(&body).send().await.unwrap()
}

pub async fn get(app: &TestApp, b: &Browser, path: &str) -> Response {
    b.0.get(app.url(path)).send().await.unwrap()
}

pub async fn account(app: &TestApp, admin: &Browser, email: &str) -> Value {
    let list: Value = get(app, admin, "/api/accounts").await.json().await.unwrap();
    list["accounts"].as_array().unwrap().iter().find(|a| a["email"] == email).cloned().expect(email)
}

async fn account_by_id(app: &TestApp, admin: &Browser, id: &str) -> Value {
    let list: Value = get(app, admin, "/api/accounts").await.json().await.unwrap();
    list["accounts"].as_array().unwrap().iter().find(|a| a["id"] == id).cloned().expect(id)
}

/// Changes account `email` (`action`: roles, disable, enable, reset-two-factor, delete) as
/// `admin`, with the version it has now.
pub async fn change(app: &TestApp, admin: &Browser, email: &str, action: &str, mut body: Value) -> Response {
    let a = account(app, admin, email).await;
    body["version"] = a["version"].clone();
    post(app, admin, &format!("/api/accounts/{}/{action}", a["id"].as_str().unwrap()), body).await
}

/// Invites `email` as `admin`; returns the token from the link.
pub async fn invite(app: &TestApp, admin: &Browser, email: &str, roles: &[&str]) -> String {
    let res =
        post(app, admin, "/api/accounts", json!({"email": email, "display_name": "Nina Ny", "roles": roles})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let inv: Value = res.json().await.unwrap();
    assert_eq!(inv["account"]["state"], "invited");
    assert!(inv["account"]["invitation_expires_at"].is_string());
    let link = inv["link"].as_str().unwrap();
    link.strip_prefix("/samordnare/inbjudan#").expect("the token is in the fragment").to_owned()
}

pub async fn admin(app: &TestApp) -> Browser {
    app.create_admin().await;
    browser(app, ADMIN_EMAIL).await
}

async fn an_invitation_works_once_and_then_the_account_signs_in(app: &TestApp) {
    let admin = admin(app).await;
    let token = invite(app, &admin, "Nina@Region.se", &["coordinator"]).await;
    let anon = app.new_browser();
    let info: Value = post(app, &anon, "/api/invitations/lookup", json!({"token": token})).await.json().await.unwrap();
    assert_eq!((info["email"].as_str(), info["display_name"].as_str()), (Some("nina@region.se"), Some("Nina Ny")));
    // A too short password is a field error, and the invitation still works afterwards.
    let res = post(app, &anon, "/api/invitations/accept", json!({"token": token, "password": "kort"})).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "password.too_short");
    let res = post(app, &anon, "/api/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["roles"], json!(["coordinator"]));
    assert_eq!(get(app, &anon, "/api/reports").await.status(), StatusCode::OK, "signed in by the acceptance");
    // Twice: refused, whoever tries.
    let res =
        post(app, &app.new_browser(), "/api/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    assert_error(res, StatusCode::GONE, "invitation_used").await;
    let res = post(app, &anon, "/api/invitations/lookup", json!({"token": token})).await;
    assert_error(res, StatusCode::GONE, "invitation_used").await;
    let res = post(app, &anon, "/api/invitations/lookup", json!({"token": "no-such-token"})).await;
    assert_error(res, StatusCode::NOT_FOUND, "invitation_unknown").await;
    // The account is active and signs in with its password.
    browser(app, "nina@region.se").await;
    let a = account(app, &admin, "nina@region.se").await;
    assert_eq!(a["state"], "active");
    assert!(a["last_login_at"].is_string());
    assert_eq!(a["invitation_expires_at"], Value::Null);
}

async fn an_invitation_does_not_work_after_its_expiry_nor_once_withdrawn(app: &TestApp) {
    let admin = admin(app).await;
    let token = invite(app, &admin, "sen@region.se", &["coordinator"]).await;
    // An invited account cannot sign in (it has no password).
    let res = app.login_as(&app.new_client(), "sen@region.se").await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.clock.advance(Duration::from_secs(72 * 3600 + 1));
    let anon = app.new_browser();
    let res = post(app, &anon, "/api/invitations/lookup", json!({"token": token})).await;
    assert_error(res, StatusCode::GONE, "invitation_expired").await;
    let res = post(app, &anon, "/api/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    assert_error(res, StatusCode::GONE, "invitation_expired").await;
    // A new invitation withdraws the old one and works.
    let res = change(app, &admin, "sen@region.se", "invitation", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let inv: Value = res.json().await.unwrap();
    let fresh = inv["link"].as_str().unwrap().split_once('#').unwrap().1.to_owned();
    let res = post(app, &anon, "/api/invitations/lookup", json!({"token": token})).await;
    assert_error(res, StatusCode::GONE, "invitation_revoked").await;
    let res = post(app, &anon, "/api/invitations/accept", json!({"token": fresh, "password": PASSWORD})).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Disabling an invited account withdraws its invitation.
    let token = invite(app, &admin, "tredje@region.se", &["analyst"]).await;
    assert_eq!(change(app, &admin, "tredje@region.se", "disable", json!({})).await.status(), StatusCode::OK);
    let res = post(app, &anon, "/api/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    assert_error(res, StatusCode::GONE, "invitation_revoked").await;
}

async fn a_duplicate_or_malformed_invitation_is_a_field_error(app: &TestApp) {
    let admin = admin(app).await;
    let res = post(
        app,
        &admin,
        "/api/accounts",
        json!({"email": " ADMIN@region.se ", "display_name": "X", "roles": ["admin"]}),
    )
    .await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"], json!([{"field": "email", "code": "email.taken"}]));
    // The invitation mail is enqueued in the invitation's own transaction: a refused invitation
    // leaves no mail behind (and a made one exactly one).
    let mails = || async { app.db.jobs_of_kind(trygg_server::jobs::handlers::kinds::INVITATION).await.unwrap().len() };
    assert_eq!(mails().await, 0);
    invite(app, &admin, "ny@region.se", &["coordinator"]).await;
    assert_eq!(mails().await, 1);
    let res =
        post(app, &admin, "/api/accounts", json!({"email": "inte en adress", "display_name": "", "roles": ["root"]}))
            .await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let codes: Vec<&str> = err["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["email.invalid", "display_name.required", "roles.invalid"]);
}

async fn an_admin_without_the_coordinator_role_reads_no_report_and_a_coordinator_manages_no_account(app: &TestApp) {
    let id =
        app.submit(&new_key(), &valid_report()).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    trygg_server::cli::create_user(&app.db, &app.keys, ADMIN_ONLY, "Endast Admin", "admin", PASSWORD).await.unwrap();
    let admin = browser(app, ADMIN_ONLY).await;
    let me: Value = get(app, &admin, "/api/auth/me").await.json().await.unwrap();
    assert_eq!(me["roles"], json!(["admin"]));
    for path in ["/api/reports".to_owned(), "/api/reports/counts".to_owned(), format!("/api/reports/{id}")] {
        assert_error(get(app, &admin, &path).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let res = admin
        .0
        .patch(app.url(&format!("/api/reports/{id}")))
        .header(CSRF, app.csrf_of(&admin.1))
        .json(&json!({"status": "in_progress"}))
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(get(app, &admin, "/api/accounts").await.status(), StatusCode::OK);

    app.create_coordinator().await;
    let coordinator = browser(app, EMAIL).await;
    assert_error(get(app, &coordinator, "/api/accounts").await, StatusCode::FORBIDDEN, "forbidden").await;
    let res = post(
        app,
        &coordinator,
        "/api/accounts",
        json!({"email": "x@region.se", "display_name": "X", "roles": ["admin"]}),
    )
    .await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn a_disabled_account_is_refused_on_its_next_request_and_at_sign_in(app: &TestApp) {
    let admin = admin(app).await;
    app.create_coordinator().await;
    let coordinator = browser(app, EMAIL).await;
    let other = browser(app, EMAIL).await;
    assert_eq!(get(app, &coordinator, "/api/reports").await.status(), StatusCode::OK);
    assert_eq!(change(app, &admin, EMAIL, "disable", json!({})).await.status(), StatusCode::OK);
    for b in [&coordinator, &other] {
        assert_error(get(app, b, "/api/reports").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
        assert_error(get(app, b, "/api/auth/me").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let res = app.login_as(&app.new_client(), EMAIL).await;
    assert_error(res, StatusCode::FORBIDDEN, "account_disabled").await;
    // A wrong password does not learn that the account is disabled.
    let res = app
        .new_client()
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": EMAIL, "password": "fel fel fel fel"}))
        .send()
        .await
        .unwrap();
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(account(app, &admin, EMAIL).await["state"], "disabled");
    assert_eq!(change(app, &admin, EMAIL, "enable", json!({})).await.status(), StatusCode::OK);
    let back = browser(app, EMAIL).await;
    assert_eq!(get(app, &back, "/api/reports").await.status(), StatusCode::OK);
}

async fn the_last_admin_cannot_disable_demote_or_delete_themself(app: &TestApp) {
    let admin = admin(app).await;
    for (action, body) in [("disable", json!({})), ("roles", json!({"roles": ["coordinator"]})), ("delete", json!({}))]
    {
        let err =
            assert_error(change(app, &admin, ADMIN_EMAIL, action, body).await, StatusCode::CONFLICT, "last_admin")
                .await;
        assert!(err["message"].as_str().unwrap().contains("last active administrator"));
    }
    assert_eq!(account(app, &admin, ADMIN_EMAIL).await["roles"], json!(["coordinator", "admin"]));
    // A disabled administrator does not count.
    trygg_server::cli::create_user(&app.db, &app.keys, ADMIN_ONLY, "Endast Admin", "admin", PASSWORD).await.unwrap();
    assert_eq!(change(app, &admin, ADMIN_ONLY, "disable", json!({})).await.status(), StatusCode::OK);
    assert_error(change(app, &admin, ADMIN_EMAIL, "disable", json!({})).await, StatusCode::CONFLICT, "last_admin")
        .await;
    // With another active administrator, dropping the own admin role works.
    assert_eq!(change(app, &admin, ADMIN_ONLY, "enable", json!({})).await.status(), StatusCode::OK);
    let res = change(app, &admin, ADMIN_EMAIL, "roles", json!({"roles": ["coordinator"]})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_error(get(app, &admin, "/api/accounts").await, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn two_admins_demoting_each_other_at_once_leave_one_admin(app: &TestApp) {
    let a = admin(app).await;
    trygg_server::cli::create_user(&app.db, &app.keys, ADMIN_ONLY, "Endast Admin", "admin", PASSWORD).await.unwrap();
    let b = browser(app, ADMIN_ONLY).await;
    for _ in 0..3 {
        let a_acc = account(app, &a, ADMIN_ONLY).await;
        let b_acc = account(app, &a, ADMIN_EMAIL).await;
        let (pa, pb) = (
            format!("/api/accounts/{}/disable", a_acc["id"].as_str().unwrap()),
            format!("/api/accounts/{}/disable", b_acc["id"].as_str().unwrap()),
        );
        let (ra, rb) = tokio::join!(
            post(app, &a, &pa, json!({"version": a_acc["version"]})),
            post(app, &b, &pb, json!({"version": b_acc["version"]})),
        );
        // One wins; the other is refused as the last admin, or finds its own session already
        // ended by the winner's change.
        let statuses = [ra.status(), rb.status()];
        let refused = |s: &StatusCode| *s == StatusCode::CONFLICT || *s == StatusCode::UNAUTHORIZED;
        assert!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count() == 1 && statuses.iter().any(refused),
            "{statuses:?}"
        );
        let admins: i64 = match &app.db {
            trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.state = 'active'").fetch_one(p).await.unwrap(),
            trygg_server::store::Db::Postgres(p) => sqlx::query_scalar("SELECT COUNT(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.state = 'active'").fetch_one(p).await.unwrap(),
        };
        assert_eq!(admins, 1);
        // Put both back for the next round (the winner re-enables the loser, whoever it was).
        let (winner, loser_email) = if ra.status() == StatusCode::OK { (&a, ADMIN_ONLY) } else { (&b, ADMIN_EMAIL) };
        assert_eq!(change(app, winner, loser_email, "enable", json!({})).await.status(), StatusCode::OK);
        if loser_email == ADMIN_EMAIL {
            // `a`'s session ended: sign it in again in place.
            assert_eq!(app.login_as(&a.0, ADMIN_EMAIL).await.status(), StatusCode::OK);
        } else {
            assert_eq!(app.login_as(&b.0, ADMIN_ONLY).await.status(), StatusCode::OK);
        }
    }
}

async fn a_stale_version_is_refused_with_the_newer_state(app: &TestApp) {
    let admin = admin(app).await;
    app.create_coordinator().await;
    let before = account(app, &admin, EMAIL).await;
    let path = format!("/api/accounts/{}/roles", before["id"].as_str().unwrap());
    let res =
        post(app, &admin, &path, json!({"roles": ["coordinator", "analyst"], "version": before["version"]})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let after: Value = res.json().await.unwrap();
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
    // A second administrator, still looking at the old version.
    let res = post(app, &admin, &path, json!({"roles": ["responder"], "version": before["version"]})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "version_conflict");
    assert_eq!(body["current"]["roles"], json!(["coordinator", "analyst"]));
    assert_eq!(body["current"]["version"], after["version"]);
    assert_eq!(account(app, &admin, EMAIL).await["roles"], json!(["coordinator", "analyst"]), "nothing changed");
    let res = post(app, &admin, &path, json!({"roles": [], "version": after["version"]})).await;
    let err = assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(err["fields"][0]["code"], "roles.required");
    let res = post(app, &admin, "/api/accounts/not-a-uuid/disable", json!({"version": 1})).await;
    assert_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

async fn deleting_a_person_who_acted_keeps_the_reports_history_readable(app: &TestApp) {
    let id =
        app.submit(&new_key(), &valid_report()).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    app.create_coordinator().await;
    let coordinator = browser(app, EMAIL).await;
    let me: Value = get(app, &coordinator, "/api/auth/me").await.json().await.unwrap();
    let url = format!("/api/reports/{id}");
    let res = coordinator
        .0
        .patch(app.url(&url))
        .header(CSRF, app.csrf_of(&coordinator.1))
        .json(&json!({"status": "in_progress", "assignee": me["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        post(app, &coordinator, &format!("{url}/notes"), json!({"body": "Ringde upp"})).await.status(),
        StatusCode::CREATED
    );

    let admin = admin(app).await;
    let res = change(app, &admin, EMAIL, "delete", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let gone: Value = res.json().await.unwrap();
    assert_eq!((gone["display_name"].as_str(), gone["email"].as_str()), (Some("Borttagen användare 1"), Some("")));
    assert_eq!((gone["state"].as_str(), gone["deleted"].as_bool()), (Some("disabled"), Some(true)));
    assert_eq!(gone["roles"], json!([]));
    assert_error(get(app, &coordinator, "/api/reports").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app.login_as(&app.new_client(), EMAIL).await;
    assert_error(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;

    let detail: Value = get(app, &admin, &format!("{url}?reason=Uppf%C3%B6ljning")).await.json().await.unwrap();
    assert_eq!(detail["assignee_id"], me["id"], "the assignment still points at the same row");
    let events = detail["events"].as_array().unwrap();
    assert!(events.iter().any(|e| e["kind"] == "note" && e["author"] == "Borttagen användare 1"), "{events:?}");
    assert!(!detail.to_string().contains("Sara Samordnare"));
    let verdict: Value = get(app, &admin, "/api/audit/verify").await.json().await.unwrap();
    assert_eq!(verdict["ok"], true);
    // A deleted account stays deleted; its address is free again.
    assert_error(
        change_by_id(app, &admin, gone["id"].as_str().unwrap(), "enable").await,
        StatusCode::CONFLICT,
        "account_deleted",
    )
    .await;
    invite(app, &admin, EMAIL, &["coordinator"]).await;
}

async fn change_by_id(app: &TestApp, admin: &Browser, id: &str, action: &str) -> Response {
    let a = account_by_id(app, admin, id).await;
    post(app, admin, &format!("/api/accounts/{id}/{action}"), json!({"version": a["version"]})).await
}

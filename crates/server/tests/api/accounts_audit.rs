//! Every change to an account is an audit entry naming the actor and the account, with the
//! change (roles before → after, state before → after) and no secret: no token, password,
//! address or name.

use crate::accounts::{admin, change, get, invite, post};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(each_change_writes_an_audit_entry_without_secrets);

async fn each_change_writes_an_audit_entry_without_secrets(app: &TestApp) {
    let admin = admin(app).await;
    let token = invite(app, &admin, "ny@region.se", &["coordinator"]).await;
    let res =
        post(app, &app.new_browser(), "/api/invitations/accept", json!({"token": token, "password": PASSWORD})).await;
    assert_eq!(res.status(), StatusCode::OK);
    for (action, body) in [
        ("roles", json!({"roles": ["coordinator", "responder"]})),
        ("disable", json!({})),
        ("enable", json!({})),
        ("reset-two-factor", json!({})),
        ("delete", json!({})),
    ] {
        assert_eq!(change(app, &admin, "ny@region.se", action, body).await.status(), StatusCode::OK, "{action}");
    }
    let log: Value = get(app, &admin, "/api/audit?limit=100").await.json().await.unwrap();
    let entries = log.as_array().unwrap();
    let me: Value = get(app, &admin, "/api/auth/me").await.json().await.unwrap();
    for action in [
        "account.invite",
        "account.roles",
        "account.disable",
        "account.enable",
        "account.reset_two_factor",
        "account.delete",
    ] {
        let e = entries.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("{action} in {log}"));
        assert_eq!(e["user_id"], me["id"], "{action}: the actor");
        assert!(e["reason"].as_str().unwrap().starts_with("account "), "{action}: the target");
    }
    let roles = entries.iter().find(|e| e["action"] == "account.roles").unwrap();
    assert!(roles["reason"].as_str().unwrap().ends_with("roles coordinator → coordinator,responder"), "{roles}");
    let disable = entries.iter().find(|e| e["action"] == "account.disable").unwrap();
    assert!(disable["reason"].as_str().unwrap().ends_with("state active → disabled"), "{disable}");
    assert!(entries.iter().any(|e| e["action"] == "account.invitation_accepted"));
    let text = log.to_string();
    for secret in [token.as_str(), PASSWORD, "ny@region.se", "Nina Ny"] {
        assert!(!text.contains(secret), "the log holds no {secret}");
    }
}

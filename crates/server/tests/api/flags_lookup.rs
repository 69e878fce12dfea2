//! Risk-flag look-ups by dispatch tokens and responders: a token does look-ups and nothing else
//! and can be revoked; every look-up, hit or miss, is in the log and a flag shows who looked it
//! up; look-ups are rate-limited per account, and a token has its own limit; the log's group
//! commit writes each of many concurrent look-ups once, and one bad entry fails only itself.

use crate::flags::{ADDRESS, World, active_flag, found, look_up, world};
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    a_token_only_looks_up_and_a_revoked_token_is_refused,
    every_look_up_hit_or_miss_is_in_the_log_and_the_flag_shows_who_looked,
    look_ups_are_rate_limited_per_account,
    concurrent_look_ups_are_each_logged_once_and_a_bad_entry_fails_alone,
);

async fn new_token(app: &TestApp, w: &World) -> (String, String) {
    let res = w.admin.post(app, "/api/lookup-tokens", json!({"name": "SOS Alarm"})).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let t: Value = res.json().await.unwrap();
    (t["id"].as_str().unwrap().to_owned(), t["token"].as_str().unwrap().to_owned())
}

async fn token_look_up(app: &TestApp, token: &str, address: &str) -> reqwest::Response {
    app.new_client()
        .post(app.url("/api/lookup"))
        .bearer_auth(token)
        .json(&json!({"address": address, "purpose": "Ärende 99"}))
        .send()
        .await
        .unwrap()
}

async fn a_token_only_looks_up_and_a_revoked_token_is_refused(app: &TestApp) {
    let w = world(app).await;
    active_flag(app, &w, ADDRESS).await;
    // Only an administrator makes tokens.
    let res = w.sara.post(app, "/api/lookup-tokens", json!({"name": "SOS Alarm"})).await;
    assert_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let (id, token) = new_token(app, &w).await;
    let listed: Value = w.admin.get(app, "/api/lookup-tokens").await.json().await.unwrap();
    assert_eq!(listed[0]["name"], "SOS Alarm");
    assert!(listed[0]["token"].is_null(), "the secret is shown once");
    let res = token_look_up(app, &token, ADDRESS).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["flags"][0]["category"], "weapon");
    // Nothing else: every other route reads only the session cookie.
    let c = app.new_client();
    for path in
        [format!("/api/reports/{}", w.report), format!("/api/reports/{}/flags", w.report), "/api/auth/me".into()]
    {
        let res = c.get(app.url(&path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    assert_eq!(token_look_up(app, "not-a-token", ADDRESS).await.status(), StatusCode::UNAUTHORIZED);
    let res = w
        .admin
        .client
        .delete(app.url(&format!("/api/lookup-tokens/{id}")))
        .header(CSRF, &w.admin.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(token_look_up(app, &token, ADDRESS).await.status(), StatusCode::UNAUTHORIZED, "revoked at once");
    let again = w
        .admin
        .client
        .delete(app.url(&format!("/api/lookup-tokens/{id}")))
        .header(CSRF, &w.admin.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

async fn every_look_up_hit_or_miss_is_in_the_log_and_the_flag_shows_who_looked(app: &TestApp) {
    let w = world(app).await;
    let flag = active_flag(app, &w, ADDRESS).await;
    let (_, token) = new_token(app, &w).await;
    assert_eq!(found(app, &w.rut, ADDRESS).await.len(), 1);
    assert!(found(app, &w.rut, "Kyrkvägen 3, 981 31 Kiruna").await.is_empty());
    assert_eq!(token_look_up(app, &token, ADDRESS).await.status(), StatusCode::OK);
    let log: Value = w.admin.get(app, "/api/lookups").await.json().await.unwrap();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3);
    let seen: Vec<(String, bool, String)> = log
        .iter()
        .map(|l| {
            (l["by"].as_str().unwrap().into(), l["matched"].as_bool().unwrap(), l["purpose"].as_str().unwrap().into())
        })
        .collect();
    assert!(seen.contains(&("Rut Ambulans".into(), true, "Larm 2026-1234".into())));
    assert!(seen.contains(&("Rut Ambulans".into(), false, "Larm 2026-1234".into())));
    assert!(seen.contains(&("token: SOS Alarm".into(), true, "Ärende 99".into())));
    let d: Value = w.sara.get(app, &format!("/api/flags/{}", flag["id"].as_str().unwrap())).await.json().await.unwrap();
    let by: Vec<&str> = d["lookups"].as_array().unwrap().iter().map(|l| l["by"].as_str().unwrap()).collect();
    assert_eq!(by.len(), 2, "the two hits, not the miss: {by:?}");
    assert!(by.contains(&"Rut Ambulans") && by.contains(&"token: SOS Alarm"));
    // Reading a flag is itself an audited read.
    let audit: Value = w.admin.get(app, "/api/audit").await.json().await.unwrap();
    assert!(audit.to_string().contains("flag.read"), "{audit}");
}

async fn look_ups_are_rate_limited_per_account(app: &TestApp) {
    let w = world(app).await;
    // The limit counts per minute (a fixed window): start at a minute's beginning, so that the
    // look-ups below cannot straddle two windows however slow the machine.
    let into_minute = app.clock.now_ms().rem_euclid(60_000);
    app.clock.advance(std::time::Duration::from_millis((60_000 - into_minute) as u64 + 1));
    for _ in 0..trygg_server::routes::lookup::ACCOUNT_PER_MINUTE {
        assert_eq!(look_up(app, &w.rut, ADDRESS).await.status(), StatusCode::OK);
    }
    let res = look_up(app, &w.rut, ADDRESS).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    // A token has its own limit.
    let (_, token) = new_token(app, &w).await;
    assert_eq!(token_look_up(app, &token, ADDRESS).await.status(), StatusCode::OK);
}

async fn concurrent_look_ups_are_each_logged_once_and_a_bad_entry_fails_alone(app: &TestApp) {
    use trygg_server::store::lookup_log::{LookupEntry, LookupLog};
    let w = world(app).await;
    active_flag(app, &w, ADDRESS).await;
    let (token_id, token) = new_token(app, &w).await;
    let answers =
        futures::future::join_all((0..40).map(|i| {
            let token = token.clone();
            async move {
                token_look_up(app, &token, if i % 2 == 0 { ADDRESS } else { "Lillgatan 3, 123 45 Stockholm" }).await
            }
        }))
        .await;
    assert!(answers.iter().all(|r| r.status() == StatusCode::OK));
    let log: Value = w.admin.get(app, "/api/lookups").await.json().await.unwrap();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 40, "every answered look-up is in the log, once");
    assert_eq!(entries.iter().filter(|l| l["matched"] == true).count(), 20);

    // A batch with an entry the database refuses (an unknown account) writes its neighbours.
    let writer = LookupLog::spawn(app.db.clone(), 1);
    let entry = |token_id| LookupEntry {
        id: uuid::Uuid::now_v7(),
        at: app.clock.now_ms(),
        user_id: None,
        token_id: Some(token_id),
        address_index: "a".into(),
        building_index: "b".into(),
        matched: false,
        purpose_sealed: "x".into(),
    };
    let known = uuid::Uuid::parse_str(&token_id).unwrap();
    let (good, bad, good2) = tokio::join!(
        writer.write(entry(known)),
        writer.write(entry(uuid::Uuid::now_v7())),
        writer.write(entry(known)),
    );
    assert!(good.is_ok() && good2.is_ok() && bad.is_err(), "{good:?} {bad:?} {good2:?}");
}

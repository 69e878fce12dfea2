//! Throttles under attack: limits count first (a burst of parallel guesses cannot walk through),
//! the client address is the one our own proxy saw (a spoofed `X-Forwarded-For` entry changes
//! nothing), the per-account limit is the real guard on sign-in (one attacker behind a hospital's
//! NAT locks out no colleague), and the stored throttle keys are keyed hashes.
//!
//! The server here stands behind one trusted proxy, configured with the old switch
//! `TRYGG_TRUST_PROXY=true` (which now means one hop); the test client is that proxy.

use crate::helpers::*;
use crate::two_factor::code_at;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(with |c: &mut trygg_server::config::Config| c.trust_proxy = true =>
    a_burst_of_wrong_sign_ins_reaches_the_password_check_at_most_the_limit_and_locks_out_no_colleague,
    a_burst_of_wrong_receipt_codes_reaches_the_lookup_at_most_the_limit,
    a_burst_of_wrong_totp_codes_reaches_the_check_at_most_the_limit,
    a_spoofed_leftmost_forwarded_entry_does_not_escape_the_address_limit,
    a_guesser_behind_the_proxy_does_not_lock_out_a_reporter_at_another_address,
    the_stored_throttle_keys_are_not_sha256_of_the_address,
);

/// How many answers had each status.
fn tally(statuses: &[StatusCode]) -> (usize, usize, usize) {
    let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
    (count(StatusCode::UNAUTHORIZED), count(StatusCode::TOO_MANY_REQUESTS), count(StatusCode::UNPROCESSABLE_ENTITY))
}

async fn a_burst_of_wrong_sign_ins_reaches_the_password_check_at_most_the_limit_and_locks_out_no_colleague(
    app: &TestApp,
) {
    app.create_coordinator().await;
    app.create_admin().await;
    // One attacker, 100 parallel guesses at the administrator's password, from the same address
    // as everyone else (behind the proxy without X-Forwarded-For: the proxy's address, a NAT).
    let attacker = app.new_client();
    let guesses = (0..100).map(|i| {
        let c = attacker.clone();
        let url = app.url("/api/auth/login");
        async move {
            let body = json!({"email": ADMIN_EMAIL, "password": format!("fel lösenord nummer {i}")});
            c.post(url).json(&body).send().await.unwrap().status()
        }
    });
    let statuses = join_all(guesses).await;
    let (wrong, throttled, _) = tally(&statuses);
    assert_eq!(wrong + throttled, 100, "{statuses:?}");
    assert!(wrong <= 10, "{wrong} guesses reached the password check; the limit is 10");
    assert!(throttled >= 90);
    // The administrator's account is now locked for this window, even with the right password…
    let res = app.login_as(&app.new_client(), ADMIN_EMAIL).await;
    let res = assert_error_with_retry_after(res).await;
    assert!(res <= 15 * 60);
    // …but a colleague behind the same address signs in.
    assert_eq!(app.login().await.status(), StatusCode::OK);
}

/// Asserts a 429 in the envelope with a `Retry-After` in seconds; returns the seconds.
async fn assert_error_with_retry_after(res: reqwest::Response) -> u64 {
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!(retry >= 1);
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    retry
}

async fn a_burst_of_wrong_receipt_codes_reaches_the_lookup_at_most_the_limit(app: &TestApp) {
    let receipt: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let guesser = app.new_client();
    let guesses = (0..100).map(|i| {
        let c = guesser.clone();
        let url = app.url("/api/followup");
        async move {
            let wrong = format!("0000-0000-0000-{i:04}");
            c.post(url).json(&json!({"receipt_code": wrong})).send().await.unwrap().status()
        }
    });
    let statuses = join_all(guesses).await;
    let (_, throttled, wrong) = tally(&statuses);
    assert_eq!(wrong + throttled, 100, "{statuses:?}");
    assert!(wrong <= 20, "{wrong} guesses reached the lookup; the limit is 20");
    // The right code from the same address now waits as well.
    let res = guesser.post(app.url("/api/followup")).json(&json!({"receipt_code": receipt["receipt_code"]}));
    assert_error_with_retry_after(res.send().await.unwrap()).await;
}

async fn a_burst_of_wrong_totp_codes_reaches_the_check_at_most_the_limit(app: &TestApp) {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
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
    let (c, jar) = app.new_browser();
    assert_eq!(app.login_as(&c, EMAIL).await.status(), StatusCode::OK);
    let csrf = app.csrf_of(&jar);
    let guesses = (0..60).map(|i| {
        let (c, csrf) = (c.clone(), csrf.clone());
        let url = app.url("/api/auth/totp");
        async move {
            let body = if i % 2 == 0 {
                json!({"code": format!("{:06}", 100_000 + i)})
            } else {
                json!({"recovery_code": format!("AAAA-BBBB-CCCC-{i:04}")})
            };
            c.post(url).header(CSRF, csrf).json(&body).send().await.unwrap().status()
        }
    });
    let statuses = join_all(guesses).await;
    let (wrong, throttled, _) = tally(&statuses);
    assert_eq!(wrong + throttled, 60, "{statuses:?}");
    assert!(wrong <= 10, "{wrong} guesses reached the code check; the limit is 10");
}

async fn a_spoofed_leftmost_forwarded_entry_does_not_escape_the_address_limit(app: &TestApp) {
    let receipt: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let guesser = app.new_client();
    // Each guess claims another address in front; our proxy appends the real one.
    for i in 0..20 {
        let spoofed = format!("10.66.{}.{}, 198.51.100.66", i / 250, i % 250 + 1);
        let res = guesser
            .post(app.url("/api/followup"))
            .header("X-Forwarded-For", spoofed)
            .json(&json!({"receipt_code": format!("0000-0000-0000-{i:04}")}))
            .send()
            .await
            .unwrap();
        assert_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    let res = guesser
        .post(app.url("/api/followup"))
        .header("X-Forwarded-For", "192.0.2.250, 198.51.100.66")
        .json(&json!({"receipt_code": receipt["receipt_code"]}))
        .send()
        .await
        .unwrap();
    assert_error_with_retry_after(res).await;
}

async fn a_guesser_behind_the_proxy_does_not_lock_out_a_reporter_at_another_address(app: &TestApp) {
    let receipt: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let guesser = app.new_client();
    for i in 0..25 {
        let res = guesser
            .post(app.url("/api/followup"))
            .header("X-Forwarded-For", "198.51.100.66")
            .json(&json!({"receipt_code": format!("0000-0000-0000-{i:04}")}))
            .send()
            .await
            .unwrap();
        assert!(matches!(res.status(), StatusCode::UNPROCESSABLE_ENTITY | StatusCode::TOO_MANY_REQUESTS));
    }
    // Another client of the same proxy, at another address, follows up on the report.
    let reporter = app.new_client();
    let res = reporter
        .post(app.url("/api/followup"))
        .header("X-Forwarded-For", "203.0.113.5")
        .json(&json!({"receipt_code": receipt["receipt_code"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // IPv6 clients are counted by their /64: another address in the guesser's /64 waits too.
    for i in 0..21 {
        let res = guesser
            .post(app.url("/api/followup"))
            .header("X-Forwarded-For", format!("2001:db8:7:7::{:x}", i + 1))
            .json(&json!({"receipt_code": format!("0000-0000-0001-{i:04}")}))
            .send()
            .await
            .unwrap();
        assert!(matches!(res.status(), StatusCode::UNPROCESSABLE_ENTITY | StatusCode::TOO_MANY_REQUESTS));
    }
    let res = guesser
        .post(app.url("/api/followup"))
        .header("X-Forwarded-For", "2001:db8:7:7:ffff::1")
        .json(&json!({"receipt_code": receipt["receipt_code"]}))
        .send()
        .await
        .unwrap();
    assert_error_with_retry_after(res).await;
}

async fn the_stored_throttle_keys_are_not_sha256_of_the_address(app: &TestApp) {
    app.create_coordinator().await;
    let c = app.new_client();
    for addr in ["198.51.100.23", "192.0.2.1"] {
        let res = c
            .post(app.url("/api/followup"))
            .header("X-Forwarded-For", addr)
            .json(&json!({"receipt_code": "0000-0000-0000-0000"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = c
        .post(app.url("/api/auth/login"))
        .header("X-Forwarded-For", "198.51.100.23")
        .json(&json!({"email": EMAIL, "password": "fel lösenord helt och hållet"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let keys: Vec<String> = match &app.db {
        trygg_server::store::Db::Sqlite(p) => sqlx::query_scalar("SELECT key FROM rate_limits").fetch_all(p).await,
        trygg_server::store::Db::Postgres(p) => sqlx::query_scalar("SELECT key FROM rate_limits").fetch_all(p).await,
    }
    .unwrap();
    assert!(keys.len() >= 4, "{keys:?}");
    let plain = |v: &str| trygg_server::crypto::sha256_hex(v)[..32].to_owned();
    for key in &keys {
        for value in ["198.51.100.23", "192.0.2.1", "127.0.0.1", EMAIL] {
            assert!(!key.contains(&plain(value)), "{key} is an unsalted SHA-256 of {value}");
        }
        assert!(!key.contains("198.51.100") && !key.contains("region.se"), "{key}");
    }
}

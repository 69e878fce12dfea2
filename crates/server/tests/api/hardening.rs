//! Denial of service and housekeeping: flood limits on submits and reporter messages (429 in the
//! envelope with `Retry-After`), the purge of ended throttle windows, sessions and old replay
//! rows, and the `__Host-` session cookie behind HTTPS. Limits are set low here so that a test
//! needs few requests; the defaults are far higher (see `config.rs`).

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use trygg_server::store::Db;
use trygg_server::store::purge::{Ages, Purged};

crate::on_both_backends!(with |c: &mut trygg_server::config::Config| {
        c.submit_max_per_address = 5;
        c.message_max_per_address = 3;
        c.cookie_secure = true;
    } =>
    a_script_submitting_in_a_loop_gets_429_with_retry_after,
    a_reporter_writing_in_a_loop_gets_429_with_retry_after_and_each_message_is_saved_once,
    the_purge_deletes_ended_windows_ended_sessions_and_old_replay_rows_only,
    a_secure_server_names_its_cookie_with_the_host_prefix_and_reads_no_other,
);

/// Asserts a 429 in the envelope with a `Retry-After` of 1 to `max` seconds.
async fn assert_throttled(res: reqwest::Response, max: u64) {
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=max).contains(&retry), "Retry-After {retry}");
    assert_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

async fn a_script_submitting_in_a_loop_gets_429_with_retry_after(app: &TestApp) {
    let script = |addr: &'static str| {
        let c = app.client.clone();
        let url = app.url("/api/reports");
        move || {
            c.post(url.clone())
                .header("Idempotency-Key", new_key())
                .header("X-Forwarded-For", addr)
                .json(&valid_report())
        }
    };
    let from_here = script("198.51.100.1");
    for _ in 0..5 {
        assert_eq!(from_here().send().await.unwrap().status(), StatusCode::CREATED);
    }
    assert_throttled(from_here().send().await.unwrap(), 600).await;
    // Without trusted proxies the header is not read: every request here is the peer's.
    let elsewhere = script("203.0.113.9");
    assert_throttled(elsewhere().send().await.unwrap(), 600).await;
    let stored: i64 = match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(p).await.unwrap(),
    };
    assert_eq!(stored, 5, "a refused submit stores nothing");
}

async fn a_reporter_writing_in_a_loop_gets_429_with_retry_after_and_each_message_is_saved_once(app: &TestApp) {
    let receipt: Value = app.submit(&new_key(), &valid_report()).await.json().await.unwrap();
    let code = receipt["receipt_code"].as_str().unwrap().to_owned();
    let reporter = app.new_client();
    // A few wrong guesses first: the lookup's budget is partly spent, and the message still goes
    // through in one step (looked up once, saved, answered from the same lookup).
    for i in 0..18 {
        let wrong = format!("0000-0000-0000-{i:04}");
        let res = reporter.post(app.url("/api/followup")).json(&json!({"receipt_code": wrong})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    for i in 0..3 {
        let res = reporter
            .post(app.url("/api/followup/messages"))
            .json(&json!({"receipt_code": code, "body": format!("Tillägg {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let thread: Value = res.json().await.unwrap();
        let mine =
            thread["messages"].as_array().unwrap().iter().filter(|m| m["body"] == format!("Tillägg {i}")).count();
        assert_eq!(mine, 1, "the answer carries the message just saved, once: {thread}");
    }
    let res = reporter
        .post(app.url("/api/followup/messages"))
        .json(&json!({"receipt_code": code, "body": "Tillägg 3"}))
        .send()
        .await
        .unwrap();
    assert_throttled(res, 600).await;
    let thread: Value = reporter
        .post(app.url("/api/followup"))
        .json(&json!({"receipt_code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bodies: Vec<&str> =
        thread["messages"].as_array().unwrap().iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, ["Tillägg 0", "Tillägg 1", "Tillägg 2"], "each message saved once; the refused one not at all");
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(&sql).fetch_one(p).await.unwrap(),
    }
}

async fn the_purge_deletes_ended_windows_ended_sessions_and_old_replay_rows_only(app: &TestApp) {
    const MIN: i64 = 60_000;
    const DAY: i64 = 24 * 60 * MIN;
    let now = trygg_server::store::now_ms();
    let ages = Ages { session_idle_ms: 30 * MIN, replay_keep_ms: 7 * DAY };
    // Throttle windows: one ended an hour ago, one running now (10 minutes long).
    app.db.hit("test:old", 600, now - 60 * MIN).await.unwrap();
    app.db.hit("test:now", 600, now).await.unwrap();
    // Sessions: one past its absolute end, one idle for two hours, one in use.
    app.create_coordinator().await;
    let browsers: Vec<_> = (0..3).map(|_| app.new_client()).collect();
    for b in &browsers {
        assert_eq!(app.login_as(b, EMAIL).await.status(), StatusCode::OK);
    }
    let hashes: Vec<String> = match &app.db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT token_hash FROM sessions ORDER BY token_hash").fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_scalar("SELECT token_hash FROM sessions ORDER BY token_hash").fetch_all(p).await,
    }
    .unwrap();
    assert_eq!(hashes.len(), 3);
    app.sql(&format!("UPDATE sessions SET expires_at = {} WHERE token_hash = '{}'", now - MIN, hashes[0]))
        .await
        .unwrap();
    app.sql(&format!("UPDATE sessions SET last_seen_at = {} WHERE token_hash = '{}'", now - 120 * MIN, hashes[1]))
        .await
        .unwrap();
    // Replay rows: one report from eight days ago, one from today.
    let old_key = new_key();
    assert_eq!(app.submit(&old_key, &valid_report()).await.status(), StatusCode::CREATED);
    let fresh_key = new_key();
    assert_eq!(app.submit(&fresh_key, &valid_report()).await.status(), StatusCode::CREATED);
    let old_id = trygg_server::store::reports::key_id(old_key.parse().unwrap());
    let old_report: uuid::Uuid = match &app.db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT id FROM reports WHERE idempotency_key = $1").bind(old_id).fetch_one(p).await
        }
        Db::Postgres(p) => {
            sqlx::query_scalar("SELECT id FROM reports WHERE idempotency_key = $1").bind(old_id).fetch_one(p).await
        }
    }
    .unwrap();
    let eight_days_ago = now - 8 * DAY;
    match &app.db {
        Db::Sqlite(p) => sqlx::query("UPDATE receipt_replays SET created_at = $1 WHERE report_id = $2")
            .bind(eight_days_ago)
            .bind(old_report)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query("UPDATE receipt_replays SET created_at = $1 WHERE report_id = $2")
            .bind(eight_days_ago)
            .bind(old_report)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
    .unwrap();
    // The submits' flood counts reach the database with a flush (store/flood.rs): write them now,
    // so that no flush lands between the counts below.
    app.flood.flush(&app.db, now).await.unwrap();
    let (windows, reports) = (count(&app.db, "rate_limits").await, count(&app.db, "reports").await);

    let purged = app.db.purge(now, ages).await.unwrap();
    assert_eq!(purged, Purged { rate_limits: 1, sessions: 2, replays: 1 });
    assert_eq!(count(&app.db, "rate_limits").await, windows - 1);
    assert_eq!(app.db.hits("test:now", 600, now).await.unwrap(), 1, "the running window is kept");
    assert_eq!(count(&app.db, "sessions").await, 1);
    assert_eq!(count(&app.db, "receipt_replays").await, 1);
    assert_eq!(count(&app.db, "reports").await, reports, "reports themselves are never purged");
    // The fresh report's retry still gets its receipt; a retry after its receipt was purged is
    // told its key is spent (never a 500 that a client would retry for ever), and stores nothing.
    assert_eq!(app.submit(&fresh_key, &valid_report()).await.status(), StatusCode::OK);
    assert_error(app.submit(&old_key, &valid_report()).await, StatusCode::CONFLICT, "idempotency_conflict").await;
    assert_eq!(count(&app.db, "reports").await, reports);
    // Idempotent: a second run (another server, or the next tick) finds nothing more.
    assert_eq!(app.db.purge(now, ages).await.unwrap(), Purged::default());
    // Nothing is deleted before its time: an hour on, the running window ends too.
    let later = app.db.purge(now + 60 * MIN, ages).await.unwrap();
    assert!(later.rate_limits >= 1, "{later:?}");
}

async fn a_secure_server_names_its_cookie_with_the_host_prefix_and_reads_no_other(app: &TestApp) {
    app.create_coordinator().await;
    let res = app.login().await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-trygg_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned();
    let anon = app.new_client();
    let me = anon.get(app.url("/api/auth/me")).header("Cookie", format!("__Host-trygg_session={token}"));
    assert_eq!(me.send().await.unwrap().status(), StatusCode::OK);
    // The unprefixed name (which a sibling site or plain HTTP could set) is not read.
    let me = anon.get(app.url("/api/auth/me")).header("Cookie", format!("trygg_session={token}"));
    assert_error(me.send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthorized").await;
}

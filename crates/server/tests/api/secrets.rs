//! Secrets sealed at rest (TOTP secrets; named and confidential reporters' name, phone and
//! e-mail), key rotation, and how little an anonymous report says about when it arrived.

use crate::helpers::*;
use crate::two_factor::code_at;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use totp_rs::Secret;
use trygg_server::crypto::{Keys, key_line, random_key, sealed_key_id};
use trygg_server::store::Db;
use trygg_server::store::sealed::SEALED_COLUMNS;
use uuid::Uuid;

crate::on_both_backends!(
    nothing_identifying_and_no_totp_secret_is_plain_anywhere_in_the_database,
    an_anonymous_report_keeps_only_its_ten_minute_slot_and_a_random_id,
    secrets_written_before_sealing_are_read_as_they_are_and_sealed_at_start,
    a_rotated_key_reseals_every_value_and_a_server_with_only_the_new_key_reads_them,
    the_stored_request_hash_is_keyed_so_a_copy_cannot_confirm_a_guessed_name,
);

const NAME: &str = "Zlatana Qvisting";
const PHONE: &str = "070-987 65 43";
const EMAIL_: &str = "zq.rapportor@example.se";

/// Files a confidential report with name, phone and e-mail; returns its id.
async fn confidential(app: &TestApp) -> Uuid {
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!(NAME);
    r["reporter_phone"] = json!(PHONE);
    r["reporter_email"] = json!(EMAIL_);
    r["help_call_me"] = json!(true);
    let res = app.submit(&new_key(), &r).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.unwrap()["id"].as_str().unwrap().parse().unwrap()
}

/// Creates the coordinator, signs `app.client` in and enrols TOTP; returns the base32 secret.
async fn coordinator_with_totp(app: &TestApp) -> String {
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let res = app.client.post(app.url("/api/auth/totp/setup")).header(CSRF, app.csrf()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let secret = res.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
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

/// The TOTP secret as the server keeps it before sealing: hex of its bytes.
fn secret_hex(b32: &str) -> String {
    hex::encode(Secret::Encoded(b32.to_owned()).to_bytes().unwrap())
}

/// Reads a report as `client` (an audited read) and checks the reporter's fields.
async fn reads_the_reporter(app_url: impl Fn(&str) -> String, client: &Client, id: Uuid) {
    let res = client.get(app_url(&format!("/api/reports/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let r: Value = res.json().await.unwrap();
    assert_eq!((r["reporter_name"].as_str(), r["reporter_phone"].as_str()), (Some(NAME), Some(PHONE)));
    assert_eq!(r["reporter_email"], EMAIL_);
}

async fn query_rows(db: &Db, sql: &str) -> Vec<(String, String)> {
    match db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.unwrap(),
    }
}

/// Every (table, column) of the database, whatever its type.
async fn every_column(db: &Db) -> Vec<(String, String)> {
    let sql = match db {
        Db::Sqlite(_) => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
        Db::Postgres(_) => {
            "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'"
        }
    };
    let cols = query_rows(db, sql).await;
    assert!(cols.iter().any(|(t, c)| t == "reports" && c == "reporter_name"), "{cols:?}");
    cols
}

/// Where `needle` appears (case-insensitively) in any column of any table, as text.
async fn places_holding(db: &Db, cols: &[(String, String)], needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let pattern = format!("%{}%", needle.to_lowercase());
    for (table, column) in cols {
        let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE LOWER(CAST(\"{column}\" AS TEXT)) LIKE $1");
        let n: i64 = match db {
            Db::Sqlite(p) => sqlx::query_scalar(&sql).bind(&pattern).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(&sql).bind(&pattern).fetch_one(p).await.unwrap(),
        };
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

async fn nothing_identifying_and_no_totp_secret_is_plain_anywhere_in_the_database(app: &TestApp) {
    let id = confidential(app).await;
    let secret = coordinator_with_totp(app).await;
    // The coordinator still sees everything (opened on the way out of the audited read) ...
    reads_the_reporter(|p| app.url(p), &app.client, id).await;
    // ... and a copy of the database shows none of it, in any table or column.
    let cols = every_column(&app.db).await;
    for needle in [NAME, PHONE, EMAIL_, "Zlatana", "987 65 43", "rapportor@", &secret, &secret_hex(&secret)] {
        assert_eq!(places_holding(&app.db, &cols, needle).await, Vec::<String>::new(), "{needle} is stored plain");
    }
}

async fn scalar_i64(db: &Db, sql: &str, id: Uuid) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap(),
    }
}

async fn an_anonymous_report_keeps_only_its_ten_minute_slot_and_a_random_id(app: &TestApp) {
    let mut ids = Vec::new();
    for _ in 0..3 {
        let res = app.submit(&new_key(), &valid_report()).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        let id: Uuid = body["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(id.get_version_num(), 4, "a random id, not a UUIDv7 carrying the millisecond: {id}");
        let at = time::OffsetDateTime::parse(
            body["received_at"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!((at.second(), at.nanosecond(), at.minute() % 10), (0, 0, 0), "the receipt says {at}");
        let stored = scalar_i64(&app.db, "SELECT received_at FROM reports WHERE id = $1", id).await;
        assert_eq!(stored % 600_000, 0, "stored: {stored}");
        assert!((time::OffsetDateTime::now_utc() - at).whole_minutes() < 11);
        ids.push(id);
    }
    // A confidential report keeps its exact time and time-ordered id.
    let named = confidential(app).await;
    assert_eq!(named.get_version_num(), 7);
    // The inbox pages by its own sequence, so random ids and equal times still page newest first.
    app.create_coordinator().await;
    assert_eq!(app.login().await.status(), StatusCode::OK);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => app.url(&format!("/api/reports?limit=1&before={c}")),
            None => app.url("/api/reports?limit=1"),
        };
        let page: Value = app.client.get(url).send().await.unwrap().json().await.unwrap();
        seen.extend(
            page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().parse::<Uuid>().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, [named, ids[2], ids[1], ids[0]]);
}

/// (id, stored value) of every non-null value of every sealed column.
async fn sealed_values(db: &Db) -> Vec<(&'static str, &'static str, Uuid, String)> {
    let mut out = Vec::new();
    for (table, column) in SEALED_COLUMNS {
        let sql = format!("SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL");
        let rows: Vec<(Uuid, String)> = match db {
            Db::Sqlite(p) => sqlx::query_as(&sql).fetch_all(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_as(&sql).fetch_all(p).await.unwrap(),
        };
        out.extend(rows.into_iter().map(|(id, v)| (table, column, id, v)));
    }
    out
}

async fn set_plain(db: &Db, table: &str, column: &str, id: Uuid, plain: &str) {
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
    let n = match db {
        Db::Sqlite(p) => sqlx::query(&sql).bind(plain).bind(id).execute(p).await.unwrap().rows_affected(),
        Db::Postgres(p) => sqlx::query(&sql).bind(plain).bind(id).execute(p).await.unwrap().rows_affected(),
    };
    assert_eq!(n, 1);
}

/// The test server's key file, made here so that the test holds the key too.
pub(crate) fn key_file(lines: &[(u32, [u8; 32])]) -> secrecy::SecretString {
    lines.iter().map(|(kid, k)| key_line(*kid, k)).collect::<Vec<_>>().join("\n").into()
}

async fn secrets_written_before_sealing_are_read_as_they_are_and_sealed_at_start(app: &TestApp) {
    let key = random_key();
    let Some(app) = respawn(app, key_file(&[(1, key)])).await else { return };
    let keys = Keys::single(key);
    let id = confidential(&app).await;
    let secret = coordinator_with_totp(&app).await;
    // Put the rows back the way a server stored them before sealing existed.
    let me: Value = app.client.get(app.url("/api/auth/me")).send().await.unwrap().json().await.unwrap();
    let user: Uuid = me["id"].as_str().unwrap().parse().unwrap();
    for (column, plain) in [("reporter_name", NAME), ("reporter_phone", PHONE), ("reporter_email", EMAIL_)] {
        set_plain(&app.db, "reports", column, id, plain).await;
    }
    set_plain(&app.db, "users", "totp_secret", user, &secret_hex(&secret)).await;
    // During the transition plain values are read as they are: the report and the TOTP check.
    reads_the_reporter(|p| app.url(p), &app.client, id).await;
    let (c, _) = app.new_browser();
    second_factor(&app.url(""), &c, &secret, 1).await;
    // Two servers starting together seal each value once between them; a third finds nothing.
    let (a, b) = tokio::join!(app.db.seal_plain(&keys), app.db.seal_plain(&keys));
    assert_eq!(a.unwrap() + b.unwrap(), 4);
    assert_eq!(app.db.seal_plain(&keys).await.unwrap(), 0);
    let values = sealed_values(&app.db).await;
    assert_eq!(values.len(), 4);
    assert!(values.iter().all(|(.., v)| sealed_key_id(v) == Some(1)), "{values:?}");
    reads_the_reporter(|p| app.url(p), &app.client, id).await;
    // The code of step +1 was used just now; step +2 is outside the window, so let the account
    // accept step +1 once more (the replay guard is not what this test is about).
    assert_eq!(app.sql("UPDATE users SET totp_last_step = 0").await.unwrap(), 1);
    let (c, _) = app.new_browser();
    second_factor(&app.url(""), &c, &secret, 1).await;
    app.stop().await;
}

/// Signs `c` in with the password and the TOTP code `step` steps ahead; expects success.
async fn second_factor(base: &str, c: &Client, secret: &str, step: i64) {
    let res =
        c.post(format!("{base}/api/auth/login")).json(&json!({"email": EMAIL, "password": PASSWORD})).send().await;
    let me: Value = res.unwrap().json().await.unwrap();
    assert_eq!(me["mfa_required"], true, "{me}");
    let csrf = me["csrf_token"].as_str().unwrap_or_default().to_owned();
    let res = c
        .post(format!("{base}/api/auth/totp"))
        .header(CSRF, csrf)
        .json(&json!({"code": code_at(secret, step)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "the sealed TOTP secret opens");
}

/// A test server like `app` (same backend) whose key file is `keys`.
pub(crate) async fn respawn(app: &TestApp, keys: secrecy::SecretString) -> Option<TestApp> {
    let backend = match app.db {
        Db::Sqlite(_) => Backend::Sqlite,
        Db::Postgres(_) => Backend::Postgres,
    };
    spawn_with(backend, move |c| c.secret_key = Some(keys)).await
}

async fn a_rotated_key_reseals_every_value_and_a_server_with_only_the_new_key_reads_them(app: &TestApp) {
    let (old, new) = (random_key(), random_key());
    let Some(app) = respawn(app, key_file(&[(1, old)])).await else { return };
    let id = confidential(&app).await;
    let secret = coordinator_with_totp(&app).await;
    assert!(sealed_values(&app.db).await.iter().all(|(.., v)| sealed_key_id(v) == Some(1)));

    // Rotating with the old line already gone opens nothing: every value is reported, none lost.
    let too_soon = app.db.rotate_sealed(&Keys::parse(&key_line(2, &new)).unwrap()).await.unwrap();
    assert_eq!((too_soon.resealed, too_soon.failed.len()), (0, 4));
    assert!(sealed_values(&app.db).await.iter().all(|(.., v)| sealed_key_id(v) == Some(1)));

    // The new line is added to the key file; `rotate-key` re-seals, and a second run finds nothing.
    let both = Keys::parse(&format!("{}\n{}", key_line(1, &old), key_line(2, &new))).unwrap();
    // Two runs at once (or a run beside a starting server) re-seal each value once between them.
    let (a, b) = tokio::join!(app.db.rotate_sealed(&both), app.db.rotate_sealed(&both));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.resealed + b.resealed, a.sealed + b.sealed, a.failed.len() + b.failed.len()), (4, 0, 0));
    assert_eq!(app.db.rotate_sealed(&both).await.unwrap().resealed, 0);
    let only_new = Keys::parse(&key_line(2, &new)).unwrap();
    let values = sealed_values(&app.db).await;
    assert_eq!(values.len(), 4);
    for (table, column, row, v) in &values {
        assert_eq!(sealed_key_id(v), Some(2), "{table}.{column}");
        assert!(only_new.open(table, column, &row.to_string(), v).is_ok(), "{table}.{column} opens with the new key");
    }

    // A server that has only the new key (the old line removed) reads everything.
    let config = trygg_server::config::Config {
        dist_dir: app.dist.path().to_owned(),
        secret_key: Some(key_line(2, &new).into()),
        ..trygg_server::config::Config::default()
    };
    let keys = Arc::new(config.keys().unwrap());
    let state = trygg_server::state::AppState {
        jobs: trygg_server::jobs::spawn(app.db.clone(), Default::default(), keys.clone(), &config),
        writer: trygg_server::store::writer::ReportWriter::spawn(app.db.clone(), keys.clone(), 1),
        lookup_log: trygg_server::store::lookup_log::LookupLog::spawn(app.db.clone(), 1),
        db: app.db.clone(),
        config: Arc::new(config),
        keys: keys.clone(),
        password_checks: Arc::new(tokio::sync::Semaphore::new(2)),
        flood: Arc::default(),
        clock: trygg_server::clock::Clock::system(),
        anchor: Arc::new(trygg_server::store::audit::AnchorFile::new(
            app.dist.path().join("audit-head-new-key"),
            keys.clone(),
        )),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = trygg_server::app::router(state);
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let base = format!("http://{addr}");
    let c = Client::builder().cookie_store(true).build().unwrap();
    second_factor(&base, &c, &secret, 1).await;
    reads_the_reporter(|p| format!("{base}{p}"), &c, id).await;
    server.abort();
    app.stop().await;
}

async fn stored_request_hash(db: &Db, id: Uuid) -> String {
    let sql = "SELECT request_hash FROM reports WHERE id = $1";
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(sql).bind(id).fetch_one(p).await.unwrap(),
    }
}

async fn the_stored_request_hash_is_keyed_so_a_copy_cannot_confirm_a_guessed_name(app: &TestApp) {
    let key = random_key();
    let Some(app) = respawn(app, key_file(&[(1, key)])).await else { return };
    let mut r = valid_report();
    r["identity"] = json!("confidential");
    r["reporter_name"] = json!(NAME);
    let idem = new_key();
    let res = app.submit(&idem, &r).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let first: Value = res.json().await.unwrap();
    let id: Uuid = first["id"].as_str().unwrap().parse().unwrap();
    // Whoever holds the database and guesses the name can rebuild the body (every other field
    // is stored in the clear): its plain SHA-256 must not be there to confirm the guess.
    let draft: trygg_domain::ReportDraft = serde_json::from_value(r.clone()).unwrap();
    let plain = trygg_server::crypto::sha256_hex(&serde_json::to_string(&draft).unwrap());
    let stored = stored_request_hash(&app.db, id).await;
    assert!(stored.starts_with("k1:") && !stored.contains(&plain), "{stored}");
    let cols = every_column(&app.db).await;
    assert_eq!(places_holding(&app.db, &cols, &plain).await, Vec::<String>::new());
    // A retry is still recognised, and a different body under the same key still is not.
    let again = app.submit(&idem, &r).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let mut other = r.clone();
    other["reporter_name"] = json!("Någon Annan");
    assert_error(app.submit(&idem, &other).await, StatusCode::CONFLICT, "idempotency_conflict").await;
    // A row written before hashes were keyed is answered as before, and keyed at start.
    set_plain(&app.db, "reports", "request_hash", id, &plain).await;
    assert_eq!(app.submit(&idem, &r).await.status(), StatusCode::OK);
    assert_eq!(app.db.seal_plain(&Keys::single(key)).await.unwrap(), 1);
    assert!(stored_request_hash(&app.db, id).await.starts_with("k1:"));
    assert_eq!(app.submit(&idem, &r).await.json::<Value>().await.unwrap(), first);
    app.stop().await;
}

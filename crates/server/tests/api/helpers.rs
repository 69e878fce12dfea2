//! `spawn()` starts the real router on 127.0.0.1:0 over a fresh database of the chosen backend.
//!
//! PostgreSQL comes from `TRYGG_TEST_PG_URL` (a server URL; each test creates its own
//! database). Without it the PostgreSQL tests are skipped, except under `CI=true`, where a
//! missing PostgreSQL is a failure.

use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use std::net::SocketAddr;
use std::sync::Arc;
use trygg_server::config::Config;
use trygg_server::store::Db;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    /// `client`'s cookies (the session, from which the CSRF token follows).
    pub jar: Arc<Jar>,
    pub db: Db,
    /// The server's secret keys (for direct store calls that seal or audit).
    pub keys: Arc<trygg_server::crypto::Keys>,
    /// The server's flood counters (to write them now instead of at the next tick).
    pub flood: Arc<trygg_server::store::flood::FloodCounter>,
    /// The server's clock: `app.clock.advance(..)` moves the server's time forward.
    #[allow(dead_code)] // read by the time-dependent tests (jobs, roster, retention)
    pub clock: trygg_server::clock::Clock,
    pub dist: tempfile::TempDir,
    _dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

/// The CSRF header every state-changing request with a session carries.
pub use trygg_wire::headers::CSRF;

pub const PASSWORD: &str = "ett långt och hemligt lösenord";
pub const EMAIL: &str = "samordnare@region.se";
pub const ADMIN_EMAIL: &str = "admin@region.se";

pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, |_| {}).await
}

/// Like [`spawn`], with the configuration adjusted first. Two-factor sign-in is not required by
/// default here (most tests are about something else); the two-factor tests switch it on.
pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let dir = tempfile::tempdir().expect("tempdir");
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("trygg.db").display()),
        Backend::Postgres => fresh_pg_database().await?,
    };
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>Trygg</title>").unwrap();
    std::fs::write(dist.path().join("trygg-app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url,
        dist_dir: dist.path().to_owned(),
        max_body_bytes: 64 * 1024,
        require_2fa: false,
        secret_key: Some(test_secret_key()),
        audit_anchor_file: Some(dir.path().join("audit-head")),
        ..Config::default()
    };
    let mut config = config;
    adjust(&mut config);
    let (router, state) = trygg_server::build(config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    let jar = Arc::new(Jar::default());
    let client = Client::builder().cookie_provider(jar.clone()).build().unwrap();
    Some(TestApp {
        addr,
        client,
        jar,
        db: state.db,
        keys: state.keys,
        flood: state.flood,
        clock: state.clock,
        dist,
        _dir: dir,
        server,
    })
}

async fn fresh_pg_database() -> Option<String> {
    let Ok(base) = std::env::var("TRYGG_TEST_PG_URL") else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but TRYGG_TEST_PG_URL is not set: the PostgreSQL tests cannot be skipped in CI");
        }
        eprintln!("skipping: TRYGG_TEST_PG_URL is not set (run the README's test command)");
        return None;
    };
    let name = format!("trygg_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to the test PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    conn.close().await.ok();
    let (prefix, _) = base.rsplit_once('/').expect("URL has a database path");
    Some(format!("{prefix}/{name}"))
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client with its own cookie jar (another browser).
    pub fn new_client(&self) -> Client {
        self.new_browser().0
    }

    /// Another browser, with its cookie jar (for [`TestApp::csrf_of`]).
    pub fn new_browser(&self) -> (Client, Arc<Jar>) {
        let jar = Arc::new(Jar::default());
        (Client::builder().cookie_provider(jar.clone()).build().unwrap(), jar)
    }

    /// The CSRF token of `client`'s session: what the app gets from login or `/api/auth/me`.
    pub fn csrf(&self) -> String {
        self.csrf_of(&self.jar)
    }

    /// The CSRF token of the session whose cookie is in `jar` (empty without one).
    pub fn csrf_of(&self, jar: &Jar) -> String {
        let url: reqwest::Url = self.url("/").parse().unwrap();
        let cookies = jar.cookies(&url).map(|v| v.to_str().unwrap_or_default().to_owned()).unwrap_or_default();
        cookies
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == trygg_server::auth::SESSION_COOKIE)
            .map(|(_, token)| trygg_server::auth::csrf_token(token))
            .unwrap_or_default()
    }

    pub async fn submit(&self, key: &str, body: &Value) -> Response {
        self.client.post(self.url("/api/reports")).header("Idempotency-Key", key).json(body).send().await.unwrap()
    }

    pub async fn create_coordinator(&self) {
        trygg_server::cli::create_user(&self.db, &self.keys, EMAIL, "Sara Samordnare", "coordinator", PASSWORD)
            .await
            .unwrap();
    }

    pub async fn create_admin(&self) {
        trygg_server::cli::create_user(&self.db, &self.keys, ADMIN_EMAIL, "Ada Admin", "admin,coordinator", PASSWORD)
            .await
            .unwrap();
    }

    /// Signs `client` in as `email` (with the shared test password).
    pub async fn login_as(&self, client: &Client, email: &str) -> Response {
        client
            .post(self.url("/api/auth/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
    }

    /// Runs one SQL statement directly on the database, bypassing the server.
    pub async fn sql(&self, statement: &str) -> Result<u64, sqlx::Error> {
        match &self.db {
            Db::Sqlite(p) => sqlx::query(statement).execute(p).await.map(|r| r.rows_affected()),
            Db::Postgres(p) => sqlx::query(statement).execute(p).await.map(|r| r.rows_affected()),
        }
    }

    /// How many entries the access log holds (sign-ins and account changes included).
    pub async fn audit_count(&self) -> i64 {
        let sql = "SELECT COUNT(*) FROM audit_log";
        match &self.db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    pub async fn login(&self) -> Response {
        self.client
            .post(self.url("/api/auth/login"))
            .json(&json!({"email": EMAIL, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
    }

    pub async fn stop(self) {
        self.server.abort();
        self.db.close().await;
    }
}

/// A report that passes every rule.
pub fn valid_report() -> Value {
    json!({
        "kind": "threat",
        "channel": "in_person",
        "occurred_at": "2026-01-15T14:30:00+01:00",
        "location": "Akutmottagningen",
        "description": "En anhörig hotade att vänta utanför efter passet.",
        "role": "healthcare",
        "phase": "after",
        "identity": "anonymous"
    })
}

pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Asserts the status and the standard error envelope; returns the envelope's `error` object.
pub async fn assert_error(res: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(ct.starts_with("application/json"), "content-type {ct}");
    let body: Value = res.json().await.expect("JSON body");
    let err = body.get("error").unwrap_or_else(|| panic!("no error object in {body}")).clone();
    assert_eq!(err["code"], code, "error code in {body}");
    assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "message in {body}");
    assert!(err["fields"].is_array(), "fields in {body}");
    err
}

/// A fresh secret key for one test server (key file syntax: `KID BASE64`).
pub fn test_secret_key() -> secrecy::SecretString {
    let key = trygg_server::crypto::random_key();
    secrecy::SecretString::from(trygg_server::crypto::key_line(1, &key))
}

/// Waits until `probe` finds something — the work of the server's background tasks (jobs, the
/// scheduler's tick) after a test moved its clock — asking every 25 ms for at most 10 s; `None`
/// if it never did. The one condition-wait of the API tests: a test asks for a state, never for a
/// duration.
pub async fn eventually_some<T, F, Fut>(mut probe: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..400 {
        if let Some(found) = probe().await {
            return Some(found);
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    None
}

/// Waits until `ready` holds (see [`eventually_some`]); false if it never did.
pub async fn eventually<F, Fut>(mut ready: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually_some(|| {
        let ready = ready();
        async move { ready.await.then_some(()) }
    })
    .await
    .is_some()
}

/// The job under `key` once `check` holds for it (see [`eventually_some`]); `None` if it never did.
pub async fn job_when(
    app: &TestApp,
    key: &str,
    check: impl Fn(&trygg_server::store::jobs::JobRow) -> bool,
) -> Option<trygg_server::store::jobs::JobRow> {
    let check = &check;
    eventually_some(|| async move { app.db.job_by_key(key).await.unwrap().filter(|j| check(j)) }).await
}

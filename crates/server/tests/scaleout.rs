//! Several servers, one PostgreSQL, a real load balancer: two `trygg-server` processes behind
//! Debian's HAProxy (round robin, `option forwardfor`), sharing one database and one secret key.
//! Nothing that must be shared may live in one server's memory: a session made on one server
//! works on the other, the same idempotency key racing on both gives one report, sign-in
//! throttling counts across both, and the audit chain stays valid with appends from both.
//!
//! Needs `TRYGG_TEST_PG_URL` and `haproxy` on PATH; skipped without them, except under
//! `CI=true`, where either missing is a failure.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use uuid::Uuid;

const PASSWORD: &str = "ett långt lösenord för skalning";
const KEY: &str = "1 c2thbG5pbmdzdGVzdGV0cyBoZW1saWdhIG55Y2tlbCE=";

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Kills every child process when the test ends, however it ends.
struct Procs(Vec<Child>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            c.kill().ok();
            c.wait().ok();
        }
    }
}

fn server_cmd(database_url: &str, anchor: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_trygg-server"));
    c.env("DATABASE_URL", database_url)
        .env("TRYGG_DIST_DIR", "/nonexistent")
        .env("TRYGG_SECRET_KEY", KEY)
        .env("TRYGG_REQUIRE_2FA", "false")
        .env("TRYGG_LOGIN_MAX_FAILURES", "4")
        // Behind one proxy hop: the client address is the entry HAProxy adds.
        .env("TRYGG_TRUST_PROXY", "true")
        // Each server keeps its own record of the audit head (outside the database).
        .env("TRYGG_AUDIT_ANCHOR_FILE", anchor)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null());
    c
}

async fn wait_healthy(url: &str) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{url}/healthz")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} did not become healthy");
}

struct Cluster {
    servers: [String; 2],
    lb: String,
    _procs: Procs,
    _dir: tempfile::TempDir,
}

async fn cluster() -> Option<Cluster> {
    let Ok(base) = std::env::var("TRYGG_TEST_PG_URL") else {
        assert!(!ci(), "CI=true needs TRYGG_TEST_PG_URL");
        eprintln!("skipping: TRYGG_TEST_PG_URL is not set");
        return None;
    };
    let haproxy_found = Command::new("haproxy").arg("-v").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if !haproxy_found {
        assert!(!ci(), "CI=true needs haproxy (Debian's package; scripts/install.sh installs it)");
        eprintln!("skipping: haproxy is not installed");
        return None;
    }
    let name = format!("trygg_scale_{}", Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
    conn.close().await.ok();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    let database_url = format!("{prefix}/{name}");

    let dir = tempfile::tempdir().unwrap();
    // Accounts first (this also runs the migrations once, before two servers race to).
    for (email, role) in [("samordnare@skala.se", "coordinator"), ("admin@skala.se", "admin")] {
        let status = server_cmd(&database_url, &dir.path().join("audit-head-cli"))
            .args(["create-user", "--email", email, "--name", email, "--role", role])
            .env("TRYGG_NEW_USER_PASSWORD", PASSWORD)
            .status()
            .unwrap();
        assert!(status.success(), "create-user {email}");
    }
    let mut procs = Procs(Vec::new());
    let ports = [free_port(), free_port()];
    for port in ports {
        let anchor = dir.path().join(format!("audit-head-{port}"));
        procs
            .0
            .push(server_cmd(&database_url, &anchor).env("TRYGG_ADDR", format!("127.0.0.1:{port}")).spawn().unwrap());
    }
    let servers = ports.map(|p| format!("http://127.0.0.1:{p}"));
    for s in &servers {
        wait_healthy(s).await;
    }
    let lb_port = free_port();
    let cfg = dir.path().join("haproxy.cfg");
    std::fs::write(
        &cfg,
        format!(
            "global\n  maxconn 512\n\
             defaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n  option forwardfor\n\
             frontend trygg\n  bind 127.0.0.1:{lb_port}\n  default_backend servers\n\
             backend servers\n  balance roundrobin\n  server a 127.0.0.1:{}\n  server b 127.0.0.1:{}\n",
            ports[0], ports[1]
        ),
    )
    .unwrap();
    procs.0.push(Command::new("haproxy").arg("-db").arg("-f").arg(&cfg).stdout(Stdio::null()).spawn().unwrap());
    let lb = format!("http://127.0.0.1:{lb_port}");
    wait_healthy(&lb).await;
    Some(Cluster { servers, lb, _procs: procs, _dir: dir })
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).build().unwrap()
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> Value {
    let res = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "sign-in at {base}");
    res.json().await.unwrap()
}

fn report(text: &str) -> Value {
    json!({"kind": "threat", "channel": "phone", "occurred_at": "2026-02-01T08:00:00Z",
           "description": text, "role": "healthcare", "identity": "anonymous"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_behind_a_load_balancer_share_everything_that_must_be_shared() {
    let Some(c) = cluster().await else { return };
    let [a, b] = &c.servers;

    // A session made through one server works on the other (and through the balancer).
    let coordinator = browser();
    let me = login(&coordinator, a, "samordnare@skala.se").await;
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();
    for base in [b, a, &c.lb, &c.lb] {
        let res = coordinator.get(format!("{base}/api/auth/me")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "the session made on one server works at {base}");
    }

    // The same idempotency key racing on both servers gives one report and one receipt.
    let reporter = reqwest::Client::new();
    let mut ids = Vec::new();
    for round in 0..10 {
        let key = Uuid::new_v4().to_string();
        let body = report(&format!("Hot i telefon, runda {round}"));
        let send = |base: &String| {
            reporter.post(format!("{base}/api/reports")).header("Idempotency-Key", &key).json(&body).send()
        };
        let (ra, rb) = tokio::join!(send(a), send(b));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        let mut statuses = [ra.status(), rb.status()];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED], "one server stores, the other replays");
        let (ja, jb): (Value, Value) = (ra.json().await.unwrap(), rb.json().await.unwrap());
        assert_eq!(ja["id"], jb["id"]);
        assert_eq!(ja["receipt_code"], jb["receipt_code"]);
        ids.push(ja["id"].as_str().unwrap().to_owned());
    }

    // Audit appends from both servers at once keep one valid chain.
    let mut reads = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let base = if i % 2 == 0 { a } else { b };
        reads.push(coordinator.get(format!("{base}/api/reports/{id}")).header("x-csrf-token", &csrf).send());
    }
    for r in futures::future::join_all(reads).await {
        assert_eq!(r.unwrap().status(), StatusCode::OK);
    }
    let admin = browser();
    login(&admin, b, "admin@skala.se").await;
    for base in [a, b] {
        let v: Value = admin.get(format!("{base}/api/audit/verify")).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["ok"], true, "the chain verifies at {base}: {v}");
        assert!(v["entries"].as_i64().unwrap() >= ids.len() as i64, "{v}");
    }

    // Sign-in throttling counts across both servers: four wrong passwords spread over the
    // balancer lock the account on every server.
    let stranger = reqwest::Client::new();
    let wrong = json!({"email": "samordnare@skala.se", "password": "fel lösenord, fel lösenord"});
    for _ in 0..4 {
        let res = stranger.post(format!("{}/api/auth/login", c.lb)).json(&wrong).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    for base in [a, b] {
        let res = stranger.post(format!("{base}/api/auth/login")).json(&wrong).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "the account is throttled at {base} too");
    }
}

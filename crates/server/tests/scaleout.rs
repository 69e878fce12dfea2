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
    database_url: String,
    _procs: Procs,
    _dir: tempfile::TempDir,
}

async fn cluster() -> Option<Cluster> {
    cluster_with(&[]).await
}

/// A fresh database on the test PostgreSQL with the two test accounts; `None` when skipped.
async fn database(dir: &std::path::Path) -> Option<String> {
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

    // Accounts first (this also runs the migrations once, before two servers race to).
    for (email, role) in [("samordnare@skala.se", "coordinator"), ("admin@skala.se", "admin")] {
        let status = server_cmd(&database_url, &dir.join("audit-head-cli"))
            .args(["create-user", "--email", email, "--name", email, "--role", role])
            .env("TRYGG_NEW_USER_PASSWORD", PASSWORD)
            .status()
            .unwrap();
        assert!(status.success(), "create-user {email}");
    }
    Some(database_url)
}

/// Two servers (each also given `env`) behind HAProxy on a fresh database.
async fn cluster_with(env: &[(&str, String)]) -> Option<Cluster> {
    let dir = tempfile::tempdir().unwrap();
    let database_url = database(dir.path()).await?;
    let mut procs = Procs(Vec::new());
    let ports = [free_port(), free_port()];
    for port in ports {
        let anchor = dir.path().join(format!("audit-head-{port}"));
        let mut cmd = server_cmd(&database_url, &anchor);
        cmd.env("TRYGG_ADDR", format!("127.0.0.1:{port}")).envs(env.iter().map(|(k, v)| (k, v)));
        procs.0.push(cmd.spawn().unwrap());
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
    Some(Cluster { servers, lb, database_url, _procs: procs, _dir: dir })
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

#[path = "support/smtp_sink.rs"]
mod smtp_sink;

fn urgent(text: &str) -> Value {
    json!({"kind": "violence", "channel": "in_person", "occurred_at": "2026-02-01T08:00:00Z",
           "description": text, "role": "healthcare", "identity": "anonymous"})
}

/// `(state, attempts)` of the urgent-report job of report `id`.
async fn urgent_job(db: &mut sqlx::PgConnection, id: &str) -> Option<(String, i64)> {
    sqlx::query_as("SELECT state, attempts FROM jobs WHERE unique_key = $1")
        .bind(format!("urgent_report:{id}"))
        .fetch_optional(db)
        .await
        .unwrap()
}

/// Due mail goes out exactly once with two servers claiming, and a server killed (SIGKILL)
/// while it holds a job's lease loses nothing: another server sends the mail once the lease
/// (2 s here) has run out. The access log still verifies afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_send_each_mail_once_and_take_over_a_killed_servers_job() {
    let Some(sink) = smtp_sink::Sink::start().await else { return };
    let mail_env = |smtp: String| {
        vec![
            ("TRYGG_SMTP_URL", smtp),
            ("TRYGG_NOTIFY_FALLBACK_EMAIL", "jour@skala.se".to_owned()),
            ("TRYGG_PUBLIC_URL", "https://trygg.skala.se".to_owned()),
            ("TRYGG_JOB_LEASE_SECONDS", "2".to_owned()),
            // The servers behind the balancer poll slowly, so that the third server (woken at
            // once by its own enqueue) is the one that claims its job before it is killed; they
            // still take it over within lease + poll (2 s + 1.5 s).
            ("TRYGG_JOB_POLL_MILLIS", "1500".to_owned()),
        ]
    };
    let Some(c) = cluster_with(&mail_env(sink.url())).await else { return };
    let [a, b] = &c.servers;
    let reporter = reqwest::Client::new();

    // Exactly once: reports through the balancer, and keys raced on both servers at once.
    let mut ids = std::collections::HashSet::new();
    for i in 0..20 {
        let res = reporter
            .post(format!("{}/api/reports", c.lb))
            .header("Idempotency-Key", Uuid::new_v4().to_string())
            .json(&urgent(&format!("Slag, runda {i}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        ids.insert(res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    for i in 0..5 {
        let key = Uuid::new_v4().to_string();
        let body = urgent(&format!("Kapplöpning {i}"));
        let send = |base: &String| {
            reporter.post(format!("{base}/api/reports")).header("Idempotency-Key", &key).json(&body).send()
        };
        let (ra, rb) = tokio::join!(send(a), send(b));
        let (ja, jb): (Value, Value) = (ra.unwrap().json().await.unwrap(), rb.unwrap().json().await.unwrap());
        assert_eq!(ja["id"], jb["id"]);
        ids.insert(ja["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 25);
    let mails = sink.wait_for(25, 20).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails_after = sink.mails();
    assert_eq!(mails.len(), 25, "one mail per urgent report");
    assert_eq!(mails_after.len(), 25, "and no second one later");
    let message_ids: std::collections::HashSet<_> = mails_after.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(message_ids.len(), 25);
    for id in &ids {
        let n = mails_after.iter().filter(|m| m.body.contains(id.as_str())).count();
        assert_eq!(n, 1, "report {id} was mailed {n} times");
    }

    // A third server whose mail server never answers claims the next job and is SIGKILLed
    // while holding its lease.
    let black_hole = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hole = black_hole.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = black_hole.accept().await {
            held.push(sock);
        }
    });
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let mut doomed = server_cmd(&c.database_url, &dir.path().join("audit-head-c"))
        .env("TRYGG_ADDR", format!("127.0.0.1:{port}"))
        .envs(mail_env(format!("smtp://127.0.0.1:{hole}")))
        .spawn()
        .unwrap();
    let third = format!("http://127.0.0.1:{port}");
    wait_healthy(&third).await;
    let res = reporter
        .post(format!("{third}/api/reports"))
        .header("Idempotency-Key", Uuid::new_v4().to_string())
        .json(&urgent("Pågår just nu"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let mut db = sqlx::PgConnection::connect(&c.database_url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while urgent_job(&mut db, &id).await.is_none_or(|(state, _)| state != "running") {
        assert!(Instant::now() < deadline, "the third server never claimed the job");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    doomed.kill().unwrap(); // SIGKILL
    doomed.wait().unwrap();
    let mails = sink.wait_for(26, 20).await;
    assert_eq!(mails.len(), 26, "another server sent the dead server's mail");
    assert_eq!(mails.iter().filter(|m| m.body.contains(id.as_str())).count(), 1);
    // The mail is in the Maildir a moment before its job is recorded done.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut job = urgent_job(&mut db, &id).await.unwrap();
    while job.0 != "done" && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        job = urgent_job(&mut db, &id).await.unwrap();
    }
    assert_eq!((job.0.as_str(), job.1), ("done", 2), "taken over after the first holder died");

    let admin = browser();
    login(&admin, b, "admin@skala.se").await;
    for base in [a, b] {
        let v: Value = admin.get(format!("{base}/api/audit/verify")).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["ok"], true, "the chain verifies at {base}: {v}");
    }
}

/// A missed safety check-in alerts exactly once with two servers polling the same due job: the
/// check-in is started through the balancer, its due time (and its job) moved into the past in
/// the database, and both servers race for it; one conditional update wins, one mail leaves.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_alert_a_missed_check_in_once() {
    let Some(sink) = smtp_sink::Sink::start().await else { return };
    let env = vec![
        ("TRYGG_SMTP_URL", sink.url()),
        ("TRYGG_NOTIFY_FALLBACK_EMAIL", "jour@skala.se".to_owned()),
        ("TRYGG_PUBLIC_URL", "https://trygg.skala.se".to_owned()),
        ("TRYGG_JOB_POLL_MILLIS", "100".to_owned()),
    ];
    let Some(c) = cluster_with(&env).await else { return };
    let device = reqwest::Client::new();
    let mut tokens = Vec::new();
    for i in 0..5 {
        let res = device
            .post(format!("{}/api/checkin", c.lb))
            .json(&json!({"reporter_name": format!("Person {i}"), "reporter_phone": "070-111 22 33", "minutes": 30}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        tokens.push(res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned());
    }
    let mut db = sqlx::PgConnection::connect(&c.database_url).await.unwrap();
    let past = i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis())
        .unwrap()
        - 3_600_000;
    sqlx::query("UPDATE checkins SET due_at = $1").bind(past).execute(&mut db).await.unwrap();
    sqlx::query("UPDATE jobs SET run_at = $1 WHERE kind = 'checkin.due'").bind(past).execute(&mut db).await.unwrap();
    let mails = sink.wait_for(5, 20).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(mails.len(), 5, "one alert per missed check-in");
    assert_eq!(sink.mails().len(), 5, "and no second one later");
    for token in &tokens {
        let res = device.get(format!("{}/api/checkin", c.lb)).header("x-checkin-token", token).send().await.unwrap();
        assert_eq!(res.json::<Value>().await.unwrap()["state"], "alerted");
    }
}

//! The real server binary: its reporter-side log lines carry no report id, it refuses to start
//! in production without its key, and `rotate-key` re-seals under the key file's new last line.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use trygg_server::crypto::{Keys, key_line, random_key, sealed_key_id};
use trygg_server::store::Db;
use uuid::Uuid;

const NAME: &str = "Zlatana Qvisting";

/// The real server binary on a fresh SQLite file, logging everything (TRACE) to a buffer.
struct LoggingServer {
    child: std::process::Child,
    base: String,
    logs: Arc<std::sync::Mutex<String>>,
    /// Reads the server's output to its end (the pipe closes when the process ends).
    reader: std::thread::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl LoggingServer {
    fn start() -> LoggingServer {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html><title>Trygg</title>").unwrap();
        let key = key_line(1, &random_key());
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trygg-server"))
            .current_dir(dir.path())
            .env_clear()
            .envs([
                ("TRYGG_ADDR", "127.0.0.1:0"),
                ("TRYGG_DIST_DIR", "."),
                ("TRYGG_SECRET_KEY", key.as_str()),
                ("TRYGG_REQUIRE_2FA", "false"),
                ("RUST_LOG", "trace"),
                ("NO_COLOR", "1"),
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let logs = Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let (out, sink) = (child.stdout.take().unwrap(), logs.clone());
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Trygg is running at ") {
                    let _ = tx.send(url.trim_end_matches('/').to_owned());
                }
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        let base = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("the server says where it listens");
        LoggingServer { child, base, logs, reader, _dir: dir }
    }

    /// Ends the server and returns everything it wrote: the reader runs to the pipe's end, so no
    /// line written before the kill is missed.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reader.join().expect("the log reader ends with the pipe");
        self.logs.lock().unwrap().clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reporter_side_log_lines_carry_no_report_id() {
    let server = LoggingServer::start();
    let client = Client::new();
    let mut ids = Vec::new();
    for identity in ["anonymous", "confidential"] {
        let mut r = valid_report();
        r["identity"] = json!(identity);
        r["reporter_name"] = json!(NAME);
        let res = client
            .post(format!("{}/api/reports", server.base))
            .header("Idempotency-Key", new_key())
            .json(&r)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = res.json().await.unwrap();
        let code = body["receipt_code"].as_str().unwrap().to_owned();
        let res = client.post(format!("{}/api/followup", server.base)).json(&json!({"receipt_code": code})).send();
        assert_eq!(res.await.unwrap().status(), StatusCode::OK);
        let res = client
            .post(format!("{}/api/followup/messages", server.base))
            .json(&json!({"receipt_code": code, "body": "Han stod där igen i dag."}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED);
        ids.push(body["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    // Every line was written before its answer; `stop` reads the output to its end.
    let text = server.stop();
    assert_eq!(text.matches("report stored").count(), 2, "the lines are captured: {text}");
    assert_eq!(text.matches("reporter wrote").count(), 2, "the lines are captured: {text}");
    for id in ids {
        for form in [id.hyphenated().to_string(), id.simple().to_string()] {
            assert!(!text.contains(&form), "a report id in the reporter-side logs: {text}");
        }
    }
    for secret in [NAME, "Han stod där"] {
        assert!(!text.contains(secret), "{secret} in the logs");
    }
}

/// Runs the server binary with only these environment variables, in `dir`.
fn run_server_binary(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_trygg-server"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the server binary runs")
}

#[test]
fn in_production_the_server_refuses_to_start_without_its_key_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_server_binary(dir.path(), &[], &[("TRYGG_PRODUCTION", "true"), ("TRYGG_ADDR", "127.0.0.1:0")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it must not start: {stderr}");
    for words in ["will not start in production mode", "TRYGG_SECRET_KEY", "data/secret.key", "apart from the database"]
    {
        assert!(stderr.contains(words), "the message says {words:?}: {stderr}");
    }
    assert!(!dir.path().join("data").exists(), "nothing was created: no key file, no database");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rotate_key_command_reseals_under_the_key_file_s_new_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let key_file = path.join("secret.key");
    let db_url = format!("sqlite://{}", path.join("trygg.db").display());
    let env: Vec<(&str, String)> =
        vec![("TRYGG_SECRET_KEY_FILE", key_file.display().to_string()), ("DATABASE_URL", db_url.clone())];
    let cli = move |args: &'static [&'static str]| {
        let (path, env) = (path.clone(), env.clone());
        tokio::task::spawn_blocking(move || {
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            run_server_binary(&path, args, &env)
        })
    };
    // A newcomer's first key: `new-key` prints the file's text, id 1.
    let out = cli(&["new-key"]).await.unwrap();
    assert!(out.status.success());
    let first = String::from_utf8(out.stdout).unwrap();
    assert!(first.starts_with("# Trygg's secret key") && first.lines().last().unwrap().starts_with("1 "), "{first}");
    std::fs::write(&key_file, &first).unwrap();

    // A server with that key stores a confidential report.
    let config = trygg_server::config::Config {
        database_url: db_url,
        secret_key_file: Some(key_file.clone()),
        ..trygg_server::config::Config::default()
    };
    let (_, state) = trygg_server::build(config).await.unwrap();
    let mut draft: trygg_domain::ReportDraft = serde_json::from_value(valid_report()).unwrap();
    draft.identity = "confidential".into();
    draft.reporter_name = NAME.into();
    let report = trygg_domain::NewReport::parse(&draft, time::OffsetDateTime::now_utc()).unwrap();
    let receipt = trygg_domain::ReceiptCode::from_random(rand::random());
    let hash = trygg_server::crypto::sha256_hex(receipt.canonical());
    let p = trygg_server::store::reports::Pending::new(Uuid::new_v4(), "x".into(), report, receipt, hash);
    let id = state.writer.submit(p).await.unwrap().id;
    let name_of = |db: Db| async move {
        let Db::Sqlite(p) = db else { unreachable!() };
        sqlx::query_scalar::<_, String>("SELECT reporter_name FROM reports WHERE id = $1")
            .bind(id)
            .fetch_one(&p)
            .await
            .unwrap()
    };
    assert_eq!(sealed_key_id(&name_of(state.db.clone()).await), Some(1));

    // The operator adds `new-key`'s line (id 2) to the file and runs `rotate-key` beside the server.
    let out = cli(&["new-key"]).await.unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.starts_with("2 ") && line.lines().count() == 1, "{line}");
    std::fs::write(&key_file, format!("{first}{line}")).unwrap();
    let out = cli(&["rotate-key"]).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("key 2: re-sealed 1 value(s)"), "{stdout}");
    let stored = name_of(state.db.clone()).await;
    assert_eq!(sealed_key_id(&stored), Some(2));
    let only_new = Keys::parse(line.trim()).unwrap();
    assert_eq!(only_new.open_str("reports", "reporter_name", &id.to_string(), &stored).unwrap(), NAME);
    state.db.close().await;
}

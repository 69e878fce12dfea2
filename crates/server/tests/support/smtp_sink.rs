//! A throwaway SMTP server for one test: Debian's `/usr/bin/python3 -m aiosmtpd` on a loopback
//! port, writing each accepted message to a Maildir that the test reads (scripts/smtp.sh does
//! the same for the whole test run). Missing aiosmtpd skips the test, except under `CI=true`,
//! where it fails it. Shared by the API tests and the scale-out test (`#[path]`).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sink {
    pub port: u16,
    pub maildir: PathBuf,
    child: Option<Child>,
    _dir: tempfile::TempDir,
}

/// One received mail, its body decoded (quoted-printable or base64).
#[derive(Debug, Clone)]
pub struct Received {
    pub raw: String,
    pub to: String,
    pub message_id: String,
    pub body: String,
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn have_aiosmtpd() -> bool {
    Command::new("/usr/bin/python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Sink {
    /// A sink on a free port; `None` (the test skips) when aiosmtpd is missing outside CI.
    pub async fn start() -> Option<Sink> {
        Sink::start_on(free_port()).await
    }

    /// A sink on `port` (a server may have been told this port before the sink is up).
    pub async fn start_on(port: u16) -> Option<Sink> {
        if !have_aiosmtpd() {
            assert!(!ci(), "CI=true and python3-aiosmtpd is missing (scripts/install.sh: ensure_aiosmtpd)");
            eprintln!("skipping: /usr/bin/python3 has no aiosmtpd");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("maildir");
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not listen on {port}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Some(Sink { port, maildir, child: Some(child), _dir: dir })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far.
    pub fn mails(&self) -> Vec<Received> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) else { continue };
            for e in entries.flatten() {
                if let Ok(raw) = std::fs::read_to_string(e.path()) {
                    out.push(parse(raw));
                }
            }
        }
        out
    }

    /// Waits (at most `secs`) until at least `n` mails arrived; returns them all.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let mails = self.mails();
            if mails.len() >= n || Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().ok();
            c.wait().ok();
        }
    }
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
        .unwrap_or_default()
}

fn parse(raw: String) -> Received {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let encoding = header(head, "Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match encoding.as_str() {
        "base64" => {
            use base64::Engine;
            let compact: String = body.split_whitespace().collect();
            String::from_utf8_lossy(&base64::engine::general_purpose::STANDARD.decode(compact).unwrap_or_default())
                .into_owned()
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.to_owned(),
    };
    Received {
        to: header(head, "To").to_owned(),
        message_id: header(head, "Message-ID").to_owned(),
        body,
        raw: raw.clone(),
    }
}

fn quoted_printable(s: &str) -> String {
    let joined = s.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

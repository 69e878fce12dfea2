//! Configuration from the environment, with documented defaults.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `TRYGG_ADDR` | `127.0.0.1:8080` | address and port to listen on |
//! | `DATABASE_URL` | `sqlite://data/trygg.db` | `sqlite://FILE` (created on first start) or `postgres://…` |
//! | `TRYGG_DIST_DIR` | `dist` | the built browser app (trunk's output) |
//! | `TRYGG_COOKIE_SECURE` | `false` | mark the session cookie `Secure` (set `true` behind HTTPS) |
//! | `TRYGG_SESSION_IDLE_MINUTES` | `30` | a session ends after this long without a request |
//! | `TRYGG_SESSION_MAX_HOURS` | `12` | a session ends this long after sign-in, whatever happens |
//! | `TRYGG_MAX_BODY_BYTES` | `65536` | largest accepted request body |
//! | `TRYGG_DB_MAX_CONNECTIONS` | `16` | database pool size |
//! | `TRYGG_TRUST_PROXY` | `false` | take the client address from `X-Forwarded-For` (only behind your own load balancer) |
//! | `TRYGG_LOGIN_MAX_FAILURES` | `10` | failed sign-ins per account per 15 minutes before 429 (per address: 5×) |
//! | `TRYGG_REQUIRE_2FA` | `true` | coordinators and admins must switch on TOTP two-factor sign-in before they see any report |
//! | `TRYGG_SECRET_KEY` | unset | the server's secret (base64, 32 bytes; or key-file lines): seals secrets at rest, keys every hash of an address or e-mail. Never in the database |
//! | `TRYGG_SECRET_KEY_FILE` | `data/secret.key` | the key file (`KID BASE64` per line, the last current), read when `TRYGG_SECRET_KEY` is unset; outside production it is created on first start |
//! | `TRYGG_PRODUCTION` | `false` | production mode: the server refuses to start without a configured secret key (no key file is created) |
//! | `TRYGG_AUDIT_ANCHOR_FILE` | next to the SQLite file / `data/audit-head` | this server's record of the access log's head, outside the database (one per server) |
//! | `TRYGG_BOOTSTRAP_ADMIN_EMAIL`, `TRYGG_BOOTSTRAP_ADMIN_PASSWORD` | unset | on a start with no users at all, create this administrator |
//! | `RUST_LOG` | `info` | log filter (logs are JSON lines on stdout when `TRYGG_LOG_JSON=true`) |

use figment::Figment;
use figment::providers::{Env, Serialized};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub dist_dir: PathBuf,
    pub cookie_secure: bool,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    pub max_body_bytes: usize,
    pub db_max_connections: u32,
    pub log_json: bool,
    pub trust_proxy: bool,
    pub login_max_failures: i64,
    pub require_2fa: bool,
    pub bootstrap_admin_email: Option<String>,
    /// `TRYGG_SECRET_KEY`; never serialized, never logged (see [`crate::crypto`]).
    #[serde(skip_serializing)]
    pub secret_key: Option<SecretString>,
    pub secret_key_file: Option<PathBuf>,
    pub production: bool,
    /// `TRYGG_AUDIT_ANCHOR_FILE`: where this server records the access log's head outside the
    /// database (default: `audit-head` next to the SQLite file, `data/audit-head` for PostgreSQL).
    pub audit_anchor_file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://data/trygg.db".to_owned(),
            dist_dir: PathBuf::from("dist"),
            cookie_secure: false,
            session_idle_minutes: 30,
            session_max_hours: 12,
            max_body_bytes: 64 * 1024,
            db_max_connections: 16,
            log_json: false,
            trust_proxy: false,
            login_max_failures: 10,
            require_2fa: true,
            bootstrap_admin_email: None,
            secret_key: None,
            secret_key_file: None,
            production: false,
            audit_anchor_file: None,
        }
    }
}

impl Config {
    /// Reads `TRYGG_*` and `DATABASE_URL` over the defaults. Errors name the offending variable.
    pub fn from_env() -> Result<Config, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Env::prefixed("TRYGG_").ignore(&["BOOTSTRAP_ADMIN_PASSWORD", "NEW_USER_PASSWORD"]))
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .extract()
            .map_err(Box::new)
    }

    /// The server's keys: `TRYGG_SECRET_KEY`, else the key file. Outside production mode a
    /// missing key file (default `data/secret.key`) is created with a new random key, so a
    /// newcomer's first start just works; in production a missing key is an error.
    pub fn keys(&self) -> Result<crate::crypto::Keys, crate::crypto::CryptoError> {
        use crate::crypto::{CryptoError, Keys, key_line, random_key};
        use secrecy::ExposeSecret;
        if let Some(k) = &self.secret_key {
            return Keys::parse(k.expose_secret());
        }
        let path = self.secret_key_file.clone().unwrap_or_else(|| PathBuf::from("data/secret.key"));
        if path.is_file() {
            return Keys::load(&path);
        }
        if self.production || self.secret_key_file.is_some() {
            return Err(CryptoError::NoKey);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| CryptoError::BadKey(format!("{}: {e}", dir.display())))?;
        }
        let line = zeroize::Zeroizing::new(format!(
            "# Trygg's secret key: back it up apart from the database.\n{}\n",
            key_line(1, &random_key())
        ));
        write_private(&path, line.as_bytes()).map_err(|e| CryptoError::BadKey(format!("{}: {e}", path.display())))?;
        tracing::warn!(path = %path.display(), "no secret key was configured: created a new one (back it up apart from the database)");
        Keys::load(&path)
    }

    /// The bootstrap administrator's password, read separately so it never sits in `Config`.
    pub fn bootstrap_admin_password() -> Option<SecretString> {
        std::env::var("TRYGG_BOOTSTRAP_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty()).map(SecretString::from)
    }
}

/// Writes a new file that only its owner can read (mode 0600 on Unix); fails if it exists.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(bytes)
}

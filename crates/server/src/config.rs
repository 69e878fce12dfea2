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
//! | `TRYGG_TRUSTED_PROXIES` | `0` | how many proxies of your own stand in front of the server, each appending to `X-Forwarded-For`; the client address is the entry that many hops from the right (0: the connection's peer) |
//! | `TRYGG_TRUSTED_PROXY_NETS` | empty | comma-separated CIDRs of your own proxies (e.g. `10.0.0.0/8,fd00::/8`): entries from these networks are skipped from the right as well |
//! | `TRYGG_TRUST_PROXY` | `false` | old switch, kept for compatibility: `true` means `TRYGG_TRUSTED_PROXIES=1` |
//! | `TRYGG_LOGIN_MAX_FAILURES` | `10` | failed sign-ins per account per 15 minutes before 429 (the real guard) |
//! | `TRYGG_LOGIN_MAX_FAILURES_PER_ADDRESS` | `100` | failed sign-ins per client address per 15 minutes before 429; only attempts within their account's limit count, so one account adds at most `TRYGG_LOGIN_MAX_FAILURES` and one attacker guessing one account never locks out a NAT |
//! | `TRYGG_SUBMIT_MAX_PER_ADDRESS` | `120` | report submits per client address per 10 minutes (then 429 with `Retry-After`) |
//! | `TRYGG_MESSAGE_MAX_PER_ADDRESS` | `120` | reporter follow-up messages per client address per 10 minutes |
//! | `TRYGG_FOLLOWUP_MAX_FAILURES` | `20` | wrong receipt codes per client address per 15 minutes before 429 (guessing) |
//! | `TRYGG_PASSWORD_CHECKS` | 2 × cores | password (argon2) checks running at once; more wait up to 5 s, then 503 |
//! | `TRYGG_PURGE_MINUTES` | `5` | how often ended throttle windows, expired sessions and old replay rows are deleted (0: never) |
//! | `TRYGG_REPLAY_KEEP_DAYS` | `7` | how long a submit's receipt is kept for a retry with the same `Idempotency-Key` |
//! | `TRYGG_REQUIRE_2FA` | `true` | coordinators and admins must switch on TOTP two-factor sign-in before they see any report |
//! | `TRYGG_SECRET_KEY` | unset | the server's secret (base64, 32 bytes; or key-file lines): seals secrets at rest, keys every hash of an address or e-mail. Never in the database |
//! | `TRYGG_SECRET_KEY_FILE` | `data/secret.key` | the key file (`KID BASE64` per line, the last current), read when `TRYGG_SECRET_KEY` is unset; outside production it is created on first start |
//! | `TRYGG_PRODUCTION` | `false` | production mode: the server refuses to start without a configured secret key (no key file is created) |
//! | `TRYGG_AUDIT_ANCHOR_FILE` | next to the SQLite file / `data/audit-head` | this server's record of the access log's head, outside the database (one per server) |
//! | `TRYGG_BOOTSTRAP_ADMIN_EMAIL`, `TRYGG_BOOTSTRAP_ADMIN_PASSWORD` | unset | on a start with no users at all, create this administrator |
//! | `TRYGG_INVITATION_HOURS` | `72` | how long an account invitation's one-time link works |
//! | `TRYGG_SMTP_URL` | unset | the mail server: `smtp://host:port` (plain, a local relay), `smtp://host?tls=required` (STARTTLS), `smtps://host:465` (TLS); `user:password@` for sign-in. Unset: no mail is sent, mail jobs wait and retry, administrators see a warning |
//! | `TRYGG_MAIL_FROM` | `Trygg <trygg@localhost>` | the sender of every mail |
//! | `TRYGG_SMTP_CA_FILE` | unset | a PEM root certificate (e.g. a regional CA) trusted beside the built-in Mozilla roots |
//! | `TRYGG_PUBLIC_URL` | `http://127.0.0.1:8080` | the address users open, for links in mails (no trailing slash) |
//! | `TRYGG_NOTIFY_FALLBACK_EMAIL` | unset | where urgent-report and reminder mails go when nobody is on duty |
//! | `TRYGG_JOB_LEASE_SECONDS` | `60` | how long a server holds a job it runs; a crashed server's jobs are taken over after this |
//! | `TRYGG_JOB_POLL_MILLIS` | `2000` | how often a server looks for due jobs besides the wake-up on its own enqueues (jobs another server enqueued, retries, takeovers) |
//! | `TRYGG_JOB_BACKOFF_SECONDS` | `10` | the first retry's wait; doubled per attempt, at most an hour; failed after 8 attempts |
//! | `TRYGG_JOB_WORKER` | `true` | whether this server runs jobs (`false`: it only enqueues them, for another server to run) |
//! | `TRYGG_ATTACHMENT_MAX_BYTES` | `10485760` | largest evidence file (screenshot or photo) accepted, in bytes (then 413) |
//! | `TRYGG_ATTACHMENT_MAX_FILES` | `5` | most evidence files per report (then 413 `too_many_files`) |
//! | `RUST_LOG` | `info` | log filter (logs are JSON lines on stdout when `TRYGG_LOG_JSON=true`) |

use figment::Figment;
use figment::providers::{Env, Serialized};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The key file when `TRYGG_SECRET_KEY_FILE` is unset.
pub const DEFAULT_KEY_FILE: &str = "data/secret.key";

/// The first lines of a key file that Trygg writes.
pub const KEY_FILE_HEADER: &str = "# Trygg's secret key: back it up apart from the database.\n\
# One key per line, `KID BASE64`; the last line is the current key. See README (key rotation).\n";

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
    /// `TRYGG_TRUSTED_PROXIES`: proxies of our own in front of the server (see [`crate::auth::client_addr`]).
    pub trusted_proxies: usize,
    /// `TRYGG_TRUSTED_PROXY_NETS`: comma-separated CIDRs of our own proxies.
    pub trusted_proxy_nets: String,
    pub login_max_failures: i64,
    pub login_max_failures_per_address: i64,
    pub submit_max_per_address: i64,
    pub message_max_per_address: i64,
    /// `TRYGG_ATTACHMENT_MAX_BYTES`: largest evidence file accepted.
    pub attachment_max_bytes: usize,
    /// `TRYGG_ATTACHMENT_MAX_FILES`: most evidence files per report.
    pub attachment_max_files: i64,
    /// `TRYGG_FOLLOWUP_MAX_FAILURES`: wrong receipt codes per client address per 15 minutes.
    pub followup_max_failures: i64,
    /// 0: two per core.
    pub password_checks: usize,
    pub purge_minutes: u64,
    pub replay_keep_days: i64,
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
    /// `TRYGG_INVITATION_HOURS`: how long an invitation's link works.
    pub invitation_hours: i64,
    /// `TRYGG_SMTP_URL`; may hold a password: never serialized, never logged (see [`crate::jobs::mail`]).
    #[serde(skip_serializing)]
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub smtp_ca_file: Option<PathBuf>,
    pub public_url: String,
    pub notify_fallback_email: Option<String>,
    pub job_lease_seconds: u64,
    pub job_poll_millis: u64,
    pub job_backoff_seconds: u64,
    pub job_worker: bool,
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
            trusted_proxies: 0,
            trusted_proxy_nets: String::new(),
            login_max_failures: 10,
            login_max_failures_per_address: 100,
            submit_max_per_address: 120,
            message_max_per_address: 120,
            attachment_max_bytes: 10 * 1024 * 1024,
            attachment_max_files: 5,
            followup_max_failures: 20,
            password_checks: 0,
            purge_minutes: 5,
            replay_keep_days: 7,
            require_2fa: true,
            bootstrap_admin_email: None,
            secret_key: None,
            secret_key_file: None,
            production: false,
            audit_anchor_file: None,
            invitation_hours: 72,
            smtp_url: None,
            mail_from: "Trygg <trygg@localhost>".to_owned(),
            smtp_ca_file: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            notify_fallback_email: None,
            job_lease_seconds: 60,
            job_poll_millis: 2000,
            job_backoff_seconds: 10,
            job_worker: true,
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
        self.keys_or_create(&self.key_file())
    }

    /// Where the key file is (`TRYGG_SECRET_KEY_FILE`, default `data/secret.key`).
    pub fn key_file(&self) -> PathBuf {
        self.secret_key_file.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_KEY_FILE))
    }

    /// The configured keys, if there are any, without creating a key file (for the commands
    /// that must not invent a key: `rotate-key`, `new-key`).
    pub fn existing_keys(&self) -> Result<Option<crate::crypto::Keys>, crate::crypto::CryptoError> {
        use crate::crypto::Keys;
        use secrecy::ExposeSecret;
        if let Some(k) = &self.secret_key {
            return Keys::parse(k.expose_secret()).map(Some);
        }
        let path = self.key_file();
        if path.is_file() { Keys::load(&path).map(Some) } else { Ok(None) }
    }

    /// [`Config::keys`], with `default_file` standing for the default key file (only that one
    /// is ever created: a key file named in `TRYGG_SECRET_KEY_FILE` that is missing is an error,
    /// as it is in production).
    fn keys_or_create(
        &self,
        default_file: &std::path::Path,
    ) -> Result<crate::crypto::Keys, crate::crypto::CryptoError> {
        use crate::crypto::{CryptoError, Keys, key_line, random_key};
        use secrecy::ExposeSecret;
        if let Some(k) = &self.secret_key {
            return Keys::parse(k.expose_secret());
        }
        let path = self.secret_key_file.clone().unwrap_or_else(|| default_file.to_owned());
        if path.is_file() {
            return Keys::load(&path);
        }
        if self.production || self.secret_key_file.is_some() {
            return Err(CryptoError::NoKey);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| CryptoError::BadKey(format!("{}: {e}", dir.display())))?;
        }
        let line = zeroize::Zeroizing::new(format!("{KEY_FILE_HEADER}{}\n", key_line(1, &random_key())));
        write_private(&path, line.as_bytes()).map_err(|e| CryptoError::BadKey(format!("{}: {e}", path.display())))?;
        tracing::warn!(path = %path.display(), "no secret key was configured: created a new one (back it up apart from the database)");
        Keys::load(&path)
    }

    /// Trusted proxy hops: `TRYGG_TRUSTED_PROXIES`, or 1 for the old `TRYGG_TRUST_PROXY=true`.
    pub fn proxy_hops(&self) -> usize {
        self.trusted_proxies.max(usize::from(self.trust_proxy))
    }

    /// `TRYGG_TRUSTED_PROXY_NETS` parsed; an error names the entry that is not a CIDR or address.
    pub fn proxy_nets(&self) -> Result<Vec<ipnet::IpNet>, String> {
        self.trusted_proxy_nets
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<ipnet::IpNet>()
                    .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("TRYGG_TRUSTED_PROXY_NETS: {s:?} is not a network (CIDR) or address"))
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{CryptoError, Keys, key_line, random_key};

    fn config(production: bool) -> Config {
        Config { production, ..Config::default() }
    }

    #[test]
    fn production_without_a_key_refuses_and_creates_no_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data").join("secret.key");
        assert_eq!(config(true).keys_or_create(&file).unwrap_err(), CryptoError::NoKey);
        assert!(!file.exists(), "production never invents a key");
        let named = Config { secret_key_file: Some(file.clone()), ..config(false) };
        assert_eq!(named.keys().unwrap_err(), CryptoError::NoKey, "a named key file that is missing is an error");
        assert!(!file.exists());
    }

    #[test]
    fn outside_production_a_missing_key_file_is_created_once_and_kept_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data").join("secret.key");
        let first = config(false).keys_or_create(&file).unwrap();
        assert!(file.is_file());
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("# Trygg's secret key: back it up apart from the database."), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // The next start reads the same key: what it sealed still opens.
        let sealed = first.seal_str("t", "c", "r", "x");
        let again = config(false).keys_or_create(&file).unwrap();
        assert_eq!(again.open_str("t", "c", "r", &sealed).unwrap(), "x");
        // In production, the existing file is used as it is.
        assert_eq!(config(true).keys_or_create(&file).unwrap().open_str("t", "c", "r", &sealed).unwrap(), "x");
    }

    #[test]
    fn the_environment_key_wins_over_the_file_and_a_bad_key_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret.key");
        let key = random_key();
        let env = Config { secret_key: Some(key_line(7, &key).into()), ..config(true) };
        assert_eq!(env.keys_or_create(&file).unwrap().current_id(), 7);
        assert!(!file.exists());
        let sealed = Keys::single(key).seal_str("t", "c", "r", "x");
        let bare = Config {
            secret_key: Some(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, key).into()),
            ..config(true)
        };
        assert_eq!(bare.keys_or_create(&file).unwrap().open_str("t", "c", "r", &sealed).unwrap(), "x");
        let bad = Config { secret_key: Some("not a key".to_owned().into()), ..config(true) };
        assert!(matches!(bad.keys_or_create(&file), Err(CryptoError::BadKey(_))));
    }

    #[test]
    fn the_old_trust_proxy_switch_means_one_trusted_hop() {
        let c = |trust_proxy, trusted_proxies| Config { trust_proxy, trusted_proxies, ..Config::default() };
        assert_eq!(Config::default().proxy_hops(), 0, "by default the peer is the client");
        assert_eq!(c(true, 0).proxy_hops(), 1);
        assert_eq!(c(false, 2).proxy_hops(), 2);
        assert_eq!(c(true, 3).proxy_hops(), 3);
    }

    #[test]
    fn trusted_proxy_networks_are_cidrs_or_addresses_and_anything_else_is_refused() {
        let c = |nets: &str| Config { trusted_proxy_nets: nets.to_owned(), ..Config::default() };
        assert_eq!(c("").proxy_nets().unwrap(), vec![]);
        let nets = c(" 10.0.0.0/8, fd00::/8 ,192.0.2.7").proxy_nets().unwrap();
        let shown: Vec<String> = nets.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "fd00::/8", "192.0.2.7/32"]);
        let err = c("10.0.0.0/8,nonsense").proxy_nets().unwrap_err();
        assert!(err.contains("TRYGG_TRUSTED_PROXY_NETS") && err.contains("nonsense"), "{err}");
    }
}

//! The access log's head kept outside the database, one file per server (see the parent module).

use super::*;

/// The head of the chain kept outside the database: one small file per server, rewritten
/// whole (temporary file, fsync, rename) when the head moves forward, with an HMAC so that it
/// cannot be edited without the server's key. Each write is also logged (`audit head`), so a
/// log collector holds a copy the database cannot reach.
#[derive(Debug)]
pub struct AnchorFile {
    path: PathBuf,
    keys: Arc<Keys>,
    /// Serialises this server's writes (the periodic task and verification).
    lock: tokio::sync::Mutex<()>,
}

impl AnchorFile {
    pub fn new(path: PathBuf, keys: Arc<Keys>) -> AnchorFile {
        AnchorFile { path, keys, lock: tokio::sync::Mutex::new(()) }
    }

    /// Where the anchor lives when `TRYGG_AUDIT_ANCHOR_FILE` is not set: next to the SQLite
    /// file, or `data/audit-head` for PostgreSQL.
    pub fn default_path(database_url: &str) -> PathBuf {
        use std::str::FromStr;
        if !database_url.starts_with("postgres")
            && let Ok(opts) = sqlx::sqlite::SqliteConnectOptions::from_str(database_url)
            && let Some(dir) = opts.get_filename().parent().filter(|d| !d.as_os_str().is_empty())
        {
            return dir.join("audit-head");
        }
        PathBuf::from("data/audit-head")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn mac(&self, kid: u32, h: &Head) -> Option<String> {
        let data = format!("anchor\x1f{}\x1f{}\x1f{}", h.seq, h.hash, h.legacy);
        self.keys.mac_with(kid, Purpose::Audit, data.as_bytes()).ok()
    }

    /// The recorded head; `Ok(None)` when there is no file yet; an error when it is there but
    /// unreadable, malformed or not made with one of the server's keys.
    pub fn read(&self) -> Result<Option<Head>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{}: {e}", self.path.display())),
        };
        let bad = || format!("{}: not a valid audit anchor", self.path.display());
        let line = text.lines().find(|l| l.starts_with("trygg-audit-anchor v1 ")).ok_or_else(bad)?;
        let field =
            |name: &str| line.split_whitespace().find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')));
        let num = |name: &str| field(name).and_then(|v| v.parse::<i64>().ok());
        let (Some(seq), Some(hash), Some(legacy), Some(kid), Some(mac)) =
            (num("seq"), field("hash"), num("legacy"), num("kid"), field("mac"))
        else {
            return Err(bad());
        };
        let head = Head { seq, hash: hash.to_owned(), legacy };
        let expected = u32::try_from(kid).ok().and_then(|kid| self.mac(kid, &head));
        if !expected.is_some_and(|m| same(&m, mac)) {
            return Err(bad());
        }
        Ok(Some(head))
    }

    pub(super) fn write(&self, h: &Head) -> std::io::Result<()> {
        use std::io::Write;
        let kid = self.keys.current_id();
        let mac = self.mac(kid, h).unwrap_or_default();
        let text = format!(
            "# Trygg: the access log's head as last verified by this server. Keep it apart from the database.\n\
             trygg-audit-anchor v1 seq={} hash={} legacy={} kid={kid} mac={mac}\n",
            h.seq, h.hash, h.legacy
        );
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self.path.with_extension("tmp");
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &self.path)?;
        tracing::info!(seq = h.seq, hash = %h.hash, mac = %mac, "audit head");
        Ok(())
    }

    /// Moves the recorded head forward to the database's head, if the entries in between
    /// extend it and verify (chain and HMAC). Never moves it back: a database that is behind
    /// the anchor, or does not pass through it, leaves it as it is (and verification fails).
    /// The first anchor of a log written before entries carried an HMAC vouches for those
    /// entries (`legacy`).
    pub async fn advance(&self, db: &Db) -> Result<(), sqlx::Error> {
        let _guard = self.lock.lock().await;
        let recorded = match self.read() {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "the audit anchor file is not valid; it is left as it is");
                return Ok(());
            }
        };
        let head = db.audit_head().await?;
        let (from, legacy) = match &recorded {
            Some(a) if a.seq >= head.0 => return Ok(()),
            Some(a) => ((a.seq, a.hash.clone()), a.legacy),
            // First anchor: entries without an HMAC can only predate the first one with an HMAC.
            None => ((0, GENESIS.to_owned()), db.first_mac_seq().await?.map_or(head.0, |s| s - 1)),
        };
        let w = db.walk(&self.keys, from, head.0, legacy, None).await?;
        if let Some((at, problem)) = w.broken {
            tracing::error!(seq = at, problem, "the access log does not verify past the anchor; the anchor stays");
            return Ok(());
        }
        let Some(legacy) = legacy_of(&recorded, w.last, legacy) else { return Ok(()) };
        let next = Head { seq: w.last, hash: w.prev, legacy };
        if recorded.is_none() && next.seq > 0 {
            tracing::warn!(seq = next.seq, "no audit anchor yet: the first one vouches for the log as it is now");
        }
        if let Err(e) = self.write(&next) {
            tracing::error!(path = %self.path.display(), error = %e, "the audit anchor could not be written");
        }
        Ok(())
    }

    /// Starts this server's anchor task: forward once a second, when the head moved.
    pub fn spawn(self: Arc<Self>, db: Db) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match self.advance(&db).await {
                    Ok(()) => {}
                    Err(sqlx::Error::PoolClosed) => break,
                    Err(e) => tracing::warn!(error = %e, "audit anchor: database unavailable"),
                }
            }
        });
    }
}

/// The `legacy` of the next anchor; `None` when there is nothing new to record.
fn legacy_of(recorded: &Option<Head>, last: i64, legacy: i64) -> Option<i64> {
    match recorded {
        Some(a) if last <= a.seq => None,
        _ => Some(legacy.min(last)),
    }
}

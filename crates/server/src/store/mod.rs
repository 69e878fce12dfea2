//! Storage: one [`Db`] over SQLite (embedded default) or PostgreSQL (scale-out), chosen from
//! `DATABASE_URL` at start. Queries are written once with `$n` placeholders, which both sqlx
//! drivers accept, and [`on_db!`] compiles each query for both pools.

pub mod accounts;
pub mod after;
pub mod attachments;
pub mod audit;
pub mod casework;
pub mod checkins;
pub mod checkpoint;
pub mod content;
pub mod content_admin;
pub mod flag_index;
pub mod flags;
pub mod flood;
pub mod inbox;
pub mod invitations;
pub mod jobs;
pub mod limits;
pub mod lookup_log;
pub mod notices;
pub mod purge;
pub mod reminders;
pub mod reports;
pub mod retention;
pub mod roster;
pub mod sealed;
pub mod stats;
pub mod stats_rollup;
pub mod tokens;
pub mod two_factor;
pub mod users;
pub mod waiting;
pub mod writer;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// The database, whichever it is. Cheap to clone (pools are reference-counted).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either backend.
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

impl Db {
    /// Connects and runs the migrations of the chosen backend.
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL`: a commit is on disk before it returns,
    /// so a report that got its 201 survives a crash or power loss. Its WAL is copied back by
    /// [`checkpoint`]'s task, not inside a commit.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            let db = Db::Postgres(pool);
            db.seal_old_replays().await?;
            Ok(db)
        } else {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("wal_autocheckpoint", "0");
            if let Some(dir) = opts.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            checkpoint::spawn(pool.clone());
            let db = Db::Sqlite(pool);
            db.seal_old_replays().await?;
            Ok(db)
        }
    }

    /// The connection the report writer ([`writer`]) uses. On SQLite, which takes one writer at
    /// a time anyway, that is a connection of its own that nothing else borrows and that is not
    /// pinged before each use: a batch never waits for a reader's connection to come back, and
    /// costs four statements, not five. PostgreSQL's writers share the pool.
    pub async fn for_writer(&self) -> Result<Db, sqlx::Error> {
        match self {
            Db::Sqlite(pool) => {
                let opts = (*pool.connect_options()).clone();
                let own = SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .test_before_acquire(false)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(opts)
                    .await?;
                Ok(Db::Sqlite(own))
            }
            Db::Postgres(_) => Ok(self.clone()),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// A trivial round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

/// Opens a transaction that may write, on either pool: every read-then-write path starts here.
///
/// SQLite: `BEGIN IMMEDIATE` takes the write lock at the start, so a transaction that reads
/// first and writes later waits for other writers under `busy_timeout` instead of failing with
/// `SQLITE_BUSY_SNAPSHOT` when another connection committed in between (a deferred
/// transaction cannot upgrade a read snapshot that has become stale, and busy_timeout does not
/// apply to that error). PostgreSQL: a plain `BEGIN` (row locks do the same job there).
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// Now, as stored: Unix milliseconds.
pub fn now_ms() -> i64 {
    ms(time::OffsetDateTime::now_utc())
}

pub fn ms(t: time::OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn from_ms(ms: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

//! What every handler can reach: the database, the configuration and the secret keys.

use crate::config::Config;
use crate::crypto::Keys;
use crate::store::Db;
use crate::store::audit::AnchorFile;
use crate::store::writer::ReportWriter;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Group-commit queue for submitted reports.
    pub writer: ReportWriter,
    /// The server's secret keys (sealing, keyed hashes); never in the database.
    pub keys: Arc<Keys>,
    /// Slots for argon2 password checks (`TRYGG_PASSWORD_CHECKS`), see [`crate::auth::verify_password_bounded`].
    pub password_checks: Arc<tokio::sync::Semaphore>,
    /// The access log's head recorded outside the database (see [`crate::store::audit`]).
    pub anchor: Arc<AnchorFile>,
    /// Group-commit queue for the risk-flag look-up log (see [`crate::store::lookup_log`]).
    pub lookup_log: crate::store::lookup_log::LookupLog,
    /// Flood limits on submits, reporter messages and look-ups (see [`crate::store::flood`]).
    pub flood: Arc<crate::store::flood::FloodCounter>,
    /// Now, injectable: tests move it forward (see [`crate::clock`]).
    pub clock: crate::clock::Clock,
    /// This server's job runner and its mail server's state (see [`crate::jobs`]).
    pub jobs: crate::jobs::Runner,
}

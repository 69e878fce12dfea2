//! What every handler can reach: the database and the configuration.

use crate::config::Config;
use crate::store::Db;
use crate::store::writer::ReportWriter;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Group-commit queue for submitted reports.
    pub writer: ReportWriter,
}

//! What every handler can reach: the database and the configuration.

use crate::config::Config;
use crate::store::Db;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

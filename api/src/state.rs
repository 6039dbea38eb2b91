//! The shared state of one server instance: configuration, database, metrics. Cheap to clone;
//! nothing in it is needed by another replica (DESIGN.md: replicas are stateless).

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;

/// What every request handler and service of one instance shares.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        AppState {
            config: Arc::new(config),
            db,
        }
    }

    /// The database connection pool.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.db.connection
    }

    /// The instance's metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.db.metrics
    }
}

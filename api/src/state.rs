//! The shared state of one server instance: configuration, database, the writer of changes,
//! authentication, the event bus and the mailer. Cheap to clone; nothing in it is needed by
//! another replica (DESIGN.md: replicas are stateless — generated keys live in the database).
//! What an area keeps for itself (caches, counters, notifiers) is the area's own handle, which
//! the assembly builds (`crate::app`); this state names no area.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::Auth;
use crate::config::Config;
use crate::db::replica::Replica;
use crate::db::{Db, Writer};
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::realtime::Bus;
use crate::storage::Storage;

/// What every request handler of one instance shares; cloned per request by the router, so
/// one `Arc`.
pub type AppState = Arc<Instance>;

/// The shared state of one instance (see [`AppState`]).
pub struct Instance {
    pub config: Arc<Config>,
    pub db: Db,
    /// Telling who is asking; signing tokens.
    pub auth: Arc<Auth>,
    /// Live events (published after commit, heard by subscriptions).
    pub bus: Arc<Bus>,
    /// Templates and transport of outgoing mail.
    pub mail: Arc<Mailer>,
    /// What writing a change needs.
    pub writer: Writer,
    /// Serving, draining or closing.
    pub lifecycle: Arc<crate::server::Lifecycle>,
    /// The streaming replica for reads, if one is configured.
    pub replica: Option<Arc<Replica>>,
    /// Stored files (a folder or S3-compatible object storage).
    pub storage: Arc<Storage>,
}

impl Instance {
    /// Loads (or on first start generates) the signing keys, starts the event bus and
    /// assembles the state.
    pub async fn start(config: Config, db: Db) -> anyhow::Result<AppState> {
        let auth = Auth::load(&config, &db.connection).await?;
        let bus = Arc::new(Bus::start(&db.connection, &crate::db::connection_url(&config.database.url)).await?);
        let mail = Arc::new(Mailer::new(&config)?);
        let writer = Writer::new(&db, bus.clone(), mail.clone(), Arc::default());
        let replica = Replica::connect(&config.database.replica, &db, config.database.max_connections).await?;
        let storage = Arc::new(Storage::open(&config.storage, &config.database.url, &db.connection).await?);
        tracing::info!(location = %storage.location, "files are stored in {}", storage.location);
        Ok(Arc::new(Instance {
            config: Arc::new(config),
            db,
            auth: Arc::new(auth),
            bus,
            mail,
            writer,
            lifecycle: Arc::default(),
            replica,
            storage,
        }))
    }

    /// The same instance reading from its replica: queries run on it resolve on the replica's
    /// pool (`conn`), while writes and [`primary`](Self::primary) reads stay on the primary.
    pub fn on_replica(&self) -> Option<AppState> {
        let replica = self.replica.as_ref()?;
        Some(Arc::new(Instance {
            config: self.config.clone(),
            db: replica.db.clone(),
            auth: self.auth.clone(),
            bus: self.bus.clone(),
            mail: self.mail.clone(),
            writer: self.writer.clone(),
            lifecycle: self.lifecycle.clone(),
            replica: None,
            storage: self.storage.clone(),
        }))
    }

    /// The primary database, for reads that must never lag: the change feed and what a write
    /// decides on.
    pub fn primary(&self) -> &DatabaseConnection {
        self.writer.conn()
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

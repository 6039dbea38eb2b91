//! The shared state of one server instance: configuration, database, metrics, token keys.
//! Cheap to clone; nothing in it is needed by another replica (DESIGN.md: replicas are
//! stateless — generated keys live in the database).

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::keys::Keyring;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::realtime::Bus;

/// What every request handler and service of one instance shares.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    /// The keys that sign and verify access tokens.
    pub keys: Arc<Keyring>,
    /// Live events (published after commit, heard by subscriptions).
    pub bus: Arc<Bus>,
    /// Recent forum posts shared by this instance's live subscribers.
    pub live_posts: Arc<crate::forums::service::LivePosts>,
    /// Templates and transport of outgoing mail.
    pub mail: Arc<crate::mail::Mailer>,
    /// This instance's matrices of indicator values (checked against the database's revision).
    pub indicator_matrices: Arc<crate::indicators::service::MatrixCache>,
    /// Portal views counted on this instance, not yet written.
    pub reach: Arc<crate::portals::service::ReachCounter>,
    /// The portals' browser origins, for CORS.
    pub portal_origins: Arc<crate::portals::service::PortalOrigins>,
    /// New registrations waiting to be placed together, per event.
    pub admission: Arc<crate::events::service::Admission>,
}

impl AppState {
    /// Loads (or on first start generates) the signing keys, starts the event bus and
    /// assembles the state.
    pub async fn new(config: Config, db: Db) -> anyhow::Result<Self> {
        let keys = Keyring::load(&config, &db.connection).await?;
        let bus = Bus::start(&db.connection, &crate::db::connection_url(&config.database.url)).await?;
        let mail = crate::mail::Mailer::new(&config)?;
        let reach = crate::portals::service::ReachCounter::new(config.portal_views_per_minute);
        let portal_origins = crate::portals::service::PortalOrigins::new(std::time::Duration::from_secs(
            config.portal_origins_refresh_secs,
        ));
        Ok(AppState {
            config: Arc::new(config),
            db,
            keys: Arc::new(keys),
            bus: Arc::new(bus),
            live_posts: Arc::default(),
            mail: Arc::new(mail),
            indicator_matrices: Arc::default(),
            reach: Arc::new(reach),
            portal_origins: Arc::new(portal_origins),
            admission: Arc::default(),
        })
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

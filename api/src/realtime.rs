//! The event bus for live updates: services announce small events with their writes;
//! subscriptions listen and load what they need (checking what the viewer may see).
//!
//! On SQLite (one process) events travel through an in-process broadcast channel. On
//! PostgreSQL every event goes through `NOTIFY` on one channel, and every replica `LISTEN`s and
//! feeds what it hears into its own broadcast channel — so a subscriber on one replica hears
//! what was written through another, and a replica hears its own events the same way. The
//! notifications are sent inside the write's transaction, so they go out exactly when it commits.
//!
//! The bus also keeps the instance's commit counter, which the public response cache compares
//! on SQLite to drop what a write made stale (on PostgreSQL it asks the database, see
//! `db::notify::committed_state`).

pub mod webhooks;

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use uuid::Uuid;

use sea_orm::{DatabaseConnection, DbBackend};

/// The PostgreSQL channel all replicas listen on.
pub const CHANNEL: &str = "dkbm_events";
/// How many events a slow subscriber may fall behind before it misses some.
const CAPACITY: usize = 4096;

/// Something that happened, in a few ids (a NOTIFY payload is limited to 8,000 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    /// A change-feed entry was recorded.
    PracticeChanged { seq: i64, agency_id: Uuid },
    /// The seats or the waiting list of a training event changed (or the event itself).
    AvailabilityChanged { event_id: Uuid },
    /// A post was written in a forum thread.
    PostAdded {
        forum_id: Uuid,
        thread_id: Uuid,
        post_id: Uuid,
        /// The first post of a new thread.
        first: bool,
        /// The members notified of the post, when few enough to name in the payload; `None`:
        /// too many to name (each subscriber looks its own notification up).
        #[serde(default)]
        notified: Option<Vec<Uuid>>,
    },
}

/// The `NOTIFY` payloads of a write's events.
pub fn payloads(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|event| serde_json::to_string(event).ok())
        .collect()
}

/// The bus of one instance.
pub struct Bus {
    local: broadcast::Sender<Event>,
    postgres: bool,
    /// Writes committed through this instance.
    commits: AtomicU64,
    listener: Option<JoinHandle<()>>,
}

impl Drop for Bus {
    fn drop(&mut self) {
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
    }
}

impl Bus {
    /// Starts the bus; on PostgreSQL it begins listening on a connection of its own (`url`),
    /// outside the request pool, so that it neither takes a slot there nor keeps the pool from
    /// closing.
    pub async fn start(db: &DatabaseConnection, url: &str) -> anyhow::Result<Bus> {
        let (local, _) = broadcast::channel(CAPACITY);
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(Bus {
                local,
                postgres: false,
                commits: AtomicU64::new(0),
                listener: None,
            });
        }
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        let task = tokio::spawn(listen(listener, local.clone()));
        Ok(Bus {
            local,
            postgres: true,
            commits: AtomicU64::new(0),
            listener: Some(task),
        })
    }

    /// Announces a committed write: raises the commit counter and, on SQLite, hands its events
    /// to the subscribers (on PostgreSQL they arrive through `LISTEN`, sent with the write).
    pub fn committed(&self, events: Vec<Event>) {
        self.commits.fetch_add(1, Ordering::AcqRel);
        if !self.postgres {
            for event in events {
                let _ = self.local.send(event);
            }
        }
    }

    /// How many writes committed through this instance.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }

    /// Subscribes to every event of this instance (and, on PostgreSQL, of every replica).
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }
}

/// Feeds what the replicas announce into the instance's broadcast channel.
async fn listen(mut listener: sea_orm::sqlx::postgres::PgListener, forward: broadcast::Sender<Event>) {
    loop {
        // recv reconnects by itself after a lost connection; what was sent meanwhile is lost,
        // which clients recover from by reading what they missed (cursors).
        match listener.recv().await {
            Ok(notification) => match serde_json::from_str::<Event>(notification.payload()) {
                Ok(event) => {
                    let _ = forward.send(event);
                }
                Err(error) => tracing::warn!(error = %error, "ignoring an unreadable event"),
            },
            Err(error) => {
                tracing::warn!(error = %error, "listening for events failed; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}

//! The event bus for live updates: services publish small events after they commit;
//! subscriptions listen and load what they need (checking what the viewer may see).
//!
//! On SQLite (one process) events travel through an in-process broadcast channel. On
//! PostgreSQL every event goes through `NOTIFY` on one channel, and every replica `LISTEN`s and
//! feeds what it hears into its own broadcast channel — so a subscriber on one replica hears
//! what was written through another, and a replica hears its own events the same way.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use uuid::Uuid;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// The PostgreSQL channel all replicas listen on.
const CHANNEL: &str = "dkbm_events";
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

/// The bus of one instance.
pub struct Bus {
    local: broadcast::Sender<Event>,
    postgres: Option<DatabaseConnection>,
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
                postgres: None,
                listener: None,
            });
        }
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        let forward = local.clone();
        let task = tokio::spawn(async move {
            loop {
                // recv reconnects by itself after a lost connection; what was sent meanwhile is
                // lost, which clients recover from by reading what they missed (cursors).
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
        });
        Ok(Bus {
            local,
            postgres: Some(db.clone()),
            listener: Some(task),
        })
    }

    /// Publishes an event (after the commit that it reports).
    pub async fn publish(&self, event: Event) {
        match &self.postgres {
            None => {
                let _ = self.local.send(event);
            }
            Some(db) => {
                let payload = match serde_json::to_string(&event) {
                    Ok(payload) => payload,
                    Err(_) => return,
                };
                let notify = Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), payload.into()],
                );
                if let Err(error) = db.execute_raw(notify).await {
                    // The write is committed; only live subscribers miss this one event.
                    tracing::warn!(error = %error, "publishing an event failed");
                }
            }
        }
    }

    /// Subscribes to every event of this instance (and, on PostgreSQL, of every replica).
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.local.subscribe()
    }
}

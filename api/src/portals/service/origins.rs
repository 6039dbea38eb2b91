//! The browser origins of every portal, as CORS needs them on every request: kept in memory
//! and read again from the database when older than `--portal-origins-refresh-secs` (changes
//! made through this instance apply at once; other replicas see them after that time).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use dkbm_entity::portal;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::model::origins_of;

#[derive(Default)]
struct Snapshot {
    /// Every origin of any portal (for preflights, which carry no header values).
    any: HashSet<String>,
    /// The origins of each key (current and previous).
    by_key: HashMap<String, HashSet<String>>,
}

/// The portals' origins of one instance.
pub struct PortalOrigins {
    refresh: Duration,
    snapshot: Mutex<Option<(Instant, std::sync::Arc<Snapshot>)>>,
}

impl PortalOrigins {
    pub fn new(refresh: Duration) -> Self {
        PortalOrigins {
            refresh,
            snapshot: Mutex::new(None),
        }
    }

    /// Forgets what was read: the next request reads the origins again.
    pub fn changed(&self) {
        *self.snapshot.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    async fn current(&self, db: &DatabaseConnection) -> std::sync::Arc<Snapshot> {
        if let Some((at, snapshot)) = &*self.snapshot.lock().unwrap_or_else(PoisonError::into_inner)
            && at.elapsed() < self.refresh
        {
            return snapshot.clone();
        }
        let snapshot = match portal::Entity::find().all(db).await {
            Ok(rows) => std::sync::Arc::new(Self::build(&rows)),
            Err(error) => {
                tracing::warn!(%error, "reading the portals' origins failed");
                return std::sync::Arc::default();
            }
        };
        *self.snapshot.lock().unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), snapshot.clone()));
        snapshot
    }

    fn build(rows: &[portal::Model]) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for row in rows {
            let origins: HashSet<String> = origins_of(row).into_iter().collect();
            snapshot.any.extend(origins.iter().cloned());
            if let Some(previous) = &row.previous_key {
                snapshot.by_key.insert(previous.clone(), origins.clone());
            }
            snapshot.by_key.insert(row.portal_key.clone(), origins);
        }
        snapshot
    }

    /// Whether a browser on `origin` may call with the portal `key` (if it sent one): a request
    /// naming a portal only from that portal's origins; one naming none (and a preflight) from
    /// any portal's origins.
    pub async fn allows(&self, db: &DatabaseConnection, origin: &str, key: Option<&str>) -> bool {
        let origin = origin.to_ascii_lowercase();
        let snapshot = self.current(db).await;
        match key.and_then(|key| snapshot.by_key.get(key.trim())) {
            Some(origins) => origins.contains(&origin),
            None => snapshot.any.contains(&origin),
        }
    }
}

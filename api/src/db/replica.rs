//! A PostgreSQL streaming replica for reads (`--read-database-url`).
//!
//! A monitor looks at both servers twice a second: the primary's WAL position and how far the
//! replica has replayed. The replica is used while it answers and is at most
//! `--replica-max-lag-secs` behind; else reads go to the primary and `/readyz` says why.
//!
//! Freshness is kept by WAL positions (LSNs): a read that must see a given commit goes to the
//! replica only once the replica has replayed past it. A viewer's writes are remembered with the
//! primary's position after them for `--read-your-writes-secs`; a response-cache miss must be as
//! new as the data version it will be stored under, read together with the primary's position.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use crate::config::ReplicaConfig;

/// How often the monitor looks.
const MONITOR_INTERVAL: Duration = Duration::from_millis(500);

/// The replica and what is known about it.
pub struct Replica {
    /// The replica's pool.
    pub db: super::Db,
    primary: DatabaseConnection,
    /// How far the replica has replayed (bytes of WAL), as last seen.
    replayed: AtomicU64,
    usable: AtomicBool,
    /// Why it is not used, when it is not.
    trouble: Mutex<Option<String>>,
    /// Viewers' latest writes: the primary's position after them.
    writes: moka::sync::Cache<String, u64>,
    max_lag: Duration,
}

/// How far the replica has replayed, as bytes since the start (-1: not a replica).
const REPLAYED_LSN: &str = "SELECT COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, -1) AS lsn";

/// The primary's WAL position now, as bytes since the start.
const CURRENT_LSN: &str = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS lsn";

async fn one_number(db: &DatabaseConnection, sql: &str, column: &str) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .ok_or_else(|| DbErr::Custom("no row".to_owned()))?;
    row.try_get::<i64>("", column)
}

impl Replica {
    /// Connects to the configured replica (PostgreSQL primaries only); `None` when none is set.
    pub async fn connect(
        config: &ReplicaConfig,
        primary: &super::Db,
        max_connections: u32,
    ) -> Result<Option<Arc<Replica>>, DbErr> {
        let Some(url) = config.read_database_url.as_deref().filter(|url| !url.trim().is_empty()) else {
            return Ok(None);
        };
        if primary.connection.get_database_backend() != DbBackend::Postgres {
            return Err(DbErr::Custom(
                "--read-database-url needs a PostgreSQL primary".to_owned(),
            ));
        }
        let db = super::connect_replica(url, max_connections, primary.metrics.clone()).await?;
        let replica = Arc::new(Replica {
            db,
            primary: primary.version.clone(),
            replayed: AtomicU64::new(0),
            usable: AtomicBool::new(false),
            trouble: Mutex::new(Some("not checked yet".to_owned())),
            writes: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(config.read_your_writes_secs.max(1)))
                .build(),
            max_lag: Duration::from_secs(config.replica_max_lag_secs.max(1)),
        });
        replica.check().await;
        Ok(Some(replica))
    }

    /// Watches the replica until the task is aborted.
    pub async fn monitor(self: Arc<Self>) {
        let mut behind_since: Option<Instant> = None;
        loop {
            tokio::time::sleep(MONITOR_INTERVAL).await;
            self.check_lag(&mut behind_since).await;
        }
    }

    async fn check(&self) {
        let mut behind_since = None;
        self.check_lag(&mut behind_since).await;
    }

    /// One look: the primary's position first, then the replica's; the replica is behind while
    /// it has not replayed a position the primary had reached at an earlier look.
    async fn check_lag(&self, behind_since: &mut Option<Instant>) {
        let looked = Instant::now();
        let primary = one_number(&self.primary, CURRENT_LSN, "lsn").await;
        let replayed = one_number(&self.db.connection, REPLAYED_LSN, "lsn").await;
        let verdict = match (primary, replayed) {
            (Err(error), _) => Err(format!("the primary does not answer: {error}")),
            (_, Err(error)) => Err(format!("the replica does not answer: {error}")),
            (_, Ok(-1)) => Err("the read database is not a streaming replica".to_owned()),
            (Ok(primary), Ok(replayed)) => {
                let replayed = u64::try_from(replayed).unwrap_or(0);
                self.replayed.store(replayed, Ordering::SeqCst);
                let primary = u64::try_from(primary).unwrap_or(0);
                if replayed >= primary {
                    *behind_since = None;
                } else if behind_since.is_none() {
                    *behind_since = Some(looked);
                }
                match behind_since.map(|since| since.elapsed()) {
                    Some(lag) if lag > self.max_lag => Err(format!("the replica lags {} s behind", lag.as_secs())),
                    _ => Ok(()),
                }
            }
        };
        let usable = verdict.is_ok();
        if usable != self.usable.swap(usable, Ordering::SeqCst) {
            match &verdict {
                Ok(()) => tracing::info!("the read replica is in use"),
                Err(why) => tracing::warn!(why, "reads go to the primary"),
            }
        }
        *self.trouble.lock().unwrap_or_else(PoisonError::into_inner) = verdict.err();
    }

    /// Why reads go to the primary, or `None` while the replica is in use.
    pub fn trouble(&self) -> Option<String> {
        self.trouble.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Whether a read that must see the primary's position `lsn` (none: any) may go to the
    /// replica now: it is in use and, if needed, has replayed that far (asked once more if the
    /// last look says it had not).
    pub async fn may_read(&self, lsn: Option<u64>) -> bool {
        if !self.usable.load(Ordering::SeqCst) {
            return false;
        }
        let Some(lsn) = lsn else { return true };
        if self.replayed.load(Ordering::SeqCst) >= lsn {
            return true;
        }
        match one_number(&self.db.connection, REPLAYED_LSN, "lsn").await {
            Ok(replayed) => {
                let replayed = u64::try_from(replayed).unwrap_or(0);
                self.replayed.fetch_max(replayed, Ordering::SeqCst);
                replayed >= lsn
            }
            Err(_) => false,
        }
    }

    /// Remembers that `viewer` wrote: its reads must see the primary's position now.
    pub async fn wrote(&self, viewer: String) {
        match one_number(&self.primary, CURRENT_LSN, "lsn").await {
            Ok(lsn) => self.writes.insert(viewer, u64::try_from(lsn).unwrap_or(u64::MAX)),
            // Unknown: the viewer reads on the primary for the whole window.
            Err(_) => self.writes.insert(viewer, u64::MAX),
        }
    }

    /// The position `viewer`'s reads must see, if they wrote within the window.
    pub fn written_by(&self, viewer: &str) -> Option<u64> {
        self.writes.get(viewer)
    }
}

/// The data version and the primary's WAL position in one statement: a response computed on
/// the replica may be stored under the version only once the replica has replayed that far.
pub async fn data_version_at(primary: &DatabaseConnection) -> Result<(String, u64), DbErr> {
    let sql = "SELECT last_value::text AS version, (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint AS lsn FROM dkbm_data_version";
    let row = primary
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .ok_or_else(|| DbErr::Custom("no data version".to_owned()))?;
    let version: String = row.try_get("", "version")?;
    let lsn: i64 = row.try_get("", "lsn")?;
    Ok((version, u64::try_from(lsn).unwrap_or(0)))
}

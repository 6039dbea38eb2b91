//! Connecting, migrating, and the differences between SQLite and PostgreSQL. Every backend
//! difference the services need lives behind one function here.

use std::sync::Arc;
use std::time::Duration;

pub mod backup;
pub mod bulk;
pub mod fulltext;
pub mod ids;
pub mod notify;
pub mod outbox;
pub mod replica;
pub mod rows;
pub mod unit_of_work;
pub mod webhook_outbox;

pub use unit_of_work::{UnitOfWork, Versioned, Writer};

use dkbm_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    IsolationLevel, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::DatabaseConfig;
use crate::metrics::Metrics;

/// An open database with the metrics its statements report to.
#[derive(Clone)]
pub struct Db {
    pub connection: DatabaseConnection,
    pub metrics: Arc<Metrics>,
    /// Connections of their own for the data version's one-statement reads and advances: two
    /// on PostgreSQL (a write's answer and a cached read must not queue for a connection behind
    /// a burst of transactions that hold the main pool's connections while they wait for a row
    /// lock), one on SQLite (whose `data_version` sees the commits of every other connection).
    pub version: DatabaseConnection,
}

/// Opens the connection pool. SQLite gets WAL mode, foreign keys and a busy timeout, so readers
/// never block the single writer and writers queue instead of failing.
pub async fn connect(config: &DatabaseConfig) -> Result<Db, DbErr> {
    connect_with_metrics(config, Arc::new(Metrics::new())).await
}

/// Like [`connect`], reporting statements to the given metrics.
pub async fn connect_with_metrics(config: &DatabaseConfig, metrics: Arc<Metrics>) -> Result<Db, DbErr> {
    let url = connection_url(&config.url);
    let connection = open_pool(&url, config.max_connections, &metrics, false).await?;
    let version = if connection.get_database_backend() == DbBackend::Postgres {
        open_pool(&url, 2, &metrics, false).await?
    } else if url.contains(":memory:") {
        // An in-memory database has no second connection to it: the instance counts.
        connection.clone()
    } else {
        // One connection of its own, which never writes: SQLite's `data_version` on it changes
        // whenever any other connection commits, this process's or another's (a CLI import).
        open_pool(&url, 1, &metrics, false).await?
    };
    Ok(Db {
        connection,
        metrics,
        version,
    })
}

/// A pool for a read replica: its connections are opened when first needed, so that an
/// instance starts (and reads on the primary) while the replica is down.
pub async fn connect_replica(url: &str, max_connections: u32, metrics: Arc<Metrics>) -> Result<Db, DbErr> {
    let connection = open_pool(&connection_url(url), max_connections, &metrics, true).await?;
    Ok(Db {
        version: connection.clone(),
        connection,
        metrics,
    })
}

/// Opens a pool of up to `max_connections` that reports its statements to `metrics` (`lazy`:
/// connecting when first used). SQLite gets WAL mode, foreign keys and a busy timeout, so
/// readers never block the single writer and writers queue instead of failing.
async fn open_pool(
    url: &str,
    max_connections: u32,
    metrics: &Arc<Metrics>,
    lazy: bool,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.connect_lazy(lazy);
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // The driver pings every connection it hands out (a round trip, a wake-up of SQLite's
        // worker thread): as many extra round trips as statements. Like HikariCP's bypass
        // window, only a connection idle for a while is pinged; a busy one is known alive.
        .test_before_acquire_if_idle_for(Duration::from_millis(500))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|options| {
            options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(30))
        });
    let mut pool = Database::connect(options).await?;
    observe(&mut pool, metrics.clone());
    Ok(pool)
}

/// The URL the pools connect with: the configured one, except that a PostgreSQL server on this
/// machine (`localhost`, `127.0.0.1`, `::1`) is reached without TLS unless the URL names an
/// `sslmode`. The driver's default (`prefer`) would encrypt traffic that never leaves the host,
/// and sqlx 0.9.0 sends TLS records without `TCP_NODELAY` (its issue #4335), so that a large
/// statement's last record waited for the server's delayed acknowledgement: a push of 500
/// practices took three times as long, the change feed twice.
pub fn connection_url(configured: &str) -> String {
    let Ok(mut url) = url::Url::parse(configured) else {
        return configured.to_owned();
    };
    let postgres = matches!(url.scheme(), "postgres" | "postgresql");
    let local = url.host().is_some_and(|host| match host {
        // `postgres:` is not a special scheme: its IPv4 hosts arrive as names.
        url::Host::Domain(name) => {
            name == "localhost" || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    });
    if !postgres || !local || url.query_pairs().any(|(key, _)| key == "sslmode") {
        return configured.to_owned();
    }
    url.query_pairs_mut().append_pair("sslmode", "disable");
    url.into()
}

/// Reports every statement of `connection` to `metrics`, to the debug log and, when traces are
/// on, as a span.
fn observe(connection: &mut DatabaseConnection, statement_metrics: Arc<Metrics>) {
    let system = match connection.get_database_backend() {
        DbBackend::Postgres => "postgresql",
        DbBackend::MySql => "mysql",
        _ => "sqlite",
    };
    connection.set_metric_callback(move |info| {
        crate::telemetry::record_statement(system, &info.statement.sql, info.elapsed, info.failed);
        statement_metrics.db_statements.inc();
        if info.failed {
            statement_metrics.db_statement_errors.inc();
        }
        statement_metrics
            .db_statement_duration
            .observe(info.elapsed.as_secs_f64());
        tracing::debug!(
            target: "dkbm_hub::sql",
            elapsed_ms = info.elapsed.as_secs_f64() * 1000.0,
            failed = info.failed,
            sql = %info.statement.sql
        );
    });
}

/// Applies pending migrations and says how many it applied. On PostgreSQL several replicas may
/// start at once: a transaction-scoped advisory lock lets one migrate while the others wait and
/// then find nothing left to do (they report 0).
pub async fn migrate(db: &DatabaseConnection) -> Result<usize, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let transaction = db.begin().await?;
            transaction
                .execute_unprepared("SELECT pg_advisory_xact_lock(7373410001)")
                .await?;
            let pending = Migrator::get_pending_migrations(&transaction).await?.len();
            Migrator::up(&transaction, None).await?;
            transaction.commit().await?;
            Ok(pending)
        }
        _ => {
            let pending = Migrator::get_pending_migrations(db).await?.len();
            Migrator::up(db, None).await?;
            Ok(pending)
        }
    }
}

/// How many migrations this version needs that the database lacks.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    Ok(Migrator::get_pending_migrations(db).await?.len())
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later could not wait
/// for a concurrent writer and would fail with "database is locked".
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Starts a read-only transaction that sees one snapshot of the database throughout: repeatable
/// read on PostgreSQL; on SQLite (WAL) every read transaction does.
pub async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly))
                .await
        }
        _ => db.begin().await,
    }
}

/// Starts a read-only transaction whose statements are planned for their parameters each time
/// (PostgreSQL: `SET LOCAL plan_cache_mode = force_custom_plan`), for a lookup of hundreds of
/// values in a table that grows fast: a prepared statement's generic plan, cached while the
/// table was small, may filter every row of an agency against all the values instead of
/// looking each up in the index (50-90 ms for a batch of 500, where the lookup takes 2 ms).
/// SQLite plans every statement anew anyway.
pub async fn begin_custom_plans(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
    }
    Ok(txn)
}

/// Reads the row(s) of `select` locked until the transaction ends (`SELECT … FOR UPDATE` on
/// PostgreSQL; SQLite's write transactions hold the whole database already, see [`begin_write`]).
pub async fn one_for_update<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<E>,
) -> Result<Option<E::Model>, DbErr> {
    use sea_orm::QuerySelect;
    match db.get_database_backend() {
        DbBackend::Postgres => select.lock_exclusive().one(db).await,
        _ => select.one(db).await,
    }
}

/// Reads all rows of `select` locked until the transaction ends (see [`one_for_update`]).
pub async fn all_for_update<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<E>,
) -> Result<Vec<E::Model>, DbErr> {
    use sea_orm::QuerySelect;
    match db.get_database_backend() {
        DbBackend::Postgres => select.lock_exclusive().all(db).await,
        _ => select.all(db).await,
    }
}

/// Runs `insert` (an upsert may skip rows) and reads back the rows it wrote (`RETURNING *`,
/// which both backends know).
pub async fn insert_returning<E: sea_orm::EntityTrait>(
    db: &impl ConnectionTrait,
    mut insert: sea_orm::sea_query::InsertStatement,
) -> Result<Vec<E::Model>, DbErr> {
    insert.returning_all();
    let statement = db.get_database_backend().build(&insert);
    E::find().from_raw_sql(statement).all(db).await
}

/// Takes a transaction-scoped advisory lock on `key` on PostgreSQL; SQLite's write transactions
/// hold the whole database already (see [`begin_write`]).
pub async fn advisory_lock(db: &impl ConnectionTrait, key: i64) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Reads the pool's current size and idle count into the metrics (called when scraped).
pub fn record_pool_metrics(db: &Db) {
    let (size, idle) = match db.connection.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.connection.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = db.connection.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    db.metrics.db_pool_size.set(i64::from(size));
    db.metrics.db_pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
}

/// Whether the database answers (for `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// The current time at microsecond precision: what both backends store, so a value read back
/// equals the value written (keyset cursors compare them exactly).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

/// The next `count` practice numbers (the FTS5 rowid on SQLite): a sequence on PostgreSQL;
/// on SQLite, where the caller's write transaction is the only writer, after the largest.
pub async fn next_practice_numbers(db: &impl ConnectionTrait, count: usize) -> Result<Vec<i64>, DbErr> {
    let backend = db.get_database_backend();
    let count = i64::try_from(count).map_err(|_| DbErr::Custom("too many practice numbers".into()))?;
    if backend == DbBackend::Postgres {
        let rows = db
            .query_all_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                "SELECT nextval('good_practice_number_seq') AS n FROM generate_series(1, $1::bigint)",
                [count.into()],
            ))
            .await?;
        return rows.iter().map(|row| row.try_get::<i64>("", "n")).collect();
    }
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT COALESCE(MAX(number), 0) + 1 AS n FROM good_practice",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no next practice number".into()))?;
    let first = row.try_get::<i64>("", "n")?;
    Ok((first..first + count).collect())
}

/// Keeps the query planner's statistics fresh: SQLite's `PRAGMA optimize` (at start it analyses
/// every table that lacks statistics; later only what changed a lot). PostgreSQL's autovacuum
/// does this on its own.
pub async fn optimize(db: &DatabaseConnection, at_start: bool) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.execute_unprepared(if at_start {
            "PRAGMA optimize=0x10002"
        } else {
            "PRAGMA optimize"
        })
        .await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics of `table` after a bulk write (both backends know
/// `ANALYZE`): a directory import multiplies the places, and a plan chosen for eight would scan
/// eleven thousand.
pub async fn analyze(db: &impl ConnectionTrait, table: &'static str) -> Result<(), DbErr> {
    db.execute_unprepared(&format!("ANALYZE {table}")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::connection_url;

    #[test]
    fn a_local_postgres_server_is_reached_without_tls_unless_the_url_says_otherwise() {
        for (configured, used) in [
            (
                "postgres://postgres@127.0.0.1:5432/dkbm",
                "postgres://postgres@127.0.0.1:5432/dkbm?sslmode=disable",
            ),
            (
                "postgresql://u:p@localhost/dkbm?application_name=hub",
                "postgresql://u:p@localhost/dkbm?application_name=hub&sslmode=disable",
            ),
            (
                "postgres://postgres@[::1]/dkbm",
                "postgres://postgres@[::1]/dkbm?sslmode=disable",
            ),
            (
                "postgres://postgres@127.0.0.1/dkbm?sslmode=require",
                "postgres://postgres@127.0.0.1/dkbm?sslmode=require",
            ),
            ("postgres://db.example.org/dkbm", "postgres://db.example.org/dkbm"),
            ("sqlite://dkbm.db?mode=rwc", "sqlite://dkbm.db?mode=rwc"),
        ] {
            assert_eq!(connection_url(configured), used, "{configured}");
        }
    }
}

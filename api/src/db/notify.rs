//! What replicas learn of each other's writes. Events go out with `NOTIFY` inside the write's
//! transaction, so they are heard exactly when (and only if) it commits. Whether anything at all
//! was written since an earlier moment — what the response cache needs to know — is the data
//! version: on PostgreSQL a sequence (`dkbm_data_version`) that every unit of work advances
//! right after its commit, before it answers, so any request that could know of the write finds
//! it advanced, on every replica; a sequence takes no lock, so writers never queue on it. On
//! SQLite there is nothing to send, and the data version is SQLite's own `PRAGMA data_version`
//! read on a connection that never writes: it changes with every commit of any other
//! connection, also one of another process (a CLI import while the server runs).

use sea_orm::sea_query::{InsertStatement, PostgresQueryBuilder};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// Runs `write` (if any) and queues `payloads` on `channel` in the transaction `txn`, both in
/// one statement on PostgreSQL (`WITH written AS (…) SELECT pg_notify(…), …`); SQLite has
/// nothing to notify and runs `write` alone.
pub async fn write_and_notify(
    txn: &impl ConnectionTrait,
    write: Option<InsertStatement>,
    channel: &str,
    payloads: Vec<String>,
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    if backend != DbBackend::Postgres || payloads.is_empty() {
        if let Some(write) = write {
            txn.execute(&write).await?;
        }
        return Ok(());
    }
    let (prefix, mut values) = match write {
        Some(write) => {
            let (sql, values) = write.build(PostgresQueryBuilder);
            (format!("WITH written AS ({sql}) "), values.0)
        }
        None => (String::new(), Vec::new()),
    };
    let channel_at = values.len() + 1;
    let calls: Vec<String> = (0..payloads.len())
        .map(|i| format!("pg_notify(${channel_at}, ${})", channel_at + 1 + i))
        .collect();
    values.push(channel.into());
    values.extend(payloads.into_iter().map(Value::from));
    let sql = format!("{prefix}SELECT {}", calls.join(", "));
    txn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
        .await?;
    Ok(())
}

/// Advances the data version after a commit (PostgreSQL; SQLite counts in the process).
pub async fn advance_data_version(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_unprepared("SELECT nextval('dkbm_data_version')").await?;
    Ok(())
}

/// The data version now: equal values mean that nothing committed in between. PostgreSQL:
/// the sequence's last value, one short statement. SQLite: `PRAGMA data_version` on `db` (the
/// data version's own connection, which never writes). `None` where it cannot be told (an
/// in-memory SQLite database): the caller uses the instance's commit counter.
pub async fn data_version(db: &impl ConnectionTrait, in_memory: bool) -> Result<Option<String>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => "SELECT last_value::text AS version FROM dkbm_data_version",
        _ if in_memory => return Ok(None),
        _ => "SELECT CAST(data_version AS TEXT) AS version FROM pragma_data_version",
    };
    let row = db.query_one_raw(Statement::from_string(backend, sql)).await?;
    Ok(row.and_then(|row| row.try_get::<String>("", "version").ok()))
}

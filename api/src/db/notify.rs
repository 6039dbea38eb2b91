//! What replicas learn of each other's writes. Events go out with `NOTIFY` inside the write's
//! transaction, so they are heard exactly when (and only if) it commits. Whether anything at all
//! was committed since an earlier moment — what the response cache needs to know — is asked of
//! PostgreSQL itself: its snapshot of completed transactions changes with every commit of any
//! client, replica or tool, and only then. On SQLite (one process, the only writer) both are the
//! instance's own business: nothing to send, and a counter that every commit raises.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// Queues `payloads` on `channel` in the transaction `txn`, all in one statement (PostgreSQL).
pub async fn notify_on_commit(txn: &impl ConnectionTrait, channel: &str, payloads: Vec<String>) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres || payloads.is_empty() {
        return Ok(());
    }
    let calls: Vec<String> = (0..payloads.len())
        .map(|i| format!("pg_notify($1, ${})", i + 2))
        .collect();
    let values: Vec<Value> = std::iter::once(channel.into())
        .chain(payloads.into_iter().map(Into::into))
        .collect();
    let sql = format!("SELECT {}", calls.join(", "));
    txn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, sql, values))
        .await?;
    Ok(())
}

/// A token of the committed state of the whole database: equal tokens mean that no transaction
/// completed in between. PostgreSQL: its current snapshot (`xmin:xmax:in-progress`), one short
/// statement. SQLite: `None`, the caller uses the instance's commit counter.
pub async fn committed_state(db: &impl ConnectionTrait) -> Result<Option<String>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let statement = Statement::from_string(DbBackend::Postgres, "SELECT pg_current_snapshot()::text AS state");
    let row = db.query_one_raw(statement).await?;
    Ok(row.and_then(|row| row.try_get::<String>("", "state").ok()))
}

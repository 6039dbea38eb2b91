//! The sweep of the store: objects that no row names and that are older than one sweep period
//! are what an instance left that died between storing a file and committing its row; they are
//! removed. Every instance runs the loop; the one that claims the period in the database
//! sweeps (the claim is the time of the last sweep, moved forward by one statement).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use dkbm_entity::server_setting;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::db::{Writer, now};
use crate::error::AppResult;
use crate::storage::{Storage, blobs};

/// The setting that holds the time of the last sweep.
const SWEPT_SETTING: &str = "storage_swept";

/// Sweeps every `period` until aborted.
pub async fn run_sweeps(writer: Writer, storage: Arc<Storage>, period: Duration) {
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match sweep(&writer, &storage, period).await {
            Ok(removed) if removed > 0 => tracing::info!(removed, "orphaned files removed from the store"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "sweeping the store failed"),
        }
    }
}

/// One sweep, if no other instance swept within the period; answers how many objects went.
pub async fn sweep(writer: &Writer, storage: &Storage, period: Duration) -> AppResult<usize> {
    if !claim(writer, period).await? {
        return Ok(0);
    }
    let older = chrono::Duration::from_std(period).unwrap_or(chrono::Duration::hours(1));
    let orphans = blobs::orphans(writer.conn(), storage, Utc::now() - older).await?;
    let mut removed = 0;
    for sha256 in orphans {
        if blobs::release(writer, storage, &sha256).await? {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Claims this period's sweep: true for the one instance that moved the time of the last
/// sweep forward.
async fn claim(writer: &Writer, period: Duration) -> AppResult<bool> {
    let db = writer.conn();
    let never = server_setting::ActiveModel {
        name: Set(SWEPT_SETTING.to_owned()),
        value: Set(String::new()),
        updated_at: Set(chrono::DateTime::<Utc>::UNIX_EPOCH),
    };
    server_setting::Entity::insert(never)
        .on_conflict(OnConflict::column(server_setting::Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    // A tenth of the period's slack: instances whose timers drift apart still sweep once each
    // period between them.
    let slack = period.mul_f64(0.9);
    let due = now() - chrono::Duration::from_std(slack).unwrap_or_default();
    let claimed = server_setting::Entity::update_many()
        .col_expr(server_setting::Column::UpdatedAt, Expr::value(now()))
        .filter(server_setting::Column::Name.eq(SWEPT_SETTING))
        .filter(server_setting::Column::UpdatedAt.lte(due))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

//! Purging the change feed's old tombstones (run by the maintenance task).

use dkbm_entity::{practice_change, practice_feed};
use sea_orm::sea_query::{Expr, Func, Query, QueryStatementBuilder};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::feed::{Operation, counter_missing};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;

/// Purges tombstones older than the retention, and remembers up to which position: cursors
/// before it are expired (their holders may have missed a deletion). Takes the counter's lock
/// first, like every writer of the feed.
pub async fn purge_tombstones(writer: &Writer, retention: chrono::Duration) -> AppResult<u64> {
    let cutoff = now() - retention;
    let last_tombstone = Query::select()
        .expr(Func::max(Expr::col(practice_change::Column::Seq)))
        .from(practice_change::Entity)
        .and_where(practice_change::Column::Operation.eq(Operation::Delete.as_str()))
        .and_where(practice_change::Column::At.lt(cutoff))
        .to_owned();
    let through = Func::greatest([
        Expr::col(practice_feed::Column::PurgedThrough),
        Func::coalesce([
            Expr::SubQuery(None, Box::new(last_tombstone.into_sub_query_statement())),
            Expr::val(0i64),
        ])
        .into(),
    ]);
    let work = UnitOfWork::begin(writer).await?;
    let purged_through = practice_feed::Entity::update_many()
        .col_expr(practice_feed::Column::PurgedThrough, through.into())
        .filter(practice_feed::Column::Id.eq(1))
        .exec_with_returning(&work)
        .await?
        .pop()
        .ok_or_else(counter_missing)?
        .purged_through;
    let deleted = practice_change::Entity::delete_many()
        .filter(practice_change::Column::Operation.eq(Operation::Delete.as_str()))
        .filter(practice_change::Column::At.lt(cutoff))
        .filter(practice_change::Column::Seq.lte(purged_through))
        .exec(&work)
        .await?
        .rows_affected;
    work.commit().await?;
    Ok(deleted)
}

//! The delivery worker's claim on the outbox: due messages, each taken by one worker only.
//! On PostgreSQL the candidates are locked with `FOR UPDATE SKIP LOCKED`, so workers of several
//! instances take disjoint batches without waiting for each other; on SQLite the one writer
//! runs the claim as one statement.

use chrono::{DateTime, Utc};
use dkbm_entity::{OutboxStatus, outbox_message};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter};

/// Claims up to `limit` due messages until `lease_until`: PENDING ones whose time has come,
/// and SENDING ones whose worker's lease ran out (its instance died mid-batch). Each claim
/// counts as an attempt.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox_message::Model>, DbErr> {
    use outbox_message::Column;
    let due = Condition::any()
        .add(
            Condition::all()
                .add(Column::Status.eq(OutboxStatus::Pending))
                .add(Column::NextAttemptAt.lte(at)),
        )
        .add(
            Condition::all()
                .add(Column::Status.eq(OutboxStatus::Sending))
                .add(Column::ClaimedUntil.lt(at)),
        );
    let mut candidates = Query::select();
    candidates
        .column(Column::Id)
        .from(outbox_message::Entity)
        .cond_where(due)
        .order_by(Column::NextAttemptAt, sea_orm::Order::Asc)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        candidates.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    outbox_message::Entity::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Sending))
        .col_expr(Column::ClaimedUntil, Expr::value(lease_until))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.in_subquery(candidates))
        .exec_with_returning(db)
        .await
}

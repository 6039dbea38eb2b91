//! The webhook outbox's database work: a change's fan-out (one delivery per subscribed endpoint,
//! written in the change's transaction) and the delivery workers' claim on endpoints. A worker
//! claims a whole endpoint, not single deliveries, so that the endpoint's deliveries go out one
//! after another in order, by one worker of all replicas. On PostgreSQL the candidates are locked
//! with `FOR UPDATE SKIP LOCKED`, so workers of several instances take disjoint endpoints
//! without waiting for each other; on SQLite the one writer runs the claim as one statement.

use chrono::{DateTime, Utc};
use dkbm_entity::webhook_delivery::WebhookDeliveryStatus;
use dkbm_entity::{webhook, webhook_delivery};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::ids::AgencyId;
use crate::realtime::webhooks::{Occurrence, body};

/// Rows one INSERT writes at most (13 parameters each, well below PostgreSQL's limit).
const ROWS_PER_INSERT: usize = 2000;

/// Writes one delivery per occurrence and enabled endpoint that subscribed to its topic and is
/// in its audience; answers how many. One read of the enabled endpoints, then the inserts.
pub async fn fan_out(db: &impl ConnectionTrait, occurrences: &[Occurrence], at: DateTime<Utc>) -> Result<usize, DbErr> {
    if occurrences.is_empty() {
        return Ok(0);
    }
    let endpoints: Vec<(Uuid, Uuid, String)> = webhook::Entity::find()
        .select_only()
        .columns([webhook::Column::Id, webhook::Column::AgencyId, webhook::Column::Events])
        .filter(webhook::Column::Enabled.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let mut rows = Vec::new();
    for occurrence in occurrences {
        let subscribed = endpoints.iter().filter(|(_, agency, events)| {
            occurrence.audience.includes(AgencyId::from(*agency))
                && events.split(',').any(|name| name == occurrence.topic.name())
        });
        let message_id = Uuid::now_v7();
        let payload = body(occurrence.topic.event_type(), at, &occurrence.data);
        for (endpoint, _, _) in subscribed {
            rows.push(pending(
                *endpoint,
                message_id,
                occurrence.topic.event_type(),
                payload.clone(),
                at,
            ));
        }
    }
    let written = rows.len();
    insert(db, rows).await?;
    Ok(written)
}

/// A new delivery of message `message_id` to `endpoint`, due at once.
pub fn pending(
    endpoint: Uuid,
    message_id: Uuid,
    event_type: &str,
    payload: String,
    at: DateTime<Utc>,
) -> webhook_delivery::ActiveModel {
    webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        webhook_id: Set(endpoint),
        message_id: Set(message_id),
        event_type: Set(event_type.to_owned()),
        payload: Set(payload),
        status: Set(WebhookDeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(at),
        last_attempt_at: Set(None),
        response_status: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        delivered_at: Set(None),
    }
}

/// Inserts deliveries, a few thousand per statement.
pub async fn insert(db: &impl ConnectionTrait, rows: Vec<webhook_delivery::ActiveModel>) -> Result<(), DbErr> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        webhook_delivery::Entity::insert_many(chunk).exec(db).await?;
    }
    Ok(())
}

/// Claims up to `limit` endpoints with a delivery due at `at`, until `lease_until`: enabled,
/// not paused for a retry, and not held by another worker (or held by one whose lease ran out:
/// its instance died).
pub async fn claim_endpoints(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<webhook::Model>, DbErr> {
    use webhook::Column;
    let due = Query::select()
        .expr(Expr::val(1))
        .from(webhook_delivery::Entity)
        .and_where(
            Expr::col((webhook_delivery::Entity, webhook_delivery::Column::WebhookId))
                .equals((webhook::Entity, Column::Id)),
        )
        .and_where(webhook_delivery::Column::Status.eq(WebhookDeliveryStatus::Pending))
        .and_where(webhook_delivery::Column::NextAttemptAt.lte(at))
        .to_owned();
    let free = Condition::all()
        .add(Column::Enabled.eq(true))
        .add(
            Condition::any()
                .add(Column::PausedUntil.is_null())
                .add(Column::PausedUntil.lte(at)),
        )
        .add(
            Condition::any()
                .add(Column::ClaimedUntil.is_null())
                .add(Column::ClaimedUntil.lt(at)),
        )
        .add(Expr::exists(due));
    let mut candidates = Query::select();
    candidates
        .column((webhook::Entity, Column::Id))
        .from(webhook::Entity)
        .cond_where(free)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        candidates.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    webhook::Entity::update_many()
        .col_expr(Column::ClaimedUntil, Expr::value(lease_until))
        .filter(Column::Id.in_subquery(candidates))
        .exec_with_returning(db)
        .await
}

/// The next deliveries of `endpoint` in order (at most `limit`).
pub async fn queue(
    db: &impl ConnectionTrait,
    endpoint: Uuid,
    limit: u64,
) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    use sea_orm::QueryOrder;
    webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(endpoint))
        .filter(webhook_delivery::Column::Status.eq(WebhookDeliveryStatus::Pending))
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Lets go of `endpoint` (a worker that held it is done), with `paused_until` (the retry of its
/// first delivery) and `failing_since` as the worker leaves them.
pub async fn release(
    db: &impl ConnectionTrait,
    endpoint: &webhook::Model,
    paused_until: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    use webhook::Column;
    webhook::Entity::update_many()
        .col_expr(Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::PausedUntil, Expr::value(paused_until))
        .col_expr(Column::FailingSince, Expr::value(endpoint.failing_since))
        .filter(Column::Id.eq(endpoint.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Extends the worker's hold on `endpoint` to `lease_until`.
pub async fn renew(db: &impl ConnectionTrait, endpoint: Uuid, lease_until: DateTime<Utc>) -> Result<(), DbErr> {
    webhook::Entity::update_many()
        .col_expr(webhook::Column::ClaimedUntil, Expr::value(lease_until))
        .filter(webhook::Column::Id.eq(endpoint))
        .exec(db)
        .await?;
    Ok(())
}

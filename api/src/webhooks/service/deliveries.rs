//! An endpoint's deliveries: the list (newest first), a delivery sent again, a test message.

use dkbm_entity::webhook_delivery::WebhookDeliveryStatus;
use dkbm_entity::{webhook, webhook_delivery};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::endpoints::managed;
use crate::auth::Viewer;
use crate::db::webhook_outbox::pending;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{WebhookDeliveryId, WebhookId};
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::realtime::webhooks::{TEST_EVENT_TYPE, body, node};

/// A page of an endpoint's deliveries, newest first, optionally of one status.
pub async fn deliveries(
    db: &DatabaseConnection,
    viewer: &Viewer,
    endpoint: WebhookId,
    status: Option<WebhookDeliveryStatus>,
    page: &PageArgs,
) -> AppResult<Page<webhook_delivery::Model>> {
    let endpoint = managed(db, viewer, endpoint).await?;
    let mut select = webhook_delivery::Entity::find().filter(webhook_delivery::Column::WebhookId.eq(endpoint.id));
    if let Some(status) = status {
        select = select.filter(webhook_delivery::Column::Status.eq(status));
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "webhookDeliveries:Desc".into(),
        keys: vec![(Expr::col(webhook_delivery::Column::Id), KeyKind::Uuid)],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |row| vec![Key::Uuid(row.id)]))
}

/// A delivery the viewer may see (its endpoint's managers; FORBIDDEN for others).
pub async fn delivery(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: WebhookDeliveryId,
) -> AppResult<(webhook::Model, webhook_delivery::Model)> {
    let delivery = webhook_delivery::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchWebhookDelivery))?;
    let endpoint = managed(db, viewer, delivery.webhook_id.into())
        .await
        .map_err(|error| match error.code() {
            // The delivery of an endpoint deleted meanwhile.
            "NOT_FOUND" => AppError::not_found(MessageKey::NoSuchWebhookDelivery),
            _ => error,
        })?;
    Ok((endpoint, delivery))
}

/// Sends a delivered or failed message again: a new delivery at the end of the endpoint's
/// queue, with the same `webhook-id` and body (receivers that saw it already know it by its id).
pub async fn redeliver(writer: &Writer, viewer: &Viewer, id: WebhookDeliveryId) -> AppResult<webhook_delivery::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let (endpoint, delivery) = delivery(&work, viewer, id).await?;
    if delivery.status == WebhookDeliveryStatus::Pending {
        return Err(AppError::conflict("deliveryId", MessageKey::WebhookStillPending));
    }
    let again = pending(
        endpoint.id,
        delivery.message_id,
        &delivery.event_type,
        delivery.payload,
        now(),
    );
    queue_one(writer, work, again).await
}

/// Queues a `webhook.test` message to the endpoint.
pub async fn send_test(writer: &Writer, viewer: &Viewer, id: WebhookId) -> AppResult<webhook_delivery::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let endpoint = managed(&work, viewer, id).await?;
    let at = now();
    let payload = body(TEST_EVENT_TYPE, at, &json!({ "webhookId": node(id) }));
    let test = pending(endpoint.id, Uuid::now_v7(), TEST_EVENT_TYPE, payload, at);
    queue_one(writer, work, test).await
}

async fn queue_one(
    writer: &Writer,
    work: UnitOfWork,
    delivery: webhook_delivery::ActiveModel,
) -> AppResult<webhook_delivery::Model> {
    let queued = webhook_delivery::Entity::insert(delivery)
        .exec_with_returning(&work)
        .await?;
    work.commit().await?;
    writer.webhook_bell().notify_one();
    Ok(queued)
}

/// Deletes deliveries made before `before` that are done with (delivered or failed): the record
/// of attempts is kept a month.
pub async fn purge_deliveries(db: &impl ConnectionTrait, before: chrono::DateTime<chrono::Utc>) -> AppResult<()> {
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::Status.ne(WebhookDeliveryStatus::Pending))
        .filter(webhook_delivery::Column::CreatedAt.lt(before))
        .exec(db)
        .await?;
    Ok(())
}

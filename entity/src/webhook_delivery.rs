//! One message to one webhook endpoint, with the outcome of its attempts.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its (next) attempt.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// The endpoint answered 2xx.
    #[sea_orm(string_value = "DELIVERED")]
    Delivered,
    /// Given up: refused, or failing for too long.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    /// UUIDv7: an endpoint's deliveries go in the order of their ids.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub webhook_id: Uuid,
    /// The message's id (`webhook-id: msg_…`): the same on every retry and redelivery.
    pub message_id: Uuid,
    /// `practice.changed`, `event.changed` …
    pub event_type: String,
    /// The JSON body, as sent.
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub status: WebhookDeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_attempt_at: Option<DateTimeUtc>,
    /// The HTTP status of the last answer.
    pub response_status: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

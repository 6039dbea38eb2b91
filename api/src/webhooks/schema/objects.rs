//! An endpoint, a delivery, and an endpoint with its secret (shown once).

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use dkbm_entity::{webhook, webhook_delivery};

use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::Agency;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::webhooks::service;

/// What a webhook endpoint may subscribe to.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::realtime::webhooks::Topic")]
pub enum WebhookEvent {
    /// A good practice changed (`practice.changed`): published practices of every agency and
    /// the agency's own drafts; a change the feed shows carries the feed's `cursor`.
    PracticeChanged,
    /// A training event was created, changed, cancelled or completed (`event.changed`).
    EventChanged,
    /// A registration for one of the agency's own events changed (`registration.changed`).
    RegistrationChanged,
    /// A post was written in a public forum (`post.added`).
    PostAdded,
    /// An education report was published (`report.published`; documents are not kept yet, so
    /// none is sent today).
    ReportPublished,
}

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::webhook_delivery::WebhookDeliveryStatus")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up: refused by the endpoint (a 4xx other than 408 and 429, a redirect) or failing
    /// for 3 days; `redeliverWebhook` sends it again.
    Failed,
}

/// An agency's webhook endpoint (its API clients and administrators see it).
pub struct Webhook(pub webhook::Model);

/// An agency's webhook endpoint: where signed deliveries of the events it subscribed to go.
#[Object]
impl Webhook {
    /// The endpoint's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The agency whose endpoint it is.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(self.0.agency_id.into())
            .await?
            .map(Agency::from))
    }

    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// What it is for (free text; empty if none was given).
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The events it subscribed to.
    async fn events(&self) -> Vec<WebhookEvent> {
        service::topics(&self.0).into_iter().map(WebhookEvent::from).collect()
    }

    /// Whether deliveries go out; false once switched off (by hand, or after failing for 24
    /// hours). Its pending deliveries wait meanwhile.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }

    /// When it was switched off.
    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled_at
    }

    /// Why it was switched off automatically.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }

    /// Since when every attempt has failed (null after a success).
    async fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.0.failing_since
    }

    /// Until when the secret before the last rotation still signs (both signatures are sent).
    async fn previous_secret_expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.previous_secret_until.filter(|until| *until > Utc::now())
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

impl From<webhook::Model> for Webhook {
    fn from(model: webhook::Model) -> Self {
        Webhook(model)
    }
}

/// An endpoint with its signing secret: the only time the secret is shown.
#[derive(SimpleObject)]
pub struct WebhookSecret {
    /// The endpoint.
    pub webhook: Webhook,
    /// The secret (`whsec_…`) to verify deliveries with (Standard Webhooks); store it now, it is
    /// not shown again.
    pub secret: String,
}

/// One message to one endpoint.
pub struct WebhookDelivery(pub webhook_delivery::Model);

/// One message to one endpoint, with the outcome of its attempts.
#[Object]
impl WebhookDelivery {
    /// The delivery's global id (for `redeliverWebhook`).
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The message's `webhook-id` header (`msg_…`): the same on every retry and redelivery.
    async fn message_id(&self) -> String {
        service::message_id(self.0.message_id)
    }

    /// The message's `type` (`practice.changed` …, `webhook.test`).
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }

    /// The JSON body as sent.
    async fn payload(&self) -> &str {
        &self.0.payload
    }

    /// Where it stands.
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }

    /// Attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// When the next attempt is due (for a pending delivery).
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == dkbm_entity::webhook_delivery::WebhookDeliveryStatus::Pending)
            .then_some(self.0.next_attempt_at)
    }

    /// When the last attempt was made.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }

    /// The HTTP status the endpoint last answered.
    async fn response_status(&self) -> Option<i32> {
        self.0.response_status
    }

    /// Why the last attempt failed (the start of the answer, or the connection's error).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// When the change that caused it committed.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the endpoint accepted it.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}

impl From<webhook_delivery::Model> for WebhookDelivery {
    fn from(model: webhook_delivery::Model) -> Self {
        WebhookDelivery(model)
    }
}

connection_type!(
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDelivery,
    webhook_delivery::Model,
    "A page of an endpoint's deliveries, newest first (a Relay connection with keyset cursors).",
    "A delivery with its cursor."
);

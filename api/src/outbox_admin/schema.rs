//! GraphQL of the outbox for administrators: `outboxMessages` and `retryMessage`.

use async_graphql::{Context, Enum, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::outbox_message;

use super::service;
use crate::graphql::{ContextExt, Uuid, connection_type};
use crate::ids::OutboxMessageId;
use crate::pagination::PageArgs;

/// Where a message of the outbox stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::OutboxStatus")]
pub enum OutboxMessageStatus {
    /// Waiting to be sent (again, after a temporary failure).
    Pending,
    /// A delivery worker is sending it now.
    Sending,
    /// Accepted by the mail server (or written to the mail folder).
    Sent,
    /// Given up: refused permanently or failed too often; `retryMessage` queues it again.
    Failed,
}

/// A message of the outbox (administrators only).
pub struct OutboxMessage(pub outbox_message::Model);

/// A message of the outbox: one mail to one address.
#[Object]
impl OutboxMessage {
    /// The message's id (for `retryMessage`).
    async fn id(&self) -> Uuid {
        self.0.id.into()
    }

    /// The template it was made from, e.g. `registration_confirmed`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// The address it goes to.
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }

    /// Its subject line.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// Its `Message-ID` header (without angle brackets), the same on every attempt.
    async fn message_id(&self) -> &str {
        &self.0.message_id
    }

    /// Where it stands.
    async fn status(&self) -> OutboxMessageStatus {
        self.0.status.into()
    }

    /// Delivery attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// When it is (or was) due for its next attempt.
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }

    /// Why the last attempt failed (the mail server's answer).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// When the change that caused it committed.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was delivered.
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}

impl From<outbox_message::Model> for OutboxMessage {
    fn from(model: outbox_message::Model) -> Self {
        OutboxMessage(model)
    }
}

connection_type!(
    OutboxMessageConnection,
    OutboxMessageEdge,
    OutboxMessage,
    outbox_message::Model,
    "A page of the outbox, newest first (a Relay connection with keyset cursors).",
    "A message of the outbox with its cursor."
);

/// Root query fields of the outbox.
#[derive(Default)]
pub struct OutboxAdminQuery;

#[Object]
impl OutboxAdminQuery {
    /// The outbox, newest first, optionally of one status (platform administrators only).
    #[graphql(cache_control(private))]
    async fn outbox_messages(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only messages with this status.")] status: Option<OutboxMessageStatus>,
        #[graphql(desc = "How many messages to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return messages after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many messages to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return messages before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<OutboxMessageConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let status = status.map(Into::into);
        Ok(OutboxMessageConnection(
            service::outbox_messages(ctx.state()?.conn(), ctx.viewer()?, status, &page).await?,
        ))
    }
}

/// Mutations of the outbox.
#[derive(Default)]
pub struct OutboxAdminMutation;

#[Object]
impl OutboxAdminMutation {
    /// Queues a FAILED message again with a fresh count of attempts (platform administrators
    /// only); CONFLICT for a message that has not failed.
    async fn retry_message(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The message's id.")] id: Uuid,
    ) -> async_graphql::Result<OutboxMessage> {
        let id = OutboxMessageId::from(id.0);
        Ok(service::retry_message(&ctx.state()?.writer, ctx.viewer()?, id)
            .await?
            .into())
    }
}

//! GraphQL of webhooks: an agency's endpoints and their deliveries (its API clients and
//! administrators, and platform administrators).

mod inputs;
mod nodes;
mod objects;

use async_graphql::{Context, ID, Object};

pub use inputs::*;
pub use objects::*;

use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::pagination::PageArgs;
use crate::webhooks::service::{self, NewWebhook, WebhookChange};

/// Root query fields of webhooks.
#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// An agency's webhook endpoints, oldest first (its API clients and administrators).
    #[graphql(cache_control(private))]
    async fn webhooks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's slug.")] agency_slug: String,
    ) -> async_graphql::Result<Vec<Webhook>> {
        let endpoints = service::list(ctx.state()?.conn(), ctx.viewer()?, &agency_slug).await?;
        Ok(endpoints.into_iter().map(Webhook).collect())
    }

    /// An endpoint's deliveries, newest first, optionally of one status.
    #[graphql(cache_control(private))]
    #[allow(clippy::too_many_arguments)]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's global id.")] webhook_id: ID,
        #[graphql(desc = "Only deliveries with this status.")] status: Option<WebhookDeliveryStatus>,
        #[graphql(desc = "How many deliveries to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return deliveries after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many deliveries to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return deliveries before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<WebhookDeliveryConnection> {
        let webhook_id = Webhook::decode("webhookId", &webhook_id)?;
        let page = PageArgs::new(first, after, last, before)?;
        let status = status.map(Into::into);
        Ok(WebhookDeliveryConnection(
            service::deliveries(ctx.state()?.conn(), ctx.viewer()?, webhook_id, status, &page).await?,
        ))
    }
}

/// Mutations of webhooks.
#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Creates a webhook endpoint for an agency; answers it with its signing secret, shown this
    /// once.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: CreateWebhookInput,
    ) -> async_graphql::Result<WebhookSecret> {
        let state = ctx.state()?;
        let new = NewWebhook {
            agency_slug: input.agency_slug,
            url: input.url,
            events: input.events.into_iter().map(Into::into).collect(),
            description: input.description,
        };
        let (webhook, secret) = service::create(&state.writer, &state.config.webhooks, ctx.viewer()?, new).await?;
        Ok(WebhookSecret {
            webhook: Webhook(webhook),
            secret,
        })
    }

    /// Changes an endpoint: its address, events, description, or whether it is on.
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What changes.")] input: UpdateWebhookInput,
    ) -> async_graphql::Result<Webhook> {
        let state = ctx.state()?;
        let change = WebhookChange {
            id: Webhook::decode("input.id", &input.id)?,
            url: input.url,
            events: input.events.map(|events| events.into_iter().map(Into::into).collect()),
            description: input.description,
            enabled: input.enabled,
        };
        Ok(Webhook(
            service::update(&state.writer, &state.config.webhooks, ctx.viewer()?, change).await?,
        ))
    }

    /// Gives an endpoint a new secret, shown this once. The old one keeps signing for 24 hours:
    /// meanwhile every delivery carries both signatures.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's global id.")] id: ID,
    ) -> async_graphql::Result<WebhookSecret> {
        let state = ctx.state()?;
        let id = Webhook::decode("id", &id)?;
        let (webhook, secret) =
            service::rotate_secret(&state.writer, &state.config.webhooks, ctx.viewer()?, id).await?;
        Ok(WebhookSecret {
            webhook: Webhook(webhook),
            secret,
        })
    }

    /// Deletes an endpoint and its deliveries; answers its id.
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's global id.")] id: ID,
    ) -> async_graphql::Result<ID> {
        let id = Webhook::decode("id", &id)?;
        let deleted = service::delete(&ctx.state()?.writer, ctx.viewer()?, id).await?;
        Ok(Webhook::global_id(deleted))
    }

    /// Sends a delivered or failed message again (with its `webhook-id`), after what the
    /// endpoint's queue holds; CONFLICT for one still pending.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delivery's global id.")] delivery_id: ID,
    ) -> async_graphql::Result<WebhookDelivery> {
        let id = WebhookDelivery::decode("deliveryId", &delivery_id)?;
        Ok(WebhookDelivery(
            service::redeliver(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Queues a `webhook.test` message (`data: { webhookId }`) to the endpoint; answers the
    /// pending delivery, whose status shows how it went.
    async fn send_test_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's global id.")] id: ID,
    ) -> async_graphql::Result<WebhookDelivery> {
        let id = Webhook::decode("id", &id)?;
        Ok(WebhookDelivery(
            service::send_test(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }
}

//! How `node(id:)` finds endpoints and deliveries: only for those who manage the endpoint (null
//! for everyone else).

use async_graphql::Context;

use super::{Webhook, WebhookDelivery};
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{WebhookDeliveryId, WebhookId};
use crate::webhooks::service;

/// Whether an error means "not there for this viewer": `node(id:)` answers null.
fn hidden(error: &AppError) -> bool {
    matches!(error.code(), "NOT_FOUND" | "FORBIDDEN" | "UNAUTHENTICATED")
}

#[async_trait::async_trait]
impl NodeKind for Webhook {
    type Id = WebhookId;

    async fn load(ctx: &Context<'_>, id: WebhookId) -> AppResult<Option<Self>> {
        match service::managed(ctx.state()?.conn(), ctx.viewer()?, id).await {
            Ok(endpoint) => Ok(Some(Webhook(endpoint))),
            Err(error) if hidden(&error) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[async_trait::async_trait]
impl NodeKind for WebhookDelivery {
    type Id = WebhookDeliveryId;

    async fn load(ctx: &Context<'_>, id: WebhookDeliveryId) -> AppResult<Option<Self>> {
        match service::delivery(ctx.state()?.conn(), ctx.viewer()?, id).await {
            Ok((_, delivery)) => Ok(Some(WebhookDelivery(delivery))),
            Err(error) if hidden(&error) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

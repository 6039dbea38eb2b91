//! The inputs of the webhook mutations.

use async_graphql::{ID, InputObject};

use super::WebhookEvent;

/// A new webhook endpoint.
#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// The agency whose endpoint it is (its API clients and administrators create one).
    pub agency_slug: String,
    /// Where deliveries go: `https` (plain `http` only to hosts the operator allows), not a
    /// private, loopback or link-local address.
    pub url: String,
    /// The events to deliver (at least one).
    pub events: Vec<WebhookEvent>,
    /// What it is for (at most 500 characters).
    pub description: Option<String>,
}

/// A change of an endpoint; what is left out stays.
#[derive(InputObject)]
pub struct UpdateWebhookInput {
    /// The endpoint's global id.
    pub id: ID,
    /// A new address (the same rules as at creation).
    pub url: Option<String>,
    /// A new list of events (at least one).
    pub events: Option<Vec<WebhookEvent>>,
    /// A new description.
    pub description: Option<String>,
    /// false switches it off (pending deliveries wait); true switches it on again, clearing its
    /// failures, and its queue goes on in order.
    pub enabled: Option<bool>,
}

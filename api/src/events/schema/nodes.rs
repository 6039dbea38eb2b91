//! How `node(id:)` finds training events (public) and registrations (the member's and the
//! organisers' business: the service's rule).

use async_graphql::Context;
use uuid::Uuid;

use super::{Registration, TrainingEvent};
use crate::error::AppResult;
use crate::events::loaders::EventLoaders;
use crate::events::service;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;

#[async_trait::async_trait]
impl NodeKind for TrainingEvent {
    const KIND: &'static str = "TrainingEvent";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<EventLoaders>()?.event(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Registration {
    const KIND: &'static str = "Registration";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let events = ctx.get::<EventLoaders>()?;
        let Some(registration) = events.registration(id).await? else {
            return Ok(None);
        };
        let event = events.event(registration.event_id).await?;
        let viewer = ctx.viewer()?;
        Ok(event
            .filter(|event| service::may_see_registration(viewer, &registration, event))
            .map(|_| Self::from(registration)))
    }
}

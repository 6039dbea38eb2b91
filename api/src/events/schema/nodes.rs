//! How `node(id:)` finds training events and their quotas (public) and registrations (the member's and the
//! organisers' business: the service's rule).

use async_graphql::Context;

use super::{EventQuota, Registration, TrainingEvent};
use crate::error::AppResult;
use crate::events::loaders::EventLoaders;
use crate::events::service;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{EventId, QuotaId, RegistrationId};

#[async_trait::async_trait]
impl NodeKind for TrainingEvent {
    type Id = EventId;

    async fn load(ctx: &Context<'_>, id: EventId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<EventLoaders>()?.event(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Registration {
    type Id = RegistrationId;

    async fn load(ctx: &Context<'_>, id: RegistrationId) -> AppResult<Option<Self>> {
        let events = ctx.loaders::<EventLoaders>()?;
        let Some(registration) = events.registration(id).await? else {
            return Ok(None);
        };
        let event = events.event(registration.event_id.into()).await?;
        let viewer = ctx.viewer()?;
        Ok(event
            .filter(|event| service::may_see_registration(viewer, &registration, event))
            .map(|_| Self::from(registration)))
    }
}

#[async_trait::async_trait]
impl NodeKind for EventQuota {
    type Id = QuotaId;

    async fn load(ctx: &Context<'_>, id: QuotaId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<EventLoaders>()?.quota(id).await?.map(Self::from))
    }
}

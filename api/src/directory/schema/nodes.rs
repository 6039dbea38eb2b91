//! How `node(id:)` finds the directory's objects: every one of them is public.

use async_graphql::Context;
use uuid::Uuid;

use super::{Agency, Agreement, Municipality, Programme, ProgrammeParticipation, Topic};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::service;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;

#[async_trait::async_trait]
impl NodeKind for Agency {
    const KIND: &'static str = "Agency";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<DirectoryLoaders>()?.agency(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Municipality {
    const KIND: &'static str = "Municipality";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<DirectoryLoaders>()?.municipality(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Topic {
    const KIND: &'static str = "Topic";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<DirectoryLoaders>()?.topic(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Programme {
    const KIND: &'static str = "Programme";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<DirectoryLoaders>()?.programme(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ProgrammeParticipation {
    const KIND: &'static str = "ProgrammeParticipation";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(service::participation_by_id(ctx.state()?.conn(), id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Agreement {
    const KIND: &'static str = "Agreement";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(service::agreement_by_id(ctx.state()?.conn(), id).await?.map(Self::from))
    }
}

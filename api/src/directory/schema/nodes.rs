//! How `node(id:)` finds the directory's objects: every one of them is public.

use async_graphql::Context;

use super::{Agency, Agreement, Municipality, Programme, ProgrammeParticipation, Topic};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::service;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{AgencyId, AgreementId, MunicipalityId, ParticipationId, ProgrammeId, TopicId};

#[async_trait::async_trait]
impl NodeKind for Agency {
    type Id = AgencyId;

    async fn load(ctx: &Context<'_>, id: AgencyId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<DirectoryLoaders>()?.agency(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Municipality {
    type Id = MunicipalityId;

    async fn load(ctx: &Context<'_>, id: MunicipalityId) -> AppResult<Option<Self>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Topic {
    type Id = TopicId;

    async fn load(ctx: &Context<'_>, id: TopicId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<DirectoryLoaders>()?.topic(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Programme {
    type Id = ProgrammeId;

    async fn load(ctx: &Context<'_>, id: ProgrammeId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<DirectoryLoaders>()?.programme(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ProgrammeParticipation {
    type Id = ParticipationId;

    async fn load(ctx: &Context<'_>, id: ParticipationId) -> AppResult<Option<Self>> {
        Ok(service::participation_by_id(ctx.state()?.conn(), id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for Agreement {
    type Id = AgreementId;

    async fn load(ctx: &Context<'_>, id: AgreementId) -> AppResult<Option<Self>> {
        Ok(service::agreement_by_id(ctx.state()?.conn(), id).await?.map(Self::from))
    }
}

//! How `node(id:)` finds portals and their collections (both public).

use async_graphql::Context;

use super::{Portal, PortalCollection};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{CollectionId, PortalId};
use crate::portals::loaders::PortalLoaders;

#[async_trait::async_trait]
impl NodeKind for Portal {
    type Id = PortalId;

    async fn load(ctx: &Context<'_>, id: PortalId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<PortalLoaders>()?.portal(id).await?.map(Portal))
    }
}

#[async_trait::async_trait]
impl NodeKind for PortalCollection {
    type Id = CollectionId;

    async fn load(ctx: &Context<'_>, id: CollectionId) -> AppResult<Option<Self>> {
        Ok(ctx
            .loaders::<PortalLoaders>()?
            .collection(id)
            .await?
            .map(PortalCollection))
    }
}

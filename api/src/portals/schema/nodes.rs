//! How `node(id:)` finds portals and their collections (both public).

use async_graphql::Context;
use uuid::Uuid;

use super::{Portal, PortalCollection};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::portals::loaders::PortalLoaders;

#[async_trait::async_trait]
impl NodeKind for Portal {
    const KIND: &'static str = "Portal";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<PortalLoaders>()?.portal(id).await?.map(Portal))
    }
}

#[async_trait::async_trait]
impl NodeKind for PortalCollection {
    const KIND: &'static str = "PortalCollection";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<PortalLoaders>()?.collection(id).await?.map(PortalCollection))
    }
}

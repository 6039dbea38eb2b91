//! How `node(id:)` finds members, API clients and their keys; the service decides who may see
//! clients and keys (an agency's administrators).

use async_graphql::Context;
use uuid::Uuid;

use super::{ApiClient, ApiKey, Member};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::members::loaders::MemberLoaders;
use crate::members::service;

#[async_trait::async_trait]
impl NodeKind for Member {
    const KIND: &'static str = "Member";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<MemberLoaders>()?.member(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ApiClient {
    const KIND: &'static str = "ApiClient";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(service::visible_api_client(ctx.state()?.conn(), ctx.viewer()?, id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ApiKey {
    const KIND: &'static str = "ApiKey";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(service::visible_api_key(ctx.state()?.conn(), ctx.viewer()?, id)
            .await?
            .map(Self::from))
    }
}

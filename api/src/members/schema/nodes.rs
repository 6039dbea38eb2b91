//! How `node(id:)` finds members, API clients and their keys; the service decides who may see
//! clients and keys (an agency's administrators).

use async_graphql::Context;

use super::{ApiClient, ApiKey, Member};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{ApiClientId, ApiKeyId, MemberId};
use crate::members::loaders::MemberLoaders;
use crate::members::service;

#[async_trait::async_trait]
impl NodeKind for Member {
    type Id = MemberId;

    async fn load(ctx: &Context<'_>, id: MemberId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<MemberLoaders>()?.member(id).await?.map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ApiClient {
    type Id = ApiClientId;

    async fn load(ctx: &Context<'_>, id: ApiClientId) -> AppResult<Option<Self>> {
        Ok(service::visible_api_client(ctx.state()?.conn(), ctx.viewer()?, id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ApiKey {
    type Id = ApiKeyId;

    async fn load(ctx: &Context<'_>, id: ApiKeyId) -> AppResult<Option<Self>> {
        Ok(service::visible_api_key(ctx.state()?.conn(), ctx.viewer()?, id)
            .await?
            .map(Self::from))
    }
}

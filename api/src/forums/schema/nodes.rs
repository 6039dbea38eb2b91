//! How `node(id:)` finds forums, threads and posts: those the viewer may not read do not exist
//! for them (the service's rule).

use async_graphql::Context;
use uuid::Uuid;

use super::{Forum, ForumPost, ForumThread};
use crate::error::AppResult;
use crate::forums::service;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;

#[async_trait::async_trait]
impl NodeKind for Forum {
    const KIND: &'static str = "Forum";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let (state, viewer) = (ctx.state()?, ctx.viewer()?);
        Ok(
            service::found(service::readable_forum(state.conn(), viewer, id).await)?
                .map(|(forum, _)| Self::from(forum)),
        )
    }
}

#[async_trait::async_trait]
impl NodeKind for ForumThread {
    const KIND: &'static str = "ForumThread";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let (state, viewer) = (ctx.state()?, ctx.viewer()?);
        Ok(service::thread_if_readable(state.conn(), viewer, id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ForumPost {
    const KIND: &'static str = "ForumPost";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        let (state, viewer) = (ctx.state()?, ctx.viewer()?);
        Ok(service::readable_post(state.conn(), viewer, id).await?.map(Self::from))
    }
}

//! How `node(id:)` finds forums, threads and posts: those the viewer may not read do not exist
//! for them (the service's rule).

use async_graphql::Context;

use super::{Forum, ForumPost, ForumThread};
use crate::error::AppResult;
use crate::forums::service;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{ForumId, PostId, ThreadId};

#[async_trait::async_trait]
impl NodeKind for Forum {
    type Id = ForumId;

    async fn load(ctx: &Context<'_>, id: ForumId) -> AppResult<Option<Self>> {
        let (state, viewer) = (ctx.state()?, ctx.viewer()?);
        Ok(
            service::found(service::readable_forum(state.conn(), viewer, id).await)?
                .map(|(forum, _)| Self::from(forum)),
        )
    }
}

#[async_trait::async_trait]
impl NodeKind for ForumThread {
    type Id = ThreadId;

    async fn load(ctx: &Context<'_>, id: ThreadId) -> AppResult<Option<Self>> {
        let (state, viewer) = (ctx.state()?, ctx.viewer()?);
        Ok(service::thread_if_readable(state.conn(), viewer, id)
            .await?
            .map(Self::from))
    }
}

#[async_trait::async_trait]
impl NodeKind for ForumPost {
    type Id = PostId;

    async fn load(ctx: &Context<'_>, id: PostId) -> AppResult<Option<Self>> {
        let (state, viewer) = (ctx.state()?, ctx.viewer()?);
        Ok(service::readable_post(state.conn(), viewer, id).await?.map(Self::from))
    }
}

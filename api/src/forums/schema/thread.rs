//! The `ForumThread` object.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::forum_thread;

use super::author::{author, author_name};
use super::forum::viewer_moderates;
use super::{Forum, ForumPostConnection};
use crate::forums::loaders::ForumLoaders;
use crate::forums::service;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::members::schema::Member;
use crate::pagination::PageArgs;

/// A thread of a forum.
pub struct ForumThread(pub forum_thread::Model);

impl From<forum_thread::Model> for ForumThread {
    fn from(model: forum_thread::Model) -> Self {
        ForumThread(model)
    }
}

/// A thread of a forum.
#[Object]
impl ForumThread {
    /// The thread's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Tags (lower case).
    async fn tags(&self) -> Vec<String> {
        serde_json::from_str(&self.0.tags).unwrap_or_default()
    }

    /// Who started it (null once they deleted their account).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.author_id).await
    }

    /// The author's display name, or "deleted member".
    async fn author_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        author_name(ctx, self.0.author_id).await
    }

    /// Pinned threads come first in the list.
    async fn pinned(&self) -> bool {
        self.0.pinned
    }

    /// Nobody can reply to a locked thread.
    async fn locked(&self) -> bool {
        self.0.locked
    }

    /// Number of posts (the first included).
    async fn post_count(&self) -> i32 {
        self.0.post_count
    }

    /// When it was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the last post was written.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.0.last_activity_at
    }

    /// The forum.
    async fn forum(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Forum>> {
        Ok(ctx
            .loaders::<ForumLoaders>()?
            .forum(self.0.forum_id.into())
            .await?
            .map(Forum))
    }

    /// The posts, oldest first.
    async fn posts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many posts to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return posts after this cursor (e.g. the last one seen before reconnecting).")] after: Option<
            String,
        >,
        #[graphql(
            desc = "How many posts to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return posts before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ForumPostConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let moderate = viewer_moderates(ctx, self.0.forum_id.into()).await?;
        Ok(ForumPostConnection(
            service::list_posts(ctx.state()?.conn(), ctx.viewer()?, moderate, self.0.id.into(), &page).await?,
        ))
    }

    /// Posts the viewer has not read yet (not their own; 0 when anonymous).
    #[graphql(cache_control(private))]
    async fn unread_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = ctx
            .loaders::<ForumLoaders>()?
            .unread_in_thread(self.0.id.into())
            .await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// Whether the viewer watches the thread (notified of new posts).
    async fn viewer_watching(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(ctx.loaders::<ForumLoaders>()?.watching(self.0.id.into()).await?)
    }
}

connection_type!(
    ForumThreadConnection,
    ForumThreadEdge,
    ForumThread,
    forum_thread::Model,
    "A page of threads (a Relay connection with keyset cursors).",
    "A thread with its cursor."
);

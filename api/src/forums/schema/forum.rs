//! The `Forum` object, its visibility and roles, and the viewer's access through the loaders.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::forum;

use super::{ForumThreadConnection, ModerationLogConnection, ThreadFilter};
use crate::forums::loaders::ForumLoaders;
use crate::forums::service;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::ids::ForumId;
use crate::pagination::PageArgs;

/// Who can see and write in a forum.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ForumVisibility")]
pub enum ForumVisibility {
    /// Anyone reads; signed-in members write.
    Public,
    /// Signed-in members read and write.
    Members,
    /// Only the group's members and moderators see that it exists (a working group).
    Group,
}

/// A member's role in one forum.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ForumRole")]
pub enum ForumRole {
    /// Belongs to the forum's group.
    Member,
    /// Moderates the forum (and belongs to its group).
    Moderator,
}

/// What the viewer may do in the forum, their role there read through the loader.
pub(super) async fn viewer_access(ctx: &Context<'_>, forum: &forum::Model) -> async_graphql::Result<service::Access> {
    let role = ctx.loaders::<ForumLoaders>()?.my_role(forum.id.into()).await?;
    Ok(service::access_with(ctx.viewer()?, forum, role))
}

/// Whether the viewer moderates the forum with this id (false when it is gone).
pub(super) async fn viewer_moderates(ctx: &Context<'_>, forum_id: ForumId) -> async_graphql::Result<bool> {
    match ctx.loaders::<ForumLoaders>()?.forum(forum_id).await? {
        Some(forum) => Ok(viewer_access(ctx, &forum).await?.moderate),
        None => Ok(false),
    }
}

/// An exchange forum or working group (Austauschforum, Arbeitsgemeinschaft).
pub struct Forum(pub forum::Model);

impl From<forum::Model> for Forum {
    fn from(model: forum::Model) -> Self {
        Forum(model)
    }
}

/// An exchange forum or working group (Austauschforum, Arbeitsgemeinschaft).
#[Object]
impl Forum {
    /// The forum's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Stable, URL-safe name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What the forum is for.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Who can see and write in it.
    async fn visibility(&self) -> ForumVisibility {
        self.0.visibility.into()
    }

    /// Number of threads.
    async fn thread_count(&self) -> i32 {
        self.0.thread_count
    }

    /// When the last thread or post was written.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.0.last_activity_at
    }

    /// When the forum was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Whether the viewer may start threads and reply here.
    #[graphql(cache_control(private))]
    async fn viewer_can_write(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(viewer_access(ctx, &self.0).await?.write)
    }

    /// Whether the viewer moderates this forum.
    #[graphql(cache_control(private))]
    async fn viewer_can_moderate(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(viewer_access(ctx, &self.0).await?.moderate)
    }

    /// Posts the viewer has not read yet (not their own; 0 when anonymous).
    #[graphql(cache_control(private))]
    async fn unread_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = ctx.loaders::<ForumLoaders>()?.unread_in_forum(self.0.id.into()).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// What the moderators did here, newest first (the forum's moderators only).
    #[graphql(cache_control(private))]
    async fn moderation_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many entries to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return entries after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many entries to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return entries before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ModerationLogConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        Ok(ModerationLogConnection(
            service::moderation_log(ctx.state()?.conn(), ctx.viewer()?, &self.0, &page).await?,
        ))
    }

    /// The threads: pinned first, then by last activity.
    async fn threads(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many threads to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return threads after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many threads to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return threads before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<ThreadFilter>,
    ) -> async_graphql::Result<ForumThreadConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let filter = service::ThreadFilter::from(filter.unwrap_or_default());
        Ok(ForumThreadConnection(
            service::list_threads(ctx.state()?.conn(), &self.0, &filter, &page).await?,
        ))
    }
}

connection_type!(
    ForumConnection,
    ForumEdge,
    Forum,
    forum::Model,
    "A page of forums (a Relay connection with keyset cursors).",
    "A forum with its cursor."
);

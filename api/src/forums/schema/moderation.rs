//! The moderation log's entries.

use async_graphql::{Context, Enum, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::moderation_log;

use super::author::author;
use super::{ForumPost, ForumThread};
use crate::forums::loaders::ForumLoaders;
use crate::graphql::{ContextExt, connection_type};
use crate::members::schema::Member;

/// A moderator's action.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ModerationAction")]
pub enum ModerationAction {
    /// A thread was pinned.
    Pin,
    /// A thread was unpinned.
    Unpin,
    /// A thread was locked.
    Lock,
    /// A thread was unlocked.
    Unlock,
    /// A post was hidden.
    Hide,
    /// A post was shown again.
    Unhide,
    /// A moderator deleted someone's post.
    DeletePost,
    /// A thread was moved here.
    MoveIn,
    /// A thread was moved away.
    MoveOut,
    /// A member's role in the forum changed.
    SetRole,
}

/// An entry of a forum's moderation log.
pub struct ModerationLogEntry(pub moderation_log::Model);

impl From<moderation_log::Model> for ModerationLogEntry {
    fn from(model: moderation_log::Model) -> Self {
        ModerationLogEntry(model)
    }
}

/// An entry of a forum's moderation log.
#[Object]
impl ModerationLogEntry {
    /// What was done.
    async fn action(&self) -> ModerationAction {
        self.0.action.into()
    }

    /// Who did it (null for the operator's token or a deleted account).
    async fn moderator(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.moderator_id).await
    }

    /// The thread concerned.
    async fn thread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumThread>> {
        let Some(id) = self.0.thread_id else { return Ok(None) };
        Ok(ctx.loaders::<ForumLoaders>()?.thread(id.into()).await?.map(ForumThread))
    }

    /// The post concerned.
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let Some(id) = self.0.post_id else { return Ok(None) };
        Ok(ctx.loaders::<ForumLoaders>()?.post(id.into()).await?.map(ForumPost))
    }

    /// The reason given, or what changed.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

connection_type!(
    ModerationLogConnection,
    ModerationLogEdge,
    ModerationLogEntry,
    moderation_log::Model,
    "A page of the moderation log, newest first (a Relay connection with keyset cursors).",
    "A log entry with its cursor."
);

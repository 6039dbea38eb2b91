//! The `Notification` object: a new post in a watched thread, or a reply to one's post.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::notification;

use super::{ForumPost, ForumThread};
use crate::forums::service;
use crate::graphql::node::global_id;
use crate::graphql::{ContextExt, connection_type};
use crate::ids::NotificationId;

/// Why a member is notified.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::NotificationKind")]
pub enum NotificationKind {
    /// A new post in a thread the member watches.
    NewPost,
    /// A reply to the member's post.
    Reply,
}

/// A notification of the signed-in member.
pub struct Notification(pub notification::Model);

impl From<notification::Model> for Notification {
    fn from(model: notification::Model) -> Self {
        Notification(model)
    }
}

/// A notification of the signed-in member.
#[Object(cache_control(private))]
impl Notification {
    /// The notification's id.
    async fn id(&self) -> ID {
        global_id(NotificationId::from(self.0.id))
    }

    /// Why the member is notified.
    async fn kind(&self) -> NotificationKind {
        self.0.kind.into()
    }

    /// The new post (null when it is no longer visible to the member).
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let state = ctx.state()?;
        Ok(
            service::readable_post(state.conn(), ctx.viewer()?, self.0.post_id.into())
                .await?
                .map(ForumPost),
        )
    }

    /// The thread (null when it is no longer visible to the member).
    async fn thread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumThread>> {
        let state = ctx.state()?;
        Ok(
            service::thread_if_readable(state.conn(), ctx.viewer()?, self.0.thread_id.into())
                .await?
                .map(ForumThread),
        )
    }

    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the member marked it read (null: unread).
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
}

connection_type!(
    NotificationConnection,
    NotificationEdge,
    Notification,
    notification::Model,
    "A page of notifications, newest first (a Relay connection with keyset cursors).",
    "A notification with its cursor."
);

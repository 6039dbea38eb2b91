//! The `ForumPost` object: a hidden post shows only to moderators and its author, a deleted one
//! as "[deleted]".

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::forum_post;

use super::ForumThread;
use super::author::{author, author_name};
use super::forum::viewer_moderates;
use crate::forums::loaders::ForumLoaders;
use crate::forums::service;
use crate::graphql::later::{AttachmentsOf, Later};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::ids::PostId;
use crate::members::schema::Member;

/// A post in a thread.
pub struct ForumPost(pub forum_post::Model);

impl From<forum_post::Model> for ForumPost {
    fn from(model: forum_post::Model) -> Self {
        ForumPost(model)
    }
}

/// A post in a thread.
#[Object]
impl ForumPost {
    /// The post's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The text in Markdown; "[deleted]" once deleted.
    async fn body(&self) -> &str {
        if self.0.deleted_at.is_some() {
            "[deleted]"
        } else {
            &self.0.body
        }
    }

    /// The text rendered to sanitised HTML; "<p>[deleted]</p>" once deleted.
    async fn body_html(&self) -> &str {
        if self.0.deleted_at.is_some() {
            "<p>[deleted]</p>"
        } else {
            &self.0.body_html
        }
    }

    /// Whether the post was deleted (it stays so that replies keep their context).
    async fn deleted(&self) -> bool {
        self.0.deleted_at.is_some()
    }

    /// Whether a moderator hid it (then only moderators and the author see it).
    async fn hidden(&self) -> bool {
        self.0.hidden_at.is_some()
    }

    /// Why a moderator hid it.
    async fn hidden_reason(&self) -> Option<&str> {
        self.0.hidden_reason.as_deref()
    }

    /// Who wrote it (null once they deleted their account).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.author_id).await
    }

    /// The author's display name, or "deleted member".
    async fn author_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        author_name(ctx, self.0.author_id).await
    }

    /// The post this one answers (null when it is hidden from the viewer).
    async fn reply_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let Some(id) = self.0.reply_to_id else { return Ok(None) };
        let loaders = ctx.loaders::<ForumLoaders>()?;
        let Some(post) = loaders.post(id.into()).await? else {
            return Ok(None);
        };
        // Only a hidden post needs the viewer's access (its thread is the one being read).
        if post.hidden_at.is_some() {
            let moderate = match loaders.thread(post.thread_id.into()).await? {
                Some(thread) => viewer_moderates(ctx, thread.forum_id.into()).await?,
                None => false,
            };
            if !service::hidden_visible(moderate, ctx.viewer()?, &post) {
                return Ok(None);
            }
        }
        Ok(Some(ForumPost(post)))
    }

    /// The thread.
    async fn thread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumThread>> {
        Ok(ctx
            .loaders::<ForumLoaders>()?
            .thread(self.0.thread_id.into())
            .await?
            .map(ForumThread))
    }

    /// The files attached to the post (none once it is deleted), in their order.
    async fn attachments(&self) -> Later<AttachmentsOf<PostId>> {
        Later(self.0.id.into())
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the author last edited it.
    async fn edited_at(&self) -> Option<DateTime<Utc>> {
        self.0.edited_at
    }
}

connection_type!(
    ForumPostConnection,
    ForumPostEdge,
    ForumPost,
    forum_post::Model,
    "A page of posts (a Relay connection with keyset cursors).",
    "A post with its cursor."
);

//! Input types of forums and their mapping to the service's plain structs (decoding the global
//! ids they carry).

use async_graphql::{ID, InputObject};

use super::{Forum, ForumPost, ForumThread, ForumVisibility};
use crate::error::AppError;
use crate::forums::service;
use crate::graphql::node::NodeKind;

/// A new forum.
#[derive(InputObject)]
pub struct CreateForumInput {
    /// URL-safe name (lower case, digits, hyphens).
    pub slug: String,
    /// Title (at most 200 characters).
    pub title: String,
    /// What the forum is for (at most 5,000 characters).
    pub description: Option<String>,
    /// Who can see and write in it.
    pub visibility: ForumVisibility,
}

impl From<CreateForumInput> for service::NewForum {
    fn from(input: CreateForumInput) -> Self {
        service::NewForum {
            slug: input.slug,
            title: input.title,
            description: input.description.unwrap_or_default(),
            visibility: input.visibility.into(),
        }
    }
}

/// A new thread with its first post.
#[derive(InputObject)]
pub struct StartThreadInput {
    /// The forum's global id.
    pub forum_id: ID,
    /// Title (at most 300 characters).
    pub title: String,
    /// The first post, in Markdown (at most 50,000 characters).
    pub body: String,
    /// Tags (at most 10, each at most 50 characters; stored in lower case).
    pub tags: Option<Vec<String>>,
}

impl TryFrom<StartThreadInput> for service::NewThread {
    type Error = AppError;

    fn try_from(input: StartThreadInput) -> Result<Self, AppError> {
        Ok(service::NewThread {
            forum_id: Forum::decode("input.forumId", &input.forum_id)?,
            title: input.title,
            body: input.body,
            tags: input.tags.unwrap_or_default(),
        })
    }
}

/// A reply in a thread.
#[derive(InputObject)]
pub struct ReplyInput {
    /// The thread's global id.
    pub thread_id: ID,
    /// The reply, in Markdown (at most 50,000 characters).
    pub body: String,
    /// The post this one answers (in the same thread).
    pub reply_to_post_id: Option<ID>,
}

impl TryFrom<ReplyInput> for service::NewReply {
    type Error = AppError;

    fn try_from(input: ReplyInput) -> Result<Self, AppError> {
        let reply_to_post_id = match &input.reply_to_post_id {
            Some(id) => Some(ForumPost::decode("input.replyToPostId", id)?),
            None => None,
        };
        Ok(service::NewReply {
            thread_id: ForumThread::decode("input.threadId", &input.thread_id)?,
            body: input.body,
            reply_to_post_id,
        })
    }
}

/// Narrows a forum's thread list.
#[derive(InputObject, Default)]
pub struct ThreadFilter {
    /// Threads with this tag.
    pub tag: Option<String>,
    /// Words that must all occur in the title (inflections, case and umlauts do not matter).
    pub search: Option<String>,
}

impl From<ThreadFilter> for service::ThreadFilter {
    fn from(filter: ThreadFilter) -> Self {
        service::ThreadFilter {
            tag: filter.tag,
            search: filter.search,
        }
    }
}

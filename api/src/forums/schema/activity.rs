//! `ForumActivity`: what the `forumActivity` subscription reports.

use async_graphql::Object;

use super::{ForumPost, ForumThread};
use crate::forums::service;

/// What happened in a forum (`forumActivity`).
pub struct ForumActivity(pub service::Activity);

/// What happened in a forum (`forumActivity`).
#[Object]
impl ForumActivity {
    /// Whether a thread was started (its first post) rather than a reply added.
    async fn thread_started(&self) -> bool {
        self.0.thread_started
    }

    /// The thread.
    async fn thread(&self) -> ForumThread {
        ForumThread(self.0.thread.clone())
    }

    /// The post.
    async fn post(&self) -> ForumPost {
        ForumPost(self.0.post.clone())
    }
}

//! The forums area's handle: what one instance keeps for its forums (the recent posts its live
//! subscribers share) and the limit its writing services read. The assembly builds it once and
//! hands it to the schema.

use super::live::LivePosts;

/// The forums area of one instance. Cheap to clone: clones share the live posts.
#[derive(Clone)]
pub struct Forums {
    /// Recent posts shared by this instance's live subscribers.
    pub live_posts: LivePosts,
    /// Posts (threads and replies) one member may write per minute; more answer RATE_LIMITED
    /// (`--forum-posts-per-minute`).
    pub posts_per_minute: u32,
}

impl Forums {
    /// The handle of an instance whose members may write `posts_per_minute` posts a minute.
    pub fn new(posts_per_minute: u32) -> Self {
        Forums {
            live_posts: LivePosts::default(),
            posts_per_minute,
        }
    }
}

//! Rules and database work of forums. Plain Rust in and out. Who sees a forum decides everything
//! else: a GROUP forum does not exist for anyone outside its group (NOT_FOUND, absent from lists
//! and live events).
//!
//! - `handle`: the area's handle ([`Forums`]), built once per instance.
//! - `access`: what a viewer may do in a forum, the lookups that apply it (`readable_*`).
//! - `forums`: creating a forum, its group and moderators, the list, the lookup by slug.
//! - `threads`: a forum's thread list and starting a thread.
//! - `posts`: a thread's post list, replying, editing and deleting a post.
//! - `writing`: what starting a thread and replying share (rate limit, post row, counters).
//! - `moderation`: pinning, locking, hiding, moving, and the moderation log (one file each).
//! - `tracking`: read positions, unread counts, watching threads, notifications.
//! - `mail`: forum mail, at once or as the daily digest, with one-click unsubscribe.
//! - `live`: the live streams of posts and forum activity, and their per-instance cache.
//! - `search`: forum threads in the cross-area search.
//! - `erasure`: the forums' part of erasing a member.

mod access;
mod erasure;
mod forums;
mod handle;
mod live;
mod mail;
mod moderation;
mod posts;
mod search;
mod threads;
mod tracking;
mod writing;

pub use access::{
    Access, access, access_with, found, hidden_visible, is_author, readable_forum, readable_post, readable_thread,
    thread_if_readable,
};
pub use erasure::*;
pub use forums::*;
pub use handle::Forums;
pub use live::*;
pub use mail::queue_digests;
pub use moderation::*;
pub use posts::*;
pub use search::*;
pub use threads::*;
pub use tracking::*;
pub use writing::MAX_BODY;

//! Moderation: what the forum's moderators may do, one file per action, and the log of every
//! action that the forum's moderators can read. The map:
//! - `thread_flags`: pinning and locking a thread ([`moderate_thread`]);
//! - `hide`: hiding a post with a reason, and showing it again ([`hide_post`]);
//! - `move_thread`: moving a thread to another forum ([`move_thread`]);
//! - `log`: recording an action ([`log::record`], also for a moderator's deleting of a post)
//!   and reading a forum's log ([`moderation_log`]).

mod hide;
pub(super) mod log;
mod move_thread;
mod thread_flags;

pub use hide::hide_post;
pub use log::moderation_log;
pub use move_thread::move_thread;
pub use thread_flags::{ThreadChanges, moderate_thread};

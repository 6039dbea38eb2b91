//! Pinning and locking a thread: a pinned thread comes first in its forum's list, a locked one
//! takes no more replies.

use dkbm_entity::{ModerationAction, forum_thread};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::super::access::{ensure_moderate, readable_thread};
use super::log;
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::{UnitOfWork, Writer};
use crate::error::AppResult;
use crate::ids::{ForumId, ThreadId};
use crate::patch::Patch;

/// What a moderator changes on a thread; `None` leaves a flag as it is.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadChanges {
    /// Pin (first in the list) or unpin.
    pub pinned: Option<bool>,
    /// Lock (no more replies) or unlock.
    pub locked: Option<bool>,
}

impl ThreadChanges {
    /// The log entries of these changes, pinning before locking.
    fn actions(self) -> impl Iterator<Item = ModerationAction> {
        let pin = self.pinned.map(|pinned| {
            if pinned {
                ModerationAction::Pin
            } else {
                ModerationAction::Unpin
            }
        });
        let lock = self.locked.map(|locked| {
            if locked {
                ModerationAction::Lock
            } else {
                ModerationAction::Unlock
            }
        });
        pin.into_iter().chain(lock)
    }
}

/// Pins or unpins, locks or unlocks a thread (moderators). Each given flag is logged, even when
/// it was already so: the log records what a moderator did.
pub async fn moderate_thread(
    writer: &Writer,
    viewer: &Viewer,
    thread_id: ThreadId,
    changes: ThreadChanges,
) -> AppResult<forum_thread::Model> {
    let db = writer.conn();
    let (thread, _, access) = readable_thread(db, viewer, thread_id).await?;
    ensure_signed_in(viewer)?;
    ensure_moderate(access)?;
    let work = UnitOfWork::begin(writer).await?;
    let forum_id = ForumId::from(thread.forum_id);
    // Only the given flags are written: a concurrent change of the other one stays.
    let mut model: forum_thread::ActiveModel = thread.into();
    changes.pinned.map(Set).apply_to(&mut model.pinned);
    changes.locked.map(Set).apply_to(&mut model.locked);
    for action in changes.actions() {
        log::record(&work, viewer, forum_id, Some(thread_id), None, action, None).await?;
    }
    let saved = model.update(&work).await?;
    work.commit().await?;
    Ok(saved)
}

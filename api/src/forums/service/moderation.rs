//! Moderation: pinning and locking threads, hiding posts, moving threads, and the log of every
//! moderator's action that the forum's moderators can read.

use dkbm_entity::{ModerationAction, forum, forum_post, forum_thread, moderation_log, notification};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::access::{access, ensure_moderate, not_found_as, post_for_change, readable_forum, readable_thread};
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::patch::Patch;
use crate::state::AppState;
use crate::validate;

/// Records a moderator's action.
pub async fn log(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    forum_id: Uuid,
    thread_id: Option<Uuid>,
    post_id: Option<Uuid>,
    action: ModerationAction,
    reason: Option<String>,
) -> AppResult<()> {
    moderation_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        thread_id: Set(thread_id),
        post_id: Set(post_id),
        moderator_id: Set(viewer.member_id()),
        action: Set(action),
        reason: Set(reason),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

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
    state: &AppState,
    viewer: &Viewer,
    thread_id: Uuid,
    changes: ThreadChanges,
) -> AppResult<forum_thread::Model> {
    let db = state.conn();
    let (thread, _, access) = readable_thread(db, viewer, thread_id).await?;
    ensure_signed_in(viewer)?;
    ensure_moderate(access)?;
    let work = UnitOfWork::begin(state).await?;
    let (forum_id, id) = (thread.forum_id, thread.id);
    // Only the given flags are written: a concurrent change of the other one stays.
    let mut model: forum_thread::ActiveModel = thread.into();
    changes.pinned.map(Set).apply_to(&mut model.pinned);
    changes.locked.map(Set).apply_to(&mut model.locked);
    for action in changes.actions() {
        log(&work, viewer, forum_id, Some(id), None, action, None).await?;
    }
    let saved = model.update(&work).await?;
    work.commit().await?;
    Ok(saved)
}

/// Hides a post with a reason (moderators): it then shows only to moderators and its author.
pub async fn hide_post(
    state: &AppState,
    viewer: &Viewer,
    post_id: Uuid,
    reason: Option<&str>,
) -> AppResult<forum_post::Model> {
    let db = state.conn();
    let (post, thread, access) = post_for_change(db, viewer, post_id).await?;
    ensure_moderate(access)?;
    let hide = reason.is_some();
    let reason = match reason {
        Some(reason) => Some(validate::required_text("reason", reason, 1000)?),
        None => None,
    };
    let work = UnitOfWork::begin(state).await?;
    let mut model: forum_post::ActiveModel = post.into();
    model.hidden_at = Set(hide.then(now));
    model.hidden_by = Set(if hide { viewer.member_id() } else { None });
    model.hidden_reason = Set(reason.clone());
    let saved = model.update(&work).await?;
    let action = if hide {
        ModerationAction::Hide
    } else {
        ModerationAction::Unhide
    };
    log(
        &work,
        viewer,
        thread.forum_id,
        Some(thread.id),
        Some(saved.id),
        action,
        reason,
    )
    .await?;
    work.commit().await?;
    Ok(saved)
}

/// Moves a thread to another forum (moderators of both).
pub async fn move_thread(
    state: &AppState,
    viewer: &Viewer,
    thread_id: Uuid,
    to_forum_id: Uuid,
) -> AppResult<forum_thread::Model> {
    let db = state.conn();
    let (thread, from, from_access) = readable_thread(db, viewer, thread_id).await?;
    ensure_signed_in(viewer)?;
    ensure_moderate(from_access)?;
    let (to, to_access) = readable_forum(db, viewer, to_forum_id).await.map_err(not_found_as(|| {
        AppError::bad_input("toForumId", MessageKey::NoSuchForum)
    }))?;
    ensure_moderate(to_access)?;
    if to.id == from.id {
        return Ok(thread);
    }
    let work = UnitOfWork::begin(state).await?;
    let mut model: forum_thread::ActiveModel = thread.clone().into();
    model.forum_id = Set(to.id);
    let moved = model.update(&work).await?;
    for (forum_id, change) in [(from.id, -1), (to.id, 1)] {
        forum::Entity::update_many()
            .col_expr(
                forum::Column::ThreadCount,
                Expr::col(forum::Column::ThreadCount).add(change),
            )
            .filter(forum::Column::Id.eq(forum_id))
            .exec(&work)
            .await?;
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::ForumId, Expr::val(to.id))
        .filter(notification::Column::ThreadId.eq(thread.id))
        .exec(&work)
        .await?;
    log(
        &work,
        viewer,
        from.id,
        Some(thread.id),
        None,
        ModerationAction::MoveOut,
        Some(format!("to {}", to.slug)),
    )
    .await?;
    log(
        &work,
        viewer,
        to.id,
        Some(thread.id),
        None,
        ModerationAction::MoveIn,
        Some(format!("from {}", from.slug)),
    )
    .await?;
    work.commit().await?;
    Ok(moved)
}

/// A forum's moderation log, newest first (the forum's moderators).
pub async fn moderation_log(
    db: &DatabaseConnection,
    viewer: &Viewer,
    forum: &forum::Model,
    page: &PageArgs,
) -> AppResult<Page<moderation_log::Model>> {
    ensure_signed_in(viewer)?;
    ensure_moderate(access(db, viewer, forum).await?)?;
    let select = moderation_log::Entity::find().filter(moderation_log::Column::ForumId.eq(forum.id));
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "MODERATION_LOG".into(),
        keys: vec![
            (
                Expr::col((moderation_log::Entity, moderation_log::Column::CreatedAt)),
                KeyKind::Time,
            ),
            (
                Expr::col((moderation_log::Entity, moderation_log::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |e| vec![Key::Time(e.created_at), Key::Uuid(e.id)]))
}

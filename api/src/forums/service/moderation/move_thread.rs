//! Moving a thread to another forum (`move` itself is a keyword): the moderators of both
//! forums, the forums' thread counts and the thread's notifications follow, and each forum's
//! log records its side.

use dkbm_entity::{ModerationAction, forum, forum_thread, notification};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::super::access::{ensure_moderate, not_found_as, readable_forum, readable_thread};
use super::log;
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::{UnitOfWork, Writer};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, ThreadId};
use crate::messages::MessageKey;

/// Moves a thread to another forum (moderators of both).
pub async fn move_thread(
    writer: &Writer,
    viewer: &Viewer,
    thread_id: ThreadId,
    to_forum_id: ForumId,
) -> AppResult<forum_thread::Model> {
    let db = writer.conn();
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
    let work = UnitOfWork::begin(writer).await?;
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
        .filter(notification::Column::ThreadId.eq(thread_id))
        .exec(&work)
        .await?;
    let (out_of, into) = (ForumId::from(from.id), ForumId::from(to.id));
    let moved_out = Some(format!("to {}", to.slug));
    log::record(
        &work,
        viewer,
        out_of,
        Some(thread_id),
        None,
        ModerationAction::MoveOut,
        moved_out,
    )
    .await?;
    let moved_in = Some(format!("from {}", from.slug));
    log::record(
        &work,
        viewer,
        into,
        Some(thread_id),
        None,
        ModerationAction::MoveIn,
        moved_in,
    )
    .await?;
    work.commit().await?;
    Ok(moved)
}

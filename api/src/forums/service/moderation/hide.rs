//! Hiding a post: it then shows only to the forum's moderators and its author, with the
//! moderator's reason; showing it again clears the reason.

use dkbm_entity::{ModerationAction, forum_post};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::super::access::{ensure_moderate, post_for_change};
use super::log;
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::ids::{ForumId, PostId, ThreadId};
use crate::validate;

/// Hides a post with a reason (`Some`), or shows it again (`None`): moderators. A hidden post
/// shows only to moderators and its author.
pub async fn hide_post(
    writer: &Writer,
    viewer: &Viewer,
    post_id: PostId,
    reason: Option<&str>,
) -> AppResult<forum_post::Model> {
    let db = writer.conn();
    let (post, thread, access) = post_for_change(db, viewer, post_id).await?;
    ensure_moderate(access)?;
    let hide = reason.is_some();
    let reason = match reason {
        Some(reason) => Some(validate::required_text("reason", reason, 1000)?),
        None => None,
    };
    let work = UnitOfWork::begin(writer).await?;
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
    let (forum_id, thread_id) = (ForumId::from(thread.forum_id), ThreadId::from(thread.id));
    log::record(&work, viewer, forum_id, Some(thread_id), Some(post_id), action, reason).await?;
    work.commit().await?;
    Ok(saved)
}

//! The moderation log: every moderator's action is recorded with the change it logs (in the
//! same transaction), and the forum's moderators read it, newest first.

use dkbm_entity::{ModerationAction, forum, moderation_log};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::super::access::{access, ensure_moderate};
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::now;
use crate::error::AppResult;
use crate::ids::{ForumId, PostId, ThreadId, TypedId};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};

/// Records a moderator's action on a forum, its thread or post.
pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    forum_id: ForumId,
    thread_id: Option<ThreadId>,
    post_id: Option<PostId>,
    action: ModerationAction,
    reason: Option<String>,
) -> AppResult<()> {
    moderation_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id.uuid()),
        thread_id: Set(thread_id.map(ThreadId::uuid)),
        post_id: Set(post_id.map(PostId::uuid)),
        moderator_id: Set(viewer.member_id()),
        action: Set(action),
        reason: Set(reason),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    Ok(())
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

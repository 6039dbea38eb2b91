//! Following threads: read positions and unread counts, watching, and notifications (new posts
//! in watched threads, replies to one's posts).

use std::collections::{HashMap, HashSet};

use dkbm_entity::{
    ForumVisibility, NotificationKind, Role, forum, forum_member, forum_post, forum_read, forum_thread, forum_watch,
    member_role, notification,
};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, JoinType, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::access::{readable_forum_ids, readable_thread};
use crate::auth::{Viewer, ensure_member};
use crate::db::{Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, MemberId, NotificationId, PostId, ThreadId, TypedId};
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::realtime::{Bus, Event};

/// Marks a thread read up to (and including) one of its posts. Read positions only move forward.
pub async fn mark_thread_read(
    writer: &Writer,
    viewer: &Viewer,
    thread_id: ThreadId,
    up_to_post_id: PostId,
) -> AppResult<forum_thread::Model> {
    let me = ensure_member(viewer)?;
    let db = writer.conn();
    let (thread, _, _) = readable_thread(db, viewer, thread_id).await?;
    let post = forum_post::Entity::find_by_id(up_to_post_id)
        .one(db)
        .await?
        .filter(|post| post.thread_id == thread.id)
        .ok_or_else(|| AppError::bad_input("upToPostId", MessageKey::PostNotInThread))?;
    // One statement, so that concurrent calls never move the position backwards: a position
    // is only ever replaced by a later one.
    forum_read::Entity::insert(forum_read::ActiveModel {
        thread_id: Set(thread.id),
        member_id: Set(me.id),
        read_until: Set(post.created_at),
    })
    .on_conflict(
        OnConflict::columns([forum_read::Column::ThreadId, forum_read::Column::MemberId])
            .update_column(forum_read::Column::ReadUntil)
            .action_and_where(
                Expr::col((forum_read::Entity, forum_read::Column::ReadUntil))
                    .lt(Expr::col((Alias::new("excluded"), forum_read::Column::ReadUntil))),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(thread)
}

/// The member's unread posts (not deleted, not hidden, not their own) per thread.
pub async fn unread_in_threads(
    db: &DatabaseConnection,
    member_id: MemberId,
    thread_ids: &[ThreadId],
) -> Result<HashMap<ThreadId, i64>, sea_orm::DbErr> {
    unread_counts(db, member_id, thread_ids, false).await
}

/// The member's unread posts (not deleted, not hidden, not their own) per forum.
pub async fn unread_in_forums(
    db: &DatabaseConnection,
    member_id: MemberId,
    forum_ids: &[ForumId],
) -> Result<HashMap<ForumId, i64>, sea_orm::DbErr> {
    unread_counts(db, member_id, forum_ids, true).await
}

/// Unread posts per thread, or per forum (`per_forum`: then `ids` are forums' ids).
async fn unread_counts<I: TypedId>(
    db: &DatabaseConnection,
    member_id: MemberId,
    ids: &[I],
    per_forum: bool,
) -> Result<HashMap<I, i64>, sea_orm::DbErr> {
    let post = |column: forum_post::Column| Expr::col((forum_post::Entity, column));
    let read = |column: forum_read::Column| Expr::col((forum_read::Entity, column));
    let mut query = Query::select();
    query
        .from(forum_post::Entity)
        .join(
            JoinType::LeftJoin,
            forum_read::Entity,
            Condition::all()
                .add(read(forum_read::Column::ThreadId).equals((forum_post::Entity, forum_post::Column::ThreadId)))
                .add(read(forum_read::Column::MemberId).eq(member_id)),
        )
        .and_where(post(forum_post::Column::DeletedAt).is_null())
        .and_where(post(forum_post::Column::HiddenAt).is_null())
        .cond_where(
            Condition::any()
                .add(post(forum_post::Column::AuthorId).is_null())
                .add(post(forum_post::Column::AuthorId).ne(member_id)),
        )
        .cond_where(
            Condition::any()
                .add(read(forum_read::Column::ReadUntil).is_null())
                .add(post(forum_post::Column::CreatedAt).gt(read(forum_read::Column::ReadUntil))),
        );
    let key = if per_forum {
        query
            .join(
                JoinType::InnerJoin,
                forum_thread::Entity,
                Expr::col((forum_thread::Entity, forum_thread::Column::Id))
                    .equals((forum_post::Entity, forum_post::Column::ThreadId)),
            )
            .and_where(
                Expr::col((forum_thread::Entity, forum_thread::Column::ForumId)).is_in(ids.iter().map(|id| id.uuid())),
            );
        Expr::col((forum_thread::Entity, forum_thread::Column::ForumId))
    } else {
        query.and_where(post(forum_post::Column::ThreadId).is_in(ids.iter().map(|id| id.uuid())));
        post(forum_post::Column::ThreadId)
    };
    query
        .expr_as(key.clone(), Alias::new("id"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .add_group_by([key]);
    let rows = db.query_all(&query).await?;
    let mut counts = HashMap::new();
    for row in rows {
        counts.insert(I::from(row.try_get::<Uuid>("", "id")?), row.try_get::<i64>("", "n")?);
    }
    Ok(counts)
}

/// Starts (or keeps) watching a thread.
pub async fn watch(db: &impl ConnectionTrait, thread_id: ThreadId, member_id: MemberId) -> AppResult<()> {
    forum_watch::Entity::insert(forum_watch::ActiveModel {
        thread_id: Set(thread_id.uuid()),
        member_id: Set(member_id.uuid()),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([forum_watch::Column::ThreadId, forum_watch::Column::MemberId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Watches or stops watching a thread (the viewer).
pub async fn set_watching(
    writer: &Writer,
    viewer: &Viewer,
    thread_id: ThreadId,
    watching: bool,
) -> AppResult<forum_thread::Model> {
    let me = ensure_member(viewer)?;
    let db = writer.conn();
    let (thread, _, _) = readable_thread(db, viewer, thread_id).await?;
    if watching {
        watch(db, thread_id, me.id.into()).await?;
    } else {
        forum_watch::Entity::delete_by_id((thread.id, me.id)).exec(db).await?;
    }
    Ok(thread)
}

/// Notifies the watchers of a thread of a new post, and the author of the post it replies to;
/// in the writing transaction. Members who can no longer read a GROUP forum are left out.
/// Answers whom it notified.
pub async fn notify(
    db: &impl ConnectionTrait,
    forum: &forum::Model,
    post: &forum_post::Model,
    replied_author: Option<MemberId>,
) -> AppResult<Vec<MemberId>> {
    let author = post.author_id.map(MemberId::from);
    let mut recipients: Vec<(MemberId, NotificationKind)> = Vec::new();
    if let Some(replied) = replied_author.filter(|id| Some(*id) != author) {
        recipients.push((replied, NotificationKind::Reply));
    }
    let watchers = forum_watch::Entity::find()
        .filter(forum_watch::Column::ThreadId.eq(post.thread_id))
        .all(db)
        .await?;
    for watcher in watchers {
        let watcher = MemberId::from(watcher.member_id);
        if Some(watcher) != author && !recipients.iter().any(|(id, _)| *id == watcher) {
            recipients.push((watcher, NotificationKind::NewPost));
        }
    }
    if forum.visibility == ForumVisibility::Group && !recipients.is_empty() {
        let ids: Vec<MemberId> = recipients.iter().map(|(id, _)| *id).collect();
        let mut allowed: HashSet<MemberId> = forum_member::Entity::find()
            .filter(forum_member::Column::ForumId.eq(forum.id))
            .filter(forum_member::Column::MemberId.is_in(ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|row| MemberId::from(row.member_id))
            .collect();
        allowed.extend(
            member_role::Entity::find()
                .filter(member_role::Column::MemberId.is_in(ids))
                .filter(member_role::Column::Role.is_in([Role::Moderator, Role::Admin]))
                .all(db)
                .await?
                .into_iter()
                .map(|row| MemberId::from(row.member_id)),
        );
        recipients.retain(|(id, _)| allowed.contains(id));
    }
    if recipients.is_empty() {
        return Ok(Vec::new());
    }
    let notified = recipients.iter().map(|(member_id, _)| *member_id).collect();
    notification::Entity::insert_many(
        recipients
            .into_iter()
            .map(|(member_id, kind)| notification::ActiveModel {
                id: Set(Uuid::now_v7()),
                member_id: Set(member_id.uuid()),
                kind: Set(kind),
                forum_id: Set(forum.id),
                thread_id: Set(post.thread_id),
                post_id: Set(post.id),
                created_at: Set(post.created_at),
                read_at: Set(None),
            }),
    )
    .exec(db)
    .await?;
    Ok(notified)
}

/// The viewer's notifications that they may still see (not in GROUP forums they left).
fn visible_notifications(viewer: &Viewer, member_id: MemberId) -> sea_orm::Select<notification::Entity> {
    let select = notification::Entity::find().filter(notification::Column::MemberId.eq(member_id));
    match readable_forum_ids(viewer) {
        Some(readable) => select.filter(notification::Column::ForumId.in_subquery(readable)),
        None => select,
    }
}

/// The viewer's notifications, newest first.
pub async fn notifications(
    db: &DatabaseConnection,
    viewer: &Viewer,
    unread_only: bool,
    page: &PageArgs,
) -> AppResult<Page<notification::Model>> {
    let me = ensure_member(viewer)?;
    let mut select = visible_notifications(viewer, me.id.into());
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "NOTIFICATIONS".into(),
        keys: vec![
            (
                Expr::col((notification::Entity, notification::Column::CreatedAt)),
                KeyKind::Time,
            ),
            (
                Expr::col((notification::Entity, notification::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |n| vec![Key::Time(n.created_at), Key::Uuid(n.id)]))
}

/// How many of the viewer's notifications are unread.
pub async fn unread_notification_count(db: &DatabaseConnection, viewer: &Viewer) -> AppResult<i64> {
    let me = ensure_member(viewer)?;
    let count = visible_notifications(viewer, me.id.into())
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?;
    Ok(i64::try_from(count).unwrap_or(i64::MAX))
}

/// Marks the viewer's notifications read (these, or all); returns how many stay unread.
pub async fn mark_notifications_read(
    writer: &Writer,
    viewer: &Viewer,
    ids: Option<Vec<NotificationId>>,
) -> AppResult<i64> {
    let me = ensure_member(viewer)?;
    let db = writer.conn();
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::val(now()))
        .filter(notification::Column::MemberId.eq(me.id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        update = update.filter(notification::Column::Id.is_in(ids));
    }
    update.exec(db).await?;
    unread_notification_count(db, viewer).await
}

/// The viewer's notifications as they are created, live (from every replica).
pub async fn watch_notifications(
    db: &DatabaseConnection,
    bus: &Bus,
    viewer: Viewer,
) -> AppResult<impl futures::Stream<Item = AppResult<notification::Model>> + use<>> {
    use tokio::sync::broadcast::error::RecvError;
    let me = ensure_member(&viewer)?.id;
    let db = db.clone();
    let mut events = bus.subscribe();
    Ok(async_stream::try_stream! {
        loop {
            let post_id = match events.recv().await {
                // A post that names whom it notified needs no lookup by everyone else.
                Ok(Event::PostAdded { notified: Some(notified), .. }) if !notified.contains(&me) => continue,
                Ok(Event::PostAdded { post_id, .. }) => post_id,
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            let found = visible_notifications(&viewer, me.into())
                .filter(notification::Column::PostId.eq(post_id))
                .one(&db)
                .await?;
            if let Some(notification) = found {
                yield notification;
            }
        }
    })
}

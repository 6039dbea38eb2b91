//! Posts: a thread's list, replying, and the author's edit and delete (a moderator may delete
//! too, which the moderation log records).

use dkbm_entity::{ModerationAction, forum_post, forum_thread};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::access::{ensure_write, is_author, not_found_as, post_for_change, readable_thread, visible_posts};
use super::handle::Forums;
use super::moderation::log;
use super::tracking;
use super::writing::{check_body, check_rate, insert_post, post_added, touch_forum};
use crate::auth::{Auth, Viewer, ensure_member};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, MemberId, PostId, ThreadId};
use crate::markdown;
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};

/// A thread's posts, oldest first (the thread must be readable); hidden posts only for
/// moderators (`moderate`) and their authors.
pub async fn list_posts(
    db: &DatabaseConnection,
    viewer: &Viewer,
    moderate: bool,
    thread_id: ThreadId,
    page: &PageArgs,
) -> AppResult<Page<forum_post::Model>> {
    let mut select = forum_post::Entity::find().filter(forum_post::Column::ThreadId.eq(thread_id));
    if let Some(visible) = visible_posts(moderate, viewer) {
        select = select.filter(visible);
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "POSTS_CREATED".into(),
        keys: vec![
            (
                Expr::col((forum_post::Entity, forum_post::Column::CreatedAt)),
                KeyKind::Time,
            ),
            (Expr::col((forum_post::Entity, forum_post::Column::Id)), KeyKind::Uuid),
        ],
        descending: false,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |p| vec![Key::Time(p.created_at), Key::Uuid(p.id)]))
}

/// A reply.
#[derive(Debug, Clone)]
pub struct NewReply {
    /// The thread replied in.
    pub thread_id: ThreadId,
    /// The reply, in Markdown.
    pub body: String,
    /// The post it answers (in the same thread).
    pub reply_to_post_id: Option<PostId>,
}

/// Replies in a thread (refused for locked threads; at most [`Forums::posts_per_minute`] posts
/// a minute). The notified members who chose IMMEDIATE get a mail with an unsubscribe link
/// signed with `auth`'s keys.
pub async fn reply(
    writer: &Writer,
    auth: &Auth,
    forums: &Forums,
    viewer: &Viewer,
    input: NewReply,
) -> AppResult<forum_post::Model> {
    let db = writer.conn();
    let (thread, forum, access) = readable_thread(db, viewer, input.thread_id)
        .await
        .map_err(not_found_as(|| {
            AppError::bad_input("input.threadId", MessageKey::NoSuchThread)
        }))?;
    ensure_write(viewer, access)?;
    let me = MemberId::from(ensure_member(viewer)?.id);
    crate::members::service::verified_member(db, me).await?;
    if thread.locked {
        return Err(AppError::forbidden(MessageKey::ThreadLocked));
    }
    let body = check_body("input.body", &input.body)?;
    let mut replied_author = None;
    if let Some(reply_to) = input.reply_to_post_id {
        let replied = forum_post::Entity::find_by_id(reply_to)
            .one(db)
            .await?
            .filter(|post| post.thread_id == thread.id)
            .ok_or_else(|| AppError::bad_input("input.replyToPostId", MessageKey::ReplyInOtherThread))?;
        replied_author = replied.author_id.map(MemberId::from);
    }
    let work = UnitOfWork::begin(writer).await?;
    check_rate(&work, forums.posts_per_minute, me).await?;
    let post = insert_post(&work, input.thread_id, me, body, input.reply_to_post_id).await?;
    forum_thread::Entity::update_many()
        .col_expr(
            forum_thread::Column::PostCount,
            Expr::col(forum_thread::Column::PostCount).add(1),
        )
        .col_expr(forum_thread::Column::LastActivityAt, Expr::val(post.created_at))
        .filter(forum_thread::Column::Id.eq(thread.id))
        .exec(&work)
        .await?;
    let forum_id = ForumId::from(forum.id);
    touch_forum(&work, forum_id, 0).await?;
    let notified = tracking::notify(&work, &forum, &post, replied_author).await?;
    super::mail::mail_new_post(auth, &work, (&forum, &thread), &post, &notified).await?;
    tracking::watch(&work, input.thread_id, me).await?;
    super::writing::tell_webhooks(&work, &forum, &post, false);
    work.announce(post_added(&post, forum_id, false, notified));
    work.commit().await?;
    Ok(post)
}

fn ensure_not_deleted(post: &forum_post::Model) -> AppResult<()> {
    if post.deleted_at.is_some() {
        return Err(AppError::Conflict {
            message: MessageKey::PostDeleted.into(),
            field: Some("postId".into()),
            current_version: None,
        });
    }
    Ok(())
}

/// Changes a post's body (its author); `editedAt` records when.
pub async fn edit_post(writer: &Writer, viewer: &Viewer, post_id: PostId, body: &str) -> AppResult<forum_post::Model> {
    let db = writer.conn();
    let (post, _, _) = post_for_change(db, viewer, post_id).await?;
    if !is_author(viewer, &post) {
        return Err(AppError::forbidden(MessageKey::OnlyAuthorEdits));
    }
    ensure_not_deleted(&post)?;
    let body = check_body("body", body)?;
    let mut model: forum_post::ActiveModel = post.into();
    model.body_html = Set(markdown::to_safe_html(&body));
    model.body = Set(body);
    model.edited_at = Set(Some(now()));
    Ok(model.update(db).await?)
}

/// Deletes a post (its author or a moderator): it stays in the thread as "[deleted]" so that
/// replies keep their context.
pub async fn delete_post(writer: &Writer, viewer: &Viewer, post_id: PostId) -> AppResult<forum_post::Model> {
    let db = writer.conn();
    let (post, thread, access) = post_for_change(db, viewer, post_id).await?;
    let author = is_author(viewer, &post);
    if !author && !access.moderate {
        return Err(AppError::forbidden(MessageKey::OnlyAuthorOrModeratorDeletes));
    }
    ensure_not_deleted(&post)?;
    let work = UnitOfWork::begin(writer).await?;
    // An author deleting their own post is no moderation, even when they moderate the forum.
    if !author {
        let (forum_id, thread_id) = (ForumId::from(thread.forum_id), ThreadId::from(thread.id));
        let action = ModerationAction::DeletePost;
        log::record(&work, viewer, forum_id, Some(thread_id), Some(post_id), action, None).await?;
    }
    let mut model: forum_post::ActiveModel = post.into();
    model.body = Set(String::new());
    model.body_html = Set(String::new());
    model.deleted_at = Set(Some(now()));
    let deleted = model.update(&work).await?;
    work.commit().await?;
    Ok(deleted)
}

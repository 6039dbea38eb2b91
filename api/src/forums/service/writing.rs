//! What starting a thread and replying share: the body's rules, the per-minute allowance, the
//! post row, the forum's counters and what live subscribers hear of the new post.

use chrono::Duration;
use dkbm_entity::{forum, forum_post, member};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use crate::db::{UnitOfWork, now, one_for_update};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, MemberId, PostId, ThreadId, TypedId, uuids};
use crate::messages::{Message, MessageKey};
use crate::realtime::Event;
use crate::{markdown, validate};

/// Longest post body (Markdown), in characters.
pub const MAX_BODY: usize = 50_000;

/// Most notified members an announcement names (a NOTIFY payload holds at most 8,000 bytes).
const MAX_NAMED_RECIPIENTS: usize = 100;

/// A post's body, trimmed; BAD_USER_INPUT on `field` when empty or too long.
pub(super) fn check_body(field: &str, body: &str) -> AppResult<String> {
    validate::required_text(field, body, MAX_BODY)
}

/// Refuses a post beyond the member's allowance of `per_minute` posts a minute
/// ([`super::Forums::posts_per_minute`]). Runs inside the writing transaction after the
/// member's row is locked (PostgreSQL), so replicas count alike.
pub(super) async fn check_rate(db: &impl ConnectionTrait, per_minute: u32, member_id: MemberId) -> AppResult<()> {
    one_for_update(db, member::Entity::find_by_id(member_id)).await?;
    let since = now() - Duration::minutes(1);
    let recent = forum_post::Entity::find()
        .filter(forum_post::Column::AuthorId.eq(member_id))
        .filter(forum_post::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    if recent >= u64::from(per_minute) {
        return Err(AppError::RateLimited {
            message: Message::new(MessageKey::PostRateLimited).with("max", per_minute),
            retry_after_secs: 60,
        });
    }
    Ok(())
}

/// Writes a new post (its body rendered to HTML once, here).
pub(super) async fn insert_post(
    db: &impl ConnectionTrait,
    thread_id: ThreadId,
    author_id: MemberId,
    body: String,
    reply_to_id: Option<PostId>,
) -> AppResult<forum_post::Model> {
    Ok(forum_post::ActiveModel {
        id: Set(Uuid::now_v7()),
        thread_id: Set(thread_id.uuid()),
        author_id: Set(Some(author_id.uuid())),
        body_html: Set(markdown::to_safe_html(&body)),
        body: Set(body),
        reply_to_id: Set(reply_to_id.map(PostId::uuid)),
        created_at: Set(now()),
        edited_at: Set(None),
        deleted_at: Set(None),
        hidden_at: Set(None),
        hidden_by: Set(None),
        hidden_reason: Set(None),
    }
    .insert(db)
    .await?)
}

/// Records activity in a forum: its last activity now, and `new_threads` more threads.
pub(super) async fn touch_forum(db: &impl ConnectionTrait, forum_id: ForumId, new_threads: i32) -> AppResult<()> {
    forum::Entity::update_many()
        .col_expr(
            forum::Column::ThreadCount,
            Expr::col(forum::Column::ThreadCount).add(new_threads),
        )
        .col_expr(forum::Column::LastActivityAt, Expr::val(now()))
        .filter(forum::Column::Id.eq(forum_id))
        .exec(db)
        .await?;
    Ok(())
}

/// What live subscribers hear of a new post, naming whom it notified.
pub(super) fn post_added(post: &forum_post::Model, forum_id: ForumId, first: bool, notified: Vec<MemberId>) -> Event {
    Event::PostAdded {
        forum_id: forum_id.uuid(),
        thread_id: post.thread_id,
        post_id: post.id,
        first,
        notified: (notified.len() <= MAX_NAMED_RECIPIENTS).then(|| uuids(notified)),
    }
}

/// Tells the webhooks of a new post (`post.added`) — of a public forum only: what an agency's
/// API client may read. The message names the post, its thread and forum.
pub(super) fn tell_webhooks(work: &UnitOfWork, forum: &forum::Model, post: &forum_post::Model, first: bool) {
    use crate::realtime::webhooks::{Audience, Occurrence, Topic, node};
    if forum.visibility != dkbm_entity::ForumVisibility::Public {
        return;
    }
    let data = serde_json::json!({
        "id": node(PostId::from(post.id)),
        "threadId": node(ThreadId::from(post.thread_id)),
        "forumId": node(ForumId::from(forum.id)),
        "firstPost": first,
        "createdAt": post.created_at,
    });
    work.emit(Occurrence::new(Topic::PostAdded, Audience::Everyone, data));
}

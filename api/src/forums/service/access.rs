//! Who may do what in a forum, and the lookups that apply it. Each rule is written once, in Rust
//! for one row and, next to it, as a SQL condition for lists. A forum, thread or post the viewer
//! may not read does not exist for them: NOT_FOUND, never FORBIDDEN.

use dkbm_entity::{ForumRole, ForumVisibility, forum, forum_member, forum_post, forum_thread};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait};

use crate::auth::{Viewer, ensure_member};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, PostId, ThreadId};
use crate::messages::MessageKey;

/// What a viewer may do in one forum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    /// See the forum, its threads and posts.
    pub read: bool,
    /// Start threads and reply.
    pub write: bool,
    /// Pin, lock, hide, move, delete others' posts, manage the forum's group.
    pub moderate: bool,
}

/// What the viewer (with this role in the forum) may do there.
pub fn access_with(viewer: &Viewer, forum: &forum::Model, role: Option<ForumRole>) -> Access {
    let moderate = viewer.is_moderator() || role == Some(ForumRole::Moderator);
    let signed_in = viewer.member().is_some();
    let read = match forum.visibility {
        ForumVisibility::Public => true,
        ForumVisibility::Members => signed_in || viewer.is_admin(),
        ForumVisibility::Group => moderate || role.is_some(),
    };
    let write = signed_in && read;
    Access { read, write, moderate }
}

/// What the viewer may do in the forum (reads the viewer's role there).
pub async fn access(db: &impl ConnectionTrait, viewer: &Viewer, forum: &forum::Model) -> AppResult<Access> {
    let role = match viewer.member_id() {
        Some(member_id) => forum_member::Entity::find_by_id((forum.id, member_id))
            .one(db)
            .await?
            .map(|row| row.role),
        None => None,
    };
    Ok(access_with(viewer, forum, role))
}

/// The condition "the viewer may read this forum" on the forum table (`None`: every forum);
/// [`access_with`]'s `read` as SQL.
pub(super) fn readable_forums(viewer: &Viewer) -> Option<Condition> {
    if viewer.is_moderator() {
        return None;
    }
    let mut visible = Condition::any().add(forum::Column::Visibility.eq(ForumVisibility::Public));
    if viewer.member().is_some() || viewer.is_admin() {
        visible = visible.add(forum::Column::Visibility.eq(ForumVisibility::Members));
    }
    if let Some(member_id) = viewer.member_id() {
        visible = visible.add(
            forum::Column::Id.in_subquery(
                Query::select()
                    .column(forum_member::Column::ForumId)
                    .from(forum_member::Entity)
                    .and_where(Expr::col(forum_member::Column::MemberId).eq(member_id))
                    .to_owned(),
            ),
        );
    }
    Some(visible)
}

/// The ids of the forums the viewer may read, as a subquery for rows that belong to a forum
/// (threads, notifications); `None`: every forum.
pub fn readable_forum_ids(viewer: &Viewer) -> Option<SelectStatement> {
    readable_forums(viewer).map(|visible| {
        Query::select()
            .column(forum::Column::Id)
            .from(forum::Entity)
            .cond_where(visible)
            .to_owned()
    })
}

/// Whether the viewer wrote the post (never for a deleted member's post).
pub fn is_author(viewer: &Viewer, post: &forum_post::Model) -> bool {
    post.author_id.is_some() && post.author_id == viewer.member_id()
}

/// Hidden posts show only to moderators and their authors.
pub fn hidden_visible(moderate: bool, viewer: &Viewer, post: &forum_post::Model) -> bool {
    post.hidden_at.is_none() || moderate || is_author(viewer, post)
}

/// [`hidden_visible`] as a condition on a post list (`None`: every post).
pub fn visible_posts(moderate: bool, viewer: &Viewer) -> Option<Condition> {
    if moderate {
        return None;
    }
    let mut visible = Condition::any().add(forum_post::Column::HiddenAt.is_null());
    if let Some(me) = viewer.member_id() {
        visible = visible.add(forum_post::Column::AuthorId.eq(me));
    }
    Some(visible)
}

pub(super) fn no_forum() -> AppError {
    AppError::not_found(MessageKey::NoSuchForum)
}

fn no_thread() -> AppError {
    AppError::not_found(MessageKey::NoSuchThread)
}

fn no_post() -> AppError {
    AppError::not_found(MessageKey::NoSuchPost)
}

/// Replaces a NOT_FOUND by another error; other errors stay.
pub(super) fn not_found_as(other: impl Fn() -> AppError) -> impl Fn(AppError) -> AppError {
    move |error| match error {
        AppError::NotFound(_) => other(),
        error => error,
    }
}

/// `None` for NOT_FOUND; other errors stay.
pub fn found<T>(result: AppResult<T>) -> AppResult<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// A forum the viewer may read, by id (NOT_FOUND otherwise).
pub async fn readable_forum(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ForumId,
) -> AppResult<(forum::Model, Access)> {
    let forum = forum::Entity::find_by_id(id).one(db).await?.ok_or_else(no_forum)?;
    let access = access(db, viewer, &forum).await?;
    if !access.read {
        return Err(no_forum());
    }
    Ok((forum, access))
}

/// A thread the viewer may read, with its forum (NOT_FOUND otherwise).
pub async fn readable_thread(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ThreadId,
) -> AppResult<(forum_thread::Model, forum::Model, Access)> {
    let thread = forum_thread::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(no_thread)?;
    let (forum, access) = readable_forum(db, viewer, thread.forum_id.into())
        .await
        .map_err(not_found_as(no_thread))?;
    Ok((thread, forum, access))
}

/// A thread, if the viewer may read it (for `node(id:)` and a notification's thread).
pub async fn thread_if_readable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ThreadId,
) -> AppResult<Option<forum_thread::Model>> {
    Ok(found(readable_thread(db, viewer, id).await)?.map(|(thread, _, _)| thread))
}

/// A post as the viewer sees it, if they may see its thread.
pub async fn readable_post(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    post_id: PostId,
) -> AppResult<Option<forum_post::Model>> {
    let Some(post) = forum_post::Entity::find_by_id(post_id).one(db).await? else {
        return Ok(None);
    };
    let thread = found(readable_thread(db, viewer, post.thread_id.into()).await)?;
    Ok(thread
        .filter(|(_, _, access)| hidden_visible(access.moderate, viewer, &post))
        .map(|_| post))
}

/// A post that a member is about to change, with its thread and the viewer's access there
/// (NOT_FOUND unless the thread is readable; UNAUTHENTICATED unless a member is signed in).
pub(super) async fn post_for_change(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    post_id: PostId,
) -> AppResult<(forum_post::Model, forum_thread::Model, Access)> {
    let post = forum_post::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .ok_or_else(no_post)?;
    let (thread, _, access) = readable_thread(db, viewer, post.thread_id.into())
        .await
        .map_err(not_found_as(no_post))?;
    ensure_member(viewer)?;
    Ok((post, thread, access))
}

/// The viewer may write here (UNAUTHENTICATED when anonymous, FORBIDDEN otherwise).
pub(super) fn ensure_write(viewer: &Viewer, access: Access) -> AppResult<()> {
    ensure_member(viewer)?;
    if !access.write {
        return Err(AppError::forbidden(MessageKey::MayNotWriteInForum));
    }
    Ok(())
}

/// The viewer moderates this forum (FORBIDDEN otherwise).
pub(super) fn ensure_moderate(access: Access) -> AppResult<()> {
    if !access.moderate {
        return Err(AppError::forbidden(MessageKey::NeedsForumModerator));
    }
    Ok(())
}

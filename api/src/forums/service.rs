//! Rules and database work of forums. Who sees a forum decides everything else: a GROUP forum
//! does not exist for anyone outside its group (NOT_FOUND, absent from lists and live events).

mod live;
mod moderation;
mod tracking;

pub use live::*;
pub use moderation::*;
pub use tracking::*;

use std::collections::HashMap;

use chrono::Duration;
use dkbm_entity::{
    ForumRole, ForumVisibility, ModerationAction, forum, forum_member, forum_post, forum_thread, forum_thread_tag,
    member,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_member, ensure_moderator, ensure_signed_in};
use crate::db::{UnitOfWork, now, one_for_update};
use crate::error::{AppError, AppResult};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::realtime::Event;
use crate::search::{self, SearchQuery};
use crate::state::AppState;
use crate::{markdown, validate};

/// Longest post body (Markdown), in characters.
pub const MAX_BODY: usize = 50_000;
/// Most tags on a thread.
pub const MAX_TAGS: usize = 10;

/// What a viewer may do in one forum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Access {
    pub read: bool,
    pub write: bool,
    pub moderate: bool,
}

/// The viewer's role in each forum they belong to.
pub async fn roles_of(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<HashMap<Uuid, ForumRole>> {
    let Some(member_id) = viewer.member_id() else {
        return Ok(HashMap::new());
    };
    Ok(forum_member::Entity::find()
        .filter(forum_member::Column::MemberId.eq(member_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.forum_id, row.role))
        .collect())
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

/// What the viewer may do in the forum.
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

fn no_forum() -> AppError {
    AppError::not_found("no such forum")
}

fn no_thread() -> AppError {
    AppError::not_found("no such thread")
}

/// Replaces a NOT_FOUND by another error; other errors stay.
fn not_found_as(other: impl Fn() -> AppError) -> impl Fn(AppError) -> AppError {
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
pub async fn readable_forum(db: &impl ConnectionTrait, viewer: &Viewer, id: Uuid) -> AppResult<(forum::Model, Access)> {
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
    id: Uuid,
) -> AppResult<(forum_thread::Model, forum::Model, Access)> {
    let thread = forum_thread::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(no_thread)?;
    let (forum, access) = readable_forum(db, viewer, thread.forum_id)
        .await
        .map_err(not_found_as(no_thread))?;
    Ok((thread, forum, access))
}

/// The viewer may write here (UNAUTHENTICATED when anonymous, FORBIDDEN otherwise).
fn ensure_write(viewer: &Viewer, access: Access) -> AppResult<()> {
    ensure_member(viewer)?;
    if !access.write {
        return Err(AppError::Forbidden("you may not write in this forum".into()));
    }
    Ok(())
}

fn ensure_moderate(access: Access) -> AppResult<()> {
    if !access.moderate {
        return Err(AppError::Forbidden("this needs a moderator of the forum".into()));
    }
    Ok(())
}

/// A new forum.
#[derive(Debug, Clone)]
pub struct NewForum {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub visibility: ForumVisibility,
}

/// Creates a forum (platform moderators and administrators).
pub async fn create_forum(state: &AppState, viewer: &Viewer, input: NewForum) -> AppResult<forum::Model> {
    ensure_moderator(viewer)?;
    let slug = validate::slug("input.slug", &input.slug)?;
    let title = validate::required_text("input.title", &input.title, 200)?;
    validate::max_chars("input.description", &input.description, 5000)?;
    let at = now();
    forum::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        title: Set(title),
        description: Set(input.description.trim().to_owned()),
        visibility: Set(input.visibility),
        thread_count: Set(0),
        last_activity_at: Set(at),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(state.conn())
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.slug", "another forum has this slug"))
}

/// Adds a member to a forum's group, makes them a moderator of it (`Some`), or removes them
/// (`None`): platform moderators and the forum's own moderators.
pub async fn set_forum_role(
    state: &AppState,
    viewer: &Viewer,
    forum_id: Uuid,
    member_id: Uuid,
    role: Option<ForumRole>,
) -> AppResult<forum::Model> {
    let db = state.conn();
    let forum = forum::Entity::find_by_id(forum_id)
        .one(db)
        .await?
        .ok_or_else(no_forum)?;
    let access = access(db, viewer, &forum).await?;
    if !access.read {
        return Err(no_forum());
    }
    ensure_signed_in(viewer)?;
    ensure_moderate(access)?;
    member::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("memberId", "there is no such member"))?;
    forum_member::Entity::delete_by_id((forum_id, member_id))
        .exec(db)
        .await?;
    if let Some(role) = role {
        forum_member::ActiveModel {
            forum_id: Set(forum_id),
            member_id: Set(member_id),
            role: Set(role),
            created_at: Set(now()),
        }
        .insert(db)
        .await?;
    }
    Ok(forum)
}

/// The condition "the viewer may read this forum" on the forum table (`None`: every forum).
fn readable_forums(viewer: &Viewer) -> Option<Condition> {
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

/// The forums the viewer may see, by title.
pub async fn list_forums(db: &DatabaseConnection, viewer: &Viewer, page: &PageArgs) -> AppResult<Page<forum::Model>> {
    let mut select = forum::Entity::find();
    if let Some(visible) = readable_forums(viewer) {
        select = select.filter(visible);
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "FORUMS_TITLE".into(),
        keys: vec![
            (Expr::col((forum::Entity, forum::Column::Title)), KeyKind::Str),
            (Expr::col((forum::Entity, forum::Column::Id)), KeyKind::Uuid),
        ],
        descending: false,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |f| vec![Key::Str(f.title.clone()), Key::Uuid(f.id)]))
}

/// A forum by slug, if the viewer may see it.
pub async fn forum_by_slug(db: &DatabaseConnection, viewer: &Viewer, slug: &str) -> AppResult<Option<forum::Model>> {
    let Some(forum) = forum::Entity::find()
        .filter(forum::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(access(db, viewer, &forum).await?.read.then_some(forum))
}

/// Filters of a forum's thread list.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    pub tag: Option<String>,
    pub search: Option<String>,
}

fn pinned_key() -> Expr {
    Expr::cust("(CASE WHEN \"forum_thread\".\"pinned\" THEN 1 ELSE 0 END)")
}

/// A forum's threads: pinned first, then by last activity (the forum must be readable).
pub async fn list_threads(
    db: &DatabaseConnection,
    forum: &forum::Model,
    filter: &ThreadFilter,
    page: &PageArgs,
) -> AppResult<Page<forum_thread::Model>> {
    let mut select = forum_thread::Entity::find().filter(forum_thread::Column::ForumId.eq(forum.id));
    if let Some(tag) = &filter.tag {
        let tag = normalise_tag(tag);
        select = select.filter(
            forum_thread::Column::Id.in_subquery(
                Query::select()
                    .column(forum_thread_tag::Column::ThreadId)
                    .from(forum_thread_tag::Entity)
                    .and_where(Expr::col(forum_thread_tag::Column::Tag).eq(tag))
                    .to_owned(),
            ),
        );
    }
    if let Some(text) = &filter.search {
        validate::max_chars("filter.search", text, 500)?;
        select = select.filter(search::padded_terms_match(
            forum_thread::Column::SearchTerms,
            &SearchQuery::parse(text),
        ));
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "THREADS_ACTIVITY".into(),
        keys: vec![
            (pinned_key(), KeyKind::Int),
            (
                Expr::col((forum_thread::Entity, forum_thread::Column::LastActivityAt)),
                KeyKind::Time,
            ),
            (
                Expr::col((forum_thread::Entity, forum_thread::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: true,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |t| {
        vec![
            Key::Int(i64::from(t.pinned)),
            Key::Time(t.last_activity_at),
            Key::Uuid(t.id),
        ]
    }))
}

/// Hidden posts show only to moderators and their authors.
pub fn hidden_visible(moderate: bool, viewer: &Viewer, post: &forum_post::Model) -> bool {
    post.hidden_at.is_none() || moderate || (post.author_id.is_some() && post.author_id == viewer.member_id())
}

/// A thread's posts, oldest first (the thread must be readable); hidden posts only for
/// moderators (`moderate`) and their authors.
pub async fn list_posts(
    db: &DatabaseConnection,
    viewer: &Viewer,
    moderate: bool,
    thread_id: Uuid,
    page: &PageArgs,
) -> AppResult<Page<forum_post::Model>> {
    let mut select = forum_post::Entity::find().filter(forum_post::Column::ThreadId.eq(thread_id));
    if !moderate {
        let mut visible = Condition::any().add(forum_post::Column::HiddenAt.is_null());
        if let Some(me) = viewer.member_id() {
            visible = visible.add(forum_post::Column::AuthorId.eq(me));
        }
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

fn normalise_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}

fn check_body(field: &str, body: &str) -> AppResult<String> {
    validate::required_text(field, body, MAX_BODY)
}

/// Refuses a post beyond the member's per-minute allowance. Runs inside the writing
/// transaction after the member's row is locked (PostgreSQL), so replicas count alike.
async fn check_rate(db: &impl ConnectionTrait, state: &AppState, member_id: Uuid) -> AppResult<()> {
    one_for_update(db, member::Entity::find_by_id(member_id)).await?;
    let since = now() - Duration::minutes(1);
    let recent = forum_post::Entity::find()
        .filter(forum_post::Column::AuthorId.eq(member_id))
        .filter(forum_post::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    if recent >= u64::from(state.config.forum_posts_per_minute) {
        return Err(AppError::RateLimited {
            message: format!(
                "at most {} posts a minute; wait a moment",
                state.config.forum_posts_per_minute
            ),
            retry_after_secs: 60,
        });
    }
    Ok(())
}

async fn insert_post(
    db: &impl ConnectionTrait,
    thread_id: Uuid,
    author_id: Uuid,
    body: String,
    reply_to_id: Option<Uuid>,
) -> AppResult<forum_post::Model> {
    Ok(forum_post::ActiveModel {
        id: Set(Uuid::now_v7()),
        thread_id: Set(thread_id),
        author_id: Set(Some(author_id)),
        body_html: Set(markdown::to_safe_html(&body)),
        body: Set(body),
        reply_to_id: Set(reply_to_id),
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

async fn touch_forum(db: &impl ConnectionTrait, forum_id: Uuid, new_threads: i32) -> AppResult<()> {
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

/// Most notified members an announcement names (a NOTIFY payload holds at most 8,000 bytes).
const MAX_NAMED_RECIPIENTS: usize = 100;

/// What live subscribers hear of a new post, naming whom it notified.
fn post_added(post: &forum_post::Model, forum_id: Uuid, first: bool, notified: Vec<Uuid>) -> Event {
    Event::PostAdded {
        forum_id,
        thread_id: post.thread_id,
        post_id: post.id,
        first,
        notified: (notified.len() <= MAX_NAMED_RECIPIENTS).then_some(notified),
    }
}

/// A new thread.
#[derive(Debug, Clone)]
pub struct NewThread {
    pub forum_id: Uuid,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
}

/// Starts a thread with its first post.
pub async fn start_thread(state: &AppState, viewer: &Viewer, input: NewThread) -> AppResult<forum_thread::Model> {
    let db = state.conn();
    let (forum, access) = readable_forum(db, viewer, input.forum_id)
        .await
        .map_err(not_found_as(|| {
            AppError::bad_input("input.forumId", "there is no such forum")
        }))?;
    ensure_write(viewer, access)?;
    let me = ensure_member(viewer)?;
    let title = validate::required_text("input.title", &input.title, 300)?;
    let body = check_body("input.body", &input.body)?;
    let mut tags: Vec<String> = input
        .tags
        .iter()
        .map(|t| normalise_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err(AppError::bad_input("input.tags", format!("at most {MAX_TAGS} tags")));
    }
    if let Some(tag) = tags.iter().find(|t| t.chars().count() > 50) {
        return Err(AppError::bad_input(
            "input.tags",
            format!("the tag \"{tag}\" is longer than 50 characters"),
        ));
    }
    let work = UnitOfWork::begin(state).await?;
    check_rate(&work, state, me.id).await?;
    let at = now();
    let thread = forum_thread::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum.id),
        search_terms: Set(format!(" {} ", search::indexed(&title))),
        title: Set(title),
        author_id: Set(Some(me.id)),
        pinned: Set(false),
        locked: Set(false),
        tags: Set(serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into())),
        post_count: Set(1),
        created_at: Set(at),
        last_activity_at: Set(at),
    }
    .insert(&work)
    .await?;
    if !tags.is_empty() {
        forum_thread_tag::Entity::insert_many(tags.iter().map(|tag| forum_thread_tag::ActiveModel {
            thread_id: Set(thread.id),
            tag: Set(tag.clone()),
        }))
        .exec(&work)
        .await?;
    }
    let post = insert_post(&work, thread.id, me.id, body, None).await?;
    touch_forum(&work, forum.id, 1).await?;
    tracking::watch(&work, thread.id, me.id).await?;
    work.announce(post_added(&post, forum.id, true, Vec::new()));
    work.commit().await?;
    Ok(thread)
}

/// A reply.
#[derive(Debug, Clone)]
pub struct NewReply {
    pub thread_id: Uuid,
    pub body: String,
    pub reply_to_post_id: Option<Uuid>,
}

/// Replies in a thread (refused for locked threads).
pub async fn reply(state: &AppState, viewer: &Viewer, input: NewReply) -> AppResult<forum_post::Model> {
    let db = state.conn();
    let (thread, forum, access) = readable_thread(db, viewer, input.thread_id)
        .await
        .map_err(not_found_as(|| {
            AppError::bad_input("input.threadId", "there is no such thread")
        }))?;
    ensure_write(viewer, access)?;
    let me = ensure_member(viewer)?;
    if thread.locked {
        return Err(AppError::Forbidden(
            "the thread is locked: nobody can reply any more".into(),
        ));
    }
    let body = check_body("input.body", &input.body)?;
    let mut replied_author = None;
    if let Some(reply_to) = input.reply_to_post_id {
        let replied = forum_post::Entity::find_by_id(reply_to)
            .one(db)
            .await?
            .filter(|post| post.thread_id == thread.id)
            .ok_or_else(|| {
                AppError::bad_input("input.replyToPostId", "the post replied to must be in the same thread")
            })?;
        replied_author = replied.author_id;
    }
    let work = UnitOfWork::begin(state).await?;
    check_rate(&work, state, me.id).await?;
    let post = insert_post(&work, thread.id, me.id, body, input.reply_to_post_id).await?;
    forum_thread::Entity::update_many()
        .col_expr(
            forum_thread::Column::PostCount,
            Expr::col(forum_thread::Column::PostCount).add(1),
        )
        .col_expr(forum_thread::Column::LastActivityAt, Expr::val(post.created_at))
        .filter(forum_thread::Column::Id.eq(thread.id))
        .exec(&work)
        .await?;
    touch_forum(&work, forum.id, 0).await?;
    let notified = tracking::notify(&work, &forum, &post, replied_author).await?;
    tracking::watch(&work, thread.id, me.id).await?;
    work.announce(post_added(&post, forum.id, false, notified));
    work.commit().await?;
    Ok(post)
}

async fn post_for_change(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    post_id: Uuid,
) -> AppResult<(forum_post::Model, forum_thread::Model, Access)> {
    let post = forum_post::Entity::find_by_id(post_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("no such post"))?;
    let (thread, _, access) = readable_thread(db, viewer, post.thread_id)
        .await
        .map_err(not_found_as(|| AppError::not_found("no such post")))?;
    ensure_member(viewer)?;
    Ok((post, thread, access))
}

fn ensure_not_deleted(post: &forum_post::Model) -> AppResult<()> {
    if post.deleted_at.is_some() {
        return Err(AppError::Conflict {
            message: "the post was deleted".into(),
            field: Some("postId".into()),
            current_version: None,
        });
    }
    Ok(())
}

/// Changes a post's body (its author); `editedAt` records when.
pub async fn edit_post(state: &AppState, viewer: &Viewer, post_id: Uuid, body: &str) -> AppResult<forum_post::Model> {
    let db = state.conn();
    let (post, _, _) = post_for_change(db, viewer, post_id).await?;
    if post.author_id.is_none() || post.author_id != viewer.member_id() {
        return Err(AppError::Forbidden("only the author can edit a post".into()));
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
pub async fn delete_post(state: &AppState, viewer: &Viewer, post_id: Uuid) -> AppResult<forum_post::Model> {
    let db = state.conn();
    let (post, thread, access) = post_for_change(db, viewer, post_id).await?;
    let author = post.author_id.is_some() && post.author_id == viewer.member_id();
    if !author && !access.moderate {
        return Err(AppError::Forbidden(
            "only the author or a moderator can delete a post".into(),
        ));
    }
    ensure_not_deleted(&post)?;
    let work = UnitOfWork::begin(state).await?;
    if !author {
        moderation::log(
            &work,
            viewer,
            thread.forum_id,
            Some(thread.id),
            Some(post.id),
            ModerationAction::DeletePost,
            None,
        )
        .await?;
    }
    let mut model: forum_post::ActiveModel = post.into();
    model.body = Set(String::new());
    model.body_html = Set(String::new());
    model.deleted_at = Set(Some(now()));
    let deleted = model.update(&work).await?;
    work.commit().await?;
    Ok(deleted)
}

/// Pins or unpins, locks or unlocks a thread (moderators).
pub async fn moderate_thread(
    state: &AppState,
    viewer: &Viewer,
    thread_id: Uuid,
    pinned: Option<bool>,
    locked: Option<bool>,
) -> AppResult<forum_thread::Model> {
    let db = state.conn();
    let (thread, _, access) = readable_thread(db, viewer, thread_id).await?;
    ensure_signed_in(viewer)?;
    ensure_moderate(access)?;
    let work = UnitOfWork::begin(state).await?;
    let (forum_id, id) = (thread.forum_id, thread.id);
    let mut model: forum_thread::ActiveModel = thread.into();
    if let Some(pinned) = pinned {
        model.pinned = Set(pinned);
        let action = if pinned {
            ModerationAction::Pin
        } else {
            ModerationAction::Unpin
        };
        moderation::log(&work, viewer, forum_id, Some(id), None, action, None).await?;
    }
    if let Some(locked) = locked {
        model.locked = Set(locked);
        let action = if locked {
            ModerationAction::Lock
        } else {
            ModerationAction::Unlock
        };
        moderation::log(&work, viewer, forum_id, Some(id), None, action, None).await?;
    }
    let saved = model.update(&work).await?;
    work.commit().await?;
    Ok(saved)
}

/// A post as the viewer sees it, if they may see its thread.
pub async fn readable_post(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    post_id: Uuid,
) -> AppResult<Option<forum_post::Model>> {
    let Some(post) = forum_post::Entity::find_by_id(post_id).one(db).await? else {
        return Ok(None);
    };
    let thread = found(readable_thread(db, viewer, post.thread_id).await)?;
    Ok(thread
        .filter(|(_, _, access)| hidden_visible(access.moderate, viewer, &post))
        .map(|_| post))
}

/// A live post as the viewer may see it: from the instance's cache, with the viewer's access
/// checked now (a role is read only for GROUP forums, where it decides).
async fn live_post_for(
    state: &AppState,
    viewer: &Viewer,
    post_id: Uuid,
) -> AppResult<Option<std::sync::Arc<LivePost>>> {
    let Some(live) = state.live_posts.get(state.conn(), post_id).await? else {
        return Ok(None);
    };
    let access = match live.forum.visibility {
        ForumVisibility::Group => access(state.conn(), viewer, &live.forum).await?,
        _ => access_with(viewer, &live.forum, None),
    };
    let visible = access.read && (live.post.hidden_at.is_none() || hidden_visible(access.moderate, viewer, &live.post));
    Ok(visible.then_some(live))
}

/// The posts of a thread as they are written, live (from every replica on PostgreSQL). The
/// viewer's right to read the thread is checked when subscribing and again for each post.
pub async fn watch_posts(
    state: &AppState,
    viewer: Viewer,
    thread_id: Uuid,
) -> AppResult<impl futures::Stream<Item = AppResult<forum_post::Model>> + use<>> {
    use tokio::sync::broadcast::error::RecvError;
    let state = state.clone();
    let mut events = state.bus.subscribe();
    readable_thread(state.conn(), &viewer, thread_id).await?;
    Ok(async_stream::try_stream! {
        loop {
            let post_id = match events.recv().await {
                Ok(Event::PostAdded { thread_id: id, post_id, .. }) if id == thread_id => post_id,
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            if let Some(live) = live_post_for(&state, &viewer, post_id).await? {
                yield live.post.clone();
            }
        }
    })
}

/// What happened in a forum: a thread was started (its first post) or a post was added.
pub struct Activity {
    pub thread: forum_thread::Model,
    pub post: forum_post::Model,
    pub thread_started: bool,
}

/// New threads and posts of a forum, live (from every replica); the viewer's right to read the
/// forum is checked when subscribing and for each event.
pub async fn watch_forum(
    state: &AppState,
    viewer: Viewer,
    forum_slug: &str,
) -> AppResult<impl futures::Stream<Item = AppResult<Activity>> + use<>> {
    use tokio::sync::broadcast::error::RecvError;
    let state = state.clone();
    let mut events = state.bus.subscribe();
    let forum = forum_by_slug(state.conn(), &viewer, forum_slug)
        .await?
        .ok_or_else(no_forum)?;
    let forum_id = forum.id;
    Ok(async_stream::try_stream! {
        loop {
            let (post_id, first) = match events.recv().await {
                Ok(Event::PostAdded { forum_id: id, post_id, first, .. }) if id == forum_id => (post_id, first),
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            let Some(live) = live_post_for(&state, &viewer, post_id).await? else { continue };
            if live.thread.forum_id == forum_id {
                yield Activity { thread: live.thread.clone(), post: live.post.clone(), thread_started: first };
            }
        }
    })
}

/// The kind of forum threads in the cross-area search's ordering.
pub const SEARCH_KIND: i64 = 1;

/// Threads (of forums the viewer may read) whose title has every word and phrase of the query,
/// most recently active first, after the search cursor's keys (score, date, kind, id); each with
/// its score (2 per word or phrase, as a title hit of a practice). Also the number of all hits.
pub async fn search_hits(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &SearchQuery,
    after: Option<Vec<Key>>,
    limit: u64,
) -> AppResult<(Vec<(forum_thread::Model, i64)>, TotalCount)> {
    let mut select = forum_thread::Entity::find();
    select = select.filter(search::padded_terms_match(forum_thread::Column::SearchTerms, query));
    if let Some(visible) = readable_forums(viewer) {
        select = select.filter(
            forum_thread::Column::ForumId.in_subquery(
                Query::select()
                    .column(forum::Column::Id)
                    .from(forum::Entity)
                    .cond_where(visible)
                    .to_owned(),
            ),
        );
    }
    let total = TotalCount::of(db, &select);
    let score = 2 * i64::try_from(query.units.len()).unwrap_or(0);
    let keyset = Keyset {
        name: String::new(),
        keys: vec![
            (Expr::val(score), KeyKind::Int),
            (
                Expr::col((forum_thread::Entity, forum_thread::Column::LastActivityAt)),
                KeyKind::Time,
            ),
            (Expr::val(SEARCH_KIND), KeyKind::Int),
            (
                Expr::col((forum_thread::Entity, forum_thread::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: true,
    };
    let rows = keyset.apply_keys(select, after, limit).all(db).await?;
    Ok((rows.into_iter().map(|thread| (thread, score)).collect(), total))
}

/// The data-protection eraser: a deleted member's threads and posts stay, by "deleted member"
/// (the foreign keys set the author to null); their forum roles go with them.
pub fn erase_forum_roles(work: &UnitOfWork, member_id: Uuid) -> futures::future::BoxFuture<'_, AppResult<()>> {
    Box::pin(async move {
        forum_member::Entity::delete_many()
            .filter(forum_member::Column::MemberId.eq(member_id))
            .exec(work)
            .await?;
        forum_post::Entity::update_many()
            .col_expr(forum_post::Column::AuthorId, Expr::val(Option::<Uuid>::None))
            .filter(forum_post::Column::AuthorId.eq(member_id))
            .exec(work)
            .await?;
        forum_thread::Entity::update_many()
            .col_expr(forum_thread::Column::AuthorId, Expr::val(Option::<Uuid>::None))
            .filter(forum_thread::Column::AuthorId.eq(member_id))
            .exec(work)
            .await?;
        Ok(())
    })
}

//! Threads: a forum's list (pinned first, by activity; by tag or title words) and starting one.

use dkbm_entity::{forum, forum_thread, forum_thread_tag};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::access::{ensure_write, not_found_as, readable_forum};
use super::handle::Forums;
use super::tracking;
use super::writing::{check_body, check_rate, insert_post, post_added, touch_forum};
use crate::auth::{Viewer, ensure_member};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, MemberId, ThreadId};
use crate::messages::{Message, MessageKey};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::text::analysis::{self as search, SearchQuery};
use crate::validate;

/// Most tags on a thread.
pub const MAX_TAGS: usize = 10;

/// Longest tag, in characters.
const MAX_TAG_CHARS: usize = 50;

/// Filters of a forum's thread list.
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter {
    /// Threads with this tag (any case).
    pub tag: Option<String>,
    /// Words that must all occur in the title.
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

fn normalise_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}

/// A new thread's tags: normalised, without blanks and repeats, sorted; BAD_USER_INPUT on
/// `input.tags` beyond [`MAX_TAGS`] or for a tag that is too long.
fn check_tags(tags: &[String]) -> AppResult<Vec<String>> {
    let mut tags: Vec<String> = tags
        .iter()
        .map(|t| normalise_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err(AppError::bad_input(
            "input.tags",
            Message::new(MessageKey::AtMostTags).with("max", MAX_TAGS),
        ));
    }
    if let Some(tag) = tags.iter().find(|t| t.chars().count() > MAX_TAG_CHARS) {
        let message = Message::new(MessageKey::TagTooLong)
            .with("tag", tag)
            .with("max", MAX_TAG_CHARS);
        return Err(AppError::bad_input("input.tags", message));
    }
    Ok(tags)
}

/// A new thread.
#[derive(Debug, Clone)]
pub struct NewThread {
    /// The forum to start it in.
    pub forum_id: ForumId,
    /// Title.
    pub title: String,
    /// The first post, in Markdown.
    pub body: String,
    /// Tags (normalised here).
    pub tags: Vec<String>,
}

/// Starts a thread with its first post (at most [`Forums::posts_per_minute`] posts a minute).
pub async fn start_thread(
    writer: &Writer,
    forums: &Forums,
    viewer: &Viewer,
    input: NewThread,
) -> AppResult<forum_thread::Model> {
    let db = writer.conn();
    let (forum, access) = readable_forum(db, viewer, input.forum_id)
        .await
        .map_err(not_found_as(|| {
            AppError::bad_input("input.forumId", MessageKey::NoSuchForum)
        }))?;
    ensure_write(viewer, access)?;
    let me = MemberId::from(ensure_member(viewer)?.id);
    crate::members::service::verified_member(db, me).await?;
    // One line: it is the subject of the thread's notification mails.
    let title = validate::one_line("input.title", &input.title, 300)?;
    let body = check_body("input.body", &input.body)?;
    let tags = check_tags(&input.tags)?;
    let work = UnitOfWork::begin(writer).await?;
    check_rate(&work, forums.posts_per_minute, me).await?;
    let at = now();
    let thread = forum_thread::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum.id),
        search_terms: Set(format!(" {} ", search::indexed(&title))),
        title: Set(title),
        author_id: Set(Some(me.into())),
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
    let (thread_id, forum_id) = (ThreadId::from(thread.id), ForumId::from(forum.id));
    let post = insert_post(&work, thread_id, me, body, None).await?;
    touch_forum(&work, forum_id, 1).await?;
    tracking::watch(&work, thread_id, me).await?;
    super::writing::tell_webhooks(&work, &forum, &post, true);
    work.announce(post_added(&post, forum_id, true, Vec::new()));
    work.commit().await?;
    Ok(thread)
}

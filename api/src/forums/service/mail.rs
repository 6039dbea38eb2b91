//! Forum mail: a new post in a watched thread (or a reply to one's post) goes at once to members
//! who chose IMMEDIATE, and once a day as a digest to those who chose DAILY. Every such mail
//! carries a one-click unsubscribe link (RFC 8058) that needs no sign-in. The digest is made
//! when it is due, so a post hidden or deleted meanwhile, or a group forum the member left,
//! is not in it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Timelike};
use chrono_tz::Europe::Berlin;
use dkbm_entity::{
    ForumMail, ForumVisibility, Role, forum, forum_member, forum_post, forum_thread, member, member_role, notification,
};
use minijinja::context;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::auth::Auth;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::ids::{MemberId, ThreadId, TypedId};
use crate::mail::{Mail, Recipient, link};
use crate::members::service::unsubscribe_url;

/// The advisory lock of the digest round.
const DIGEST_LOCK: i64 = 0x4449_4745_5354;
/// Members one round writes to at most (the next round takes the rest).
const ROUND: u64 = 200;

fn thread_path(forum: &forum::Model, thread_id: ThreadId) -> String {
    format!("/forums/{}/threads/{thread_id}", forum.slug)
}

fn excerpt(body: &str) -> String {
    let text = crate::markdown::to_plain_text(body);
    match text.char_indices().nth(400) {
        Some((at, _)) => format!("{} …", &text[..at]),
        None => text,
    }
}

/// A mail with the member's unsubscribe link (signed with `auth`'s keys), in the header and in
/// the body.
fn with_unsubscribe(auth: &Auth, work: &UnitOfWork, mut mail: Mail, member_id: MemberId) -> AppResult<Mail> {
    let url = unsubscribe_url(auth, work.mailer()?, member_id)?;
    mail.context = context! { unsubscribe => link(url.clone()), ..mail.context };
    mail.unsubscribe = Some(url);
    Ok(mail)
}

/// Writes at once to the notified members who chose IMMEDIATE about `post`.
pub async fn mail_new_post(
    auth: &Auth,
    work: &UnitOfWork,
    (forum, thread): (&forum::Model, &forum_thread::Model),
    post: &forum_post::Model,
    notified: &[MemberId],
) -> AppResult<()> {
    if notified.is_empty() {
        return Ok(());
    }
    let ids = notified.iter().map(|id| id.uuid()).chain(post.author_id);
    let members: Vec<member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(ids))
        .all(work)
        .await?;
    let author = members
        .iter()
        .find(|m| Some(m.id) == post.author_id)
        .map_or_else(String::new, |m| m.display_name.clone());
    let link_to_post = work
        .mailer()?
        .link(&format!("{}#post-{}", thread_path(forum, thread.id.into()), post.id));
    for member in members
        .iter()
        .filter(|m| notified.contains(&MemberId::from(m.id)) && m.forum_mail == ForumMail::Immediate)
    {
        let context = context! {
            forum => &forum.title, thread => &thread.title, author => &author,
            excerpt => excerpt(&post.body), link => link_to_post.clone(),
        };
        let mail = Mail::new("forum_post", Recipient::member(member), context);
        work.send(with_unsubscribe(auth, work, mail, member.id.into())?)?;
    }
    Ok(())
}

/// Queues today's digest for members who chose DAILY, once the digest hour has come
/// (`digest_hour`, German time: `--forum-digest-hour`); returns how many members it
/// handled. One instance at a time (an advisory lock); each member's digest day is recorded
/// with the mail, so it goes once a day whatever the instances. The unsubscribe links are
/// signed with `auth`'s keys.
pub async fn queue_digests(writer: &Writer, auth: &Auth, digest_hour: u32) -> AppResult<usize> {
    let local = now().with_timezone(&Berlin);
    if local.hour() < digest_hour {
        return Ok(0);
    }
    let today = local.date_naive();
    let work = UnitOfWork::begin(writer).await?;
    work.advisory(DIGEST_LOCK).await?;
    let members = member::Entity::find()
        .filter(member::Column::ForumMail.eq(ForumMail::Daily))
        .filter(
            Condition::any()
                .add(member::Column::ForumDigestOn.is_null())
                .add(member::Column::ForumDigestOn.lt(today)),
        )
        .limit(ROUND)
        .all(&work)
        .await?;
    if members.is_empty() {
        return Ok(0);
    }
    let items = digest_items(&work, &members, now() - chrono::Duration::days(1)).await?;
    for member in &members {
        if let Some(threads) = items.get(&member.id) {
            queue_digest(auth, &work, member, threads, today)?;
        }
    }
    member::Entity::update_many()
        .col_expr(member::Column::ForumDigestOn, Expr::value(today))
        .filter(member::Column::Id.is_in(members.iter().map(|m| m.id)))
        .exec(&work)
        .await?;
    work.commit().await?;
    Ok(members.len())
}

/// One thread of a digest.
struct DigestThread {
    title: String,
    forum: String,
    path: String,
    posts: usize,
}

fn queue_digest(
    auth: &Auth,
    work: &UnitOfWork,
    member: &member::Model,
    threads: &BTreeMap<Uuid, DigestThread>,
    today: NaiveDate,
) -> AppResult<()> {
    let mailer = work.mailer()?;
    let count: usize = threads.values().map(|t| t.posts).sum();
    let threads: Vec<_> = threads
        .values()
        .map(|t| context! { title => &t.title, forum => &t.forum, posts => t.posts, link => mailer.link(&t.path) })
        .collect();
    let mut mail = Mail::new("forum_digest", Recipient::member(member), context! { threads, count });
    mail.dedupe_key = Some(format!("digest:{}:{today}", member.id));
    work.send(with_unsubscribe(auth, work, mail, member.id.into())?)
}

/// The unread notifications of `members` since `since` that they may still see (posts neither
/// hidden nor deleted, forums they may read), by member and thread.
async fn digest_items(
    work: &UnitOfWork,
    members: &[member::Model],
    since: chrono::DateTime<chrono::Utc>,
) -> AppResult<HashMap<Uuid, BTreeMap<Uuid, DigestThread>>> {
    let member_ids: Vec<MemberId> = members.iter().map(|m| MemberId::from(m.id)).collect();
    let notes = notification::Entity::find()
        .filter(notification::Column::MemberId.is_in(member_ids.clone()))
        .filter(notification::Column::CreatedAt.gte(since))
        .filter(notification::Column::ReadAt.is_null())
        .all(work)
        .await?;
    let visible_posts: HashSet<Uuid> = forum_post::Entity::find()
        .filter(forum_post::Column::Id.is_in(notes.iter().map(|n| n.post_id)))
        .filter(forum_post::Column::HiddenAt.is_null())
        .filter(forum_post::Column::DeletedAt.is_null())
        .all(work)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let threads: HashMap<Uuid, forum_thread::Model> = forum_thread::Entity::find()
        .filter(forum_thread::Column::Id.is_in(notes.iter().map(|n| n.thread_id)))
        .all(work)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let forums: HashMap<Uuid, forum::Model> = forum::Entity::find()
        .filter(forum::Column::Id.is_in(notes.iter().map(|n| n.forum_id)))
        .all(work)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let may_read = group_readers(work, &member_ids, &forums).await?;
    let mut items: HashMap<Uuid, BTreeMap<Uuid, DigestThread>> = HashMap::new();
    for note in notes.iter().filter(|n| visible_posts.contains(&n.post_id)) {
        let (Some(thread), Some(forum)) = (threads.get(&note.thread_id), forums.get(&note.forum_id)) else {
            continue;
        };
        if forum.visibility == ForumVisibility::Group && !may_read.contains(&(forum.id, note.member_id)) {
            continue;
        }
        items
            .entry(note.member_id)
            .or_default()
            .entry(thread.id)
            .or_insert_with(|| DigestThread {
                title: thread.title.clone(),
                forum: forum.title.clone(),
                path: thread_path(forum, thread.id.into()),
                posts: 0,
            })
            .posts += 1;
    }
    Ok(items)
}

/// The (group forum, member) pairs where the member may read: members of the forum, and
/// moderators and administrators everywhere.
async fn group_readers(
    work: &UnitOfWork,
    member_ids: &[MemberId],
    forums: &HashMap<Uuid, forum::Model>,
) -> AppResult<HashSet<(Uuid, Uuid)>> {
    let groups: Vec<Uuid> = forums
        .values()
        .filter(|f| f.visibility == ForumVisibility::Group)
        .map(|f| f.id)
        .collect();
    if groups.is_empty() {
        return Ok(HashSet::new());
    }
    let mut pairs: HashSet<(Uuid, Uuid)> = forum_member::Entity::find()
        .filter(forum_member::Column::ForumId.is_in(groups.clone()))
        .filter(forum_member::Column::MemberId.is_in(member_ids.iter().copied()))
        .all(work)
        .await?
        .into_iter()
        .map(|row| (row.forum_id, row.member_id))
        .collect();
    let staff = member_role::Entity::find()
        .filter(member_role::Column::MemberId.is_in(member_ids.iter().copied()))
        .filter(member_role::Column::Role.is_in([Role::Moderator, Role::Admin]))
        .all(work)
        .await?;
    for row in staff {
        pairs.extend(groups.iter().map(|forum| (*forum, row.member_id)));
    }
    Ok(pairs)
}

//! Output types of forums.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{forum, forum_post, forum_thread, moderation_log, notification};

use crate::forums::loaders::ForumLoaders;
use crate::forums::service;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::Member;
use crate::pagination::PageArgs;

/// Who can see and write in a forum.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ForumVisibility")]
pub enum ForumVisibility {
    /// Anyone reads; signed-in members write.
    Public,
    /// Signed-in members read and write.
    Members,
    /// Only the group's members and moderators see that it exists (a working group).
    Group,
}

/// A member's role in one forum.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ForumRole")]
pub enum ForumRole {
    /// Belongs to the forum's group.
    Member,
    /// Moderates the forum (and belongs to its group).
    Moderator,
}

/// Narrows a forum's thread list.
#[derive(InputObject, Default)]
pub struct ThreadFilter {
    /// Threads with this tag.
    pub tag: Option<String>,
    /// Words that must all occur in the title (inflections, case and umlauts do not matter).
    pub search: Option<String>,
}

/// An exchange forum or working group (Austauschforum, Arbeitsgemeinschaft).
pub struct Forum(pub forum::Model);

impl From<forum::Model> for Forum {
    fn from(model: forum::Model) -> Self {
        Forum(model)
    }
}

impl Forum {
    async fn access(&self, ctx: &Context<'_>) -> async_graphql::Result<service::Access> {
        let role = ctx.get::<ForumLoaders>()?.my_role(self.0.id).await?;
        Ok(service::access_with(ctx.viewer()?, &self.0, role))
    }
}

/// An exchange forum or working group (Austauschforum, Arbeitsgemeinschaft).
#[Object]
impl Forum {
    /// The forum's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Stable, URL-safe name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What the forum is for.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Who can see and write in it.
    async fn visibility(&self) -> ForumVisibility {
        self.0.visibility.into()
    }

    /// Number of threads.
    async fn thread_count(&self) -> i32 {
        self.0.thread_count
    }

    /// When the last thread or post was written.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.0.last_activity_at
    }

    /// When the forum was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Whether the viewer may start threads and reply here.
    async fn viewer_can_write(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.access(ctx).await?.write)
    }

    /// Whether the viewer moderates this forum.
    async fn viewer_can_moderate(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.access(ctx).await?.moderate)
    }

    /// Posts the viewer has not read yet (not their own; 0 when anonymous).
    async fn unread_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = ctx.get::<ForumLoaders>()?.unread_in_forum(self.0.id).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// What the moderators did here, newest first (the forum's moderators only).
    async fn moderation_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many entries to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return entries after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<ModerationLogConnection> {
        let page = PageArgs::new(first, after)?;
        Ok(ModerationLogConnection(
            service::moderation_log(ctx.state()?.conn(), ctx.viewer()?, &self.0, &page).await?,
        ))
    }

    /// The threads: pinned first, then by last activity.
    async fn threads(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many threads to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return threads after this cursor.")] after: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<ThreadFilter>,
    ) -> async_graphql::Result<ForumThreadConnection> {
        let page = PageArgs::new(first, after)?;
        let filter = filter.unwrap_or_default();
        let filter = service::ThreadFilter {
            tag: filter.tag,
            search: filter.search,
        };
        Ok(ForumThreadConnection(
            service::list_threads(ctx.state()?.conn(), &self.0, &filter, &page).await?,
        ))
    }
}

async fn author(ctx: &Context<'_>, id: Option<uuid::Uuid>) -> async_graphql::Result<Option<Member>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx.get::<MemberLoaders>()?.member(id).await?.map(Member::from))
}

async fn author_name(ctx: &Context<'_>, id: Option<uuid::Uuid>) -> async_graphql::Result<String> {
    let name = match id {
        Some(id) => ctx.get::<MemberLoaders>()?.member(id).await?.map(|m| m.display_name),
        None => None,
    };
    Ok(name.unwrap_or_else(|| "deleted member".to_owned()))
}

/// A thread of a forum.
pub struct ForumThread(pub forum_thread::Model);

impl From<forum_thread::Model> for ForumThread {
    fn from(model: forum_thread::Model) -> Self {
        ForumThread(model)
    }
}

/// A thread of a forum.
#[Object]
impl ForumThread {
    /// The thread's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Tags (lower case).
    async fn tags(&self) -> Vec<String> {
        serde_json::from_str(&self.0.tags).unwrap_or_default()
    }

    /// Who started it (null once they deleted their account).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.author_id).await
    }

    /// The author's display name, or "deleted member".
    async fn author_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        author_name(ctx, self.0.author_id).await
    }

    /// Pinned threads come first in the list.
    async fn pinned(&self) -> bool {
        self.0.pinned
    }

    /// Nobody can reply to a locked thread.
    async fn locked(&self) -> bool {
        self.0.locked
    }

    /// Number of posts (the first included).
    async fn post_count(&self) -> i32 {
        self.0.post_count
    }

    /// When it was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the last post was written.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.0.last_activity_at
    }

    /// The forum.
    async fn forum(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Forum>> {
        Ok(ctx.get::<ForumLoaders>()?.forum(self.0.forum_id).await?.map(Forum))
    }

    /// The posts, oldest first.
    async fn posts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many posts to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return posts after this cursor (e.g. the last one seen before reconnecting).")] after: Option<
            String,
        >,
    ) -> async_graphql::Result<ForumPostConnection> {
        let page = PageArgs::new(first, after)?;
        let loaders = ctx.get::<ForumLoaders>()?;
        let viewer = ctx.viewer()?;
        let moderate = match loaders.forum(self.0.forum_id).await? {
            Some(forum) => service::access_with(viewer, &forum, loaders.my_role(forum.id).await?).moderate,
            None => false,
        };
        Ok(ForumPostConnection(
            service::list_posts(ctx.state()?.conn(), viewer, moderate, self.0.id, &page).await?,
        ))
    }

    /// Posts the viewer has not read yet (not their own; 0 when anonymous).
    async fn unread_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = ctx.get::<ForumLoaders>()?.unread_in_thread(self.0.id).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// Whether the viewer watches the thread (notified of new posts).
    async fn viewer_watching(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(ctx.get::<ForumLoaders>()?.watching(self.0.id).await?)
    }
}

/// A post in a thread.
pub struct ForumPost(pub forum_post::Model);

impl From<forum_post::Model> for ForumPost {
    fn from(model: forum_post::Model) -> Self {
        ForumPost(model)
    }
}

/// A post in a thread.
#[Object]
impl ForumPost {
    /// The post's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
    }

    /// The text in Markdown; "[deleted]" once deleted.
    async fn body(&self) -> &str {
        if self.0.deleted_at.is_some() {
            "[deleted]"
        } else {
            &self.0.body
        }
    }

    /// The text rendered to sanitised HTML; "<p>[deleted]</p>" once deleted.
    async fn body_html(&self) -> &str {
        if self.0.deleted_at.is_some() {
            "<p>[deleted]</p>"
        } else {
            &self.0.body_html
        }
    }

    /// Whether the post was deleted (it stays so that replies keep their context).
    async fn deleted(&self) -> bool {
        self.0.deleted_at.is_some()
    }

    /// Whether a moderator hid it (then only moderators and the author see it).
    async fn hidden(&self) -> bool {
        self.0.hidden_at.is_some()
    }

    /// Why a moderator hid it.
    async fn hidden_reason(&self) -> Option<&str> {
        self.0.hidden_reason.as_deref()
    }

    /// Who wrote it (null once they deleted their account).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.author_id).await
    }

    /// The author's display name, or "deleted member".
    async fn author_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        author_name(ctx, self.0.author_id).await
    }

    /// The post this one answers (null when it is hidden from the viewer).
    async fn reply_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let Some(id) = self.0.reply_to_id else { return Ok(None) };
        let loaders = ctx.get::<ForumLoaders>()?;
        let Some(post) = loaders.post(id).await? else {
            return Ok(None);
        };
        if post.hidden_at.is_some() {
            let viewer = ctx.viewer()?;
            let moderate = match loaders.thread(post.thread_id).await? {
                Some(thread) => match loaders.forum(thread.forum_id).await? {
                    Some(forum) => service::access_with(viewer, &forum, loaders.my_role(forum.id).await?).moderate,
                    None => false,
                },
                None => false,
            };
            if !service::hidden_visible(moderate, viewer, &post) {
                return Ok(None);
            }
        }
        Ok(Some(ForumPost(post)))
    }

    /// The thread.
    async fn thread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumThread>> {
        Ok(ctx
            .get::<ForumLoaders>()?
            .thread(self.0.thread_id)
            .await?
            .map(ForumThread))
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the author last edited it.
    async fn edited_at(&self) -> Option<DateTime<Utc>> {
        self.0.edited_at
    }
}

/// Why a member is notified.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::NotificationKind")]
pub enum NotificationKind {
    /// A new post in a thread the member watches.
    NewPost,
    /// A reply to the member's post.
    Reply,
}

/// A notification of the signed-in member.
pub struct Notification(pub notification::Model);

impl From<notification::Model> for Notification {
    fn from(model: notification::Model) -> Self {
        Notification(model)
    }
}

/// A notification of the signed-in member.
#[Object]
impl Notification {
    /// The notification's id.
    async fn id(&self) -> ID {
        crate::graphql::node::encode("Notification", self.0.id)
    }

    /// Why the member is notified.
    async fn kind(&self) -> NotificationKind {
        self.0.kind.into()
    }

    /// The new post (null when it is no longer visible to the member).
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let state = ctx.state()?;
        Ok(service::readable_post(state.conn(), ctx.viewer()?, self.0.post_id)
            .await?
            .map(ForumPost))
    }

    /// The thread (null when it is no longer visible to the member).
    async fn thread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumThread>> {
        let state = ctx.state()?;
        Ok(
            service::thread_if_readable(state.conn(), ctx.viewer()?, self.0.thread_id)
                .await?
                .map(ForumThread),
        )
    }

    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the member marked it read (null: unread).
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
}

/// A moderator's action.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ModerationAction")]
pub enum ModerationAction {
    /// A thread was pinned.
    Pin,
    /// A thread was unpinned.
    Unpin,
    /// A thread was locked.
    Lock,
    /// A thread was unlocked.
    Unlock,
    /// A post was hidden.
    Hide,
    /// A post was shown again.
    Unhide,
    /// A moderator deleted someone's post.
    DeletePost,
    /// A thread was moved here.
    MoveIn,
    /// A thread was moved away.
    MoveOut,
    /// A member's role in the forum changed.
    SetRole,
}

/// An entry of a forum's moderation log.
pub struct ModerationLogEntry(pub moderation_log::Model);

impl From<moderation_log::Model> for ModerationLogEntry {
    fn from(model: moderation_log::Model) -> Self {
        ModerationLogEntry(model)
    }
}

/// An entry of a forum's moderation log.
#[Object]
impl ModerationLogEntry {
    /// What was done.
    async fn action(&self) -> ModerationAction {
        self.0.action.into()
    }

    /// Who did it (null for the operator's token or a deleted account).
    async fn moderator(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.moderator_id).await
    }

    /// The thread concerned.
    async fn thread(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumThread>> {
        let Some(id) = self.0.thread_id else { return Ok(None) };
        Ok(ctx.get::<ForumLoaders>()?.thread(id).await?.map(ForumThread))
    }

    /// The post concerned.
    async fn post(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let Some(id) = self.0.post_id else { return Ok(None) };
        Ok(ctx.get::<ForumLoaders>()?.post(id).await?.map(ForumPost))
    }

    /// The reason given, or what changed.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// What happened in a forum (`forumActivity`).
pub struct ForumActivity(pub service::Activity);

/// What happened in a forum (`forumActivity`).
#[Object]
impl ForumActivity {
    /// Whether a thread was started (its first post) rather than a reply added.
    async fn thread_started(&self) -> bool {
        self.0.thread_started
    }

    /// The thread.
    async fn thread(&self) -> ForumThread {
        ForumThread(self.0.thread.clone())
    }

    /// The post.
    async fn post(&self) -> ForumPost {
        ForumPost(self.0.post.clone())
    }
}

connection_type!(
    NotificationConnection,
    NotificationEdge,
    Notification,
    notification::Model,
    "A page of notifications, newest first (a Relay connection with keyset cursors).",
    "A notification with its cursor."
);
connection_type!(
    ModerationLogConnection,
    ModerationLogEdge,
    ModerationLogEntry,
    moderation_log::Model,
    "A page of the moderation log, newest first (a Relay connection with keyset cursors).",
    "A log entry with its cursor."
);
connection_type!(
    ForumConnection,
    ForumEdge,
    Forum,
    forum::Model,
    "A page of forums (a Relay connection with keyset cursors).",
    "A forum with its cursor."
);
connection_type!(
    ForumThreadConnection,
    ForumThreadEdge,
    ForumThread,
    forum_thread::Model,
    "A page of threads (a Relay connection with keyset cursors).",
    "A thread with its cursor."
);
connection_type!(
    ForumPostConnection,
    ForumPostEdge,
    ForumPost,
    forum_post::Model,
    "A page of posts (a Relay connection with keyset cursors).",
    "A post with its cursor."
);

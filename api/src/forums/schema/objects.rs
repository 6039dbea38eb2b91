//! Output types of forums.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{forum, forum_post, forum_thread};

use crate::forums::loaders::ForumLoaders;
use crate::forums::service;
use crate::graphql::node::encode;
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
    pub const KIND: &'static str = "Forum";

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
        encode(Self::KIND, self.0.id)
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

impl ForumThread {
    pub const KIND: &'static str = "ForumThread";
}

/// A thread of a forum.
#[Object]
impl ForumThread {
    /// The thread's global id.
    pub async fn id(&self) -> ID {
        encode(Self::KIND, self.0.id)
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
        Ok(ForumPostConnection(
            service::list_posts(ctx.state()?.conn(), self.0.id, &page).await?,
        ))
    }
}

/// A post in a thread.
pub struct ForumPost(pub forum_post::Model);

impl From<forum_post::Model> for ForumPost {
    fn from(model: forum_post::Model) -> Self {
        ForumPost(model)
    }
}

impl ForumPost {
    pub const KIND: &'static str = "ForumPost";
}

/// A post in a thread.
#[Object]
impl ForumPost {
    /// The post's global id.
    pub async fn id(&self) -> ID {
        encode(Self::KIND, self.0.id)
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

    /// Who wrote it (null once they deleted their account).
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        author(ctx, self.0.author_id).await
    }

    /// The author's display name, or "deleted member".
    async fn author_name(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        author_name(ctx, self.0.author_id).await
    }

    /// The post this one answers.
    async fn reply_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ForumPost>> {
        let Some(id) = self.0.reply_to_id else { return Ok(None) };
        Ok(ctx.get::<ForumLoaders>()?.post(id).await?.map(ForumPost))
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

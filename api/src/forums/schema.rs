//! GraphQL of forums: lists, threads and posts, writing and moderating, live posts. Thin
//! resolvers that ask the service and the loaders; one file per object.

mod activity;
mod author;
mod forum;
mod inputs;
mod moderation;
mod nodes;
mod notification;
mod post;
mod thread;

use async_graphql::{Context, ID, Object, Subscription};
use futures::{Stream, StreamExt};

pub use activity::*;
pub use forum::{Forum, ForumConnection, ForumEdge, ForumRole, ForumVisibility};
pub use inputs::*;
pub use moderation::*;
pub use notification::*;
pub use post::*;
pub use thread::*;

use super::service::{self, Forums};
use crate::graphql::ContextExt;
use crate::graphql::node::{NodeKind, decode_as};
use crate::ids::NotificationId;
use crate::members::schema::Member;
use crate::pagination::PageArgs;
use crate::portals::schema::{PortalScopeMode, list_portal};

/// Root query fields of forums.
#[derive(Default)]
pub struct ForumsQuery;

#[Object]
impl ForumsQuery {
    /// The forums the viewer may see, by title (GROUP forums only for their group).
    #[expect(
        clippy::too_many_arguments,
        reason = "a list's GraphQL arguments: paging both ways, filter, order, portal"
    )]
    async fn forums(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many forums to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return forums after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many forums to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return forums before this cursor.")] before: Option<String>,
        #[graphql(desc = "A portal's key: read the list through that portal (default: the request's X-Portal-Key).")]
        portal_key: Option<String>,
        #[graphql(
            desc = "PORTAL (default): the portal's scope and hidden items apply; ALL: the whole knowledge base."
        )]
        scope: Option<PortalScopeMode>,
    ) -> async_graphql::Result<ForumConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let portal = list_portal(ctx, portal_key, scope).await?;
        Ok(ForumConnection(
            service::list_forums(ctx.state()?.conn(), ctx.viewer()?, &page, portal.as_deref()).await?,
        ))
    }

    /// The signed-in member's notifications, newest first.
    #[graphql(cache_control(private))]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many notifications to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return notifications after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many notifications to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return notifications before this cursor.")] before: Option<String>,
        #[graphql(desc = "Only unread ones (default false).")] unread_only: Option<bool>,
    ) -> async_graphql::Result<NotificationConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        Ok(NotificationConnection(
            service::notifications(ctx.state()?.conn(), ctx.viewer()?, unread_only.unwrap_or(false), &page).await?,
        ))
    }

    /// How many of the signed-in member's notifications are unread.
    #[graphql(cache_control(private))]
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let count = service::unread_notification_count(ctx.state()?.conn(), ctx.viewer()?).await?;
        Ok(i32::try_from(count).unwrap_or(i32::MAX))
    }

    /// The forum with this slug (null if there is none the viewer may see).
    async fn forum(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The forum's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Forum>> {
        Ok(service::forum_by_slug(ctx.state()?.conn(), ctx.viewer()?, &slug)
            .await?
            .map(Forum))
    }
}

/// Mutations of forums.
#[derive(Default)]
pub struct ForumsMutation;

#[Object]
impl ForumsMutation {
    /// Creates a forum (moderators and administrators).
    async fn create_forum(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The forum.")] input: CreateForumInput,
    ) -> async_graphql::Result<Forum> {
        Ok(Forum(
            service::create_forum(&ctx.state()?.writer, ctx.viewer()?, input.into()).await?,
        ))
    }

    /// Adds a member to a forum's group or makes them one of its moderators; `role: null`
    /// removes them (moderators of the platform or of the forum).
    async fn set_forum_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The forum's global id.")] forum_id: ID,
        #[graphql(desc = "The member's global id.")] member_id: ID,
        #[graphql(desc = "The role, or null to remove the member.")] role: Option<ForumRole>,
    ) -> async_graphql::Result<Forum> {
        let forum_id = Forum::decode("forumId", &forum_id)?;
        let member_id = Member::decode("memberId", &member_id)?;
        let (writer, role) = (&ctx.state()?.writer, role.map(Into::into));
        let forum = service::set_forum_role(writer, ctx.viewer()?, forum_id, member_id, role).await?;
        Ok(Forum(forum))
    }

    /// Starts a thread with its first post (members who may write in the forum; at most
    /// `--forum-posts-per-minute` posts a minute, RATE_LIMITED beyond).
    async fn start_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread.")] input: StartThreadInput,
    ) -> async_graphql::Result<ForumThread> {
        let input = service::NewThread::try_from(input)?;
        let (writer, forums) = (&ctx.state()?.writer, ctx.get::<Forums>()?);
        Ok(ForumThread(
            service::start_thread(writer, forums, ctx.viewer()?, input).await?,
        ))
    }

    /// Replies in a thread; a locked thread answers FORBIDDEN.
    async fn reply_to_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reply.")] input: ReplyInput,
    ) -> async_graphql::Result<ForumPost> {
        let input = service::NewReply::try_from(input)?;
        let (state, forums) = (ctx.state()?, ctx.get::<Forums>()?);
        Ok(ForumPost(
            service::reply(&state.writer, &state.auth, forums, ctx.viewer()?, input).await?,
        ))
    }

    /// Changes a post's text (its author); `editedAt` records when.
    async fn edit_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The post's global id.")] post_id: ID,
        #[graphql(desc = "The new text, in Markdown.")] body: String,
    ) -> async_graphql::Result<ForumPost> {
        let id = ForumPost::decode("postId", &post_id)?;
        Ok(ForumPost(
            service::edit_post(&ctx.state()?.writer, ctx.viewer()?, id, &body).await?,
        ))
    }

    /// Deletes a post (its author or a moderator): it stays as "[deleted]" so that replies
    /// keep their context.
    async fn delete_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The post's global id.")] post_id: ID,
    ) -> async_graphql::Result<ForumPost> {
        let id = ForumPost::decode("postId", &post_id)?;
        Ok(ForumPost(
            service::delete_post(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Pins or unpins a thread (moderators).
    async fn pin_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
        #[graphql(desc = "Pin (true) or unpin (false).")] pinned: bool,
    ) -> async_graphql::Result<ForumThread> {
        let id = ForumThread::decode("threadId", &thread_id)?;
        Ok(ForumThread(
            service::moderate_thread(
                &ctx.state()?.writer,
                ctx.viewer()?,
                id,
                service::ThreadChanges {
                    pinned: Some(pinned),
                    ..Default::default()
                },
            )
            .await?,
        ))
    }

    /// Hides a post with a reason (moderators): it then shows only to moderators and its
    /// author, with the reason.
    async fn hide_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The post's global id.")] post_id: ID,
        #[graphql(desc = "Why (shown to the author and moderators; at most 1,000 characters).")] reason: String,
    ) -> async_graphql::Result<ForumPost> {
        let id = ForumPost::decode("postId", &post_id)?;
        Ok(ForumPost(
            service::hide_post(&ctx.state()?.writer, ctx.viewer()?, id, Some(&reason)).await?,
        ))
    }

    /// Shows a hidden post again (moderators).
    async fn unhide_post(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The post's global id.")] post_id: ID,
    ) -> async_graphql::Result<ForumPost> {
        let id = ForumPost::decode("postId", &post_id)?;
        Ok(ForumPost(
            service::hide_post(&ctx.state()?.writer, ctx.viewer()?, id, None).await?,
        ))
    }

    /// Moves a thread to another forum (moderators of both).
    async fn move_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
        #[graphql(desc = "The forum to move it to.")] to_forum_id: ID,
    ) -> async_graphql::Result<ForumThread> {
        let id = ForumThread::decode("threadId", &thread_id)?;
        let to = Forum::decode("toForumId", &to_forum_id)?;
        Ok(ForumThread(
            service::move_thread(&ctx.state()?.writer, ctx.viewer()?, id, to).await?,
        ))
    }

    /// Marks a thread read up to one of its posts (read positions only move forward).
    async fn mark_thread_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
        #[graphql(desc = "The last post read (usually the last one shown).")] up_to_post_id: ID,
    ) -> async_graphql::Result<ForumThread> {
        let id = ForumThread::decode("threadId", &thread_id)?;
        let post = ForumPost::decode("upToPostId", &up_to_post_id)?;
        Ok(ForumThread(
            service::mark_thread_read(&ctx.state()?.writer, ctx.viewer()?, id, post).await?,
        ))
    }

    /// Watches a thread: new posts in it become notifications (starting or replying to a
    /// thread watches it too).
    async fn watch_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
    ) -> async_graphql::Result<ForumThread> {
        let id = ForumThread::decode("threadId", &thread_id)?;
        Ok(ForumThread(
            service::set_watching(&ctx.state()?.writer, ctx.viewer()?, id, true).await?,
        ))
    }

    /// Stops watching a thread.
    async fn unwatch_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
    ) -> async_graphql::Result<ForumThread> {
        let id = ForumThread::decode("threadId", &thread_id)?;
        Ok(ForumThread(
            service::set_watching(&ctx.state()?.writer, ctx.viewer()?, id, false).await?,
        ))
    }

    /// Marks the signed-in member's notifications read: these, or all when `ids` is null.
    /// Returns how many stay unread.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The notifications' ids (null: all).")] ids: Option<Vec<ID>>,
    ) -> async_graphql::Result<i32> {
        let ids = match ids {
            Some(ids) => Some(
                ids.iter()
                    .map(|id| decode_as::<NotificationId>("ids", id))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let unread = service::mark_notifications_read(&ctx.state()?.writer, ctx.viewer()?, ids).await?;
        Ok(i32::try_from(unread).unwrap_or(i32::MAX))
    }

    /// Locks or unlocks a thread (moderators): nobody can reply to a locked thread.
    async fn lock_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
        #[graphql(desc = "Lock (true) or unlock (false).")] locked: bool,
    ) -> async_graphql::Result<ForumThread> {
        let id = ForumThread::decode("threadId", &thread_id)?;
        Ok(ForumThread(
            service::moderate_thread(
                &ctx.state()?.writer,
                ctx.viewer()?,
                id,
                service::ThreadChanges {
                    locked: Some(locked),
                    ..Default::default()
                },
            )
            .await?,
        ))
    }
}

/// Live updates of forums.
#[derive(Default)]
pub struct ForumsSubscription;

#[Subscription]
impl ForumsSubscription {
    /// The posts of a thread as they are written, from every server instance. After a dropped
    /// connection, fetch what was missed with the thread's `posts(after: <last cursor>)`.
    async fn post_added(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ForumPost>> + use<>> {
        let thread_id = ForumThread::decode("threadId", &thread_id)?;
        let (state, forums) = (ctx.state()?, ctx.get::<Forums>()?);
        let viewer = ctx.viewer()?.clone();
        let posts = service::watch_posts(state.conn(), &state.bus, &forums.live_posts, viewer, thread_id).await?;
        Ok(posts.map(|post| post.map(ForumPost).map_err(Into::into)))
    }

    /// New threads and posts of a forum as they are written, from every server instance.
    async fn forum_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The forum's slug.")] forum_slug: String,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ForumActivity>> + use<>> {
        let (state, forums) = (ctx.state()?, ctx.get::<Forums>()?);
        let viewer = ctx.viewer()?.clone();
        let activity = service::watch_forum(state.conn(), &state.bus, &forums.live_posts, viewer, &forum_slug).await?;
        Ok(activity.map(|item| item.map(ForumActivity).map_err(Into::into)))
    }

    /// The signed-in member's notifications as they are created, from every server instance.
    async fn notification_added(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Notification>> + use<>> {
        let state = ctx.state()?;
        let notifications = service::watch_notifications(state.conn(), &state.bus, ctx.viewer()?.clone()).await?;
        Ok(notifications.map(|item| item.map(Notification).map_err(Into::into)))
    }
}

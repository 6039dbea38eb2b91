//! Live posts: the streams of a thread's new posts and of a forum's activity, and what their
//! subscribers on one instance share: a new post, its thread and forum are loaded once per
//! instance, however many subscribers hear of it (single flight), not once per subscriber.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dkbm_entity::{ForumVisibility, forum, forum_post, forum_thread};
use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::OnceCell;
use tokio::sync::broadcast::error::RecvError;

use super::access::{access, access_with, hidden_visible, no_forum, readable_thread};
use super::forums::forum_by_slug;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::ids::{PostId, ThreadId, TypedId};
use crate::realtime::{Bus, Event};

/// How many posts the cache keeps (the newest; live events concern new posts).
const CAPACITY: usize = 256;

/// A post with its thread and forum.
#[derive(Debug, Clone)]
pub struct LivePost {
    pub post: forum_post::Model,
    pub thread: forum_thread::Model,
    pub forum: forum::Model,
}

type Slot = Arc<OnceCell<Option<Arc<LivePost>>>>;

/// The cached posts by id, and their ids oldest first (for eviction).
type Slots = (HashMap<PostId, Slot>, Vec<PostId>);

/// The instance's cache of recent posts for live subscribers. Clones share the cache.
#[derive(Clone, Default)]
pub struct LivePosts {
    slots: Arc<Mutex<Slots>>,
}

impl LivePosts {
    fn slot(&self, post_id: PostId) -> Slot {
        let Ok(mut guard) = self.slots.lock() else {
            return Slot::default();
        };
        let (slots, order) = &mut *guard;
        if let Some(slot) = slots.get(&post_id) {
            return slot.clone();
        }
        if order.len() >= CAPACITY {
            let old = order.remove(0);
            slots.remove(&old);
        }
        order.push(post_id);
        slots.entry(post_id).or_default().clone()
    }

    /// The post with its thread and forum (loaded by the first subscriber that asks).
    pub async fn get(&self, db: &DatabaseConnection, post_id: PostId) -> AppResult<Option<Arc<LivePost>>> {
        let slot = self.slot(post_id);
        let loaded = slot
            .get_or_try_init(|| async {
                let Some(post) = forum_post::Entity::find_by_id(post_id).one(db).await? else {
                    return Ok::<_, crate::error::AppError>(None);
                };
                let Some(thread) = forum_thread::Entity::find_by_id(post.thread_id).one(db).await? else {
                    return Ok(None);
                };
                let Some(forum) = forum::Entity::find_by_id(thread.forum_id).one(db).await? else {
                    return Ok(None);
                };
                Ok(Some(Arc::new(LivePost { post, thread, forum })))
            })
            .await?;
        Ok(loaded.clone())
    }
}

/// A live post as the viewer may see it: from the instance's cache, with the viewer's access
/// checked now (a role is read only for GROUP forums, where it decides).
async fn live_post_for(
    db: &DatabaseConnection,
    live_posts: &LivePosts,
    viewer: &Viewer,
    post_id: PostId,
) -> AppResult<Option<Arc<LivePost>>> {
    let Some(live) = live_posts.get(db, post_id).await? else {
        return Ok(None);
    };
    let access = match live.forum.visibility {
        ForumVisibility::Group => access(db, viewer, &live.forum).await?,
        _ => access_with(viewer, &live.forum, None),
    };
    let visible = access.read && hidden_visible(access.moderate, viewer, &live.post);
    Ok(visible.then_some(live))
}

/// The posts of a thread as they are written, live (from every replica on PostgreSQL). The
/// viewer's right to read the thread is checked when subscribing and again for each post.
pub async fn watch_posts(
    db: &DatabaseConnection,
    bus: &Bus,
    live_posts: &LivePosts,
    viewer: Viewer,
    thread_id: ThreadId,
) -> AppResult<impl futures::Stream<Item = AppResult<forum_post::Model>> + use<>> {
    let (db, live_posts) = (db.clone(), live_posts.clone());
    // Subscribed before the check, so that no post written in between is missed.
    let mut events = bus.subscribe();
    readable_thread(&db, &viewer, thread_id).await?;
    Ok(async_stream::try_stream! {
        loop {
            let post_id = match events.recv().await {
                Ok(Event::PostAdded { thread_id: id, post_id, .. }) if id == thread_id.uuid() => post_id,
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            if let Some(live) = live_post_for(&db, &live_posts, &viewer, post_id.into()).await? {
                yield live.post.clone();
            }
        }
    })
}

/// What happened in a forum: a thread was started (its first post) or a post was added.
pub struct Activity {
    /// The thread.
    pub thread: forum_thread::Model,
    /// The new post (a new thread's first).
    pub post: forum_post::Model,
    /// Whether the post started the thread.
    pub thread_started: bool,
}

/// New threads and posts of a forum, live (from every replica); the viewer's right to read the
/// forum is checked when subscribing and for each event.
pub async fn watch_forum(
    db: &DatabaseConnection,
    bus: &Bus,
    live_posts: &LivePosts,
    viewer: Viewer,
    forum_slug: &str,
) -> AppResult<impl futures::Stream<Item = AppResult<Activity>> + use<>> {
    let (db, live_posts) = (db.clone(), live_posts.clone());
    let mut events = bus.subscribe();
    let forum = forum_by_slug(&db, &viewer, forum_slug).await?.ok_or_else(no_forum)?;
    let forum_id = forum.id;
    Ok(async_stream::try_stream! {
        loop {
            let (post_id, first) = match events.recv().await {
                Ok(Event::PostAdded { forum_id: id, post_id, first, .. }) if id == forum_id => (post_id, first),
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            let Some(live) = live_post_for(&db, &live_posts, &viewer, post_id.into()).await? else { continue };
            // A thread moved away since the post was written is no longer this forum's activity.
            if live.thread.forum_id == forum_id {
                yield Activity { thread: live.thread.clone(), post: live.post.clone(), thread_started: first };
            }
        }
    })
}

//! What live subscribers of one instance share: a new post, its thread and forum are loaded
//! once per instance, however many subscribers hear of it (single flight), not once per
//! subscriber.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use dkbm_entity::{forum, forum_post, forum_thread};
use sea_orm::{DatabaseConnection, EntityTrait};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::error::AppResult;

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

/// The instance's cache of recent posts for live subscribers.
#[derive(Default)]
pub struct LivePosts {
    slots: Mutex<(HashMap<Uuid, Slot>, Vec<Uuid>)>,
}

impl LivePosts {
    fn slot(&self, post_id: Uuid) -> Slot {
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
    pub async fn get(&self, db: &DatabaseConnection, post_id: Uuid) -> AppResult<Option<Arc<LivePost>>> {
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

//! DataLoaders of forums: forums, threads and posts by id, and the viewer's role per forum.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{ForumRole, forum, forum_member, forum_post, forum_thread, forum_watch};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::service::{unread_in_forums, unread_in_threads};
use crate::error::AppResult;
use crate::ids::{ForumId, MemberId, PostId, ThreadId, TypedId};
use crate::loader::{AreaLoaders, ById, LoadError, LoaderSource};

/// The signed-in member's role per forum.
pub struct MyForumRoles {
    db: DatabaseConnection,
    member_id: Option<MemberId>,
}

impl Loader<Uuid> for MyForumRoles {
    type Value = ForumRole;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, ForumRole>, LoadError> {
        let Some(member_id) = self.member_id else {
            return Ok(HashMap::new());
        };
        let rows = forum_member::Entity::find()
            .filter(forum_member::Column::MemberId.eq(member_id))
            .filter(forum_member::Column::ForumId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|row| (row.forum_id, row.role)).collect())
    }
}

/// The signed-in member's unread posts per thread (or per forum).
pub struct Unread {
    db: DatabaseConnection,
    member_id: Option<MemberId>,
    per_forum: bool,
}

impl Loader<Uuid> for Unread {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, i64>, LoadError> {
        let Some(member_id) = self.member_id else {
            return Ok(HashMap::new());
        };
        // The keys are forums' or threads' ids, as `per_forum` says; the counts are by the same.
        let counts: HashMap<Uuid, i64> = if self.per_forum {
            let forums: Vec<ForumId> = keys.iter().copied().map(ForumId::from).collect();
            let counts = unread_in_forums(&self.db, member_id, &forums).await?;
            counts.into_iter().map(|(id, count)| (id.uuid(), count)).collect()
        } else {
            let threads: Vec<ThreadId> = keys.iter().copied().map(ThreadId::from).collect();
            let counts = unread_in_threads(&self.db, member_id, &threads).await?;
            counts.into_iter().map(|(id, count)| (id.uuid(), count)).collect()
        };
        Ok(counts)
    }
}

/// Whether the signed-in member watches each thread.
pub struct Watching {
    db: DatabaseConnection,
    member_id: Option<MemberId>,
}

impl Loader<Uuid> for Watching {
    type Value = bool;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, bool>, LoadError> {
        let Some(member_id) = self.member_id else {
            return Ok(HashMap::new());
        };
        let rows = forum_watch::Entity::find()
            .filter(forum_watch::Column::MemberId.eq(member_id))
            .filter(forum_watch::Column::ThreadId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|row| (row.thread_id, true)).collect())
    }
}

/// The forums area's loaders for one request.
pub struct ForumLoaders {
    forum: DataLoader<ById<forum::Entity>>,
    thread: DataLoader<ById<forum_thread::Entity>>,
    post: DataLoader<ById<forum_post::Entity>>,
    roles: DataLoader<MyForumRoles>,
    unread_by_thread: DataLoader<Unread>,
    unread_by_forum: DataLoader<Unread>,
    watching: DataLoader<Watching>,
}

impl AreaLoaders for ForumLoaders {
    /// Loaders for a request of the member `source.member_id` (if one is signed in).
    fn new(source: &LoaderSource) -> Self {
        let (db, gate, member_id) = (&source.db, &source.gate, source.member_id);
        ForumLoaders {
            forum: gate.loader(ById::new(db.clone())),
            thread: gate.loader(ById::new(db.clone())),
            post: gate.loader(ById::new(db.clone())),
            roles: gate.loader(MyForumRoles {
                db: db.clone(),
                member_id,
            }),
            unread_by_thread: gate.loader(Unread {
                db: db.clone(),
                member_id,
                per_forum: false,
            }),
            unread_by_forum: gate.loader(Unread {
                db: db.clone(),
                member_id,
                per_forum: true,
            }),
            watching: gate.loader(Watching {
                db: db.clone(),
                member_id,
            }),
        }
    }
}

impl ForumLoaders {
    pub async fn forum(&self, id: ForumId) -> AppResult<Option<forum::Model>> {
        Ok(self.forum.load_one(id.uuid()).await?)
    }

    pub async fn thread(&self, id: ThreadId) -> AppResult<Option<forum_thread::Model>> {
        Ok(self.thread.load_one(id.uuid()).await?)
    }

    pub async fn post(&self, id: PostId) -> AppResult<Option<forum_post::Model>> {
        Ok(self.post.load_one(id.uuid()).await?)
    }

    /// The viewer's role in a forum.
    pub async fn my_role(&self, forum_id: ForumId) -> AppResult<Option<ForumRole>> {
        Ok(self.roles.load_one(forum_id.uuid()).await?)
    }

    /// The viewer's unread posts in a thread.
    pub async fn unread_in_thread(&self, thread_id: ThreadId) -> AppResult<i64> {
        Ok(self.unread_by_thread.load_one(thread_id.uuid()).await?.unwrap_or(0))
    }

    /// The viewer's unread posts in a forum.
    pub async fn unread_in_forum(&self, forum_id: ForumId) -> AppResult<i64> {
        Ok(self.unread_by_forum.load_one(forum_id.uuid()).await?.unwrap_or(0))
    }

    /// Whether the viewer watches a thread.
    pub async fn watching(&self, thread_id: ThreadId) -> AppResult<bool> {
        Ok(self.watching.load_one(thread_id.uuid()).await?.unwrap_or(false))
    }
}

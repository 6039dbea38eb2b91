//! DataLoaders of forums: forums, threads and posts by id, and the viewer's role per forum.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{ForumRole, forum, forum_member, forum_post, forum_thread, forum_watch};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppResult;
use crate::loader::{BatchGate, ById, LoadError};

/// The signed-in member's role per forum.
pub struct MyForumRoles {
    db: DatabaseConnection,
    member_id: Option<Uuid>,
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
    member_id: Option<Uuid>,
    per_forum: bool,
}

impl Loader<Uuid> for Unread {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, i64>, LoadError> {
        let Some(member_id) = self.member_id else {
            return Ok(HashMap::new());
        };
        Ok(super::service::unread_counts(&self.db, member_id, keys, self.per_forum).await?)
    }
}

/// Whether the signed-in member watches each thread.
pub struct Watching {
    db: DatabaseConnection,
    member_id: Option<Uuid>,
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

impl ForumLoaders {
    pub fn new(db: &DatabaseConnection, gate: &BatchGate, member_id: Option<Uuid>) -> Self {
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

    pub async fn forum(&self, id: Uuid) -> AppResult<Option<forum::Model>> {
        Ok(self.forum.load_one(id).await?)
    }

    pub async fn thread(&self, id: Uuid) -> AppResult<Option<forum_thread::Model>> {
        Ok(self.thread.load_one(id).await?)
    }

    pub async fn post(&self, id: Uuid) -> AppResult<Option<forum_post::Model>> {
        Ok(self.post.load_one(id).await?)
    }

    /// The viewer's role in a forum.
    pub async fn my_role(&self, forum_id: Uuid) -> AppResult<Option<ForumRole>> {
        Ok(self.roles.load_one(forum_id).await?)
    }

    /// The viewer's unread posts in a thread.
    pub async fn unread_in_thread(&self, thread_id: Uuid) -> AppResult<i64> {
        Ok(self.unread_by_thread.load_one(thread_id).await?.unwrap_or(0))
    }

    /// The viewer's unread posts in a forum.
    pub async fn unread_in_forum(&self, forum_id: Uuid) -> AppResult<i64> {
        Ok(self.unread_by_forum.load_one(forum_id).await?.unwrap_or(0))
    }

    /// Whether the viewer watches a thread.
    pub async fn watching(&self, thread_id: Uuid) -> AppResult<bool> {
        Ok(self.watching.load_one(thread_id).await?.unwrap_or(false))
    }
}

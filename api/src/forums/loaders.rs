//! DataLoaders of forums: forums, threads and posts by id, and the viewer's role per forum.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{ForumRole, forum, forum_member, forum_post, forum_thread};
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

/// The forums area's loaders for one request.
pub struct ForumLoaders {
    forum: DataLoader<ById<forum::Entity>>,
    thread: DataLoader<ById<forum_thread::Entity>>,
    post: DataLoader<ById<forum_post::Entity>>,
    roles: DataLoader<MyForumRoles>,
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
}

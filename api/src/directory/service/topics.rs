//! Topics: the fields of action (Handlungsfelder). A small seeded taxonomy.

use dkbm_entity::topic;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::AppResult;

/// Every topic in display order.
pub async fn list_topics(db: &impl ConnectionTrait) -> AppResult<Vec<topic::Model>> {
    Ok(topic::Entity::find()
        .order_by_asc(topic::Column::Position)
        .order_by_asc(topic::Column::Slug)
        .all(db)
        .await?)
}

/// A topic by its slug.
pub async fn topic_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<topic::Model>> {
    Ok(topic::Entity::find()
        .filter(topic::Column::Slug.eq(slug))
        .one(db)
        .await?)
}

/// A topic by id.
pub async fn topic_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<topic::Model>> {
    Ok(topic::Entity::find_by_id(id).one(db).await?)
}

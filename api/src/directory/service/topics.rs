//! Topics: the fields of action (Handlungsfelder). A small seeded taxonomy.

use dkbm_entity::topic;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::AppResult;
use crate::ids::TopicId;
use crate::messages::{Message, MessageKey};

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
pub async fn topic_by_id(db: &impl ConnectionTrait, id: TopicId) -> AppResult<Option<topic::Model>> {
    Ok(topic::Entity::find_by_id(id).one(db).await?)
}

/// The topics with these slugs (trimmed, each once), or BAD_USER_INPUT on `field` naming the
/// first slug there is no topic for.
pub async fn require_topics(db: &impl ConnectionTrait, field: &str, slugs: &[String]) -> AppResult<Vec<topic::Model>> {
    let mut slugs: Vec<String> = slugs.iter().map(|s| s.trim().to_owned()).collect();
    slugs.sort();
    slugs.dedup();
    let topics = topic::Entity::find()
        .filter(topic::Column::Slug.is_in(slugs.clone()))
        .all(db)
        .await?;
    if let Some(missing) = slugs.iter().find(|slug| !topics.iter().any(|t| &&t.slug == slug)) {
        return Err(crate::error::AppError::bad_input(
            field,
            Message::new(MessageKey::NoSuchTopic).with("slug", missing),
        ));
    }
    Ok(topics)
}

//! A thread of a forum.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_thread")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    /// `None` once the author deleted their account.
    pub author_id: Option<Uuid>,
    pub pinned: bool,
    pub locked: bool,
    /// JSON array of the tags (the tag table serves the filter).
    pub tags: String,
    /// Search terms of the title, padded with a space at each end.
    pub search_terms: String,
    pub post_count: i32,
    pub created_at: DateTimeUtc,
    pub last_activity_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

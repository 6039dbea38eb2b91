//! A member's role in a forum: group membership or moderation.

use sea_orm::entity::prelude::*;

use crate::ForumRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_member")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub forum_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: Uuid,
    pub role: ForumRole,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! An item (practice, event or forum) a portal hides from its lists and search.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_hidden")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub portal_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    /// PRACTICE, EVENT or FORUM.
    pub item_kind: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! How often an item was opened in a portal on one day: a bare count, nothing about who.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_reach")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub portal_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: Uuid,
    /// PRACTICE or EVENT.
    pub item_kind: String,
    pub views: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

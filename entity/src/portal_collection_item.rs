//! One item of a portal's collection, at its position, with an optional teaser and an optional
//! date until which it is featured.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_collection_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub collection_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// PRACTICE or EVENT.
    pub item_kind: String,
    pub item_id: Uuid,
    pub teaser: Option<String>,
    pub featured_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

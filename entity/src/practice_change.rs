//! The change feed of good practices: one entry per practice, its latest change (an UPSERT of
//! a published practice, or a DELETE tombstone when it stopped being published), in commit order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "practice_change")]
pub struct Model {
    /// The feed position; assigned in commit order.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub practice_id: Uuid,
    /// UPSERT or DELETE.
    pub operation: String,
    /// The practice's version the entry records.
    pub version: i64,
    pub slug: String,
    pub external_id: Option<String>,
    pub agency_id: Uuid,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! A field of action (Handlungsfeld): the small taxonomy good practices and events are tagged with.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "topic")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub label_de: String,
    pub label_en: String,
    pub description: Option<String>,
    /// Display order in lists.
    pub position: i32,
    /// The topic's bit in the practices' facet masks (0 to 62; stable).
    #[sea_orm(unique)]
    pub facet_bit: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

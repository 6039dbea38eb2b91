//! A portal's own teaser text and image for a practice, shown only in that portal.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal_teaser")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub portal_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub practice_id: Uuid,
    pub teaser: Option<String>,
    pub image_url: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

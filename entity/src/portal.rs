//! A portal: one agency's front-end over the shared knowledge base, with its publishable key,
//! its browser origins and its default scope (both JSON text).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "portal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub owner_agency_id: Uuid,
    /// JSON array of origins (`["https://www.example.de"]`).
    pub origins: String,
    /// The publishable key (public: it identifies the portal and grants nothing).
    #[sea_orm(unique)]
    pub portal_key: String,
    /// The key before the last rotation, accepted until `previous_key_expires_at`.
    pub previous_key: Option<String>,
    pub previous_key_expires_at: Option<DateTimeUtc>,
    /// JSON object of the default scope (states, topic ids, agency ids, formats, forum ids).
    pub scope: String,
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

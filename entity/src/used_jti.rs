//! A client assertion's `jti`, kept until the assertion expires so that it cannot be replayed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "used_jti")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub api_client_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub jti: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

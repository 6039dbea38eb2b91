//! A sign-in session: one per logIn, the family of its rotating refresh tokens.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub created_at: DateTimeUtc,
    pub last_refreshed_at: DateTimeUtc,
    /// When the newest refresh token expires.
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// LOGOUT, REUSE_DETECTED, PASSWORD_CHANGED, ACCOUNT_DELETED.
    pub revoke_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

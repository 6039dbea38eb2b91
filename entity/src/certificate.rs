//! An attendance certificate's verification code, for one registration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate")]
pub struct Model {
    /// `XXXX-XXXX-XXXX` of letters and digits that cannot be mistaken for each other.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    #[sea_orm(unique)]
    pub registration_id: Uuid,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

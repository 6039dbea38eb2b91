//! One value of an indicator for a municipality and a year: a number, or an official special
//! sign instead of one.

use sea_orm::entity::prelude::*;

use crate::ValueFlag;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_value")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub indicator_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    /// None when a special sign stands instead.
    pub value: Option<f64>,
    pub flag: Option<ValueFlag>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

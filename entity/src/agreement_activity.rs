//! An activity of an accompaniment: a clarification, an analysis, a consultation, a workshop …
//! on a day, towards some goals, possibly as a training event of the platform.

use sea_orm::entity::prelude::*;

use crate::ActivityKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_activity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub kind: ActivityKind,
    pub occurred_on: Date,
    pub title: String,
    pub notes: Option<String>,
    pub training_event_id: Option<Uuid>,
    /// Who recorded it (null: a deleted member, or the operator).
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! An entry of an agreement's timeline: who changed what, and when.

use sea_orm::entity::prelude::*;

use crate::AgreementAction;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_entry")]
pub struct Model {
    /// UUIDv7: the timeline's order.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    /// Who (null: a deleted member, or the operator).
    pub member_id: Option<Uuid>,
    pub action: AgreementAction,
    /// What it concerned, in words (a goal's or an activity's title, a new status).
    pub subject: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

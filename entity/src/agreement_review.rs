//! A review of an agreement's goals (Reflexion und Zielüberprüfung): drafted, then submitted
//! once and never changed.

use sea_orm::entity::prelude::*;

use crate::ReviewStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_review")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub status: ReviewStatus,
    pub held_on: Date,
    pub reflection: String,
    /// The review after this one, as agreed in it.
    pub next_review_on: Option<Date>,
    /// Who saved the draft last (null: a deleted member, or the operator).
    pub drafted_by: Option<Uuid>,
    pub submitted_by: Option<Uuid>,
    pub submitted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

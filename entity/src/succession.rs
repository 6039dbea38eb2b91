//! One step of a lineage: a place or an organisation (`subject`) followed by another since a
//! day, and why (a merger, a split, a new name or key, a successor programme).

use sea_orm::entity::prelude::*;

use crate::{SuccessionReason, SuccessionSubject};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "succession")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject: SuccessionSubject,
    /// The predecessor (a municipality, agency or programme, as `subject` says).
    pub from_id: Uuid,
    /// The successor.
    pub to_id: Uuid,
    /// The successor's first day.
    pub since: Date,
    pub reason: SuccessionReason,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

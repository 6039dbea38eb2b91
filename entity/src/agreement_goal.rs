//! A goal of an agreement (Ziel), optionally measured by an education indicator of the
//! municipality: from its value in the baseline year towards the target value in the target year.

use sea_orm::entity::prelude::*;

use crate::GoalStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_goal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agreement_id: Uuid,
    /// The order in which the goals were added.
    pub position: i32,
    pub title: String,
    pub description: Option<String>,
    pub topic_id: Option<Uuid>,
    pub indicator_id: Option<Uuid>,
    pub baseline_year: Option<i32>,
    pub target_value: Option<f64>,
    pub target_year: Option<i32>,
    /// OPEN until a submitted review assesses it; DROPPED when given up.
    pub status: GoalStatus,
    pub dropped_reason: Option<String>,
    /// Who added it (null: a deleted member, or the operator).
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

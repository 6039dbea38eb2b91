//! The enums of an accompaniment under an agreement: its status, its goals', activities' and
//! reviews' kinds and states, and what its timeline records.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where an accompaniment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum AgreementStatus {
    /// Agreed on, not yet begun.
    #[sea_orm(string_value = "PLANNED")]
    Planned,
    /// Under way.
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    /// A review (Zielüberprüfung) is being drafted.
    #[sea_orm(string_value = "UNDER_REVIEW")]
    UnderReview,
    /// Concluded.
    #[sea_orm(string_value = "CONCLUDED")]
    Concluded,
}

/// Where a goal of an agreement stands: OPEN until a review assesses it, DROPPED when given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum GoalStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "ON_TRACK")]
    OnTrack,
    #[sea_orm(string_value = "AT_RISK")]
    AtRisk,
    #[sea_orm(string_value = "REACHED")]
    Reached,
    #[sea_orm(string_value = "PARTLY_REACHED")]
    PartlyReached,
    #[sea_orm(string_value = "NOT_REACHED")]
    NotReached,
    #[sea_orm(string_value = "DROPPED")]
    Dropped,
}

/// What kind of work an activity of an accompaniment was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum ActivityKind {
    #[sea_orm(string_value = "CLARIFICATION")]
    Clarification,
    #[sea_orm(string_value = "ANALYSIS")]
    Analysis,
    #[sea_orm(string_value = "CONSULTATION")]
    Consultation,
    #[sea_orm(string_value = "WORKSHOP")]
    Workshop,
    #[sea_orm(string_value = "NETWORK_MEETING")]
    NetworkMeeting,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// A review's state: a draft is changed until it is submitted; a submitted one never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))")]
pub enum ReviewStatus {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
}

/// What an entry of an agreement's timeline records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(30))")]
pub enum AgreementAction {
    #[sea_orm(string_value = "UPDATED")]
    Updated,
    #[sea_orm(string_value = "STATUS_CHANGED")]
    StatusChanged,
    #[sea_orm(string_value = "GOAL_ADDED")]
    GoalAdded,
    #[sea_orm(string_value = "GOAL_UPDATED")]
    GoalUpdated,
    #[sea_orm(string_value = "GOAL_DROPPED")]
    GoalDropped,
    #[sea_orm(string_value = "ACTIVITY_RECORDED")]
    ActivityRecorded,
    #[sea_orm(string_value = "REVIEW_DRAFTED")]
    ReviewDrafted,
    #[sea_orm(string_value = "REVIEW_SUBMITTED")]
    ReviewSubmitted,
    #[sea_orm(string_value = "PRACTICE_DRAFTED")]
    PracticeDrafted,
}

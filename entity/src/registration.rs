//! A member's registration for a training event; one per (event, member).

use sea_orm::entity::prelude::*;

use crate::{Attendance, RegistrationStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub member_id: Uuid,
    pub status: RegistrationStatus,
    /// 1 is next in line; set only while WAITLISTED.
    pub waitlist_position: Option<i32>,
    pub note: Option<String>,
    pub attendance: Option<Attendance>,
    /// When the member (last) registered: the order of the waiting list.
    pub registered_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// The start of the event the member was reminded of (a moved event reminds again).
    pub reminded_for: Option<DateTimeUtc>,
    /// The seat quota whose seat it holds (set only while it holds a seat of a quota).
    pub quota_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::member::Entity",
        from = "Column::MemberId",
        to = "super::member::Column::Id"
    )]
    Member,
    #[sea_orm(
        belongs_to = "super::training_event::Entity",
        from = "Column::EventId",
        to = "super::training_event::Column::Id"
    )]
    TrainingEvent,
}

impl Related<super::member::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Member.def()
    }
}

impl Related<super::training_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::TrainingEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

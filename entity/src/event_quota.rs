//! A seat quota of a training event (Kontingent): seats of its capacity reserved for the members
//! of some municipalities: listed ones (`event_quota_municipality`), those of a funding
//! programme, or those an agency accompanies under a target agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event_quota")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub name: String,
    /// The order the organisers added the quotas in (1, 2, …): display order and tie-break.
    pub position: i32,
    /// Seats reserved; at least 1.
    pub seats_total: i32,
    /// Registrations holding one of its seats (CONFIRMED or ATTENDED with this quota), kept in
    /// step under the event's row lock; 0..=seats_total.
    pub seats_taken: i32,
    /// Set: the quota is for the municipalities taking part in this programme.
    pub programme_id: Option<Uuid>,
    /// Set: the quota is for the municipalities this agency accompanies (target agreements).
    pub agency_id: Option<Uuid>,
    /// After this instant its unused seats fall back to the general pool; `None`: never.
    pub until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

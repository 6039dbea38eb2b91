//! A role granted to a member, for one agency (EDITOR, AGENCY_ADMIN), one municipality (MUNICIPAL_STAFF) or
//! platform-wide.

use sea_orm::entity::prelude::*;

use crate::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_role")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub member_id: Uuid,
    pub role: Role,
    /// The agency, for per-agency roles.
    pub agency_id: Option<Uuid>,
    /// The municipality, for MUNICIPAL_STAFF.
    pub municipality_id: Option<Uuid>,
    /// Who granted it (null when granted from the command line or by a since deleted member).
    pub granted_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

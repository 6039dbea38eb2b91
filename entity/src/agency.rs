//! An agency: transfer agency, network office, foundation, association or municipal office.

use sea_orm::entity::prelude::*;

use crate::AgencyKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agency")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// The name folded for sorting and searching (lower case, umlauts resolved).
    pub name_sort: String,
    pub kind: AgencyKind,
    pub description: Option<String>,
    pub website: Option<String>,
    /// Where people reach the agency: replies to its events' invitations go here.
    pub contact_email: Option<String>,
    /// The agency that carries this one (ISA e.V. carries Transferagentur NRW).
    pub carrier_agency_id: Option<Uuid>,
    /// A carrier that is not itself an agency on the platform, as free text.
    pub carrier_name: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

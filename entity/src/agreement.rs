//! An agreement: a Zielvereinbarung (agency ↔ municipality) or a Kooperationsvereinbarung
//! (agency ↔ municipality or agency ↔ agency).

use sea_orm::entity::prelude::*;

use crate::{AgreementKind, AgreementStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: AgreementKind,
    pub title: String,
    pub summary: Option<String>,
    /// The agency party (for a Zielvereinbarung: the accompanying agency).
    pub agency_id: Uuid,
    /// The municipality party, if the other party is a municipality.
    pub municipality_id: Option<Uuid>,
    /// The other organisation, if the other party is an agency.
    pub partner_agency_id: Option<Uuid>,
    pub signed_on: Option<Date>,
    pub status: AgreementStatus,
    /// The municipality's request (Anliegen), Markdown.
    pub request: Option<String>,
    pub next_review_on: Option<Date>,
    /// The review date the last reminder was sent for (once per date).
    pub reminded_for: Option<Date>,
    /// Raised by every change of the agreement itself (optimistic concurrency).
    pub version: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::agency::Entity",
        from = "Column::AgencyId",
        to = "super::agency::Column::Id"
    )]
    Agency,
    #[sea_orm(
        belongs_to = "super::municipality::Entity",
        from = "Column::MunicipalityId",
        to = "super::municipality::Column::Id"
    )]
    Municipality,
    #[sea_orm(
        belongs_to = "super::agency::Entity",
        from = "Column::PartnerAgencyId",
        to = "super::agency::Column::Id"
    )]
    PartnerAgency,
}

impl ActiveModelBehavior for ActiveModel {}

//! Agreement inputs: what recording or changing an agreement takes.

use async_graphql::InputObject;

use super::date;
use crate::directory::schema::AgreementKind;
use crate::directory::service;
use crate::graphql::Date;

/// A new agreement. The agency is always a party; the other is a municipality
/// (`municipalityAgs`) or, for a cooperation agreement, another agency (`partnerAgencySlug`).
#[derive(InputObject)]
pub struct CreateAgreementInput {
    /// Zielvereinbarung or Kooperationsvereinbarung.
    pub kind: AgreementKind,
    /// Short title.
    pub title: String,
    /// What was agreed.
    pub summary: Option<String>,
    /// Slug of the agency party.
    pub agency_slug: String,
    /// AGS of the municipality party.
    pub municipality_ags: Option<String>,
    /// Slug of the other agency (cooperation agreements only).
    pub partner_agency_slug: Option<String>,
    /// The day it was signed.
    pub signed_on: Option<Date>,
}

impl From<CreateAgreementInput> for service::NewAgreement {
    fn from(input: CreateAgreementInput) -> Self {
        service::NewAgreement {
            kind: input.kind.into(),
            title: input.title,
            summary: input.summary,
            agency_slug: input.agency_slug,
            municipality_ags: input.municipality_ags,
            partner_agency_slug: input.partner_agency_slug,
            signed_on: date(input.signed_on),
        }
    }
}

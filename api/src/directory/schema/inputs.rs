//! Input types of the directory and their mapping to the service's plain structs.

use async_graphql::{Enum, InputObject, MaybeUndefined};

use super::objects::{AgencyKind, AgreementKind, MunicipalityKind, State};
use crate::directory::service;
use crate::graphql::{Date, OrderDirection};

fn date(value: Option<Date>) -> Option<chrono::NaiveDate> {
    value.map(|d| d.0)
}

fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    value.into()
}

fn patch_date(value: MaybeUndefined<Date>) -> Option<Option<chrono::NaiveDate>> {
    patch(value).map(date)
}

/// Narrows the agency list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct AgencyFilter {
    /// Only agencies of this kind.
    pub kind: Option<AgencyKind>,
    /// Only agencies serving this state.
    pub state: Option<State>,
}

impl From<AgencyFilter> for service::AgencyFilter {
    fn from(filter: AgencyFilter) -> Self {
        service::AgencyFilter {
            kind: filter.kind.map(Into::into),
            state: filter.state.map(Into::into),
        }
    }
}

/// What the agency list can be ordered by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "service::AgencyOrderField")]
pub enum AgencyOrderField {
    /// By name (umlauts sorted as their base letter).
    #[default]
    Name,
    /// By when the agency was added.
    CreatedAt,
}

/// Ordering of the agency list.
#[derive(InputObject, Default)]
pub struct AgencyOrder {
    /// What to order by.
    #[graphql(default)]
    pub field: AgencyOrderField,
    /// Ascending or descending.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Narrows the municipality list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct MunicipalityFilter {
    /// Only municipalities in this state.
    pub state: Option<State>,
    /// Only municipalities of this kind.
    pub kind: Option<MunicipalityKind>,
    /// Name search: each word is the start of a word of the name; case and umlauts do not
    /// matter ("dort" finds Dortmund, "Borde" and "Boerde" find Landkreis Börde).
    pub search: Option<String>,
    /// Only municipalities taking part in the programme with this slug.
    pub programme: Option<String>,
    /// Only municipalities with an agreement with the agency of this slug.
    pub agreement_with: Option<String>,
}

impl From<MunicipalityFilter> for service::MunicipalityFilter {
    fn from(filter: MunicipalityFilter) -> Self {
        service::MunicipalityFilter {
            state: filter.state.map(Into::into),
            kind: filter.kind.map(Into::into),
            search: filter.search,
            programme: filter.programme,
            agreement_with: filter.agreement_with,
        }
    }
}

/// What the municipality list can be ordered by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "service::MunicipalityOrderField")]
pub enum MunicipalityOrderField {
    /// By name (umlauts sorted as their base letter).
    #[default]
    Name,
    /// By official key (AGS).
    Ags,
    /// By number of inhabitants; unknown counts as smallest.
    Population,
    /// By when the municipality was added.
    CreatedAt,
}

/// Ordering of the municipality list.
#[derive(InputObject, Default)]
pub struct MunicipalityOrder {
    /// What to order by.
    #[graphql(default)]
    pub field: MunicipalityOrderField,
    /// Ascending or descending.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// A new agency.
#[derive(InputObject)]
pub struct CreateAgencyInput {
    /// Stable, URL-safe name: a-z, 0-9 and single hyphens, 2 to 100 characters.
    pub slug: String,
    /// Full name (at most 300 characters).
    pub name: String,
    /// What kind of organisation it is.
    pub kind: AgencyKind,
    /// What the agency does.
    pub description: Option<String>,
    /// Public website (http or https).
    pub website: Option<String>,
    /// Slug of the agency that carries this one (Träger), if it is on the platform.
    pub carrier_slug: Option<String>,
    /// Name of the carrier when it is not on the platform.
    pub carrier_name: Option<String>,
    /// The states the agency serves.
    pub states_served: Option<Vec<State>>,
}

impl From<CreateAgencyInput> for service::NewAgency {
    fn from(input: CreateAgencyInput) -> Self {
        service::NewAgency {
            slug: input.slug,
            name: input.name,
            kind: input.kind.into(),
            description: input.description,
            website: input.website,
            carrier_slug: input.carrier_slug,
            carrier_name: input.carrier_name,
            states_served: input
                .states_served
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        }
    }
}

/// Changes to an agency: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateAgencyInput {
    /// Full name.
    pub name: Option<String>,
    /// What kind of organisation it is.
    pub kind: Option<AgencyKind>,
    /// What the agency does.
    pub description: MaybeUndefined<String>,
    /// Public website.
    pub website: MaybeUndefined<String>,
    /// Slug of the carrying agency.
    pub carrier_slug: MaybeUndefined<String>,
    /// Name of a carrier that is not on the platform.
    pub carrier_name: MaybeUndefined<String>,
    /// The states the agency serves (replaces the list).
    pub states_served: Option<Vec<State>>,
}

impl From<UpdateAgencyInput> for service::AgencyChanges {
    fn from(input: UpdateAgencyInput) -> Self {
        service::AgencyChanges {
            name: input.name,
            kind: input.kind.map(Into::into),
            description: patch(input.description),
            website: patch(input.website),
            carrier_slug: patch(input.carrier_slug),
            carrier_name: patch(input.carrier_name),
            states_served: input
                .states_served
                .map(|states| states.into_iter().map(Into::into).collect()),
        }
    }
}

/// A new municipality.
#[derive(InputObject)]
pub struct CreateMunicipalityInput {
    /// Amtlicher Gemeindeschlüssel: 8 digits (5 for a district or region), starting with the state's key.
    pub ags: String,
    /// Official name.
    pub name: String,
    /// Administrative kind.
    pub kind: MunicipalityKind,
    /// The state it belongs to.
    pub state: State,
    /// Stable, URL-safe name; derived from the name when left out.
    pub slug: Option<String>,
    /// Number of inhabitants.
    pub population: Option<i64>,
    /// Public website (http or https).
    pub website: Option<String>,
    /// Name of the education office (e.g. Bildungsbüro).
    pub education_office: Option<String>,
}

impl From<CreateMunicipalityInput> for service::NewMunicipality {
    fn from(input: CreateMunicipalityInput) -> Self {
        service::NewMunicipality {
            ags: input.ags,
            name: input.name,
            kind: input.kind.into(),
            state: input.state.into(),
            slug: input.slug,
            population: input.population,
            website: input.website,
            education_office: input.education_office,
        }
    }
}

/// Changes to a municipality: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateMunicipalityInput {
    /// Amtlicher Gemeindeschlüssel (checked against kind and state).
    pub ags: Option<String>,
    /// Official name.
    pub name: Option<String>,
    /// Administrative kind.
    pub kind: Option<MunicipalityKind>,
    /// The state it belongs to.
    pub state: Option<State>,
    /// Number of inhabitants.
    pub population: MaybeUndefined<i64>,
    /// Public website.
    pub website: MaybeUndefined<String>,
    /// Name of the education office.
    pub education_office: MaybeUndefined<String>,
}

impl From<UpdateMunicipalityInput> for service::MunicipalityChanges {
    fn from(input: UpdateMunicipalityInput) -> Self {
        service::MunicipalityChanges {
            ags: input.ags,
            name: input.name,
            kind: input.kind.map(Into::into),
            state: input.state.map(Into::into),
            population: patch(input.population),
            website: patch(input.website),
            education_office: patch(input.education_office),
        }
    }
}

/// A new funding programme.
#[derive(InputObject)]
pub struct CreateProgrammeInput {
    /// Stable, URL-safe name.
    pub slug: String,
    /// Name of the programme.
    pub name: String,
    /// Who funds it.
    pub funder: String,
    /// What the programme is for.
    pub description: Option<String>,
    /// Public website.
    pub website: Option<String>,
    /// First day.
    pub starts_on: Option<Date>,
    /// Last day (not before the first).
    pub ends_on: Option<Date>,
}

impl From<CreateProgrammeInput> for service::NewProgramme {
    fn from(input: CreateProgrammeInput) -> Self {
        service::NewProgramme {
            slug: input.slug,
            name: input.name,
            funder: input.funder,
            description: input.description,
            website: input.website,
            starts_on: date(input.starts_on),
            ends_on: date(input.ends_on),
        }
    }
}

/// Changes to a programme: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateProgrammeInput {
    /// Name of the programme.
    pub name: Option<String>,
    /// Who funds it.
    pub funder: Option<String>,
    /// What the programme is for.
    pub description: MaybeUndefined<String>,
    /// Public website.
    pub website: MaybeUndefined<String>,
    /// First day.
    pub starts_on: MaybeUndefined<Date>,
    /// Last day (not before the first).
    pub ends_on: MaybeUndefined<Date>,
}

impl From<UpdateProgrammeInput> for service::ProgrammeChanges {
    fn from(input: UpdateProgrammeInput) -> Self {
        service::ProgrammeChanges {
            name: input.name,
            funder: input.funder,
            description: patch(input.description),
            website: patch(input.website),
            starts_on: patch_date(input.starts_on),
            ends_on: patch_date(input.ends_on),
        }
    }
}

/// A municipality joining a programme.
#[derive(InputObject)]
pub struct AddProgrammeParticipationInput {
    /// Slug of the programme.
    pub programme_slug: String,
    /// AGS of the municipality.
    pub municipality_ags: String,
    /// Funding code (Förderkennzeichen), e.g. 01JL1815.
    pub funding_code: Option<String>,
    /// Title of the funded project.
    pub project_title: Option<String>,
    /// First day of the funding.
    pub starts_on: Option<Date>,
    /// Last day of the funding (not before the first).
    pub ends_on: Option<Date>,
}

impl From<AddProgrammeParticipationInput> for service::NewParticipation {
    fn from(input: AddProgrammeParticipationInput) -> Self {
        service::NewParticipation {
            programme_slug: input.programme_slug,
            municipality_ags: input.municipality_ags,
            funding_code: input.funding_code,
            project_title: input.project_title,
            starts_on: date(input.starts_on),
            ends_on: date(input.ends_on),
        }
    }
}

/// Changes to a participation: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateProgrammeParticipationInput {
    /// Funding code (Förderkennzeichen).
    pub funding_code: MaybeUndefined<String>,
    /// Title of the funded project.
    pub project_title: MaybeUndefined<String>,
    /// First day of the funding.
    pub starts_on: MaybeUndefined<Date>,
    /// Last day of the funding (not before the first).
    pub ends_on: MaybeUndefined<Date>,
}

impl From<UpdateProgrammeParticipationInput> for service::ParticipationChanges {
    fn from(input: UpdateProgrammeParticipationInput) -> Self {
        service::ParticipationChanges {
            funding_code: patch(input.funding_code),
            project_title: patch(input.project_title),
            starts_on: patch_date(input.starts_on),
            ends_on: patch_date(input.ends_on),
        }
    }
}

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

/// Changes to an agreement: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateAgreementInput {
    /// Short title.
    pub title: Option<String>,
    /// What was agreed.
    pub summary: MaybeUndefined<String>,
    /// The day it was signed.
    pub signed_on: MaybeUndefined<Date>,
}

impl From<UpdateAgreementInput> for service::AgreementChanges {
    fn from(input: UpdateAgreementInput) -> Self {
        service::AgreementChanges {
            title: input.title,
            summary: patch(input.summary),
            signed_on: patch_date(input.signed_on),
        }
    }
}

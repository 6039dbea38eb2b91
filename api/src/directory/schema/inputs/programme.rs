//! Programme inputs: what creating or changing a funding programme takes, and a municipality's
//! participation in one.

use async_graphql::{InputObject, MaybeUndefined};

use super::{date, patch, patch_date};
use crate::directory::service;
use crate::graphql::Date;

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

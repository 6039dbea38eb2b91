//! Municipality inputs: the list's filter and ordering, and what creating or changing a
//! municipality takes.

use async_graphql::{Enum, InputObject, MaybeUndefined};

use super::patch;
use crate::directory::schema::{MunicipalityKind, MunicipalityLevel, State};
use crate::directory::service;
use crate::graphql::OrderDirection;

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
    /// Only places whose AGS starts with these digits (`"05"`: North Rhine-Westphalia, `"05562"`:
    /// Kreis Recklinghausen and its towns).
    pub within: Option<String>,
    /// Only places at this level.
    pub level: Option<MunicipalityLevel>,
    /// Retired places too (merged, split, renamed or rekeyed away); default false: current only.
    pub include_retired: Option<bool>,
}

impl From<MunicipalityFilter> for service::MunicipalityFilter {
    fn from(filter: MunicipalityFilter) -> Self {
        service::MunicipalityFilter {
            state: filter.state.map(Into::into),
            kind: filter.kind.map(Into::into),
            search: filter.search,
            programme: filter.programme,
            agreement_with: filter.agreement_with,
            within: filter.within,
            level: filter.level.map(Into::into),
            parent: None,
            include_retired: filter.include_retired.unwrap_or(false),
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

//! Agency inputs: the list's filter and ordering, and what creating or changing an agency takes.

use async_graphql::{Enum, InputObject, MaybeUndefined};

use super::patch;
use crate::directory::schema::{AgencyKind, State};
use crate::directory::service;
use crate::graphql::OrderDirection;

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
    /// Where people reach the agency (its events' invitations name it as organiser, so that
    /// replies reach people).
    pub contact_email: Option<String>,
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
            contact_email: input.contact_email,
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
    /// Where people reach the agency.
    pub contact_email: MaybeUndefined<String>,
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
            contact_email: patch(input.contact_email),
            carrier_slug: patch(input.carrier_slug),
            carrier_name: patch(input.carrier_name),
            states_served: input
                .states_served
                .map(|states| states.into_iter().map(Into::into).collect()),
        }
    }
}

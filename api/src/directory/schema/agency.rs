//! Agencies in GraphQL: the `Agency` object, its kind, and the paged agency list.

use async_graphql::{Context, Enum, ID, Object, Value};
use chrono::{DateTime, Utc};
use dkbm_entity::agency;

use super::{Agreement, Municipality, State};
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::direct::{DirectFields, direct_object, leaf};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};

/// What kind of organisation an agency is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgencyKind")]
pub enum AgencyKind {
    /// A transfer agency (Transferagentur) accompanying municipalities in building DKBM.
    TransferAgency,
    /// A network office (Netzwerkbüro), e.g. Netzwerkbüro Bildung Rheinisches Revier.
    NetworkOffice,
    /// A foundation (Stiftung) or its initiative.
    Foundation,
    /// A registered association (eingetragener Verein) or non-profit company.
    Association,
    /// A municipal office, e.g. a Bildungsbüro.
    MunicipalOffice,
    /// Any other organisation.
    Other,
}

/// An agency: a transfer agency, network office, foundation, association or municipal office.
pub struct Agency(pub agency::Model);

impl From<agency::Model> for Agency {
    fn from(model: agency::Model) -> Self {
        Agency(model)
    }
}

direct_object!(node Agency: agency::Model => AgencyFields);

impl Agency {
    /// The columns each field reads (`None`: any), for reads that select only what a query
    /// shows (`graphql::shape`): its direct fields, each its column.
    pub fn columns_of(field: &str) -> Option<&'static [&'static str]> {
        Some(match field {
            "id" => &["id"],
            "slug" => &["slug"],
            "name" => &["name"],
            "kind" => &["kind"],
            "description" => &["description"],
            "website" => &["website"],
            "carrierName" => &["carrier_name"],
            "createdAt" => &["created_at"],
            "updatedAt" => &["updated_at"],
            _ => return None,
        })
    }
}

impl DirectFields for Agency {
    fn direct(&self, name: &str) -> Option<Value> {
        let row = &self.0;
        Some(match name {
            "id" => leaf::scalar(&Self::global_id(row.id)),
            "slug" => leaf::text(&row.slug),
            "name" => leaf::text(&row.name),
            "kind" => leaf::enumeration(AgencyKind::from(row.kind)),
            "description" => leaf::optional_text(row.description.as_deref()),
            "website" => leaf::optional_text(row.website.as_deref()),
            "carrierName" => leaf::optional_text(row.carrier_name.as_deref()),
            "createdAt" => leaf::scalar(&row.created_at),
            "updatedAt" => leaf::scalar(&row.updated_at),
            _ => return None,
        })
    }
}

/// The fields of a [`Agency`], on its row.
pub struct AgencyFields<'a>(&'a agency::Model);

/// An agency: a transfer agency, network office, foundation, association or municipal office.
#[Object(name = "Agency")]
impl<'a> AgencyFields<'a> {
    /// The agency's global id.
    async fn id(&self) -> ID {
        Agency::global_id(self.0.id)
    }

    /// Stable, URL-safe name (e.g. `transferagentur-nrw`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What kind of organisation it is.
    async fn kind(&self) -> AgencyKind {
        self.0.kind.into()
    }

    /// What the agency does, in a few sentences.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Public website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// The agency that carries this one (Träger), if it is on the platform.
    async fn carrier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.0.carrier_agency_id else {
            return Ok(None);
        };
        Ok(ctx.get::<DirectoryLoaders>()?.agency(id).await?.map(Agency))
    }

    /// The carrier's name when it is not itself an agency on the platform.
    async fn carrier_name(&self) -> Option<&str> {
        self.0.carrier_name.as_deref()
    }

    /// The states (Länder) the agency serves.
    async fn states_served(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<State>> {
        let states = ctx.get::<DirectoryLoaders>()?.agency_states(self.0.id).await?;
        Ok(states.into_iter().map(State::from).collect())
    }

    /// The municipalities the agency accompanies under a target agreement (Zielvereinbarung), by name.
    async fn accompanied_municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .accompanied_municipalities(self.0.id)
            .await?;
        Ok(rows.into_iter().map(Municipality).collect())
    }

    /// The agreements the agency is party to, newest first.
    async fn agreements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let rows = ctx.get::<DirectoryLoaders>()?.agreements_of_agency(self.0.id).await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the record was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

connection_type!(
    AgencyConnection,
    AgencyEdge,
    Agency,
    agency::Model,
    "A page of agencies (a Relay connection with keyset cursors).",
    "An agency with its cursor."
);

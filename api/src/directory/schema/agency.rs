//! Agencies in GraphQL: the `Agency` object, its kind, and the paged agency list.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::agency;
use dkbm_macros::fields;

use super::{AccompanimentFilter, AgencySuccession, Agreement, End, Municipality, State, steps};
use crate::db::rows::Shaped;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::service;
use crate::graphql::direct::direct_object;
use crate::graphql::leaf::enum_leaves;
use crate::graphql::node::NodeKind;
use crate::graphql::shape::shaped_node;
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
pub struct Agency(pub Shaped<agency::Model>);

direct_object!(Agency => AgencyFields);
shaped_node!(Agency: agency);
enum_leaves!(AgencyKind);

/// The fields of an [`Agency`], on its row.
pub struct AgencyFields<'a>(&'a Agency);

/// An agency: a transfer agency, network office, foundation, association or municipal office.
#[fields(object = Agency, row = agency)]
#[Object(name = "Agency")]
impl<'a> AgencyFields<'a> {
    /// The agency's global id.
    #[reads(Id)]
    #[direct]
    async fn id(&self) -> ID {
        Agency::global_id(row.id.into())
    }

    /// Stable, URL-safe name (e.g. `transferagentur-nrw`).
    #[reads(Slug)]
    #[direct]
    async fn slug(&self) -> &str {
        &row.slug
    }

    /// Full name.
    #[reads(Name)]
    #[direct]
    async fn name(&self) -> &str {
        &row.name
    }

    /// What kind of organisation it is.
    #[reads(Kind)]
    #[direct]
    async fn kind(&self) -> AgencyKind {
        row.kind.into()
    }

    /// What the agency does, in a few sentences.
    #[reads(Description)]
    #[direct]
    async fn description(&self) -> Option<&str> {
        row.description.as_deref()
    }

    /// Public website.
    #[reads(Website)]
    #[direct]
    async fn website(&self) -> Option<&str> {
        row.website.as_deref()
    }

    /// Where people reach the agency: replies to its events' invitations go here.
    #[reads(ContactEmail)]
    #[direct]
    async fn contact_email(&self) -> Option<&str> {
        row.contact_email.as_deref()
    }

    /// The agency that carries this one (Träger), if it is on the platform.
    #[reads(CarrierAgencyId)]
    async fn carrier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = row.carrier_agency_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(id.into())
            .await?
            .map(Agency::from))
    }

    /// The carrier's name when it is not itself an agency on the platform.
    #[reads(CarrierName)]
    #[direct]
    async fn carrier_name(&self) -> Option<&str> {
        row.carrier_name.as_deref()
    }

    /// The states (Länder) the agency serves.
    #[reads(Id)]
    async fn states_served(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<State>> {
        let states = ctx.loaders::<DirectoryLoaders>()?.agency_states(row.id.into()).await?;
        Ok(states.into_iter().map(State::from).collect())
    }

    /// The municipalities the agency accompanies under a target agreement (Zielvereinbarung), by name.
    #[reads(Id)]
    async fn accompanied_municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let rows = ctx
            .loaders::<DirectoryLoaders>()?
            .accompanied_municipalities(row.id.into())
            .await?;
        Ok(rows.into_iter().map(Municipality::from).collect())
    }

    /// The agency's accompaniments (its Zielvereinbarungen with municipalities), each with its
    /// municipality, goals, their status and progress, and the next review; the next review
    /// first. Only for the agency's EDITORs and AGENCY_ADMINs and administrators (empty for
    /// everyone else).
    #[reads(Id)]
    #[graphql(cache_control(private))]
    async fn accompaniments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these accompaniments.")] filter: Option<AccompanimentFilter>,
    ) -> async_graphql::Result<Vec<Agreement>> {
        let filter = filter.map(service::AccompanimentFilter::from).unwrap_or_default();
        let state = ctx.state()?;
        let rows = service::accompaniments_of_agency(state.conn(), ctx.viewer()?, row.id.into(), &filter).await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// The agreements the agency is party to, newest first.
    #[reads(Id)]
    async fn agreements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let rows = ctx
            .loaders::<DirectoryLoaders>()?
            .agreements_of_agency(row.id.into())
            .await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// The agencies it followed (renamed from, merged from), oldest first.
    #[reads(Id)]
    async fn predecessors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AgencySuccession>> {
        let steps = steps(ctx, row.id, End::From).await?;
        Ok(steps
            .into_iter()
            .map(|step| AgencySuccession(step, End::From))
            .collect())
    }

    /// The agencies that followed it, oldest first: an old slug answers the old record with these.
    #[reads(Id)]
    async fn successors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AgencySuccession>> {
        let steps = steps(ctx, row.id, End::To).await?;
        Ok(steps.into_iter().map(|step| AgencySuccession(step, End::To)).collect())
    }

    /// When the record was created.
    #[reads(CreatedAt)]
    #[direct]
    async fn created_at(&self) -> DateTime<Utc> {
        row.created_at
    }

    /// When the record was last changed.
    #[reads(UpdatedAt)]
    #[direct]
    async fn updated_at(&self) -> DateTime<Utc> {
        row.updated_at
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

//! GraphQL of the directory: thin resolvers that ask the service and the loaders.

mod agency;
mod agreement;
mod inputs;
mod lineage;
mod municipality;
mod nodes;
mod participation;
mod programme;
mod state;
mod topic;

use async_graphql::{Context, ID, Object};

pub use agency::*;
pub use agreement::*;
pub use inputs::*;
pub use lineage::*;
pub use municipality::*;
pub use participation::*;
pub use programme::*;
pub use state::*;
pub use topic::*;

use super::service::{self, Directory};
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::pagination::PageArgs;

/// Root query fields of the directory.
#[derive(Default)]
pub struct DirectoryQuery;

/// Root query fields of the directory.
#[Object]
impl DirectoryQuery {
    /// Agencies (transfer agencies, network offices, foundations, associations, municipal offices).
    #[expect(
        clippy::too_many_arguments,
        reason = "a list's GraphQL arguments: paging both ways, filter, order, portal"
    )]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many agencies to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return agencies after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many agencies to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return agencies before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<AgencyFilter>,
        #[graphql(desc = "Ordering (default: by name, ascending).")] order_by: Option<AgencyOrder>,
    ) -> async_graphql::Result<AgencyConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let order = order_by.unwrap_or_default();
        let page = service::list_agencies(
            ctx.state()?.conn(),
            &filter.unwrap_or_default().into(),
            order.field.into(),
            order.direction.into(),
            &page,
        )
        .await?;
        Ok(AgencyConnection(page))
    }

    /// The agency with this slug.
    async fn agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Agency>> {
        Ok(service::agency_by_slug(ctx.state()?.conn(), &slug)
            .await?
            .map(Agency::from))
    }

    /// Municipalities (Kommunen).
    #[expect(
        clippy::too_many_arguments,
        reason = "a list's GraphQL arguments: paging both ways, filter, order, portal"
    )]
    async fn municipalities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many municipalities to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return municipalities after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many municipalities to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return municipalities before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<MunicipalityFilter>,
        #[graphql(desc = "Ordering (default: by name, ascending).")] order_by: Option<MunicipalityOrder>,
    ) -> async_graphql::Result<MunicipalityConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let order = order_by.unwrap_or_default();
        let page = service::list_municipalities(
            ctx.state()?.conn(),
            &filter.unwrap_or_default().into(),
            order.field.into(),
            order.direction.into(),
            &page,
        )
        .await?;
        Ok(MunicipalityConnection(page))
    }

    /// The municipality with this AGS or this slug (give exactly one of the two).
    async fn municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Amtlicher Gemeindeschlüssel: 8 digits, 5 for a district (which also finds a kreisfreie Stadt), 2 for a Land. A retired AGS answers the retired place, with its successors."
        )]
        ags: Option<String>,
        #[graphql(desc = "The municipality's slug.")] slug: Option<String>,
    ) -> async_graphql::Result<Option<Municipality>> {
        let db = ctx.state()?.conn();
        let found = match (ags, slug) {
            (Some(ags), None) => service::municipality_by_ags(db, &ags).await?,
            (None, Some(slug)) => service::municipality_by_slug(db, &slug).await?,
            _ => {
                return Err(crate::AppError::bad_input("ags", crate::messages::MessageKey::OneOfAgsAndSlug).into());
            }
        };
        Ok(found.map(Municipality::from))
    }

    /// The fields of action (Handlungsfelder), in display order.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        Ok(service::list_topics(ctx.state()?.conn())
            .await?
            .into_iter()
            .map(Topic::from)
            .collect())
    }

    /// The topic with this slug.
    async fn topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The topic's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Topic>> {
        Ok(service::topic_by_slug(ctx.state()?.conn(), &slug)
            .await?
            .map(Topic::from))
    }

    /// Funding programmes (Förderprogramme), by name.
    async fn programmes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Programme>> {
        Ok(service::list_programmes(ctx.state()?.conn())
            .await?
            .into_iter()
            .map(Programme::from)
            .collect())
    }

    /// The programme with this slug.
    async fn programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Programme>> {
        Ok(service::programme_by_slug(ctx.state()?.conn(), &slug)
            .await?
            .map(Programme::from))
    }
}

/// Mutations of the directory (platform administrators).
#[derive(Default)]
pub struct DirectoryMutation;

/// Mutations of the directory (platform administrators).
#[Object]
impl DirectoryMutation {
    /// Creates an agency.
    async fn create_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreateAgencyInput,
    ) -> async_graphql::Result<Agency> {
        let state = ctx.state()?;
        Ok(service::create_agency(&state.writer, ctx.viewer()?, input.into())
            .await?
            .into())
    }

    /// Changes an agency; fields left out stay as they are, fields set to null are cleared.
    async fn update_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's global id.")] id: ID,
        #[graphql(desc = "The changes.")] input: UpdateAgencyInput,
    ) -> async_graphql::Result<Agency> {
        let state = ctx.state()?;
        let id = Agency::decode("id", &id)?;
        Ok(service::update_agency(&state.writer, ctx.viewer()?, id, input.into())
            .await?
            .into())
    }

    /// Creates a municipality. The AGS must fit the kind (8 digits, 5 for a district or region, 2
    /// for a Land, 3 for a Regierungsbezirk, 9 for a Gemeindeverband) and start with the state's key.
    async fn create_municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreateMunicipalityInput,
    ) -> async_graphql::Result<Municipality> {
        let state = ctx.state()?;
        Ok(service::create_municipality(&state.writer, ctx.viewer()?, input.into())
            .await?
            .into())
    }

    /// Changes a municipality; fields left out stay as they are, fields set to null are cleared.
    async fn update_municipality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's global id.")] id: ID,
        #[graphql(desc = "The changes.")] input: UpdateMunicipalityInput,
    ) -> async_graphql::Result<Municipality> {
        let state = ctx.state()?;
        let id = Municipality::decode("id", &id)?;
        let directory = ctx.get::<Directory>()?;
        Ok(
            service::update_municipality(&state.writer, directory, ctx.viewer()?, id, input.into())
                .await?
                .into(),
        )
    }

    /// Records that places followed others (administrators): merged, split, renamed or given a new
    /// key. Predecessors that are not among the successors are retired on the day before `since`;
    /// their AGS keeps answering, with these successors.
    async fn record_municipality_change(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The change.")] input: RecordMunicipalityChangeInput,
    ) -> async_graphql::Result<MunicipalityChangePayload> {
        let state = ctx.state()?;
        let recorded = service::record_municipality_change(&state.writer, ctx.viewer()?, input.into()).await?;
        Ok(MunicipalityChangePayload(recorded))
    }

    /// Records that an agency or programme followed another (administrators); the old slug keeps
    /// answering the old record, with its successors.
    async fn record_succession(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The succession.")] input: RecordSuccessionInput,
    ) -> async_graphql::Result<SuccessionPayload> {
        let state = ctx.state()?;
        let kind = input.kind;
        let (from, to) = service::record_succession(&state.writer, ctx.viewer()?, input.into()).await?;
        Ok(SuccessionPayload { kind, from, to })
    }

    /// Creates a funding programme.
    async fn create_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreateProgrammeInput,
    ) -> async_graphql::Result<Programme> {
        let state = ctx.state()?;
        Ok(service::create_programme(&state.writer, ctx.viewer()?, input.into())
            .await?
            .into())
    }

    /// Changes a funding programme.
    async fn update_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme's global id.")] id: ID,
        #[graphql(desc = "The changes.")] input: UpdateProgrammeInput,
    ) -> async_graphql::Result<Programme> {
        let state = ctx.state()?;
        let id = Programme::decode("id", &id)?;
        Ok(
            service::update_programme(&state.writer, ctx.viewer()?, id, input.into())
                .await?
                .into(),
        )
    }

    /// Records that a municipality takes part in a programme.
    async fn add_programme_participation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: AddProgrammeParticipationInput,
    ) -> async_graphql::Result<ProgrammeParticipation> {
        let state = ctx.state()?;
        Ok(service::add_participation(&state.writer, ctx.viewer()?, input.into())
            .await?
            .into())
    }

    /// Changes a programme participation (funding code, project title, period).
    async fn update_programme_participation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participation's global id.")] id: ID,
        #[graphql(desc = "The changes.")] input: UpdateProgrammeParticipationInput,
    ) -> async_graphql::Result<ProgrammeParticipation> {
        let state = ctx.state()?;
        let id = ProgrammeParticipation::decode("id", &id)?;
        Ok(
            service::update_participation(&state.writer, ctx.viewer()?, id, input.into())
                .await?
                .into(),
        )
    }

    /// Records an agreement (Zielvereinbarung or Kooperationsvereinbarung).
    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreateAgreementInput,
    ) -> async_graphql::Result<Agreement> {
        let state = ctx.state()?;
        Ok(service::create_agreement(&state.writer, ctx.viewer()?, input.into())
            .await?
            .into())
    }
}

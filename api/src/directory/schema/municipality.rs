//! Municipalities in GraphQL: the `Municipality` object, its administrative kind, and the paged
//! municipality list.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::municipality;
use dkbm_macros::fields;

use super::{Agreement, End, MunicipalitySuccession, ProgrammeParticipation, State, steps};
use crate::db::rows::Shaped;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::service::{self, PlaceLevel};
use crate::graphql::direct::direct_object;
use crate::graphql::later::{Declared, Later};
use crate::graphql::leaf::enum_leaves;
use crate::graphql::node::NodeKind;
use crate::graphql::shape::shaped_node;
use crate::graphql::{ContextExt, Date, connection_type};
use crate::ids::MunicipalityId;
use crate::pagination::PageArgs;

/// `Municipality.indicators`: the municipality's indicator values, which the indicators area
/// answers (it builds on the directory; see [`crate::graphql::later`]).
pub struct MunicipalityIndicators;

/// What `Municipality.indicators` asks for.
pub struct IndicatorsOf {
    pub municipality_id: MunicipalityId,
    /// Only these indicator codes (None: every indicator).
    pub codes: Option<Vec<String>>,
    /// From this year on.
    pub from: Option<i32>,
    /// Up to this year.
    pub to: Option<i32>,
}

impl Declared for MunicipalityIndicators {
    const NAME: &'static str = "IndicatorValue";
    const TYPE: &'static str = "[IndicatorValue!]!";
    type Key = IndicatorsOf;
}

/// The administrative kind of a municipality.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::MunicipalityKind")]
pub enum MunicipalityKind {
    /// An independent city (kreisfreie Stadt); 8-digit AGS.
    KreisfreieStadt,
    /// A district (Kreis, Landkreis); 5-digit AGS.
    Kreis,
    /// A town or municipality inside a district (kreisangehörige Gemeinde); 8-digit AGS.
    KreisangehoerigeGemeinde,
    /// A region at district level (e.g. Region Hannover, Städteregion Aachen); 5-digit AGS.
    Region,
    /// A Land (state); 2-digit key.
    Land,
    /// A Regierungsbezirk (government region); 3-digit key.
    Regierungsbezirk,
    /// A Gemeindeverband (Amt, Samtgemeinde, Verbandsgemeinde …); the district key and the 4-digit
    /// association key.
    Gemeindeverband,
}

/// A level of the administrative hierarchy.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::directory::service::PlaceLevel")]
pub enum MunicipalityLevel {
    /// A Land; 2-digit key.
    State,
    /// A Regierungsbezirk; 3-digit key.
    GovernmentRegion,
    /// A Kreis (5-digit key) or a kreisfreie Stadt (its 8-digit AGS).
    District,
    /// A Gemeindeverband: the district key and the 4-digit association key.
    MunicipalAssociation,
    /// A kreisangehörige Gemeinde; 8-digit AGS.
    Municipality,
}

/// A municipality (Kommune): an independent city, a district, a town inside a district, or a region.
pub struct Municipality(pub Shaped<municipality::Model>);

direct_object!(Municipality => MunicipalityFields);
shaped_node!(Municipality: municipality);
enum_leaves!(MunicipalityKind, MunicipalityLevel, State);

/// The fields of a [`Municipality`], on its row.
pub struct MunicipalityFields<'a>(&'a Municipality);

/// A municipality (Kommune): an independent city, a district, a town inside a district, or a region.
#[fields(object = Municipality, row = municipality)]
#[Object(name = "Municipality")]
impl<'a> MunicipalityFields<'a> {
    /// The municipality's global id.
    #[reads(Id)]
    #[direct]
    async fn id(&self) -> ID {
        Municipality::global_id(row.id.into())
    }

    /// Amtlicher Gemeindeschlüssel: 8 digits (2 state, 1 government region, 2 district,
    /// 3 municipality); a district's is its first 5 digits.
    #[reads(Ags)]
    #[direct]
    async fn ags(&self) -> &str {
        &row.ags
    }

    /// Stable, URL-safe name (e.g. `stadt-bottrop`).
    #[reads(Slug)]
    #[direct]
    async fn slug(&self) -> &str {
        &row.slug
    }

    /// Official name, e.g. "Stadt Bottrop" or "Landkreis Börde".
    #[reads(Name)]
    #[direct]
    async fn name(&self) -> &str {
        &row.name
    }

    /// Administrative kind.
    #[reads(Kind)]
    #[direct]
    async fn kind(&self) -> MunicipalityKind {
        row.kind.into()
    }

    /// The state (Land) it belongs to.
    #[reads(State)]
    #[direct]
    async fn state(&self) -> State {
        row.state.into()
    }

    /// Its level in the hierarchy (follows from its kind).
    #[reads(Kind)]
    #[direct]
    async fn level(&self) -> MunicipalityLevel {
        PlaceLevel::of(row.kind).into()
    }

    /// The place it belongs to: Gemeinde → Gemeindeverband (where there is one) → Kreis → Land.
    #[reads(ParentId)]
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        let Some(parent) = row.parent_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(parent.into())
            .await?
            .map(Municipality::from))
    }

    /// The current places directly below it, by AGS.
    #[reads(Id)]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many places to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return places after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many places to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return places before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<MunicipalityConnection> {
        let filter = service::MunicipalityFilter {
            parent: Some(row.id.into()),
            ..Default::default()
        };
        let page = service::list_municipalities(
            ctx.state()?.conn(),
            &filter,
            service::MunicipalityOrderField::Ags,
            service::Direction::Asc,
            &PageArgs::new(first, after, last, before)?,
        )
        .await?;
        Ok(MunicipalityConnection(page))
    }

    /// The first day it existed as it is, where known.
    #[reads(ValidFrom)]
    #[direct]
    async fn valid_from(&self) -> Option<Date> {
        row.valid_from.map(Date)
    }

    /// Its last day, if it was retired (merged, split, renamed or rekeyed away); see `successors`.
    #[reads(ValidUntil)]
    #[direct]
    async fn valid_until(&self) -> Option<Date> {
        row.valid_until.map(Date)
    }

    /// The places it followed, oldest change first.
    #[reads(Id)]
    async fn predecessors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MunicipalitySuccession>> {
        let steps = steps(ctx, row.id, End::From).await?;
        Ok(steps
            .into_iter()
            .map(|step| MunicipalitySuccession(step, End::From))
            .collect())
    }

    /// The places that followed it, oldest change first.
    #[reads(Id)]
    async fn successors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MunicipalitySuccession>> {
        let steps = steps(ctx, row.id, End::To).await?;
        Ok(steps
            .into_iter()
            .map(|step| MunicipalitySuccession(step, End::To))
            .collect())
    }

    /// Number of inhabitants, where known.
    #[reads(Population)]
    #[direct]
    async fn population(&self) -> Option<i64> {
        row.population
    }

    /// Public website.
    #[reads(Website)]
    #[direct]
    async fn website(&self) -> Option<&str> {
        row.website.as_deref()
    }

    /// Name of the education office, e.g. "Bildungsbüro" or "Stabsstelle Bildung integriert".
    #[reads(EducationOffice)]
    #[direct]
    async fn education_office(&self) -> Option<&str> {
        row.education_office.as_deref()
    }

    /// The funding programmes it takes part in, with funding code and period.
    #[reads(Id)]
    async fn programmes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeParticipation>> {
        let rows = ctx
            .loaders::<DirectoryLoaders>()?
            .participations_of_municipality(row.id.into())
            .await?;
        Ok(rows.into_iter().map(ProgrammeParticipation).collect())
    }

    /// The agreements it is party to, newest first.
    #[reads(Id)]
    async fn agreements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let rows = ctx
            .loaders::<DirectoryLoaders>()?
            .agreements_of_municipality(row.id.into())
            .await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// Its education monitoring values as time series (by indicator code, then year).
    #[reads(Id)]
    async fn indicators(
        &self,
        #[graphql(desc = "Only these indicator codes (default: every indicator).")] codes: Option<Vec<String>>,
        #[graphql(desc = "From this year on.")] from: Option<i32>,
        #[graphql(desc = "Up to this year.")] to: Option<i32>,
    ) -> Later<MunicipalityIndicators> {
        Later(IndicatorsOf {
            municipality_id: row.id.into(),
            codes,
            from,
            to,
        })
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
    MunicipalityConnection,
    MunicipalityEdge,
    Municipality,
    municipality::Model,
    "A page of municipalities (a Relay connection with keyset cursors).",
    "A municipality with its cursor."
);

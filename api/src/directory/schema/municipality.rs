//! Municipalities in GraphQL: the `Municipality` object, its administrative kind, and the paged
//! municipality list.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::municipality;
use dkbm_macros::fields;

use super::{Agreement, ProgrammeParticipation, State};
use crate::db::rows::Shaped;
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::direct::direct_object;
use crate::graphql::later::{Declared, Later};
use crate::graphql::leaf::enum_leaves;
use crate::graphql::node::NodeKind;
use crate::graphql::shape::shaped_node;
use crate::graphql::{ContextExt, connection_type};
use crate::ids::MunicipalityId;

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
}

/// A municipality (Kommune): an independent city, a district, a town inside a district, or a region.
pub struct Municipality(pub Shaped<municipality::Model>);

direct_object!(Municipality => MunicipalityFields);
shaped_node!(Municipality: municipality);
enum_leaves!(MunicipalityKind, State);

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

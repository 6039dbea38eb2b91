//! Municipalities in GraphQL: the `Municipality` object, its administrative kind, and the paged
//! municipality list.

use async_graphql::{Context, Enum, ID, Object, Value};
use chrono::{DateTime, Utc};
use dkbm_entity::municipality;

use super::{Agreement, ProgrammeParticipation, State};
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::direct::{DirectFields, direct_object, leaf};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::indicators::schema::{IndicatorValue, municipality_indicators};
use crate::indicators::service::SeriesFilter;

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
pub struct Municipality(pub municipality::Model);

impl From<municipality::Model> for Municipality {
    fn from(model: municipality::Model) -> Self {
        Municipality(model)
    }
}

direct_object!(node Municipality: municipality::Model => MunicipalityFields);

impl Municipality {
    /// The columns each field reads (`None`: any), for reads that select only what a query
    /// shows (`graphql::shape`): its direct fields, each its column.
    pub fn columns_of(field: &str) -> Option<&'static [&'static str]> {
        Some(match field {
            "id" => &["id"],
            "ags" => &["ags"],
            "slug" => &["slug"],
            "name" => &["name"],
            "kind" => &["kind"],
            "state" => &["state"],
            "population" => &["population"],
            "website" => &["website"],
            "educationOffice" => &["education_office"],
            "createdAt" => &["created_at"],
            "updatedAt" => &["updated_at"],
            _ => return None,
        })
    }
}

impl DirectFields for Municipality {
    fn direct(&self, name: &str) -> Option<Value> {
        let row = &self.0;
        Some(match name {
            "id" => leaf::scalar(&Self::global_id(row.id)),
            "ags" => leaf::text(&row.ags),
            "slug" => leaf::text(&row.slug),
            "name" => leaf::text(&row.name),
            "kind" => leaf::enumeration(MunicipalityKind::from(row.kind)),
            "state" => leaf::enumeration(State::from(row.state)),
            "population" => leaf::optional(row.population.as_ref()),
            "website" => leaf::optional_text(row.website.as_deref()),
            "educationOffice" => leaf::optional_text(row.education_office.as_deref()),
            "createdAt" => leaf::scalar(&row.created_at),
            "updatedAt" => leaf::scalar(&row.updated_at),
            _ => return None,
        })
    }
}

/// The fields of a [`Municipality`], on its row.
pub struct MunicipalityFields<'a>(&'a municipality::Model);

/// A municipality (Kommune): an independent city, a district, a town inside a district, or a region.
#[Object(name = "Municipality")]
impl<'a> MunicipalityFields<'a> {
    /// The municipality's global id.
    async fn id(&self) -> ID {
        Municipality::global_id(self.0.id)
    }

    /// Amtlicher Gemeindeschlüssel: 8 digits (2 state, 1 government region, 2 district,
    /// 3 municipality); a district's is its first 5 digits.
    async fn ags(&self) -> &str {
        &self.0.ags
    }

    /// Stable, URL-safe name (e.g. `stadt-bottrop`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Official name, e.g. "Stadt Bottrop" or "Landkreis Börde".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Administrative kind.
    async fn kind(&self) -> MunicipalityKind {
        self.0.kind.into()
    }

    /// The state (Land) it belongs to.
    async fn state(&self) -> State {
        self.0.state.into()
    }

    /// Number of inhabitants, where known.
    async fn population(&self) -> Option<i64> {
        self.0.population
    }

    /// Public website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// Name of the education office, e.g. "Bildungsbüro" or "Stabsstelle Bildung integriert".
    async fn education_office(&self) -> Option<&str> {
        self.0.education_office.as_deref()
    }

    /// The funding programmes it takes part in, with funding code and period.
    async fn programmes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeParticipation>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .participations_of_municipality(self.0.id)
            .await?;
        Ok(rows.into_iter().map(ProgrammeParticipation).collect())
    }

    /// The agreements it is party to, newest first.
    async fn agreements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let rows = ctx
            .get::<DirectoryLoaders>()?
            .agreements_of_municipality(self.0.id)
            .await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// Its education monitoring values as time series (by indicator code, then year).
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these indicator codes (default: every indicator).")] codes: Option<Vec<String>>,
        #[graphql(desc = "From this year on.")] from: Option<i32>,
        #[graphql(desc = "Up to this year.")] to: Option<i32>,
    ) -> async_graphql::Result<Vec<IndicatorValue>> {
        let filter = SeriesFilter { codes, from, to };
        municipality_indicators(ctx, self.0.id, filter).await
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
    MunicipalityConnection,
    MunicipalityEdge,
    Municipality,
    municipality::Model,
    "A page of municipalities (a Relay connection with keyset cursors).",
    "A municipality with its cursor."
);

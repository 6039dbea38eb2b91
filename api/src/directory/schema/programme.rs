//! Funding programmes in GraphQL: the `Programme` object and the municipalities taking part.

use async_graphql::{Context, ID, Object};
use dkbm_entity::programme;

use super::{End, ProgrammeParticipation, ProgrammeSuccession, steps};
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date};

/// A funding programme (Förderprogramm), e.g. Bildungskommunen or Bildung integriert.
pub struct Programme(pub programme::Model);

impl From<programme::Model> for Programme {
    fn from(model: programme::Model) -> Self {
        Programme(model)
    }
}

/// A funding programme (Förderprogramm), e.g. Bildungskommunen or Bildung integriert.
#[Object]
impl Programme {
    /// The programme's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Stable, URL-safe name (e.g. `bildungskommunen`).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name of the programme.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Who funds it (e.g. BMBF, European Social Fund).
    async fn funder(&self) -> &str {
        &self.0.funder
    }

    /// What the programme is for.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Public website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// First day of the programme.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }

    /// Last day of the programme.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }

    /// The programmes it followed, oldest first.
    async fn predecessors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeSuccession>> {
        let steps = steps(ctx, self.0.id, End::From).await?;
        Ok(steps
            .into_iter()
            .map(|step| ProgrammeSuccession(step, End::From))
            .collect())
    }

    /// The programmes that followed it ("Bildung integriert" → "Bildungskommunen"), oldest first.
    async fn successors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeSuccession>> {
        let steps = steps(ctx, self.0.id, End::To).await?;
        Ok(steps
            .into_iter()
            .map(|step| ProgrammeSuccession(step, End::To))
            .collect())
    }

    /// The municipalities taking part, with funding code and period.
    async fn participations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgrammeParticipation>> {
        let rows = ctx
            .loaders::<DirectoryLoaders>()?
            .participations_in_programme(self.0.id.into())
            .await?;
        Ok(rows.into_iter().map(ProgrammeParticipation).collect())
    }
}

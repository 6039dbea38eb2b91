//! Programme participations in GraphQL: a municipality in a funding programme, with funding
//! code, project and period.

use async_graphql::{Context, ID, Object};
use dkbm_entity::programme_participation;

use super::{Municipality, Programme};
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date};

/// A municipality's participation in a funding programme.
pub struct ProgrammeParticipation(pub programme_participation::Model);

impl From<programme_participation::Model> for ProgrammeParticipation {
    fn from(model: programme_participation::Model) -> Self {
        ProgrammeParticipation(model)
    }
}

/// A municipality's participation in a funding programme.
#[Object]
impl ProgrammeParticipation {
    /// The participation's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The programme.
    async fn programme(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Programme>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .programme(self.0.programme_id.into())
            .await?
            .map(Programme))
    }

    /// The municipality taking part.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(self.0.municipality_id.into())
            .await?
            .map(Municipality::from))
    }

    /// Funding code (Förderkennzeichen), e.g. 01JL1815.
    async fn funding_code(&self) -> Option<&str> {
        self.0.funding_code.as_deref()
    }

    /// Title of the funded project.
    async fn project_title(&self) -> Option<&str> {
        self.0.project_title.as_deref()
    }

    /// First day of the funding.
    async fn starts_on(&self) -> Option<Date> {
        self.0.starts_on.map(Date)
    }

    /// Last day of the funding.
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
}

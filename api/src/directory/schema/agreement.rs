//! Agreements in GraphQL: Zielvereinbarungen and Kooperationsvereinbarungen with their parties.

use async_graphql::{Context, Enum, ID, Object};
use dkbm_entity::agreement;

use super::{Agency, Municipality};
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date};

/// The kind of an agreement.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgreementKind")]
pub enum AgreementKind {
    /// Zielvereinbarung: an agency and a municipality agree on the goals of accompaniment.
    TargetAgreement,
    /// Kooperationsvereinbarung: two organisations agree to cooperate.
    CooperationAgreement,
}

/// An agreement between an agency and a municipality or another agency.
pub struct Agreement(pub agreement::Model);

impl From<agreement::Model> for Agreement {
    fn from(model: agreement::Model) -> Self {
        Agreement(model)
    }
}

/// An agreement between an agency and a municipality or another agency.
#[Object]
impl Agreement {
    /// The agreement's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Zielvereinbarung or Kooperationsvereinbarung.
    async fn kind(&self) -> AgreementKind {
        self.0.kind.into()
    }

    /// Short title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What was agreed, in a few sentences.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// The day it was signed.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }

    /// The agency party (for a Zielvereinbarung: the accompanying agency).
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(self.0.agency_id.into())
            .await?
            .map(Agency::from))
    }

    /// The municipality party, if the other party is a municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        let Some(id) = self.0.municipality_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(id.into())
            .await?
            .map(Municipality::from))
    }

    /// The other agency, if the other party is an agency.
    async fn partner_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.0.partner_agency_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(id.into())
            .await?
            .map(Agency::from))
    }
}

//! Lineage in GraphQL: the steps that lead to a place's or an organisation's predecessors and
//! successors, and what administrators record with `recordMunicipalityChange` and
//! `recordSuccession`.

use async_graphql::{Context, Enum, InputObject, Object};
use dkbm_entity::{SuccessionReason, succession};

use super::{Agency, Municipality, Programme};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::service;
use crate::graphql::{ContextExt, Date};
use crate::ids::{AgencyId, MunicipalityId, ProgrammeId};

/// Why a place followed others.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MunicipalityChangeReason {
    /// Several places became one (Eisenach joined the Wartburgkreis).
    Merged,
    /// One place became several.
    Split,
    /// The place was renamed.
    Renamed,
    /// The place got a new key (AGS).
    Rekeyed,
}

/// Why an agency or programme followed another.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "SuccessionReason")]
pub enum SuccessionReasonKind {
    /// The organisation was renamed.
    Renamed,
    /// Organisations merged.
    Merged,
    /// A new organisation or programme took over ("Bildung integriert" → "Bildungskommunen").
    Succeeded,
}

impl From<MunicipalityChangeReason> for SuccessionReason {
    fn from(reason: MunicipalityChangeReason) -> Self {
        match reason {
            MunicipalityChangeReason::Merged => SuccessionReason::Merged,
            MunicipalityChangeReason::Split => SuccessionReason::Split,
            MunicipalityChangeReason::Renamed => SuccessionReason::Renamed,
            MunicipalityChangeReason::Rekeyed => SuccessionReason::Rekeyed,
        }
    }
}

impl From<SuccessionReasonKind> for SuccessionReason {
    fn from(reason: SuccessionReasonKind) -> Self {
        match reason {
            SuccessionReasonKind::Renamed => SuccessionReason::Renamed,
            SuccessionReasonKind::Merged => SuccessionReason::Merged,
            SuccessionReasonKind::Succeeded => SuccessionReason::Succeeded,
        }
    }
}

fn place_reason(reason: SuccessionReason) -> MunicipalityChangeReason {
    match reason {
        SuccessionReason::Split => MunicipalityChangeReason::Split,
        SuccessionReason::Renamed => MunicipalityChangeReason::Renamed,
        SuccessionReason::Rekeyed => MunicipalityChangeReason::Rekeyed,
        SuccessionReason::Merged | SuccessionReason::Succeeded => MunicipalityChangeReason::Merged,
    }
}

fn organisation_reason(reason: SuccessionReason) -> SuccessionReasonKind {
    match reason {
        SuccessionReason::Renamed => SuccessionReasonKind::Renamed,
        SuccessionReason::Merged | SuccessionReason::Split => SuccessionReasonKind::Merged,
        SuccessionReason::Rekeyed | SuccessionReason::Succeeded => SuccessionReasonKind::Succeeded,
    }
}

/// Which end of a step a lineage field shows.
#[derive(Clone, Copy)]
pub enum End {
    /// The predecessor (a `predecessors` list).
    From,
    /// The successor (a `successors` list).
    To,
}

fn other_end(step: &succession::Model, end: End) -> uuid::Uuid {
    match end {
        End::From => step.from_id,
        End::To => step.to_id,
    }
}

/// A place before or after a change, with the day the change took effect and why.
pub struct MunicipalitySuccession(pub succession::Model, pub End);

/// A place before or after a change.
#[Object]
impl MunicipalitySuccession {
    /// The place on the other side of the change.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        let id = MunicipalityId::from(other_end(&self.0, self.1));
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(id)
            .await?
            .map(Municipality::from))
    }

    /// The successor's first day.
    async fn since(&self) -> Date {
        Date(self.0.since)
    }

    /// Why.
    async fn reason(&self) -> MunicipalityChangeReason {
        place_reason(self.0.reason)
    }
}

/// An agency before or after a succession.
pub struct AgencySuccession(pub succession::Model, pub End);

/// An agency before or after a succession.
#[Object]
impl AgencySuccession {
    /// The agency on the other side.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let id = AgencyId::from(other_end(&self.0, self.1));
        Ok(ctx.loaders::<DirectoryLoaders>()?.agency(id).await?.map(Agency::from))
    }

    /// The successor's first day.
    async fn since(&self) -> Date {
        Date(self.0.since)
    }

    /// Why.
    async fn reason(&self) -> SuccessionReasonKind {
        organisation_reason(self.0.reason)
    }
}

/// A programme before or after a succession.
pub struct ProgrammeSuccession(pub succession::Model, pub End);

/// A programme before or after a succession.
#[Object]
impl ProgrammeSuccession {
    /// The programme on the other side.
    async fn programme(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Programme>> {
        let id = ProgrammeId::from(other_end(&self.0, self.1));
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .programme(id)
            .await?
            .map(Programme::from))
    }

    /// The successor's first day.
    async fn since(&self) -> Date {
        Date(self.0.since)
    }

    /// Why.
    async fn reason(&self) -> SuccessionReasonKind {
        organisation_reason(self.0.reason)
    }
}

/// The steps before (`End::From`) or after (`End::To`) a place or organisation.
pub async fn steps(ctx: &Context<'_>, id: uuid::Uuid, end: End) -> async_graphql::Result<Vec<succession::Model>> {
    let loaders = ctx.loaders::<DirectoryLoaders>()?;
    Ok(match end {
        End::From => loaders.predecessors(id).await?,
        End::To => loaders.successors(id).await?,
    })
}

/// A change of places: which followed which, since when, why.
#[derive(InputObject)]
pub struct RecordMunicipalityChangeInput {
    /// The places before the change (AGS).
    pub from_ags: Vec<String>,
    /// The places after the change (AGS); a predecessor that is not among them is retired on the
    /// day before `since`.
    pub to_ags: Vec<String>,
    /// The first day of the new state.
    pub since: Date,
    /// Why.
    pub reason: MunicipalityChangeReason,
}

impl From<RecordMunicipalityChangeInput> for service::PlaceChange {
    fn from(input: RecordMunicipalityChangeInput) -> Self {
        service::PlaceChange {
            from_ags: input.from_ags,
            to_ags: input.to_ags,
            since: input.since.0,
            reason: input.reason.into(),
        }
    }
}

/// The places before and after a recorded change.
pub struct MunicipalityChangePayload(pub service::RecordedPlaceChange);

/// The places before and after a recorded change.
#[Object]
impl MunicipalityChangePayload {
    /// The places before the change, as they are now (retired unless they continue).
    async fn predecessors(&self) -> Vec<Municipality> {
        self.0.predecessors.iter().cloned().map(Municipality::from).collect()
    }

    /// The places after the change.
    async fn successors(&self) -> Vec<Municipality> {
        self.0.successors.iter().cloned().map(Municipality::from).collect()
    }
}

/// Which organisations a succession is about.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum OrganisationKind {
    /// Agencies (by slug).
    Agency,
    /// Funding programmes (by slug).
    Programme,
}

/// A succession of agencies or programmes.
#[derive(InputObject)]
pub struct RecordSuccessionInput {
    /// Agencies or programmes.
    pub kind: OrganisationKind,
    /// The predecessor's slug.
    pub from_slug: String,
    /// The successor's slug.
    pub to_slug: String,
    /// The successor's first day.
    pub since: Date,
    /// Why.
    pub reason: SuccessionReasonKind,
}

impl From<RecordSuccessionInput> for service::OrganisationSuccession {
    fn from(input: RecordSuccessionInput) -> Self {
        service::OrganisationSuccession {
            kind: match input.kind {
                OrganisationKind::Agency => service::Organisation::Agency,
                OrganisationKind::Programme => service::Organisation::Programme,
            },
            from_slug: input.from_slug,
            to_slug: input.to_slug,
            since: input.since.0,
            reason: input.reason.into(),
        }
    }
}

/// The two organisations of a recorded succession: agencies or programmes, as the input said.
pub struct SuccessionPayload {
    pub kind: OrganisationKind,
    pub from: uuid::Uuid,
    pub to: uuid::Uuid,
}

/// The two organisations of a recorded succession.
#[Object]
impl SuccessionPayload {
    /// The predecessor agency (for an AGENCY succession).
    async fn predecessor_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        self.agency(ctx, self.from).await
    }

    /// The successor agency (for an AGENCY succession).
    async fn successor_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        self.agency(ctx, self.to).await
    }

    /// The predecessor programme (for a PROGRAMME succession).
    async fn predecessor_programme(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Programme>> {
        self.programme(ctx, self.from).await
    }

    /// The successor programme (for a PROGRAMME succession).
    async fn successor_programme(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Programme>> {
        self.programme(ctx, self.to).await
    }
}

impl SuccessionPayload {
    async fn agency(&self, ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Option<Agency>> {
        if self.kind != OrganisationKind::Agency {
            return Ok(None);
        }
        let loaders = ctx.loaders::<DirectoryLoaders>()?;
        Ok(loaders.agency(AgencyId::from(id)).await?.map(Agency::from))
    }

    async fn programme(&self, ctx: &Context<'_>, id: uuid::Uuid) -> async_graphql::Result<Option<Programme>> {
        if self.kind != OrganisationKind::Programme {
            return Ok(None);
        }
        let loaders = ctx.loaders::<DirectoryLoaders>()?;
        Ok(loaders.programme(ProgrammeId::from(id)).await?.map(Programme::from))
    }
}

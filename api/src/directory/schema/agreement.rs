//! Agreements in GraphQL: Zielvereinbarungen and Kooperationsvereinbarungen with their parties.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use dkbm_entity::agreement;

use super::{Agency, Municipality};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::service::{Involvement, involvement};
use crate::graphql::later::{Declared, Later};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date};
use crate::ids::{AgreementId, MunicipalityId};

/// The kind of an agreement.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgreementKind")]
pub enum AgreementKind {
    /// Zielvereinbarung: an agency and a municipality agree on the goals of accompaniment.
    TargetAgreement,
    /// Kooperationsvereinbarung: two organisations agree to cooperate.
    CooperationAgreement,
}

/// Where an accompaniment stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgreementStatus")]
pub enum AgreementStatus {
    /// Agreed on, not yet begun.
    Planned,
    /// Under way.
    Active,
    /// A review (Zielüberprüfung) is being drafted.
    UnderReview,
    /// Concluded.
    Concluded,
}

/// Which accompaniments of an agency to list.
#[derive(InputObject, Default)]
pub struct AccompanimentFilter {
    /// Only accompaniments in this status.
    pub status: Option<AgreementStatus>,
    /// Only those of municipalities in this Land.
    pub state: Option<super::State>,
}

impl From<AccompanimentFilter> for crate::directory::service::AccompanimentFilter {
    fn from(filter: AccompanimentFilter) -> Self {
        crate::directory::service::AccompanimentFilter {
            status: filter.status.map(Into::into),
            state: filter.state.map(Into::into),
        }
    }
}

/// What the fields of an agreement's accompaniment ask for: the agreement, and the viewer's
/// involvement in it (outsiders get what an agreement without an accompaniment shows).
pub struct AccompanimentOf {
    pub agreement_id: AgreementId,
    /// The municipality party, whose indicator values measure the goals.
    pub municipality_id: Option<MunicipalityId>,
    pub involvement: Involvement,
    /// `timeline`'s page (`first`/`after` or `last`/`before`).
    pub page: TimelinePage,
}

/// The page of `Agreement.timeline` asked for.
#[derive(Default)]
pub struct TimelinePage {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// Declares a field of `Agreement` that the accompaniment area answers
/// ([`crate::graphql::later`]): it builds on the directory.
macro_rules! accompaniment_field {
    ($($(#[$doc:meta])* $name:ident => $type_name:literal, $sdl:literal;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl Declared for $name {
            const NAME: &'static str = $type_name;
            const TYPE: &'static str = $sdl;
            type Key = AccompanimentOf;
        }
    )*};
}

accompaniment_field! {
    /// `Agreement.goals`.
    AgreementGoals => "AgreementGoal", "[AgreementGoal!]!";
    /// `Agreement.activities`.
    AgreementActivities => "AgreementActivity", "[AgreementActivity!]!";
    /// `Agreement.reviews`.
    AgreementReviews => "AgreementReview", "[AgreementReview!]!";
    /// `Agreement.timeline`.
    AgreementTimeline => "AgreementTimelineConnection", "AgreementTimelineConnection!";
}

/// An agreement between an agency and a municipality or another agency.
pub struct Agreement(pub agreement::Model);

impl Agreement {
    fn involvement(&self, ctx: &Context<'_>) -> async_graphql::Result<Involvement> {
        Ok(involvement(ctx.viewer()?, &self.0))
    }

    fn of(&self, ctx: &Context<'_>, page: TimelinePage) -> async_graphql::Result<AccompanimentOf> {
        Ok(AccompanimentOf {
            agreement_id: self.0.id.into(),
            municipality_id: self.0.municipality_id.map(Into::into),
            involvement: self.involvement(ctx)?,
            page,
        })
    }
}

impl From<agreement::Model> for Agreement {
    fn from(model: agreement::Model) -> Self {
        Agreement(model)
    }
}

/// An agreement between an agency and a municipality or another agency. A Zielvereinbarung is
/// also the confidential workspace of the accompaniment: its request, goals, activities,
/// reviews and timeline are seen only by the accompanying agency's EDITORs and AGENCY_ADMINs,
/// the municipality's MUNICIPAL_STAFF and administrators; everyone else sees what an agreement
/// without them shows (null or empty).
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

    /// Where the accompaniment stands (public).
    async fn status(&self) -> AgreementStatus {
        self.0.status.into()
    }

    /// The version, raised by every change of the agreement itself (not of its goals,
    /// activities or reviews): send it as `expectedVersion`. Null outside the accompaniment.
    #[graphql(cache_control(private))]
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        Ok(self.involvement(ctx)?.inside().then_some(self.0.version))
    }

    /// The municipality's request (Anliegen), Markdown. Null outside the accompaniment.
    #[graphql(cache_control(private))]
    async fn request(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self
            .involvement(ctx)?
            .inside()
            .then_some(self.0.request.as_deref())
            .flatten())
    }

    /// The day of the next review (Zielüberprüfung). Null outside the accompaniment.
    #[graphql(cache_control(private))]
    async fn next_review_on(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Date>> {
        Ok(self
            .involvement(ctx)?
            .inside()
            .then_some(self.0.next_review_on.map(Date))
            .flatten())
    }

    /// The goals, in the order they were added, dropped ones included. Empty outside the
    /// accompaniment.
    #[graphql(cache_control(private))]
    async fn goals(&self, ctx: &Context<'_>) -> async_graphql::Result<Later<AgreementGoals>> {
        Ok(Later(self.of(ctx, TimelinePage::default())?))
    }

    /// What was done, newest first. Empty outside the accompaniment.
    #[graphql(cache_control(private))]
    async fn activities(&self, ctx: &Context<'_>) -> async_graphql::Result<Later<AgreementActivities>> {
        Ok(Later(self.of(ctx, TimelinePage::default())?))
    }

    /// The reviews, newest first; the draft (if any) first of all. Empty outside the
    /// accompaniment.
    #[graphql(cache_control(private))]
    async fn reviews(&self, ctx: &Context<'_>) -> async_graphql::Result<Later<AgreementReviews>> {
        Ok(Later(self.of(ctx, TimelinePage::default())?))
    }

    /// Every change, who and when, newest first. Empty outside the accompaniment.
    #[graphql(cache_control(private))]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many entries (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Entries after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "At most this many entries from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Entries before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<Later<AgreementTimeline>> {
        let page = TimelinePage {
            first,
            after,
            last,
            before,
        };
        Ok(Later(self.of(ctx, page)?))
    }
}

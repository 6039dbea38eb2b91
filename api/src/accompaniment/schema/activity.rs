//! An activity of an accompaniment in GraphQL.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::agreement_activity;

use super::AgreementGoal;
use crate::accompaniment::loaders::AccompanimentLoaders;
use crate::events::loaders::EventLoaders;
use crate::events::schema::TrainingEvent;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date};
use crate::ids::{ActivityId, MunicipalityId};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::Member;

/// What kind of work an activity was (the phases of Kommunale Begleitung).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ActivityKind")]
pub enum AgreementActivityKind {
    /// Auftragsklärung: clarifying the request.
    Clarification,
    /// Analyse: looking at the municipality's data and structures.
    Analysis,
    /// Fach- und Strategieberatung: advice.
    Consultation,
    /// A workshop.
    Workshop,
    /// A network meeting.
    NetworkMeeting,
    /// Anything else.
    Other,
}

/// An activity of an accompaniment: what was done on a day, towards which goals.
pub struct AgreementActivity {
    pub activity: agreement_activity::Model,
    /// The agreement's municipality (for the goals' progress).
    pub municipality_id: Option<MunicipalityId>,
}

/// An activity of an accompaniment: what was done on a day, towards which goals.
#[Object]
impl AgreementActivity {
    /// The activity's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.activity.id.into())
    }

    /// What kind of work it was.
    async fn kind(&self) -> AgreementActivityKind {
        self.activity.kind.into()
    }

    /// The day it took place.
    async fn occurred_on(&self) -> Date {
        Date(self.activity.occurred_on)
    }

    /// A short title.
    async fn title(&self) -> &str {
        &self.activity.title
    }

    /// Notes (Markdown).
    async fn notes(&self) -> Option<&str> {
        self.activity.notes.as_deref()
    }

    /// The goals it worked towards.
    async fn goals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AgreementGoal>> {
        let loaders = ctx.loaders::<AccompanimentLoaders>()?;
        let ids = loaders.activity_goals(ActivityId::from(self.activity.id)).await?;
        let goals = loaders.goals(self.activity.agreement_id.into()).await?;
        Ok(goals
            .into_iter()
            .filter(|goal| ids.iter().any(|id| *id == goal.id.into()))
            .map(|goal| AgreementGoal {
                goal,
                municipality_id: self.municipality_id,
            })
            .collect())
    }

    /// The training event it was held as, seen by both sides of the accompaniment.
    async fn training_event(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TrainingEvent>> {
        let Some(id) = self.activity.training_event_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<EventLoaders>()?
            .event(id.into())
            .await?
            .map(TrainingEvent::from))
    }

    /// The members who took part (a deleted account is left out).
    async fn participants(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Member>> {
        let ids = ctx
            .loaders::<AccompanimentLoaders>()?
            .participants(ActivityId::from(self.activity.id))
            .await?;
        let members = ctx.loaders::<MemberLoaders>()?;
        // Loaded together: one batch.
        let loaded = futures::future::try_join_all(ids.into_iter().map(|id| members.member(id))).await?;
        Ok(loaded.into_iter().flatten().map(Member::from).collect())
    }

    /// Who recorded it (null: a deleted member, or the operator).
    async fn recorded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.activity.recorded_by else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .member(id.into())
            .await?
            .map(Member::from))
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.activity.created_at
    }
}

//! A goal of an accompaniment in GraphQL, with its progress by the municipality's indicator.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use dkbm_entity::agreement_goal;

use crate::accompaniment::service::{GoalProgress, progress_of};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::Topic;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{AgreementId, GoalId, IndicatorId, MunicipalityId, global};
use crate::indicators::loaders::IndicatorLoaders;
use crate::indicators::schema::Indicator;
use crate::messages::Locale;

/// Where a goal stands: OPEN until a submitted review assesses it, then as the last review
/// said; DROPPED when given up.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::GoalStatus")]
pub enum AgreementGoalStatus {
    /// Not yet assessed by a review.
    Open,
    /// On track.
    OnTrack,
    /// At risk.
    AtRisk,
    /// Reached.
    Reached,
    /// Partly reached.
    PartlyReached,
    /// Not reached.
    NotReached,
    /// Given up (the reason is in `droppedReason`).
    Dropped,
}

/// A value of a goal's indicator in a year.
#[derive(SimpleObject, Clone, Copy)]
pub struct GoalValue {
    /// The year.
    pub year: i32,
    /// The value, in the indicator's unit.
    pub value: f64,
}

/// A goal of an accompaniment (Ziel), optionally measured by an education indicator of the
/// municipality.
pub struct AgreementGoal {
    pub goal: agreement_goal::Model,
    /// The agreement's municipality, whose values measure the goal.
    pub municipality_id: Option<MunicipalityId>,
}

impl AgreementGoal {
    async fn measure(&self, ctx: &Context<'_>) -> async_graphql::Result<GoalProgress> {
        let loaders = ctx.loaders::<IndicatorLoaders>()?;
        let indicator = match self.goal.indicator_id {
            Some(id) => loaders.indicator(IndicatorId::from(id)).await?,
            None => None,
        };
        let values = match (self.municipality_id, &indicator) {
            (Some(place), Some(_)) => loaders.values_of_municipality(place).await?,
            _ => Vec::new(),
        };
        Ok(progress_of(&self.goal, indicator.as_ref(), &values))
    }
}

/// A goal of an accompaniment (Ziel), optionally measured by an education indicator of the
/// municipality.
#[Object]
impl AgreementGoal {
    /// The goal's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.goal.id.into())
    }

    /// What is to be reached.
    async fn title(&self) -> &str {
        &self.goal.title
    }

    /// In more words (Markdown).
    async fn description(&self) -> Option<&str> {
        self.goal.description.as_deref()
    }

    /// The field of action it belongs to.
    async fn topic(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        let Some(id) = self.goal.topic_id else { return Ok(None) };
        Ok(ctx.loaders::<DirectoryLoaders>()?.topic(id.into()).await?.map(Topic))
    }

    /// The indicator that measures it.
    async fn indicator(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Indicator>> {
        let Some(id) = self.goal.indicator_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<IndicatorLoaders>()?
            .indicator(id.into())
            .await?
            .map(Indicator))
    }

    /// The year whose value is the starting point.
    async fn baseline_year(&self) -> Option<i32> {
        self.goal.baseline_year
    }

    /// The value to reach, in the indicator's unit.
    async fn target_value(&self) -> Option<f64> {
        self.goal.target_value
    }

    /// The year by which to reach it.
    async fn target_year(&self) -> Option<i32> {
        self.goal.target_year
    }

    /// The indicator's value in the baseline year, from the imported values.
    async fn baseline(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<GoalValue>> {
        Ok(self.measure(ctx).await?.baseline.map(|v| GoalValue {
            year: v.year,
            value: v.value,
        }))
    }

    /// The indicator's most recent value, from the imported values.
    async fn latest(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<GoalValue>> {
        Ok(self.measure(ctx).await?.latest.map(|v| GoalValue {
            year: v.year,
            value: v.value,
        }))
    }

    /// How far the goal is reached by its indicator: 0 at the baseline, 1 at the target, below 0
    /// when the value got worse (the indicator's polarity says what is better). Null when values
    /// are missing (`progressNote` says why).
    async fn progress(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<f64>> {
        Ok(self.measure(ctx).await?.progress)
    }

    /// Why `progress` is null, in the request's language.
    async fn progress_note(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let locale = ctx.data_opt::<Locale>().copied().unwrap_or_default();
        Ok(self.measure(ctx).await?.note.map(|note| note.render(locale)))
    }

    /// The chart of the indicator with the target (`/agreements/{id}/goals/{goalId}.svg`, the
    /// same access rules; a bearer token is needed): null when no indicator measures the goal.
    async fn chart_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if self.goal.indicator_id.is_none() {
            return Ok(None);
        }
        let path = format!(
            "/agreements/{}/goals/{}.svg",
            global(AgreementId::from(self.goal.agreement_id)),
            global(GoalId::from(self.goal.id))
        );
        Ok(Some(ctx.state()?.mail.url(&path)))
    }

    /// Where it stands.
    async fn status(&self) -> AgreementGoalStatus {
        self.goal.status.into()
    }

    /// Why it was dropped.
    async fn dropped_reason(&self) -> Option<&str> {
        self.goal.dropped_reason.as_deref()
    }

    /// When it was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.goal.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.goal.updated_at
    }
}

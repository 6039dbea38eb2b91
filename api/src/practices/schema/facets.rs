//! Facets of good practices: for one filter, how many practices fall on each topic, state,
//! agency, target group and education stage.

use async_graphql::{Context, Object, SimpleObject};

use super::{EducationStage, TargetGroup};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, State, Topic};
use crate::graphql::ContextExt;
use crate::ids::{AgencyId, TopicId};
use crate::practices::service::Facets;

/// How many practices of a filter fall on one topic.
pub struct TopicCount(TopicId, i64);

/// How many practices of a filter fall on one topic.
#[Object]
impl TopicCount {
    /// The topic.
    async fn topic(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        Ok(ctx.loaders::<DirectoryLoaders>()?.topic(self.0).await?.map(Topic))
    }

    /// Number of practices.
    async fn count(&self) -> i64 {
        self.1
    }
}

/// How many practices of a filter fall on one agency.
pub struct AgencyCount(AgencyId, i64);

/// How many practices of a filter fall on one agency.
#[Object]
impl AgencyCount {
    /// The agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(self.0)
            .await?
            .map(Agency::from))
    }

    /// Number of practices.
    async fn count(&self) -> i64 {
        self.1
    }
}

/// How many practices of a filter work in one state.
#[derive(SimpleObject)]
pub struct StateCount {
    /// The state.
    pub state: State,
    /// Number of practices with a municipality in the state.
    pub count: i64,
}

/// How many practices of a filter are for one target group.
#[derive(SimpleObject)]
pub struct TargetGroupCount {
    /// The target group.
    pub target_group: TargetGroup,
    /// Number of practices.
    pub count: i64,
}

/// How many practices of a filter work in one education stage.
#[derive(SimpleObject)]
pub struct EducationStageCount {
    /// The stage.
    pub education_stage: EducationStage,
    /// Number of practices.
    pub count: i64,
}

/// Counts for a filter panel: for the same filter, how many practices fall on each value.
pub struct GoodPracticeFacets(pub Facets);

/// Counts for a filter panel: for the same filter, how many practices fall on each value.
#[Object]
impl GoodPracticeFacets {
    /// How many practices match the filter.
    async fn total_count(&self) -> i64 {
        self.0.total
    }

    /// Per topic, most first.
    async fn topics(&self) -> Vec<TopicCount> {
        self.0
            .topics
            .iter()
            .map(|(id, count)| TopicCount(*id, *count))
            .collect()
    }

    /// Per state (of the practices' municipalities), most first.
    async fn states(&self) -> Vec<StateCount> {
        self.0
            .states
            .iter()
            .map(|(state, count)| StateCount {
                state: (*state).into(),
                count: *count,
            })
            .collect()
    }

    /// Per owner agency, most first.
    async fn agencies(&self) -> Vec<AgencyCount> {
        self.0
            .agencies
            .iter()
            .map(|(id, count)| AgencyCount(*id, *count))
            .collect()
    }

    /// Per target group, most first.
    async fn target_groups(&self) -> Vec<TargetGroupCount> {
        self.0
            .target_groups
            .iter()
            .map(|(group, count)| TargetGroupCount {
                target_group: (*group).into(),
                count: *count,
            })
            .collect()
    }

    /// Per education stage, most first.
    async fn education_stages(&self) -> Vec<EducationStageCount> {
        self.0
            .stages
            .iter()
            .map(|(stage, count)| EducationStageCount {
                education_stage: (*stage).into(),
                count: *count,
            })
            .collect()
    }
}

//! What the report for the council and a goal's chart show: the agreement with its parties,
//! request, goals (with progress and chart), activities and submitted reviews; for someone
//! inside the accompaniment only (None for everyone else, as for a missing agreement).

use std::collections::HashMap;

use dkbm_entity::{
    ReviewStatus, agency, agreement, agreement_activity, agreement_goal, agreement_review, agreement_review_goal,
    indicator, indicator_value, municipality,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::access::visible_agreement;
use super::progress::{GoalProgress, progress_of};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::ids::{AgreementId, GoalId, IndicatorId};
use crate::indicators::service::{ChartData, ChartLine, line_of};

/// A goal as the report shows it.
pub struct ReportGoal {
    pub goal: agreement_goal::Model,
    pub indicator: Option<indicator::Model>,
    pub progress: GoalProgress,
    /// The chart, when an indicator measures the goal.
    pub chart: Option<ChartData>,
}

/// A submitted review with its assessments (goal title, status, note).
pub struct ReportReview {
    pub review: agreement_review::Model,
    pub assessments: Vec<(String, agreement_review_goal::Model)>,
}

/// Everything the report shows.
pub struct Report {
    pub agreement: agreement::Model,
    pub agency: Option<agency::Model>,
    pub municipality: Option<municipality::Model>,
    pub goals: Vec<ReportGoal>,
    pub activities: Vec<agreement_activity::Model>,
    pub reviews: Vec<ReportReview>,
}

/// The chart of a goal measured by `indicator`: the municipality's values and the target, a
/// line from the baseline to the target value in the target year.
pub async fn goal_chart(
    db: &impl ConnectionTrait,
    place: &municipality::Model,
    goal: &agreement_goal::Model,
    indicator: &indicator::Model,
    progress: &GoalProgress,
) -> AppResult<ChartData> {
    let (line, updated_at) = line_of(db, place, IndicatorId::from(indicator.id)).await?;
    let mut lines = vec![line];
    if let (Some(target), Some(year)) = (goal.target_value, goal.target_year) {
        let mut points = Vec::new();
        if let Some(baseline) = progress.baseline {
            points.push((baseline.year, baseline.value));
        }
        points.push((year, target));
        lines.push(ChartLine {
            label: format!("Ziel {year}"),
            points,
        });
    }
    Ok(ChartData {
        municipality: place.clone(),
        indicator: indicator.clone(),
        lines,
        updated_at,
    })
}

async fn goals_of(
    db: &impl ConnectionTrait,
    agreement: &agreement::Model,
    place: Option<&municipality::Model>,
    only: Option<GoalId>,
) -> AppResult<Vec<ReportGoal>> {
    let mut select = agreement_goal::Entity::find().filter(agreement_goal::Column::AgreementId.eq(agreement.id));
    if let Some(goal) = only {
        select = select.filter(agreement_goal::Column::Id.eq(goal));
    }
    let goals = select.order_by_asc(agreement_goal::Column::Position).all(db).await?;
    let indicators: HashMap<_, _> = indicator::Entity::find()
        .filter(indicator::Column::Id.is_in(goals.iter().filter_map(|g| g.indicator_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let values = match place {
        Some(place) => {
            indicator_value::Entity::find()
                .filter(indicator_value::Column::MunicipalityId.eq(place.id))
                .filter(indicator_value::Column::IndicatorId.is_in(indicators.keys().copied()))
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let mut shown = Vec::with_capacity(goals.len());
    for goal in goals {
        let indicator = goal.indicator_id.and_then(|id| indicators.get(&id)).cloned();
        let progress = progress_of(&goal, indicator.as_ref(), &values);
        // One statement per measured goal: an agreement has a handful.
        let chart = match (place, &indicator) {
            (Some(place), Some(indicator)) => Some(goal_chart(db, place, &goal, indicator, &progress).await?),
            _ => None,
        };
        shown.push(ReportGoal {
            goal,
            indicator,
            progress,
            chart,
        });
    }
    Ok(shown)
}

async fn reviews_of(
    db: &impl ConnectionTrait,
    agreement: &agreement::Model,
    goals: &[ReportGoal],
) -> AppResult<Vec<ReportReview>> {
    let reviews = agreement_review::Entity::find()
        .filter(agreement_review::Column::AgreementId.eq(agreement.id))
        .filter(agreement_review::Column::Status.eq(ReviewStatus::Submitted))
        .order_by_desc(agreement_review::Column::HeldOn)
        .all(db)
        .await?;
    let assessments = agreement_review_goal::Entity::find()
        .filter(agreement_review_goal::Column::ReviewId.is_in(reviews.iter().map(|r| r.id)))
        .all(db)
        .await?;
    let title = |id| {
        goals
            .iter()
            .find(|g| g.goal.id == id)
            .map(|g| g.goal.title.clone())
            .unwrap_or_default()
    };
    Ok(reviews
        .into_iter()
        .map(|review| ReportReview {
            assessments: assessments
                .iter()
                .filter(|a| a.review_id == review.id)
                .map(|a| (title(a.goal_id), a.clone()))
                .collect(),
            review,
        })
        .collect())
}

/// The report of the agreement, for someone inside its accompaniment.
pub async fn report_of(db: &impl ConnectionTrait, viewer: &Viewer, id: AgreementId) -> AppResult<Option<Report>> {
    let Some((agreement, _)) = visible_agreement(db, viewer, id).await? else {
        return Ok(None);
    };
    let agency = agency::Entity::find_by_id(agreement.agency_id).one(db).await?;
    let municipality = match agreement.municipality_id {
        Some(id) => municipality::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let goals = goals_of(db, &agreement, municipality.as_ref(), None).await?;
    let activities = agreement_activity::Entity::find()
        .filter(agreement_activity::Column::AgreementId.eq(agreement.id))
        .order_by_desc(agreement_activity::Column::OccurredOn)
        .all(db)
        .await?;
    let reviews = reviews_of(db, &agreement, &goals).await?;
    Ok(Some(Report {
        agreement,
        agency,
        municipality,
        goals,
        activities,
        reviews,
    }))
}

/// The chart of one goal of the agreement, for someone inside its accompaniment; None when the
/// goal is not the agreement's or no indicator measures it.
pub async fn chart_of(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: AgreementId,
    goal: GoalId,
) -> AppResult<Option<ChartData>> {
    let Some((agreement, _)) = visible_agreement(db, viewer, id).await? else {
        return Ok(None);
    };
    let municipality = match agreement.municipality_id {
        Some(id) => municipality::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let mut goals = goals_of(db, &agreement, municipality.as_ref(), Some(goal)).await?;
    Ok(goals.pop().and_then(|goal| goal.chart))
}

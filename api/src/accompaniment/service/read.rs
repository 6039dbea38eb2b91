//! A goal, an activity or a review by id, for someone inside its accompaniment (None for
//! everyone else, as for one that does not exist).

use dkbm_entity::{agreement_activity, agreement_goal, agreement_review};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::access::visible_agreement;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::ids::{ActivityId, AgreementId, GoalId, MunicipalityId, ReviewId};

/// The goal, if the viewer is inside its accompaniment.
pub async fn goal_in_view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: GoalId,
) -> AppResult<Option<agreement_goal::Model>> {
    let Some(goal) = agreement_goal::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(visible_agreement(db, viewer, goal.agreement_id.into())
        .await?
        .map(|_| goal))
}

/// The activity, if the viewer is inside its accompaniment.
pub async fn activity_in_view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ActivityId,
) -> AppResult<Option<agreement_activity::Model>> {
    let Some(activity) = agreement_activity::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(visible_agreement(db, viewer, activity.agreement_id.into())
        .await?
        .map(|_| activity))
}

/// The review, if the viewer is inside its accompaniment.
pub async fn review_in_view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ReviewId,
) -> AppResult<Option<agreement_review::Model>> {
    let Some(review) = agreement_review::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(visible_agreement(db, viewer, review.agreement_id.into())
        .await?
        .map(|_| review))
}

/// The agreement's municipality, whose values measure its goals.
pub async fn municipality_of_agreement(
    db: &impl ConnectionTrait,
    agreement: AgreementId,
) -> AppResult<Option<MunicipalityId>> {
    let row = dkbm_entity::agreement::Entity::find_by_id(agreement).one(db).await?;
    Ok(row.and_then(|a| a.municipality_id).map(MunicipalityId::from))
}

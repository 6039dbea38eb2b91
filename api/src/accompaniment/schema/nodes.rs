//! How `node(id:)` finds an accompaniment's objects: only for those inside it.

use async_graphql::Context;

use super::{AgreementActivity, AgreementGoal, AgreementReview};
use crate::accompaniment::service;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{ActivityId, GoalId, ReviewId};

async fn municipality(ctx: &Context<'_>, agreement: uuid::Uuid) -> AppResult<Option<crate::ids::MunicipalityId>> {
    service::municipality_of_agreement(ctx.state()?.conn(), agreement.into()).await
}

#[async_trait::async_trait]
impl NodeKind for AgreementGoal {
    type Id = GoalId;

    async fn load(ctx: &Context<'_>, id: GoalId) -> AppResult<Option<Self>> {
        let Some(goal) = service::goal_in_view(ctx.state()?.conn(), ctx.viewer()?, id).await? else {
            return Ok(None);
        };
        let municipality_id = municipality(ctx, goal.agreement_id).await?;
        Ok(Some(AgreementGoal { goal, municipality_id }))
    }
}

#[async_trait::async_trait]
impl NodeKind for AgreementActivity {
    type Id = ActivityId;

    async fn load(ctx: &Context<'_>, id: ActivityId) -> AppResult<Option<Self>> {
        let Some(activity) = service::activity_in_view(ctx.state()?.conn(), ctx.viewer()?, id).await? else {
            return Ok(None);
        };
        let municipality_id = municipality(ctx, activity.agreement_id).await?;
        Ok(Some(AgreementActivity {
            activity,
            municipality_id,
        }))
    }
}

#[async_trait::async_trait]
impl NodeKind for AgreementReview {
    type Id = ReviewId;

    async fn load(ctx: &Context<'_>, id: ReviewId) -> AppResult<Option<Self>> {
        let Some(review) = service::review_in_view(ctx.state()?.conn(), ctx.viewer()?, id).await? else {
            return Ok(None);
        };
        let municipality_id = municipality(ctx, review.agreement_id).await?;
        Ok(Some(AgreementReview {
            review,
            municipality_id,
        }))
    }
}

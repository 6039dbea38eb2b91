//! The accompaniment in GraphQL: the agreement's fields it answers (goals, activities, reviews,
//! timeline; declared by the directory's `Agreement`), its objects, and its mutations.

mod activity;
mod goal;
mod inputs;
mod nodes;
mod review;
mod timeline;

pub use activity::*;
pub use goal::*;
pub use inputs::*;
pub use review::*;
pub use timeline::*;

use async_graphql::parser::types::Field;
use async_graphql::{Context, ContextSelectionSet, ID, Object, OutputType, Positioned, ServerResult, Value};

use crate::accompaniment::loaders::AccompanimentLoaders;
use crate::accompaniment::service;
use crate::directory::schema::{
    AccompanimentOf, Agreement, AgreementActivities, AgreementGoals, AgreementReviews, AgreementTimeline,
};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::later::{Answer, Declared, field_error};
use crate::graphql::node::NodeKind;
use crate::ids::{AgreementId, MunicipalityId};
use crate::pagination::{Page, PageArgs, TotalCount};
use crate::practices::schema::GoodPractice;

/// The agreement's municipality, whose values measure its goals.
async fn municipality_of(ctx: &Context<'_>, agreement: AgreementId) -> AppResult<Option<MunicipalityId>> {
    service::municipality_of_agreement(ctx.state()?.conn(), agreement).await
}

/// Resolves `value` on the field's selection set, or places the error on the field.
async fn answer_with<T: OutputType>(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    value: AppResult<T>,
) -> ServerResult<Value> {
    match value {
        Ok(value) => value.resolve(ctx, field).await,
        Err(error) => Err(field_error(ctx, field, error)),
    }
}

/// The answers to the fields of `Agreement` this area answers.
pub struct AccompanimentAnswers;

async fn goals(ctx: &ContextSelectionSet<'_>, key: &AccompanimentOf) -> AppResult<Vec<AgreementGoal>> {
    if !key.involvement.inside() {
        return Ok(Vec::new());
    }
    let municipality_id = key.municipality_id;
    let rows = ctx.loaders::<AccompanimentLoaders>()?.goals(key.agreement_id).await?;
    Ok(rows
        .into_iter()
        .map(|goal| AgreementGoal { goal, municipality_id })
        .collect())
}

async fn activities(ctx: &ContextSelectionSet<'_>, key: &AccompanimentOf) -> AppResult<Vec<AgreementActivity>> {
    if !key.involvement.inside() {
        return Ok(Vec::new());
    }
    let municipality_id = key.municipality_id;
    let rows = ctx
        .loaders::<AccompanimentLoaders>()?
        .activities(key.agreement_id)
        .await?;
    Ok(rows
        .into_iter()
        .map(|activity| AgreementActivity {
            activity,
            municipality_id,
        })
        .collect())
}

async fn reviews(ctx: &ContextSelectionSet<'_>, key: &AccompanimentOf) -> AppResult<Vec<AgreementReview>> {
    if !key.involvement.inside() {
        return Ok(Vec::new());
    }
    let municipality_id = key.municipality_id;
    let rows = ctx.loaders::<AccompanimentLoaders>()?.reviews(key.agreement_id).await?;
    Ok(rows
        .into_iter()
        .map(|review| AgreementReview {
            review,
            municipality_id,
        })
        .collect())
}

async fn timeline(ctx: &ContextSelectionSet<'_>, key: &AccompanimentOf) -> AppResult<AgreementTimelineConnection> {
    let asked = &key.page;
    let page = PageArgs::new(asked.first, asked.after.clone(), asked.last, asked.before.clone())?;
    if !key.involvement.inside() {
        return Ok(AgreementTimelineConnection(Page {
            edges: Vec::new(),
            has_next_page: false,
            has_previous_page: false,
            total: TotalCount::Known(0),
        }));
    }
    let rows = service::timeline(ctx.state()?.conn(), key.agreement_id, &page).await?;
    Ok(AgreementTimelineConnection(rows))
}

macro_rules! answers {
    ($($declared:ty => $resolve:ident;)*) => {$(
        #[async_trait::async_trait]
        impl Answer<$declared> for AccompanimentAnswers {
            async fn answer(
                &self,
                ctx: &ContextSelectionSet<'_>,
                field: &Positioned<Field>,
                key: &<$declared as Declared>::Key,
            ) -> ServerResult<Value> {
                answer_with(ctx, field, $resolve(ctx, key).await).await
            }
        }
    )*};
}

answers! {
    AgreementGoals => goals;
    AgreementActivities => activities;
    AgreementReviews => reviews;
    AgreementTimeline => timeline;
}

/// The accompaniment's mutations.
#[derive(Default)]
pub struct AccompanimentMutation;

#[Object]
impl AccompanimentMutation {
    /// Changes an agreement: administrators its title, summary and signing date; the
    /// accompanying agency's staff its status; everyone inside the accompaniment its request
    /// and next review. A stale `expectedVersion` answers CONFLICT and changes nothing.
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement's global id.")] id: ID,
        #[graphql(desc = "The changes.")] input: UpdateAgreementInput,
    ) -> async_graphql::Result<Agreement> {
        let state = ctx.state()?;
        let id = Agreement::decode("id", &id)?;
        Ok(
            service::update_agreement(&state.writer, ctx.viewer()?, id, input.into())
                .await?
                .into(),
        )
    }

    /// Adds a goal to an accompaniment (either side, until it is concluded).
    async fn add_agreement_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal.")] input: AddAgreementGoalInput,
    ) -> async_graphql::Result<AgreementGoal> {
        let state = ctx.state()?;
        let goal = service::add_goal(&state.writer, ctx.viewer()?, input.into_service()?).await?;
        let municipality_id = municipality_of(ctx, goal.agreement_id.into()).await?;
        Ok(AgreementGoal { goal, municipality_id })
    }

    /// Changes a goal that is not dropped (either side).
    async fn update_agreement_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal and its changes.")] input: UpdateAgreementGoalInput,
    ) -> async_graphql::Result<AgreementGoal> {
        let state = ctx.state()?;
        let (id, changes) = input.into_service()?;
        let goal = service::update_goal(&state.writer, ctx.viewer()?, id, changes).await?;
        let municipality_id = municipality_of(ctx, goal.agreement_id.into()).await?;
        Ok(AgreementGoal { goal, municipality_id })
    }

    /// Drops a goal with a reason: it stays in the record, DROPPED.
    async fn drop_agreement_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal's global id.")] id: ID,
        #[graphql(desc = "Why it is given up.")] reason: String,
    ) -> async_graphql::Result<AgreementGoal> {
        let state = ctx.state()?;
        let id = AgreementGoal::decode("id", &id)?;
        let goal = service::drop_goal(&state.writer, ctx.viewer()?, id, &reason).await?;
        let municipality_id = municipality_of(ctx, goal.agreement_id.into()).await?;
        Ok(AgreementGoal { goal, municipality_id })
    }

    /// Records an activity of an accompaniment (either side, until it is concluded).
    async fn record_agreement_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity.")] input: RecordAgreementActivityInput,
    ) -> async_graphql::Result<AgreementActivity> {
        let state = ctx.state()?;
        let activity = service::record_activity(&state.writer, ctx.viewer()?, input.into_service()?).await?;
        let municipality_id = municipality_of(ctx, activity.agreement_id.into()).await?;
        Ok(AgreementActivity {
            activity,
            municipality_id,
        })
    }

    /// Saves the review draft of an accompaniment (one per agreement, either side changes it);
    /// the agreement is UNDER_REVIEW meanwhile.
    async fn save_agreement_review_draft(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: AgreementReviewInput,
    ) -> async_graphql::Result<AgreementReview> {
        let state = ctx.state()?;
        let review = service::save_review_draft(&state.writer, ctx.viewer()?, input.into_service()?).await?;
        let municipality_id = municipality_of(ctx, review.agreement_id.into()).await?;
        Ok(AgreementReview {
            review,
            municipality_id,
        })
    }

    /// Submits a review (the draft, if one is saved): it is never changed again, sets each
    /// assessed goal's status and the next review, and moves the agreement back to ACTIVE, or
    /// to CONCLUDED with `conclude: true` (the agency's staff only).
    async fn submit_agreement_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: AgreementReviewInput,
    ) -> async_graphql::Result<AgreementReview> {
        let state = ctx.state()?;
        let review = service::submit_review(&state.writer, ctx.viewer()?, input.into_service()?).await?;
        let municipality_id = municipality_of(ctx, review.agreement_id.into()).await?;
        Ok(AgreementReview {
            review,
            municipality_id,
        })
    }

    /// Drafts a good practice of the accompanying agency from the accompaniment: prefilled
    /// from the request, the chosen goals and the last review's reflection, with the
    /// municipality and the goals' topics set; a DRAFT for the editors to rewrite and publish
    /// (the agency's staff only).
    async fn draft_practice_from_agreement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement's global id.")] agreement_id: ID,
        #[graphql(desc = "The goals to draw on (the agreement's).")] goal_ids: Vec<ID>,
    ) -> async_graphql::Result<GoodPractice> {
        let state = ctx.state()?;
        let agreement = Agreement::decode("agreementId", &agreement_id)?;
        let goals = inputs::goal_ids(&goal_ids)?;
        let practice = service::draft_practice(&state.writer, ctx.viewer()?, agreement, &goals).await?;
        Ok(GoodPractice::from(practice))
    }
}

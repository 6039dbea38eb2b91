//! A review of an accompaniment's goals in GraphQL.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{agreement_review, agreement_review_goal};

use super::AgreementGoal;
use crate::accompaniment::loaders::AccompanimentLoaders;
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, Date};
use crate::ids::{GoalId, MunicipalityId, ReviewId};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::Member;

/// A review's state.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ReviewStatus")]
pub enum AgreementReviewStatus {
    /// Being drafted: both sides change it with `saveAgreementReviewDraft`.
    Draft,
    /// Submitted: never changed again.
    Submitted,
}

/// A review's assessment of a goal.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum GoalAssessment {
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
}

impl From<GoalAssessment> for dkbm_entity::GoalStatus {
    fn from(assessment: GoalAssessment) -> Self {
        use dkbm_entity::GoalStatus;
        match assessment {
            GoalAssessment::OnTrack => GoalStatus::OnTrack,
            GoalAssessment::AtRisk => GoalStatus::AtRisk,
            GoalAssessment::Reached => GoalStatus::Reached,
            GoalAssessment::PartlyReached => GoalStatus::PartlyReached,
            GoalAssessment::NotReached => GoalStatus::NotReached,
        }
    }
}

/// A review of an accompaniment's goals (Reflexion und Zielüberprüfung).
pub struct AgreementReview {
    pub review: agreement_review::Model,
    /// The agreement's municipality (for the goals' progress).
    pub municipality_id: Option<MunicipalityId>,
}

/// How a review assessed one goal.
pub struct AgreementReviewGoal {
    assessment: agreement_review_goal::Model,
    agreement_id: uuid::Uuid,
    municipality_id: Option<MunicipalityId>,
}

/// How a review assessed one goal.
#[Object]
impl AgreementReviewGoal {
    /// The goal.
    async fn goal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<AgreementGoal>> {
        let goals = ctx
            .loaders::<AccompanimentLoaders>()?
            .goals(self.agreement_id.into())
            .await?;
        Ok(goals
            .into_iter()
            .find(|goal| GoalId::from(goal.id) == GoalId::from(self.assessment.goal_id))
            .map(|goal| AgreementGoal {
                goal,
                municipality_id: self.municipality_id,
            }))
    }

    /// Where the goal stood.
    async fn status(&self) -> super::AgreementGoalStatus {
        self.assessment.status.into()
    }

    /// Why.
    async fn note(&self) -> Option<&str> {
        self.assessment.note.as_deref()
    }
}

/// A review of an accompaniment's goals (Reflexion und Zielüberprüfung).
#[Object]
impl AgreementReview {
    /// The review's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.review.id.into())
    }

    /// Draft or submitted.
    async fn status(&self) -> AgreementReviewStatus {
        self.review.status.into()
    }

    /// The day it was held.
    async fn held_on(&self) -> Date {
        Date(self.review.held_on)
    }

    /// The reflection (Markdown).
    async fn reflection(&self) -> &str {
        &self.review.reflection
    }

    /// The next review, as agreed in this one.
    async fn next_review_on(&self) -> Option<Date> {
        self.review.next_review_on.map(Date)
    }

    /// How it assessed each goal.
    async fn goals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AgreementReviewGoal>> {
        let rows = ctx
            .loaders::<AccompanimentLoaders>()?
            .assessments(ReviewId::from(self.review.id))
            .await?;
        Ok(rows
            .into_iter()
            .map(|assessment| AgreementReviewGoal {
                assessment,
                agreement_id: self.review.agreement_id,
                municipality_id: self.municipality_id,
            })
            .collect())
    }

    /// Who saved it last as a draft (null: a deleted member, or the operator).
    async fn drafted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.review.drafted_by else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .member(id.into())
            .await?
            .map(Member::from))
    }

    /// Who submitted it (null: not submitted, a deleted member, or the operator).
    async fn submitted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.review.submitted_by else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .member(id.into())
            .await?
            .map(Member::from))
    }

    /// When it was submitted.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.review.submitted_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.review.updated_at
    }
}

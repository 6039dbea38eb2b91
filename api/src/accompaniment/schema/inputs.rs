//! What the accompaniment's mutations take.

use async_graphql::{ID, InputObject, MaybeUndefined};

use super::{AgreementActivityKind, GoalAssessment};
use crate::accompaniment::service;
use crate::directory::schema::AgreementStatus;
use crate::error::AppResult;
use crate::graphql::Date;
use crate::graphql::node::decode_as;
use crate::ids::{AgreementId, EventId, GoalId, MemberId};

fn patch<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    value.into()
}

fn patch_date(value: MaybeUndefined<Date>) -> Option<Option<chrono::NaiveDate>> {
    patch(value).map(|date| date.map(|d| d.0))
}

/// Decodes a list of global ids of one kind; BAD_USER_INPUT on `field[i]` for a wrong one.
fn decode_all<I: crate::ids::TypedId>(field: &str, ids: &[ID]) -> AppResult<Vec<I>> {
    ids.iter()
        .enumerate()
        .map(|(index, id)| decode_as(&format!("{field}[{index}]"), id))
        .collect()
}

/// Changes to an agreement: leave a field out to keep it, set it to null to clear it. Title,
/// summary and signing date are the administrators'; the status the accompanying agency's
/// staff's; the request and the next review everyone's inside the accompaniment.
#[derive(InputObject)]
pub struct UpdateAgreementInput {
    /// Short title.
    pub title: Option<String>,
    /// What was agreed.
    pub summary: MaybeUndefined<String>,
    /// The day it was signed.
    pub signed_on: MaybeUndefined<Date>,
    /// Where the accompaniment stands.
    pub status: Option<AgreementStatus>,
    /// The municipality's request (Anliegen), Markdown.
    pub request: MaybeUndefined<String>,
    /// The day of the next review.
    pub next_review_on: MaybeUndefined<Date>,
    /// The version the change is based on (`Agreement.version`): a stale one answers CONFLICT
    /// with the current version in `extensions.currentVersion`, and changes nothing.
    pub expected_version: Option<i64>,
}

impl From<UpdateAgreementInput> for service::AgreementChanges {
    fn from(input: UpdateAgreementInput) -> Self {
        service::AgreementChanges {
            title: input.title,
            summary: patch(input.summary),
            signed_on: patch_date(input.signed_on),
            status: input.status.map(Into::into),
            request: patch(input.request),
            next_review_on: patch_date(input.next_review_on),
            expected_version: input.expected_version,
        }
    }
}

/// A new goal of an accompaniment.
#[derive(InputObject)]
pub struct AddAgreementGoalInput {
    /// The agreement's global id.
    pub agreement_id: ID,
    /// What is to be reached (one line).
    pub title: String,
    /// In more words (Markdown).
    pub description: Option<String>,
    /// The slug of the field of action.
    pub topic: Option<String>,
    /// The code of the indicator that measures it.
    pub indicator_code: Option<String>,
    /// The year whose value is the starting point.
    pub baseline_year: Option<i32>,
    /// The value to reach, in the indicator's unit.
    pub target_value: Option<f64>,
    /// The year by which to reach it.
    pub target_year: Option<i32>,
}

impl AddAgreementGoalInput {
    pub fn into_service(self) -> AppResult<service::NewGoal> {
        Ok(service::NewGoal {
            agreement_id: decode_as::<AgreementId>("input.agreementId", &self.agreement_id)?,
            draft: service::GoalDraft {
                title: self.title,
                description: self.description,
                topic: self.topic,
                indicator_code: self.indicator_code,
                baseline_year: self.baseline_year,
                target_value: self.target_value,
                target_year: self.target_year,
            },
        })
    }
}

/// Changes to a goal: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateAgreementGoalInput {
    /// The goal's global id.
    pub id: ID,
    /// What is to be reached (one line).
    pub title: Option<String>,
    /// In more words (Markdown).
    pub description: MaybeUndefined<String>,
    /// The slug of the field of action.
    pub topic: MaybeUndefined<String>,
    /// The code of the indicator that measures it.
    pub indicator_code: MaybeUndefined<String>,
    /// The year whose value is the starting point.
    pub baseline_year: MaybeUndefined<i32>,
    /// The value to reach.
    pub target_value: MaybeUndefined<f64>,
    /// The year by which to reach it.
    pub target_year: MaybeUndefined<i32>,
}

impl UpdateAgreementGoalInput {
    pub fn into_service(self) -> AppResult<(GoalId, service::GoalChanges)> {
        let id = decode_as::<GoalId>("input.id", &self.id)?;
        Ok((
            id,
            service::GoalChanges {
                title: self.title,
                description: patch(self.description),
                topic: patch(self.topic),
                indicator_code: patch(self.indicator_code),
                baseline_year: patch(self.baseline_year),
                target_value: patch(self.target_value),
                target_year: patch(self.target_year),
            },
        ))
    }
}

/// An activity to record.
#[derive(InputObject)]
pub struct RecordAgreementActivityInput {
    /// The agreement's global id.
    pub agreement_id: ID,
    /// What kind of work it was.
    pub kind: AgreementActivityKind,
    /// The day it took place.
    pub occurred_on: Date,
    /// A short title (one line).
    pub title: String,
    /// Notes (Markdown).
    pub notes: Option<String>,
    /// The goals it worked towards (the agreement's).
    #[graphql(default)]
    pub goal_ids: Vec<ID>,
    /// The training event it was held as.
    pub training_event_id: Option<ID>,
    /// The members who took part.
    #[graphql(default)]
    pub participant_ids: Vec<ID>,
}

impl RecordAgreementActivityInput {
    pub fn into_service(self) -> AppResult<service::NewActivity> {
        Ok(service::NewActivity {
            agreement_id: decode_as::<AgreementId>("input.agreementId", &self.agreement_id)?,
            kind: self.kind.into(),
            occurred_on: self.occurred_on.0,
            title: self.title,
            notes: self.notes,
            goal_ids: decode_all::<GoalId>("input.goalIds", &self.goal_ids)?,
            training_event_id: self
                .training_event_id
                .map(|id| decode_as::<EventId>("input.trainingEventId", &id))
                .transpose()?,
            participant_ids: decode_all::<MemberId>("input.participantIds", &self.participant_ids)?,
        })
    }
}

/// A review's assessment of one goal.
#[derive(InputObject)]
pub struct AgreementReviewGoalInput {
    /// The goal's global id.
    pub goal_id: ID,
    /// Where it stands.
    pub status: GoalAssessment,
    /// Why.
    pub note: Option<String>,
}

/// A review: a draft's (`saveAgreementReviewDraft`) or a submission's (`submitAgreementReview`).
#[derive(InputObject)]
pub struct AgreementReviewInput {
    /// The agreement's global id.
    pub agreement_id: ID,
    /// The day it was held.
    pub held_on: Date,
    /// The reflection (Markdown).
    pub reflection: String,
    /// How it assesses the goals (each at most once, none dropped).
    #[graphql(default)]
    pub goals: Vec<AgreementReviewGoalInput>,
    /// The next review, as agreed in this one (becomes the agreement's `nextReviewOn` on
    /// submission).
    pub next_review_on: Option<Date>,
    /// On submission: conclude the accompaniment (the agency's staff only). Ignored in a draft.
    #[graphql(default)]
    pub conclude: bool,
}

impl AgreementReviewInput {
    pub fn into_service(self) -> AppResult<service::ReviewInput> {
        let mut goals = Vec::with_capacity(self.goals.len());
        for (index, goal) in self.goals.into_iter().enumerate() {
            goals.push(service::Assessment {
                goal_id: decode_as::<GoalId>(&format!("input.goals[{index}].goalId"), &goal.goal_id)?,
                status: goal.status.into(),
                note: goal.note,
            });
        }
        Ok(service::ReviewInput {
            agreement_id: decode_as::<AgreementId>("input.agreementId", &self.agreement_id)?,
            held_on: self.held_on.0,
            reflection: self.reflection,
            goals,
            next_review_on: self.next_review_on.map(|d| d.0),
            conclude: self.conclude,
        })
    }
}

/// Decodes the goal ids of `draftPracticeFromAgreement`.
pub fn goal_ids(ids: &[ID]) -> AppResult<Vec<GoalId>> {
    decode_all("goalIds", ids)
}

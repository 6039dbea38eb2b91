//! Reviews of an accompaniment's goals (Reflexion und Zielüberprüfung). Saving a draft moves the
//! agreement to UNDER_REVIEW (one draft per agreement, which either side changes); submitting
//! makes it immutable, sets each assessed goal's status, and moves the agreement back to ACTIVE,
//! or to CONCLUDED when the agency's staff conclude it.

use chrono::NaiveDate;
use dkbm_entity::{
    AgreementAction, AgreementStatus, GoalStatus, ReviewStatus, agreement, agreement_goal, agreement_review,
    agreement_review_goal,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::access::{ensure_open, for_change};
use super::timeline::record;
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::Involvement;
use crate::error::{AppError, AppResult};
use crate::ids::{AgreementId, GoalId};
use crate::messages::{Message, MessageKey};
use crate::validate;

/// A review's assessment of a goal.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub goal_id: GoalId,
    /// ON_TRACK, AT_RISK, REACHED, PARTLY_REACHED or NOT_REACHED.
    pub status: GoalStatus,
    pub note: Option<String>,
}

/// What a review says (a draft's or a submission's input).
#[derive(Debug, Clone)]
pub struct ReviewInput {
    pub agreement_id: AgreementId,
    pub held_on: NaiveDate,
    pub reflection: String,
    pub goals: Vec<Assessment>,
    pub next_review_on: Option<NaiveDate>,
    /// Submission only: conclude the accompaniment (the agency's staff).
    pub conclude: bool,
}

/// Checks the texts and that each goal is the agreement's, not dropped, and named once.
async fn check(work: &UnitOfWork, input: &ReviewInput) -> AppResult<(String, Vec<(Assessment, Option<String>)>)> {
    let reflection = validate::required_text("input.reflection", &input.reflection, 50_000)?;
    let goals: Vec<(Uuid, GoalStatus)> = agreement_goal::Entity::find()
        .select_only()
        .column(agreement_goal::Column::Id)
        .column(agreement_goal::Column::Status)
        .filter(agreement_goal::Column::AgreementId.eq(input.agreement_id))
        .into_tuple()
        .all(work)
        .await?;
    let mut checked = Vec::with_capacity(input.goals.len());
    for (index, assessment) in input.goals.iter().enumerate() {
        let field = format!("input.goals[{index}].goalId");
        let known = goals.iter().find(|(id, _)| GoalId::from(*id) == assessment.goal_id);
        match known {
            None => {
                let message = Message::new(MessageKey::GoalNotOfAgreement).with("field", field.clone());
                return Err(AppError::bad_input(field, message));
            }
            Some((_, GoalStatus::Dropped)) => return Err(AppError::bad_input(field, MessageKey::GoalDropped)),
            Some(_) if input.goals[..index].iter().any(|a| a.goal_id == assessment.goal_id) => {
                let message = Message::new(MessageKey::GoalTwice)
                    .with("field", field.clone())
                    .with("goal", assessment.goal_id);
                return Err(AppError::bad_input(field, message));
            }
            Some(_) => {}
        }
        let note_field = format!("input.goals[{index}].note");
        let note = validate::optional_text(&note_field, assessment.note.as_deref(), 5_000)?;
        checked.push((assessment.clone(), note));
    }
    Ok((reflection, checked))
}

/// The agreement's draft, if one is saved.
async fn draft_of(work: &UnitOfWork, agreement: AgreementId) -> AppResult<Option<agreement_review::Model>> {
    Ok(agreement_review::Entity::find()
        .filter(agreement_review::Column::AgreementId.eq(agreement))
        .filter(agreement_review::Column::Status.eq(ReviewStatus::Draft))
        .one(work)
        .await?)
}

/// Writes the review (the draft changed, or a new row) with its assessments; a submitted
/// review is never written again (the update is guarded by its status).
async fn write_review(
    work: &UnitOfWork,
    viewer: &Viewer,
    input: &ReviewInput,
    status: ReviewStatus,
) -> AppResult<agreement_review::Model> {
    let (reflection, assessments) = check(work, input).await?;
    let at = now();
    let submitted = status == ReviewStatus::Submitted;
    let draft = draft_of(work, input.agreement_id).await?;
    let is_new = draft.is_none();
    let mut model = match draft {
        Some(draft) => draft.into(),
        None => agreement_review::ActiveModel {
            id: Set(Uuid::now_v7()),
            agreement_id: Set(input.agreement_id.into()),
            created_at: Set(at),
            ..Default::default()
        },
    };
    model.status = Set(status);
    model.held_on = Set(input.held_on);
    model.reflection = Set(reflection);
    model.next_review_on = Set(input.next_review_on);
    model.drafted_by = Set(viewer.member_id());
    model.submitted_by = Set(submitted.then(|| viewer.member_id()).flatten());
    model.submitted_at = Set(submitted.then_some(at));
    model.updated_at = Set(at);
    let review = if is_new {
        model.insert(work).await?
    } else {
        model.update(work).await?
    };
    agreement_review_goal::Entity::delete_many()
        .filter(agreement_review_goal::Column::ReviewId.eq(review.id))
        .exec(work)
        .await?;
    if !assessments.is_empty() {
        agreement_review_goal::Entity::insert_many(assessments.iter().map(|(a, note)| {
            agreement_review_goal::ActiveModel {
                review_id: Set(review.id),
                goal_id: Set(a.goal_id.into()),
                status: Set(a.status),
                note: Set(note.clone()),
            }
        }))
        .exec(work)
        .await?;
    }
    if submitted {
        for (assessment, _) in &assessments {
            agreement_goal::Entity::update_many()
                .col_expr(agreement_goal::Column::Status, Expr::value(assessment.status))
                .col_expr(agreement_goal::Column::UpdatedAt, Expr::value(at))
                .filter(agreement_goal::Column::Id.eq(assessment.goal_id))
                .exec(work)
                .await?;
        }
    }
    Ok(review)
}

/// Moves the agreement to `status` (and its next review), raising its version.
async fn move_agreement(
    work: &UnitOfWork,
    current: agreement::Model,
    status: AgreementStatus,
    next_review_on: Option<Option<NaiveDate>>,
) -> AppResult<()> {
    let version = current.version;
    let mut model: agreement::ActiveModel = current.into();
    model.status = Set(status);
    if let Some(next) = next_review_on {
        model.next_review_on = Set(next);
    }
    model.version = Set(version + 1);
    model.updated_at = Set(now());
    model.update(work).await?;
    Ok(())
}

/// Saves the agreement's review draft (either side); the agreement is UNDER_REVIEW meanwhile.
pub async fn save_review_draft(
    writer: &Writer,
    viewer: &Viewer,
    input: ReviewInput,
) -> AppResult<agreement_review::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let (agreement, _) = for_change(&work, viewer, input.agreement_id).await?;
    ensure_open(&agreement)?;
    let review = write_review(&work, viewer, &input, ReviewStatus::Draft).await?;
    if agreement.status != AgreementStatus::UnderReview {
        move_agreement(&work, agreement, AgreementStatus::UnderReview, None).await?;
    }
    record(&work, input.agreement_id, viewer, AgreementAction::ReviewDrafted, None).await?;
    work.commit().await?;
    Ok(review)
}

/// Submits the review (the draft, if one is saved): immutable from now on. Concluding is the
/// agency's staff's.
pub async fn submit_review(writer: &Writer, viewer: &Viewer, input: ReviewInput) -> AppResult<agreement_review::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let (agreement, involvement) = for_change(&work, viewer, input.agreement_id).await?;
    ensure_open(&agreement)?;
    if input.conclude && !matches!(involvement, Involvement::Agency | Involvement::Admin) {
        return Err(AppError::forbidden(MessageKey::NeedsAccompanyingAgency));
    }
    let review = write_review(&work, viewer, &input, ReviewStatus::Submitted).await?;
    let status = if input.conclude {
        AgreementStatus::Concluded
    } else {
        AgreementStatus::Active
    };
    move_agreement(&work, agreement, status, Some(input.next_review_on)).await?;
    record(
        &work,
        input.agreement_id,
        viewer,
        AgreementAction::ReviewSubmitted,
        None,
    )
    .await?;
    work.commit().await?;
    Ok(review)
}

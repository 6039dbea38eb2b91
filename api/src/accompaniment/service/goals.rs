//! The goals of an accompaniment: added by either side, changed while not dropped, dropped with
//! a reason (they stay in the record). A goal may be measured by an education indicator of the
//! municipality, from the baseline year's value towards a target value in a target year.

use dkbm_entity::{AgreementAction, GoalStatus, agreement_goal};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::access::{ensure_open, for_change};
use super::timeline::record;
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::require_topics;
use crate::error::{AppError, AppResult};
use crate::ids::{AgreementId, GoalId};
use crate::indicators::service::{check_year, require_indicators};
use crate::messages::MessageKey;
use crate::patch::Patch;
use crate::validate;

/// What a goal says, as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct GoalDraft {
    pub title: String,
    pub description: Option<String>,
    /// A topic's slug.
    pub topic: Option<String>,
    pub indicator_code: Option<String>,
    pub baseline_year: Option<i32>,
    pub target_value: Option<f64>,
    pub target_year: Option<i32>,
}

/// A new goal of an agreement.
#[derive(Debug, Clone)]
pub struct NewGoal {
    pub agreement_id: AgreementId,
    pub draft: GoalDraft,
}

/// Changes to a goal: `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct GoalChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub topic: Option<Option<String>>,
    pub indicator_code: Option<Option<String>>,
    pub baseline_year: Option<Option<i32>>,
    pub target_value: Option<Option<f64>>,
    pub target_year: Option<Option<i32>>,
}

impl Patch<GoalDraft> for GoalChanges {
    fn apply_to(self, draft: &mut GoalDraft) {
        self.title.apply_to(&mut draft.title);
        self.description.apply_to(&mut draft.description);
        self.topic.apply_to(&mut draft.topic);
        self.indicator_code.apply_to(&mut draft.indicator_code);
        self.baseline_year.apply_to(&mut draft.baseline_year);
        self.target_value.apply_to(&mut draft.target_value);
        self.target_year.apply_to(&mut draft.target_year);
    }
}

/// A goal's columns, checked.
struct CheckedGoal {
    title: String,
    description: Option<String>,
    topic_id: Option<Uuid>,
    indicator_id: Option<Uuid>,
    baseline_year: Option<i32>,
    target_value: Option<f64>,
    target_year: Option<i32>,
}

fn given(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// Checks a draft as a whole: texts, the topic and indicator named, the years.
async fn check_goal(db: &impl ConnectionTrait, draft: &GoalDraft) -> AppResult<CheckedGoal> {
    let title = validate::one_line("input.title", &draft.title, 300)?;
    let description = validate::optional_text("input.description", draft.description.as_deref(), 10_000)?;
    let topic_id = match given(draft.topic.as_deref()) {
        Some(slug) => require_topics(db, "input.topic", &[slug]).await?.first().map(|t| t.id),
        None => None,
    };
    let indicator_id = match given(draft.indicator_code.as_deref()) {
        Some(code) => require_indicators(db, "input.indicatorCode", &[code])
            .await?
            .first()
            .map(|i| i.id),
        None => None,
    };
    let baseline_year = draft
        .baseline_year
        .map(|y| check_year("input.baselineYear", y))
        .transpose()?;
    let target_year = draft
        .target_year
        .map(|y| check_year("input.targetYear", y))
        .transpose()?;
    if let (Some(baseline), Some(target)) = (baseline_year, target_year)
        && target < baseline
    {
        return Err(AppError::bad_input(
            "input.targetYear",
            MessageKey::TargetYearBeforeBaseline,
        ));
    }
    Ok(CheckedGoal {
        title,
        description,
        topic_id,
        indicator_id,
        baseline_year,
        target_value: draft.target_value,
        target_year,
    })
}

fn set_columns(model: &mut agreement_goal::ActiveModel, goal: CheckedGoal) {
    model.title = Set(goal.title);
    model.description = Set(goal.description);
    model.topic_id = Set(goal.topic_id);
    model.indicator_id = Set(goal.indicator_id);
    model.baseline_year = Set(goal.baseline_year);
    model.target_value = Set(goal.target_value);
    model.target_year = Set(goal.target_year);
}

/// Adds a goal (either side, while the accompaniment is not concluded).
pub async fn add_goal(writer: &Writer, viewer: &Viewer, input: NewGoal) -> AppResult<agreement_goal::Model> {
    let checked = check_goal(writer.conn(), &input.draft).await?;
    let work = UnitOfWork::begin(writer).await?;
    let (agreement, _) = for_change(&work, viewer, input.agreement_id).await?;
    ensure_open(&agreement)?;
    let count = agreement_goal::Entity::find()
        .filter(agreement_goal::Column::AgreementId.eq(agreement.id))
        .count(&work)
        .await?;
    let at = now();
    let mut model = agreement_goal::ActiveModel {
        id: Set(Uuid::now_v7()),
        agreement_id: Set(agreement.id),
        position: Set(i32::try_from(count).unwrap_or(i32::MAX)),
        status: Set(GoalStatus::Open),
        dropped_reason: Set(None),
        created_by: Set(viewer.member_id()),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    let title = checked.title.clone();
    set_columns(&mut model, checked);
    let goal = model.insert(&work).await?;
    record(
        &work,
        input.agreement_id,
        viewer,
        AgreementAction::GoalAdded,
        Some(title),
    )
    .await?;
    work.commit().await?;
    Ok(goal)
}

/// The goal and its agreement, locked for a change by someone inside; NOT_FOUND for everyone
/// else (as for a goal that does not exist).
async fn goal_for_change(work: &UnitOfWork, viewer: &Viewer, id: GoalId) -> AppResult<agreement_goal::Model> {
    let not_found = || AppError::not_found(MessageKey::NoSuchGoal);
    let goal = agreement_goal::Entity::find_by_id(id)
        .one(work)
        .await?
        .ok_or_else(not_found)?;
    let (agreement, _) = for_change(work, viewer, goal.agreement_id.into())
        .await
        .map_err(|error| match error.code() {
            "FORBIDDEN" => not_found(),
            _ => error,
        })?;
    ensure_open(&agreement)?;
    if goal.status == GoalStatus::Dropped {
        return Err(AppError::conflict("id", MessageKey::GoalDropped));
    }
    Ok(goal)
}

/// Changes a goal that is not dropped.
pub async fn update_goal(
    writer: &Writer,
    viewer: &Viewer,
    id: GoalId,
    changes: GoalChanges,
) -> AppResult<agreement_goal::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let goal = goal_for_change(&work, viewer, id).await?;
    let mut draft = GoalDraft {
        title: goal.title.clone(),
        description: goal.description.clone(),
        topic: None,
        indicator_code: None,
        baseline_year: goal.baseline_year,
        target_value: goal.target_value,
        target_year: goal.target_year,
    };
    let (keeps_topic, keeps_indicator) = (changes.topic.is_none(), changes.indicator_code.is_none());
    changes.apply_to(&mut draft);
    let mut checked = check_goal(&work, &draft).await?;
    if keeps_topic {
        checked.topic_id = goal.topic_id;
    }
    if keeps_indicator {
        checked.indicator_id = goal.indicator_id;
    }
    let title = checked.title.clone();
    let agreement_id = goal.agreement_id;
    let mut model: agreement_goal::ActiveModel = goal.into();
    set_columns(&mut model, checked);
    model.updated_at = Set(now());
    let goal = model.update(&work).await?;
    record(
        &work,
        agreement_id.into(),
        viewer,
        AgreementAction::GoalUpdated,
        Some(title),
    )
    .await?;
    work.commit().await?;
    Ok(goal)
}

/// Drops a goal with a reason: it stays in the record, DROPPED.
pub async fn drop_goal(writer: &Writer, viewer: &Viewer, id: GoalId, reason: &str) -> AppResult<agreement_goal::Model> {
    let reason = validate::required_text("reason", reason, 2_000)?;
    let work = UnitOfWork::begin(writer).await?;
    let goal = goal_for_change(&work, viewer, id).await?;
    let subject = format!("{}: {reason}", goal.title);
    let agreement_id = goal.agreement_id;
    let mut model: agreement_goal::ActiveModel = goal.into();
    model.status = Set(GoalStatus::Dropped);
    model.dropped_reason = Set(Some(reason));
    model.updated_at = Set(now());
    let goal = model.update(&work).await?;
    record(
        &work,
        agreement_id.into(),
        viewer,
        AgreementAction::GoalDropped,
        Some(subject),
    )
    .await?;
    work.commit().await?;
    Ok(goal)
}

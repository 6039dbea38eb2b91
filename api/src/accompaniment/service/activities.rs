//! Recording what was done in an accompaniment: an activity on a day, towards some of its
//! goals, possibly held as a training event of the platform, with the members who took part.

use chrono::NaiveDate;
use dkbm_entity::{
    ActivityKind, AgreementAction, agreement_activity, agreement_activity_goal, agreement_activity_participant,
    agreement_goal, member,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::access::{ensure_open, for_change};
use super::timeline::record;
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::events::service::event_by_id;
use crate::ids::{AgreementId, EventId, GoalId, MemberId};
use crate::messages::{Message, MessageKey};
use crate::validate;

/// An activity to record.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub agreement_id: AgreementId,
    pub kind: ActivityKind,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub notes: Option<String>,
    pub goal_ids: Vec<GoalId>,
    pub training_event_id: Option<EventId>,
    pub participant_ids: Vec<MemberId>,
}

/// At most this many goals or participants per activity.
const MAX_LINKS: usize = 100;

/// The first entry of `ids` that is named twice or is not in `known`: its index.
fn first_unknown<T: PartialEq + Copy>(ids: &[T], known: &[T]) -> Option<usize> {
    ids.iter()
        .enumerate()
        .find(|(index, id)| !known.contains(id) || ids[..*index].contains(id))
        .map(|(index, _)| index)
}

/// Checks the goals (of this agreement), the event and the members named.
async fn check_links(db: &impl ConnectionTrait, agreement: AgreementId, input: &NewActivity) -> AppResult<()> {
    for (field, count) in [
        ("input.goalIds", input.goal_ids.len()),
        ("input.participantIds", input.participant_ids.len()),
    ] {
        if count > MAX_LINKS {
            return Err(AppError::bad_input(
                field,
                Message::new(MessageKey::AtMostEntries).with("max", MAX_LINKS),
            ));
        }
    }
    let goals: Vec<GoalId> = agreement_goal::Entity::find()
        .select_only()
        .column(agreement_goal::Column::Id)
        .filter(agreement_goal::Column::AgreementId.eq(agreement))
        .filter(agreement_goal::Column::Id.is_in(input.goal_ids.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(GoalId::from)
        .collect();
    if let Some(index) = first_unknown(&input.goal_ids, &goals) {
        let field = format!("input.goalIds[{index}]");
        return Err(AppError::bad_input(
            field.clone(),
            Message::new(MessageKey::GoalNotOfAgreement).with("field", field),
        ));
    }
    if let Some(event) = input.training_event_id
        && event_by_id(db, event).await?.is_none()
    {
        let field = "input.trainingEventId";
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::NoSuchEventForActivity).with("field", field),
        ));
    }
    let members: Vec<MemberId> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(member::Column::Id.is_in(input.participant_ids.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .map(MemberId::from)
        .collect();
    if let Some(index) = first_unknown(&input.participant_ids, &members) {
        return Err(AppError::bad_input(
            format!("input.participantIds[{index}]"),
            MessageKey::NoSuchMember,
        ));
    }
    Ok(())
}

/// Records an activity (either side, while the accompaniment is not concluded).
pub async fn record_activity(
    writer: &Writer,
    viewer: &Viewer,
    input: NewActivity,
) -> AppResult<agreement_activity::Model> {
    let title = validate::one_line("input.title", &input.title, 300)?;
    let notes = validate::optional_text("input.notes", input.notes.as_deref(), 20_000)?;
    let work = UnitOfWork::begin(writer).await?;
    let (agreement, _) = for_change(&work, viewer, input.agreement_id).await?;
    ensure_open(&agreement)?;
    check_links(&work, input.agreement_id, &input).await?;
    let activity = agreement_activity::ActiveModel {
        id: Set(Uuid::now_v7()),
        agreement_id: Set(agreement.id),
        kind: Set(input.kind),
        occurred_on: Set(input.occurred_on),
        title: Set(title.clone()),
        notes: Set(notes),
        training_event_id: Set(input.training_event_id.map(Into::into)),
        recorded_by: Set(viewer.member_id()),
        created_at: Set(now()),
    }
    .insert(&work)
    .await?;
    if !input.goal_ids.is_empty() {
        agreement_activity_goal::Entity::insert_many(input.goal_ids.iter().map(|goal| {
            agreement_activity_goal::ActiveModel {
                activity_id: Set(activity.id),
                goal_id: Set((*goal).into()),
            }
        }))
        .exec(&work)
        .await?;
    }
    if !input.participant_ids.is_empty() {
        agreement_activity_participant::Entity::insert_many(input.participant_ids.iter().map(|member| {
            agreement_activity_participant::ActiveModel {
                activity_id: Set(activity.id),
                member_id: Set((*member).into()),
            }
        }))
        .exec(&work)
        .await?;
    }
    record(
        &work,
        input.agreement_id,
        viewer,
        AgreementAction::ActivityRecorded,
        Some(title),
    )
    .await?;
    work.commit().await?;
    Ok(activity)
}

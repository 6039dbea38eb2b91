//! The member's part of accompaniments in their data export: the goals they added, the
//! activities they recorded or took part in, the reviews they drafted or submitted, and their
//! timeline entries. Deleting the account keeps all of it, under "deleted member" (the
//! references are set to null by the database).

use dkbm_entity::{
    agreement_activity, agreement_activity_participant, agreement_entry, agreement_goal, agreement_review,
};
use futures::future::BoxFuture;
use sea_orm::{ActiveEnum, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::error::AppResult;
use crate::ids::{AgreementId, MemberId, global};

fn agreement_of(id: uuid::Uuid) -> String {
    global(AgreementId::from(id))
}

async fn export(db: &DatabaseConnection, member: MemberId) -> AppResult<Value> {
    let goals = agreement_goal::Entity::find()
        .filter(agreement_goal::Column::CreatedBy.eq(member))
        .all(db)
        .await?;
    let took_part = sea_orm::sea_query::Query::select()
        .column(agreement_activity_participant::Column::ActivityId)
        .from(agreement_activity_participant::Entity)
        .and_where(agreement_activity_participant::Column::MemberId.eq(member))
        .to_owned();
    let activities = agreement_activity::Entity::find()
        .filter(
            Condition::any()
                .add(agreement_activity::Column::RecordedBy.eq(member))
                .add(agreement_activity::Column::Id.in_subquery(took_part)),
        )
        .all(db)
        .await?;
    let reviews = agreement_review::Entity::find()
        .filter(
            Condition::any()
                .add(agreement_review::Column::DraftedBy.eq(member))
                .add(agreement_review::Column::SubmittedBy.eq(member)),
        )
        .all(db)
        .await?;
    let entries = agreement_entry::Entity::find()
        .filter(agreement_entry::Column::MemberId.eq(member))
        .all(db)
        .await?;
    Ok(json!({
        "goals": goals.iter().map(|g| json!({
            "agreement": agreement_of(g.agreement_id), "title": g.title, "description": g.description,
            "createdAt": g.created_at,
        })).collect::<Vec<_>>(),
        "activities": activities.iter().map(|a| json!({
            "agreement": agreement_of(a.agreement_id), "kind": a.kind.to_value(), "occurredOn": a.occurred_on,
            "title": a.title, "notes": a.notes, "recordedByMe": a.recorded_by == Some(member.into()),
        })).collect::<Vec<_>>(),
        "reviews": reviews.iter().map(|r| json!({
            "agreement": agreement_of(r.agreement_id), "status": r.status.to_value(), "heldOn": r.held_on,
            "reflection": r.reflection, "submittedAt": r.submitted_at,
        })).collect::<Vec<_>>(),
        "timeline": entries.iter().map(|e| json!({
            "agreement": agreement_of(e.agreement_id), "action": e.action.to_value(), "subject": e.subject, "at": e.at,
        })).collect::<Vec<_>>(),
    }))
}

/// The export's `accompaniment` section.
pub fn export_member(db: &DatabaseConnection, member: MemberId) -> BoxFuture<'_, AppResult<(&'static str, Value)>> {
    Box::pin(async move { Ok(("accompaniment", export(db, member).await?)) })
}

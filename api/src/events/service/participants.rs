//! The organisers' participant list (GraphQL and the CSV export's rows), and a member's
//! registrations under data protection: their export and their erasure with the account.

use std::collections::HashMap;

use dkbm_entity::{RegistrationStatus, agency, member, municipality, registration, training_event};
use futures::future::BoxFuture;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::access::registration_by_id;
use super::waitlist::withdraw;
use super::{availability_changed, lock_event, require_event};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, now};
use crate::error::AppResult;
use crate::ids::{EventId, MemberId};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};

/// Filters of the participant list.
#[derive(Debug, Clone, Default)]
pub struct ParticipantFilter {
    /// Empty: every status but CANCELLED.
    pub statuses: Vec<RegistrationStatus>,
}

/// The registrations of an event in the order they registered (organisers only).
pub async fn participants(
    db: &DatabaseConnection,
    viewer: &Viewer,
    event_id: EventId,
    filter: &ParticipantFilter,
    page: &PageArgs,
) -> AppResult<Page<registration::Model>> {
    let event = require_event(db, event_id).await?;
    ensure_agency_editor(viewer, event.organizer_agency_id)?;
    let statuses = if filter.statuses.is_empty() {
        vec![
            RegistrationStatus::Confirmed,
            RegistrationStatus::Attended,
            RegistrationStatus::Waitlisted,
        ]
    } else {
        filter.statuses.clone()
    };
    let select = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.is_in(statuses));
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "PARTICIPANTS".into(),
        keys: vec![
            (Expr::col(registration::Column::RegisteredAt), KeyKind::Time),
            (Expr::col(registration::Column::Id), KeyKind::Uuid),
        ],
        descending: false,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |r| vec![Key::Time(r.registered_at), Key::Uuid(r.id)]))
}

/// Every registration of an event with its member and the member's affiliation (agency or
/// municipality name), in registration order: the organisers' CSV export.
pub async fn participant_rows(
    db: &DatabaseConnection,
    viewer: &Viewer,
    event: &training_event::Model,
) -> AppResult<Vec<(registration::Model, Option<member::Model>, String)>> {
    ensure_agency_editor(viewer, event.organizer_agency_id)?;
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event.id))
        .order_by_asc(registration::Column::RegisteredAt)
        .order_by_asc(registration::Column::Id)
        .find_also_related(member::Entity)
        .all(db)
        .await?;
    let agency_ids: Vec<Uuid> = rows.iter().filter_map(|(_, m)| m.as_ref()?.agency_id).collect();
    let municipality_ids: Vec<Uuid> = rows.iter().filter_map(|(_, m)| m.as_ref()?.municipality_id).collect();
    let agencies: HashMap<Uuid, String> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(agency_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let municipalities: HashMap<Uuid, String> = municipality::Entity::find()
        .filter(municipality::Column::Id.is_in(municipality_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|(registration, member)| {
            let affiliation = member
                .as_ref()
                .and_then(|m| {
                    let agency = m.agency_id.and_then(|id| agencies.get(&id));
                    let municipality = m.municipality_id.and_then(|id| municipalities.get(&id));
                    agency.or(municipality).cloned()
                })
                .unwrap_or_default();
            (registration, member, affiliation)
        })
        .collect())
}

/// The data-protection eraser: a deleted member's registrations go; their seats go to the
/// waiting lists (inside the deletion's transaction), and the events' live subscribers hear of
/// it after the commit.
pub fn erase_registrations(work: &UnitOfWork, member_id: MemberId) -> BoxFuture<'_, AppResult<()>> {
    Box::pin(async move {
        let active = registration::Entity::find()
            .filter(registration::Column::MemberId.eq(member_id))
            .filter(registration::Column::Status.is_in([RegistrationStatus::Confirmed, RegistrationStatus::Waitlisted]))
            // Events are locked in one order, so that two erasers never wait on each other.
            .order_by_asc(registration::Column::EventId)
            .all(work)
            .await?;
        let at = now();
        for registration in active {
            let event_id = EventId::from(registration.event_id);
            work.announce(availability_changed(event_id));
            let event = lock_event(work, event_id).await?;
            // Read again under the lock: its position may have changed.
            if let Some(current) = registration_by_id(work, registration.id.into()).await? {
                withdraw(work, event, current, at).await?;
            }
        }
        registration::Entity::delete_many()
            .filter(registration::Column::MemberId.eq(member_id))
            .exec(work)
            .await?;
        Ok(())
    })
}

/// The data-protection export of a member's registrations.
pub fn export_registrations(
    db: &DatabaseConnection,
    member_id: MemberId,
) -> BoxFuture<'_, AppResult<(&'static str, serde_json::Value)>> {
    Box::pin(async move {
        let rows = registration::Entity::find()
            .filter(registration::Column::MemberId.eq(member_id))
            .order_by_asc(registration::Column::RegisteredAt)
            .find_also_related(training_event::Entity)
            .all(db)
            .await?;
        let list: Vec<serde_json::Value> = rows
            .into_iter()
            .map(|(r, event)| {
                serde_json::json!({
                    "id": r.id,
                    "event": event.map(|e| e.slug),
                    "status": r.status,
                    "waitlistPosition": r.waitlist_position,
                    "note": r.note,
                    "attendance": r.attendance,
                    "registeredAt": r.registered_at,
                    "confirmedAt": r.confirmed_at,
                    "cancelledAt": r.cancelled_at,
                })
            })
            .collect();
        Ok(("registrations", serde_json::Value::Array(list)))
    })
}

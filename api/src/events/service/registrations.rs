//! Registrations: seats while free, then the waiting list in order of registration, never more
//! confirmed than seats. Every change of an event's registrations locks the event row first
//! ([`lock_event`]) and keeps its counters (`seats_taken`, `waitlist_length`) in step in the
//! same transaction, so the invariants hold across replicas without any lock in memory:
//!
//! - `seats_taken` = registrations CONFIRMED or ATTENDED ≤ capacity;
//! - the WAITLISTED registrations have the positions 1..=`waitlist_length`, in the order they
//!   registered;
//! - while the event has not started, a free seat goes to position 1 at once.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use dkbm_entity::{
    Attendance, EventStatus, RegistrationStatus, agency, member, municipality, registration, training_event,
};
use futures::future::BoxFuture;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::{availability_changed, lock_event, registration_open, require_event};
use crate::auth::{Viewer, ensure_agency_editor, ensure_member, ensure_signed_in};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::realtime::Event;
use crate::state::AppState;
use crate::validate;

/// A registration by id.
pub async fn registration_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<registration::Model>> {
    Ok(registration::Entity::find_by_id(id).one(db).await?)
}

/// Whether the viewer may see the registration: the member themself and the organisers.
pub fn may_see_registration(
    viewer: &Viewer,
    registration: &registration::Model,
    event: &training_event::Model,
) -> bool {
    viewer.member_id() == Some(registration.member_id) || viewer.can_edit_for_agency(event.organizer_agency_id)
}

fn seat_free(event: &training_event::Model) -> bool {
    super::seats_free(event).is_none_or(|free| free > 0)
}

async fn save_counters(
    db: &impl ConnectionTrait,
    event: training_event::Model,
    seats_taken: i32,
    waitlist_length: i32,
) -> AppResult<training_event::Model> {
    if event.seats_taken == seats_taken && event.waitlist_length == waitlist_length {
        return Ok(event);
    }
    let mut model: training_event::ActiveModel = event.into();
    model.seats_taken = Set(seats_taken);
    model.waitlist_length = Set(waitlist_length);
    Ok(model.update(db).await?)
}

/// Moves everyone behind `position` on the waiting list one place up.
async fn close_up(db: &impl ConnectionTrait, event_id: Uuid, position: i32, by: i32) -> AppResult<()> {
    registration::Entity::update_many()
        .col_expr(
            registration::Column::WaitlistPosition,
            Expr::col(registration::Column::WaitlistPosition).sub(by),
        )
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .filter(registration::Column::WaitlistPosition.gt(position))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives free seats to the head of the waiting list, while the event has not started (two
/// statements, however many move up). The event must be locked by the caller.
pub async fn fill_free_seats(
    db: &impl ConnectionTrait,
    event: training_event::Model,
    at: DateTime<Utc>,
) -> AppResult<training_event::Model> {
    if event.status != EventStatus::Scheduled || at >= event.starts_at || event.waitlist_length == 0 {
        return Ok(event);
    }
    let free = super::seats_free(&event).map_or(event.waitlist_length, |free| Ord::min(free, event.waitlist_length));
    if free == 0 {
        return Ok(event);
    }
    registration::Entity::update_many()
        .col_expr(registration::Column::Status, Expr::val(RegistrationStatus::Confirmed))
        .col_expr(registration::Column::WaitlistPosition, Expr::val(Option::<i32>::None))
        .col_expr(registration::Column::ConfirmedAt, Expr::val(at))
        .col_expr(registration::Column::UpdatedAt, Expr::val(at))
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .filter(registration::Column::WaitlistPosition.lte(free))
        .exec(db)
        .await?;
    close_up(db, event.id, 0, free).await?;
    let (taken, waiting) = (event.seats_taken + free, event.waitlist_length - free);
    save_counters(db, event, taken, waiting).await
}

/// Takes a registration out (cancelled): its seat goes to the waiting list, or the list closes
/// up behind it. The event must be locked by the caller.
async fn withdraw(
    db: &impl ConnectionTrait,
    event: training_event::Model,
    registration: registration::Model,
    at: DateTime<Utc>,
) -> AppResult<(training_event::Model, registration::Model)> {
    let status = registration.status;
    let position = registration.waitlist_position;
    let mut model: registration::ActiveModel = registration.into();
    model.status = Set(RegistrationStatus::Cancelled);
    model.waitlist_position = Set(None);
    model.cancelled_at = Set(Some(at));
    model.updated_at = Set(at);
    let cancelled = model.update(db).await?;
    let event = match (status, position) {
        (RegistrationStatus::Confirmed | RegistrationStatus::Attended, _) => {
            let (taken, waiting) = (event.seats_taken - 1, event.waitlist_length);
            let event = save_counters(db, event, taken, waiting).await?;
            fill_free_seats(db, event, at).await?
        }
        (RegistrationStatus::Waitlisted, Some(position)) => {
            close_up(db, event.id, position, 1).await?;
            let (taken, waiting) = (event.seats_taken, event.waitlist_length - 1);
            save_counters(db, event, taken, waiting).await?
        }
        _ => event,
    };
    Ok((event, cancelled))
}

/// Registers the signed-in viewer: CONFIRMED while a seat is free, else WAITLISTED at the end
/// of the list when the event has one, else EVENT_FULL.
pub async fn register(
    state: &AppState,
    viewer: &Viewer,
    event_id: Uuid,
    note: Option<&str>,
) -> AppResult<registration::Model> {
    let me = ensure_member(viewer)?;
    let note = validate::optional_text("note", note, 1000)?;
    let already = || AppError::Conflict {
        message: "you are already registered for this event".into(),
        field: Some("eventId".into()),
        current_version: None,
    };
    // Looked up before the event's lock is taken, to keep the time under it short: a new
    // registration relies on the unique (member, event) index, a renewed one is read again
    // under the lock.
    let previous = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::MemberId.eq(me.id))
        .one(state.conn())
        .await?;
    if previous
        .as_ref()
        .is_some_and(|r| r.status != RegistrationStatus::Cancelled)
    {
        return Err(already());
    }
    let work = UnitOfWork::begin(state).await?;
    let event = lock_event(&work, event_id).await?;
    let at = now();
    match event.status {
        EventStatus::Cancelled => {
            return Err(AppError::bad_input("eventId", "the event was cancelled"));
        }
        EventStatus::Completed => {
            return Err(AppError::bad_input("eventId", "the event is over"));
        }
        EventStatus::Scheduled => {}
    }
    if at >= event.starts_at {
        return Err(AppError::bad_input(
            "eventId",
            "the event has already started; registration is closed",
        ));
    }
    if let Some(opens) = event.registration_opens_at
        && at < opens
    {
        return Err(AppError::bad_input(
            "eventId",
            format!("registration opens at {}", opens.to_rfc3339()),
        ));
    }
    if let Some(closes) = event.registration_closes_at
        && at >= closes
    {
        return Err(AppError::bad_input(
            "eventId",
            format!("registration closed at {}", closes.to_rfc3339()),
        ));
    }
    let existing = match previous {
        Some(previous) => {
            let current = registration_by_id(&work, previous.id).await?;
            if current
                .as_ref()
                .is_some_and(|r| r.status != RegistrationStatus::Cancelled)
            {
                return Err(already());
            }
            current
        }
        None => None,
    };
    let (status, position) = if seat_free(&event) {
        (RegistrationStatus::Confirmed, None)
    } else if event.waitlist_enabled {
        (RegistrationStatus::Waitlisted, Some(event.waitlist_length + 1))
    } else {
        return Err(AppError::EventFull(
            "the event is fully booked and has no waiting list".into(),
        ));
    };
    let confirmed_at = (status == RegistrationStatus::Confirmed).then_some(at);
    let saved = match existing {
        // A member who cancelled may register again: at the end of the line.
        Some(previous) => {
            let mut model: registration::ActiveModel = previous.into();
            model.status = Set(status);
            model.waitlist_position = Set(position);
            model.note = Set(note);
            model.attendance = Set(None);
            model.registered_at = Set(at);
            model.confirmed_at = Set(confirmed_at);
            model.cancelled_at = Set(None);
            model.updated_at = Set(at);
            model.update(&work).await?
        }
        None => registration::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(event_id),
            member_id: Set(me.id),
            status: Set(status),
            waitlist_position: Set(position),
            note: Set(note),
            attendance: Set(None),
            registered_at: Set(at),
            confirmed_at: Set(confirmed_at),
            cancelled_at: Set(None),
            updated_at: Set(at),
        }
        .insert(&work)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => already(),
            _ => AppError::from(e),
        })?,
    };
    let (taken, waiting) = match status {
        RegistrationStatus::Confirmed => (event.seats_taken + 1, event.waitlist_length),
        _ => (event.seats_taken, event.waitlist_length + 1),
    };
    save_counters(&work, event, taken, waiting).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(saved)
}

/// Loads a registration and its (locked) event for a change. For organisers' actions
/// (`organizers_only`) everyone else is FORBIDDEN; otherwise viewers who may not see it get
/// NOT_FOUND. Returns whether the viewer organises the event.
async fn for_change(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    registration_id: Uuid,
    organizers_only: bool,
) -> AppResult<(training_event::Model, registration::Model, bool)> {
    ensure_signed_in(viewer)?;
    let not_found = || AppError::not_found("no such registration");
    let found = registration_by_id(txn, registration_id).await?.ok_or_else(not_found)?;
    let event = lock_event(txn, found.event_id).await?;
    // Read again under the event's lock: it may have moved up meanwhile.
    let registration = registration_by_id(txn, registration_id).await?.ok_or_else(not_found)?;
    if organizers_only {
        ensure_agency_editor(viewer, event.organizer_agency_id)?;
    }
    if !may_see_registration(viewer, &registration, &event) {
        return Err(not_found());
    }
    let organizer = viewer.can_edit_for_agency(event.organizer_agency_id);
    Ok((event, registration, organizer))
}

/// Cancels a registration: by the member until the event starts, by an organiser at any time.
/// The seat goes to the first on the waiting list in the same transaction. Cancelling a
/// cancelled registration changes nothing.
pub async fn cancel_registration(
    state: &AppState,
    viewer: &Viewer,
    registration_id: Uuid,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(state).await?;
    let (event, registration, organizer) = for_change(&work, viewer, registration_id, false).await?;
    if registration.status == RegistrationStatus::Cancelled {
        return Ok(registration);
    }
    let at = now();
    if !organizer && at >= event.starts_at {
        return Err(AppError::bad_input(
            "registrationId",
            "the event has started; only the organiser can cancel now",
        ));
    }
    if registration.attendance.is_some() {
        return Err(AppError::bad_input(
            "registrationId",
            "attendance was recorded for this registration; it can no longer be cancelled",
        ));
    }
    let event_id = event.id;
    let (_, cancelled) = withdraw(&work, event, registration, at).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(cancelled)
}

/// Moves a waitlisted registration to a free seat by hand (organisers; e.g. after the event
/// started, when seats are no longer filled automatically).
pub async fn promote_registration(
    state: &AppState,
    viewer: &Viewer,
    registration_id: Uuid,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(state).await?;
    let (event, registration, _) = for_change(&work, viewer, registration_id, true).await?;
    let Some(position) = registration
        .waitlist_position
        .filter(|_| registration.status == RegistrationStatus::Waitlisted)
    else {
        return Err(AppError::bad_input(
            "registrationId",
            "only a registration on the waiting list can be moved to a seat",
        ));
    };
    if event.status != EventStatus::Scheduled {
        return Err(AppError::bad_input(
            "registrationId",
            "the event is no longer scheduled",
        ));
    }
    if !seat_free(&event) {
        return Err(AppError::Conflict {
            message: "no seat is free".into(),
            field: Some("registrationId".into()),
            current_version: None,
        });
    }
    let at = now();
    let mut model: registration::ActiveModel = registration.into();
    model.status = Set(RegistrationStatus::Confirmed);
    model.waitlist_position = Set(None);
    model.confirmed_at = Set(Some(at));
    model.updated_at = Set(at);
    let promoted = model.update(&work).await?;
    close_up(&work, event.id, position, 1).await?;
    let event_id = event.id;
    let (taken, waiting) = (event.seats_taken + 1, event.waitlist_length - 1);
    save_counters(&work, event, taken, waiting).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(promoted)
}

/// Records whether a confirmed participant came (organisers, once the event has started).
pub async fn mark_attendance(
    state: &AppState,
    viewer: &Viewer,
    registration_id: Uuid,
    attended: bool,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(state).await?;
    let (event, registration, _) = for_change(&work, viewer, registration_id, true).await?;
    if !registration.status.holds_seat() {
        return Err(AppError::bad_input(
            "registrationId",
            "attendance is recorded for confirmed participants only",
        ));
    }
    let at = now();
    if at < event.starts_at {
        return Err(AppError::bad_input(
            "registrationId",
            "attendance can be recorded once the event has started",
        ));
    }
    let mut model: registration::ActiveModel = registration.into();
    model.status = Set(if attended {
        RegistrationStatus::Attended
    } else {
        RegistrationStatus::Confirmed
    });
    model.attendance = Set(Some(if attended {
        Attendance::Attended
    } else {
        Attendance::NoShow
    }));
    model.updated_at = Set(at);
    let saved = model.update(&work).await?;
    work.commit().await?;
    Ok(saved)
}

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
    event_id: Uuid,
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

/// Whether the viewer organises the event or holds a seat at it (who sees the online URL).
pub fn may_see_online_url(viewer: &Viewer, event: &training_event::Model, mine: Option<&registration::Model>) -> bool {
    viewer.can_edit_for_agency(event.organizer_agency_id) || mine.is_some_and(|r| r.status.holds_seat())
}

/// The data-protection eraser: a deleted member's registrations go; their seats go to the
/// waiting lists (inside the deletion's transaction), and the events' live subscribers hear of
/// it after the commit.
pub fn erase_registrations(work: &UnitOfWork, member_id: Uuid) -> BoxFuture<'_, AppResult<()>> {
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
            work.announce(Event::AvailabilityChanged {
                event_id: registration.event_id,
            });
            let event = lock_event(work, registration.event_id).await?;
            // Read again under the lock: its position may have changed.
            if let Some(current) = registration_by_id(work, registration.id).await? {
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
    member_id: Uuid,
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

/// Whether registering is open now (for the API's `registrationOpen`).
pub fn open_now(event: &training_event::Model) -> bool {
    registration_open(event, now())
}

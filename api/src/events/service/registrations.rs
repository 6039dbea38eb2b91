//! Registrations: seats while free, then the waiting list in order of registration, never more
//! confirmed than seats. Every change of an event's registrations locks the event row first
//! ([`lock_event`]; new registrations in batches, [`super::admission`]) and keeps its
//! counters (`seats_taken`, `waitlist_length`) in step in the same transaction, so the
//! invariants hold across replicas without any lock in memory:
//!
//! - `seats_taken` = registrations CONFIRMED or ATTENDED ≤ capacity;
//! - the WAITLISTED registrations have the positions 1..=`waitlist_length`, in the order they
//!   registered;
//! - while the event has not started, a free seat goes to position 1 at once.

use dkbm_entity::{Attendance, RegistrationStatus, registration, training_event};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::admission::Registering;
use super::mail::{Notice, notify};
use super::waitlist::withdraw;
use super::{availability_changed, lock_event, registration_open};
use crate::auth::{Viewer, ensure_agency_editor, ensure_member, ensure_signed_in};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;
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

/// Registers the signed-in viewer: CONFIRMED while a seat is free and nobody waits, else
/// WAITLISTED at the end of the list when the event has one, else EVENT_FULL. A second
/// registration of the same member is CONFLICT. The registrations of one event that arrive
/// together are placed together, one transaction a batch ([`super::admission`]).
pub async fn register(
    state: &AppState,
    viewer: &Viewer,
    event_id: Uuid,
    note: Option<&str>,
) -> AppResult<registration::Model> {
    let me = ensure_member(viewer)?;
    let note = validate::optional_text("note", note, 1000)?;
    let registering = Registering {
        event_id,
        member_id: me.id,
        note,
    };
    state.admission.register(state, registering).await
}

/// Loads a registration and its (locked) event for a change. For organisers' actions
/// (`organizers_only`) everyone else is FORBIDDEN; otherwise viewers who may not see it get
/// NOT_FOUND. Returns whether the viewer organises the event.
pub(super) async fn for_change(
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
        return Err(AppError::bad_input("registrationId", MessageKey::CancelAfterStart));
    }
    if registration.attendance.is_some() {
        return Err(AppError::bad_input("registrationId", MessageKey::CancelAfterAttendance));
    }
    let event_id = event.id;
    let (event, cancelled) = withdraw(&work, event, registration, at).await?;
    let notice = Notice::Cancelled {
        by_organiser: organizer && cancelled.member_id != viewer.member_id().unwrap_or_default(),
    };
    notify(&work, &event, std::slice::from_ref(&cancelled), notice).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(cancelled)
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
            MessageKey::AttendanceConfirmedOnly,
        ));
    }
    let at = now();
    if at < event.starts_at {
        return Err(AppError::bad_input("registrationId", MessageKey::AttendanceBeforeStart));
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

/// Whether the viewer organises the event or holds a seat at it (who sees the online URL).
pub fn may_see_online_url(viewer: &Viewer, event: &training_event::Model, mine: Option<&registration::Model>) -> bool {
    viewer.can_edit_for_agency(event.organizer_agency_id) || mine.is_some_and(|r| r.status.holds_seat())
}

/// Whether registering is open now (for the API's `registrationOpen`).
pub fn open_now(event: &training_event::Model) -> bool {
    registration_open(event, now())
}

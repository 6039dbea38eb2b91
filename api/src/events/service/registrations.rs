//! Registrations: seats while free, then the waiting list in order of registration, never more
//! confirmed than seats. Every change of an event's registrations locks the event row first
//! ([`super::lock_event`]; new registrations in batches, [`super::admission`]) and keeps its
//! counters (`seats_taken`, `waitlist_length`) in step in the same transaction, so the
//! invariants hold across replicas without any lock in memory:
//!
//! - `seats_taken` = registrations CONFIRMED or ATTENDED ≤ capacity;
//! - a quota's `seats_taken` = those of them holding its seat (`quota_id`) ≤ its `seats_total`,
//!   and the seats held outside quotas fit the general pool ([`super::quotas`]);
//! - the WAITLISTED registrations have the positions 1..=`waitlist_length`, in the order they
//!   registered;
//! - while the event has not started, a free seat goes at once to the first waiting member who
//!   may take it (a quota's to one entitled to it, a general one to position 1).

use dkbm_entity::{Attendance, RegistrationStatus, registration, training_event};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

use super::access::for_change;
use super::admission::Registering;
use super::handle::Events;
use super::mail::{Notice, notify};
use super::waitlist::withdraw;
use super::{availability_changed, registration_open};
use crate::auth::{Viewer, ensure_member};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{EventId, RegistrationId};
use crate::messages::MessageKey;
use crate::validate;

/// Registers the signed-in viewer: CONFIRMED while a seat is free and nobody waits, else
/// WAITLISTED at the end of the list when the event has one, else EVENT_FULL. A second
/// registration of the same member is CONFLICT. The registrations of one event that arrive
/// together are placed together, one transaction a batch ([`super::admission`]).
pub async fn register(
    writer: &Writer,
    events: &Events,
    viewer: &Viewer,
    event_id: EventId,
    note: Option<&str>,
) -> AppResult<registration::Model> {
    let me = ensure_member(viewer)?;
    let note = validate::optional_text("note", note, 1000)?;
    let registering = Registering {
        event_id,
        member_id: me.id.into(),
        note,
    };
    events.admission.register(writer, registering).await
}

/// Cancels a registration: by the member until the event starts, by an organiser at any time.
/// The seat goes to the first on the waiting list in the same transaction. Cancelling a
/// cancelled registration changes nothing.
pub async fn cancel_registration(
    writer: &Writer,
    viewer: &Viewer,
    registration_id: RegistrationId,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(writer).await?;
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
    let event_id = EventId::from(event.id);
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
    writer: &Writer,
    viewer: &Viewer,
    registration_id: RegistrationId,
    attended: bool,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(writer).await?;
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
    super::occurrences::registration_changed(&work, &event, &saved);
    work.commit().await?;
    Ok(saved)
}

/// Whether registering is open now (for the API's `registrationOpen`).
pub fn open_now(event: &training_event::Model) -> bool {
    registration_open(event, now())
}

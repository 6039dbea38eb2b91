//! Seats and the waiting list, kept in step under the event's row lock: the event's counters
//! (`seats_taken`, `waitlist_length`) change in the same transaction as the registrations, a
//! freed seat goes to position 1 at once, and positions close up without gaps.

use chrono::{DateTime, Utc};

use dkbm_entity::{EventStatus, RegistrationStatus, registration, training_event};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::access::for_change;
use super::availability_changed;
use super::mail::{Notice, notify};
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{EventId, RegistrationId};
use crate::messages::MessageKey;

pub(super) fn seat_free(event: &training_event::Model) -> bool {
    super::seats_free(event).is_none_or(|free| free > 0)
}

pub(super) async fn save_counters(
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
async fn close_up(db: &impl ConnectionTrait, event_id: EventId, position: i32, by: i32) -> AppResult<()> {
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
    work: &UnitOfWork,
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
    let promoted = registration::Entity::update_many()
        .col_expr(registration::Column::Status, Expr::val(RegistrationStatus::Confirmed))
        .col_expr(registration::Column::WaitlistPosition, Expr::val(Option::<i32>::None))
        .col_expr(registration::Column::ConfirmedAt, Expr::val(at))
        .col_expr(registration::Column::UpdatedAt, Expr::val(at))
        .filter(registration::Column::EventId.eq(event.id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .filter(registration::Column::WaitlistPosition.lte(free))
        .exec_with_returning(work)
        .await?;
    close_up(work, event.id.into(), 0, free).await?;
    let (taken, waiting) = (event.seats_taken + free, event.waitlist_length - free);
    let event = save_counters(work, event, taken, waiting).await?;
    notify(work, &event, &promoted, Notice::Promoted).await?;
    Ok(event)
}

/// Takes a registration out (cancelled): its seat goes to the waiting list, or the list closes
/// up behind it. The event must be locked by the caller.
pub(super) async fn withdraw(
    db: &UnitOfWork,
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
            close_up(db, event.id.into(), position, 1).await?;
            let (taken, waiting) = (event.seats_taken, event.waitlist_length - 1);
            save_counters(db, event, taken, waiting).await?
        }
        _ => event,
    };
    Ok((event, cancelled))
}

/// Moves a waitlisted registration to a free seat by hand (organisers; e.g. after the event
/// started, when seats are no longer filled automatically).
pub async fn promote_registration(
    writer: &Writer,
    viewer: &Viewer,
    registration_id: RegistrationId,
) -> AppResult<registration::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let (event, registration, _) = for_change(&work, viewer, registration_id, true).await?;
    let Some(position) = registration
        .waitlist_position
        .filter(|_| registration.status == RegistrationStatus::Waitlisted)
    else {
        return Err(AppError::bad_input("registrationId", MessageKey::PromoteNotWaitlisted));
    };
    if event.status != EventStatus::Scheduled {
        return Err(AppError::bad_input("registrationId", MessageKey::PromoteNotScheduled));
    }
    if !seat_free(&event) {
        return Err(AppError::Conflict {
            message: MessageKey::NoSeatFree.into(),
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
    let event_id = EventId::from(event.id);
    close_up(&work, event_id, position, 1).await?;
    let (taken, waiting) = (event.seats_taken + 1, event.waitlist_length - 1);
    let event = save_counters(&work, event, taken, waiting).await?;
    notify(&work, &event, std::slice::from_ref(&promoted), Notice::Promoted).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(promoted)
}

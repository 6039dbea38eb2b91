//! Who sees and changes a registration: the member themself and the event's organisers. A
//! change of a registration loads it under its event's row lock ([`for_change`]), so that
//! registering, cancelling and the waiting list see one state of the event's seats.

use dkbm_entity::{registration, training_event};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::lock_event;
use crate::auth::{Viewer, ensure_agency_editor, ensure_signed_in};
use crate::error::{AppError, AppResult};
use crate::ids::RegistrationId;
use crate::messages::MessageKey;

/// A registration by id.
pub async fn registration_by_id(
    db: &impl ConnectionTrait,
    id: RegistrationId,
) -> AppResult<Option<registration::Model>> {
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

/// Whether the viewer organises the event or holds a seat at it (who sees the online URL).
pub fn may_see_online_url(viewer: &Viewer, event: &training_event::Model, mine: Option<&registration::Model>) -> bool {
    viewer.can_edit_for_agency(event.organizer_agency_id) || mine.is_some_and(|r| r.status.holds_seat())
}

/// Loads a registration and its (locked) event for a change. For organisers' actions
/// (`organizers_only`) everyone else is FORBIDDEN; otherwise viewers who may not see it get
/// NOT_FOUND. Returns whether the viewer organises the event.
pub(super) async fn for_change(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    registration_id: RegistrationId,
    organizers_only: bool,
) -> AppResult<(training_event::Model, registration::Model, bool)> {
    ensure_signed_in(viewer)?;
    let not_found = || AppError::not_found(MessageKey::NoSuchRegistration);
    let found = registration_by_id(txn, registration_id).await?.ok_or_else(not_found)?;
    let event = lock_event(txn, found.event_id.into()).await?;
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

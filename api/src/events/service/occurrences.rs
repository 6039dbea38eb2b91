//! What the events area tells the webhooks: `event.changed` (created, changed, cancelled,
//! completed) to every agency's endpoints — events are public — and `registration.changed` to
//! the organising agency's only. A registration's message names the registration, its event and
//! where it stands; never the participant.

use dkbm_entity::{registration, training_event};
use sea_orm::ActiveEnum;
use serde_json::json;

use crate::db::UnitOfWork;
use crate::ids::{AgencyId, EventId, RegistrationId};
use crate::realtime::webhooks::{Audience, Occurrence, Topic, node};

/// `event.changed` for `event` as it is now.
pub fn event_changed(work: &UnitOfWork, event: &training_event::Model) {
    let data = json!({
        "id": node(EventId::from(event.id)),
        "slug": event.slug,
        "organizerId": node(AgencyId::from(event.organizer_agency_id)),
        "status": event.status.to_value(),
        "version": event.version,
        "startsAt": event.starts_at,
    });
    work.emit(Occurrence::new(Topic::EventChanged, Audience::Everyone, data));
}

/// `registration.changed` for `registration` of `event` as it is now.
pub fn registration_changed(work: &UnitOfWork, event: &training_event::Model, registration: &registration::Model) {
    let data = json!({
        "id": node(RegistrationId::from(registration.id)),
        "eventId": node(EventId::from(event.id)),
        "status": registration.status.to_value(),
        "waitlistPosition": registration.waitlist_position,
        "attendance": registration.attendance.map(|attendance| attendance.to_value()),
    });
    let organizer = AgencyId::from(event.organizer_agency_id);
    work.emit(Occurrence::new(
        Topic::RegistrationChanged,
        Audience::Agency(organizer),
        data,
    ));
}

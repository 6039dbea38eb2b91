//! What calendars and live subscribers read of events: the availability of seats, its live
//! updates, and the events of the iCalendar feed.

use chrono::{DateTime, Utc};
use dkbm_entity::{EventStatus, event_quota, training_event};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use super::list::{require_event, with_any_topic};
use super::quotas::{general_seats_free, quotas_of_event};
use crate::db::now;
use crate::directory::service::{require_agency, require_topics};
use crate::error::AppResult;
use crate::ids::{EventId, TopicId, TypedId};
use crate::realtime::{Bus, Event};

/// What live subscribers hear when an event's availability may have changed.
pub fn availability_changed(event_id: EventId) -> Event {
    Event::AvailabilityChanged {
        event_id: event_id.uuid(),
    }
}

/// How full an event is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub event_id: EventId,
    pub seats_taken: i32,
    /// `None`: unlimited.
    pub seats_free: Option<i32>,
    pub waitlist_length: i32,
}

impl Availability {
    /// The availability of an event with these quotas at `at`: the free seats are those of the
    /// general pool (open to every member; a quota's free seats are the quota's).
    pub fn new(event: &training_event::Model, quotas: &[event_quota::Model], at: DateTime<Utc>) -> Self {
        Availability {
            event_id: event.id.into(),
            seats_taken: event.seats_taken,
            seats_free: general_seats_free(event, quotas, at),
            waitlist_length: event.waitlist_length,
        }
    }

    /// The availability of an event with these quotas now.
    pub fn now(event: &training_event::Model, quotas: &[event_quota::Model]) -> Self {
        Availability::new(event, quotas, now())
    }
}

/// An event's availability now (two statements).
async fn availability_now(db: &DatabaseConnection, event_id: EventId) -> AppResult<Availability> {
    let event = require_event(db, event_id).await?;
    let quotas = quotas_of_event(db, event_id).await?;
    Ok(Availability::now(&event, &quotas))
}

/// An event's availability now and after every change, live (on PostgreSQL from every
/// replica). Events only prompt a fresh read, so a burst of registrations yields the latest
/// state, not every step.
pub async fn watch_availability(
    db: &DatabaseConnection,
    bus: &Bus,
    event_id: EventId,
) -> AppResult<impl futures::Stream<Item = AppResult<Availability>> + use<>> {
    use tokio::sync::broadcast::error::{RecvError, TryRecvError};
    let db = db.clone();
    // Listening starts before the first read, so no change in between is lost.
    let mut events = bus.subscribe();
    let first = availability_now(&db, event_id).await?;
    let concerns =
        move |event: &Event| matches!(event, Event::AvailabilityChanged { event_id: id } if *id == event_id.uuid());
    Ok(async_stream::try_stream! {
        let mut last = first;
        yield last.clone();
        loop {
            let mut pending = match events.recv().await {
                Ok(event) => concerns(&event),
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => break,
            };
            loop {
                match events.try_recv() {
                    Ok(event) => pending |= concerns(&event),
                    Err(TryRecvError::Lagged(_)) => pending = true,
                    Err(_) => break,
                }
            }
            if !pending {
                continue;
            }
            let current = availability_now(&db, event_id).await?;
            if current != last {
                last = current.clone();
                yield current;
            }
        }
    })
}

/// Most events in one calendar feed.
const MAX_CALENDAR_EVENTS: u64 = 1000;

/// The events of the public calendar feed: scheduled and cancelled ones that have not ended
/// more than 30 days ago (so that subscribed calendars see cancellations), soonest first;
/// optionally of one topic and one organiser.
pub async fn calendar_events(
    db: &DatabaseConnection,
    topic_slug: Option<&str>,
    organizer_slug: Option<&str>,
) -> AppResult<Vec<training_event::Model>> {
    let mut select = training_event::Entity::find()
        .filter(training_event::Column::Status.is_in([EventStatus::Scheduled, EventStatus::Cancelled]))
        .filter(training_event::Column::EndsAt.gte(now() - chrono::Duration::days(30)));
    if let Some(slug) = topic_slug {
        let topics = require_topics(db, "topic", &[slug.to_owned()]).await?;
        select = select.filter(with_any_topic(topics.iter().map(|t| TopicId::from(t.id))));
    }
    if let Some(slug) = organizer_slug {
        let agency = require_agency(db, "organizer", slug).await?;
        select = select.filter(training_event::Column::OrganizerAgencyId.eq(agency.id));
    }
    Ok(
        sea_orm::QueryOrder::order_by_asc(select, training_event::Column::StartsAt)
            .limit(MAX_CALENDAR_EVENTS)
            .all(db)
            .await?,
    )
}

/// An event in a member's personal calendar, and whether the member is still waiting for a seat.
pub struct PersonalEntry {
    pub event: training_event::Model,
    pub waitlisted: bool,
}

/// The events of `member`'s personal calendar: every registration they hold (with a seat or on
/// the waiting list) and those of cancelled events (shown as cancelled), of events that ended less than
/// a year ago or are to come, soonest first. Nothing else about the member.
pub async fn personal_calendar(db: &DatabaseConnection, member: crate::ids::MemberId) -> AppResult<Vec<PersonalEntry>> {
    use dkbm_entity::{RegistrationStatus, registration};
    use sea_orm::{Condition, QueryOrder};
    let held = [
        RegistrationStatus::Confirmed,
        RegistrationStatus::Attended,
        RegistrationStatus::Waitlisted,
    ];
    // A cancelled event cancels its registrations: it stays, shown as cancelled.
    let shown = Condition::any()
        .add(registration::Column::Status.is_in(held))
        .add(training_event::Column::Status.eq(EventStatus::Cancelled));
    let rows = registration::Entity::find()
        .filter(registration::Column::MemberId.eq(member.uuid()))
        .find_also_related(training_event::Entity)
        .filter(shown)
        .filter(training_event::Column::EndsAt.gt(now() - chrono::Duration::days(365)))
        .order_by_asc(training_event::Column::StartsAt)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(registration, event)| {
            event.map(|event| PersonalEntry {
                event,
                waitlisted: registration.status == RegistrationStatus::Waitlisted,
            })
        })
        .collect())
}

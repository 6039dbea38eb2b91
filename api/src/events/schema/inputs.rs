//! Input types of training events.

use async_graphql::{Enum, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

use super::objects::{EventFormat, EventStatus, RegistrationStatus};
use crate::events::service;
use crate::graphql::OrderDirection;

/// Where an event takes place.
#[derive(InputObject, Clone)]
pub struct VenueInput {
    /// Name of the place, e.g. "Rathaus Bottrop, Ratssaal".
    pub name: Option<String>,
    /// Street and number.
    pub street: Option<String>,
    /// German postal code (five digits).
    pub postal_code: Option<String>,
    /// City (required for a venue).
    pub city: Option<String>,
}

impl From<VenueInput> for service::Venue {
    fn from(venue: VenueInput) -> Self {
        service::Venue {
            name: venue.name,
            street: venue.street,
            postal_code: venue.postal_code,
            city: venue.city,
        }
    }
}

/// A new training event.
#[derive(InputObject)]
pub struct CreateTrainingEventInput {
    /// Slug of the organising agency (its editors create the event).
    pub organizer_slug: String,
    /// URL-safe name; derived from title and date when left out.
    pub slug: Option<String>,
    /// Title (at most 300 characters).
    pub title: String,
    /// What it is about, in Markdown (at most 100,000 characters).
    pub description: Option<String>,
    /// The format.
    pub format: EventFormat,
    /// Topic slugs (fields of action).
    pub topics: Option<Vec<String>>,
    /// Start, with offset.
    pub starts_at: DateTime<Utc>,
    /// End, with offset; after the start.
    pub ends_at: DateTime<Utc>,
    /// IANA time zone of the event (default Europe/Berlin): how calendars show it.
    pub time_zone: Option<String>,
    /// Where it takes place (a venue, an online URL, or both).
    pub venue: Option<VenueInput>,
    /// Where it takes place online; shown only to confirmed participants and the organisers.
    pub online_url: Option<String>,
    /// Number of seats; null or left out for unlimited.
    pub capacity: Option<i32>,
    /// Whether members can join a waiting list when the seats are taken (default true).
    pub waitlist_enabled: Option<bool>,
    /// When registration opens (default: at once).
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// When registration closes (default: at the start); not after the end.
    pub registration_closes_at: Option<DateTime<Utc>>,
}

impl From<CreateTrainingEventInput> for service::NewEvent {
    fn from(input: CreateTrainingEventInput) -> Self {
        service::NewEvent {
            organizer_slug: input.organizer_slug,
            slug: input.slug,
            draft: service::EventDraft {
                title: input.title,
                description: input.description.unwrap_or_default(),
                format: input.format.into(),
                topics: input.topics.unwrap_or_default(),
                starts_at: input.starts_at,
                ends_at: input.ends_at,
                time_zone: input.time_zone.unwrap_or_else(|| service::DEFAULT_TIME_ZONE.to_owned()),
                venue: input.venue.map(Into::into),
                online_url: input.online_url,
                capacity: input.capacity,
                waitlist_enabled: input.waitlist_enabled.unwrap_or(true),
                registration_opens_at: input.registration_opens_at,
                registration_closes_at: input.registration_closes_at,
            },
        }
    }
}

/// Changes to a training event: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateTrainingEventInput {
    /// Title.
    pub title: Option<String>,
    /// Description in Markdown.
    pub description: Option<String>,
    /// The format.
    pub format: Option<EventFormat>,
    /// Topic slugs (replaces the list).
    pub topics: Option<Vec<String>>,
    /// Start.
    pub starts_at: Option<DateTime<Utc>>,
    /// End.
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// The venue (replaces it; null removes it).
    pub venue: MaybeUndefined<VenueInput>,
    /// The online URL (null removes it).
    pub online_url: MaybeUndefined<String>,
    /// Seats (null: unlimited). Not below the seats taken; more seats go to the waiting list at once.
    pub capacity: MaybeUndefined<i32>,
    /// Whether there is a waiting list.
    pub waitlist_enabled: Option<bool>,
    /// When registration opens (null: at once).
    pub registration_opens_at: MaybeUndefined<DateTime<Utc>>,
    /// When registration closes (null: at the start).
    pub registration_closes_at: MaybeUndefined<DateTime<Utc>>,
}

impl From<UpdateTrainingEventInput> for service::EventChanges {
    fn from(input: UpdateTrainingEventInput) -> Self {
        let venue: Option<Option<VenueInput>> = input.venue.into();
        service::EventChanges {
            title: input.title,
            description: input.description,
            format: input.format.map(Into::into),
            topics: input.topics,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            time_zone: input.time_zone,
            venue: venue.map(|venue| venue.map(Into::into)),
            online_url: input.online_url.into(),
            capacity: input.capacity.into(),
            waitlist_enabled: input.waitlist_enabled,
            registration_opens_at: input.registration_opens_at.into(),
            registration_closes_at: input.registration_closes_at.into(),
        }
    }
}

/// Narrows the list of training events; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct TrainingEventFilter {
    /// Events ending at or after this time (default: now, i.e. upcoming and running events).
    pub from: Option<DateTime<Utc>>,
    /// Events starting before this time.
    pub to: Option<DateTime<Utc>>,
    /// Events with any of these topic slugs.
    pub topics: Option<Vec<String>>,
    /// Events of any of these formats.
    pub formats: Option<Vec<EventFormat>>,
    /// Events of the organising agency with this slug.
    pub organizer: Option<String>,
    /// true: events with an online URL; false: events without one.
    pub online: Option<bool>,
    /// Events in this city (case and umlauts do not matter).
    pub city: Option<String>,
    /// true: events with a free seat (or unlimited seats; a seat a quota reserves counts);
    /// false: fully booked ones.
    pub has_free_seats: Option<bool>,
    /// Words that must all occur in title, description or venue (inflections, case and
    /// umlauts do not matter).
    pub search: Option<String>,
    /// Statuses to include (default: SCHEDULED).
    pub status: Option<Vec<EventStatus>>,
}

impl From<TrainingEventFilter> for service::EventFilter {
    fn from(filter: TrainingEventFilter) -> Self {
        service::EventFilter {
            from: filter.from,
            to: filter.to,
            topics: filter.topics.unwrap_or_default(),
            formats: filter.formats.unwrap_or_default().into_iter().map(Into::into).collect(),
            organizer: filter.organizer,
            online: filter.online,
            city: filter.city,
            has_free_seats: filter.has_free_seats,
            search: filter.search,
            statuses: filter.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            portal: None,
        }
    }
}

/// What the event list can be ordered by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "service::EventOrderField")]
pub enum TrainingEventOrderField {
    /// By start (default ascending: soonest first).
    StartsAt,
    /// By creation (default descending: newest first).
    CreatedAt,
}

/// Ordering of the event list.
#[derive(InputObject)]
pub struct TrainingEventOrder {
    /// What to order by.
    pub field: TrainingEventOrderField,
    /// Direction (default: ascending for STARTS_AT, descending for CREATED_AT).
    pub direction: Option<OrderDirection>,
}

/// Narrows the participant list.
#[derive(InputObject, Default)]
pub struct ParticipantFilter {
    /// Statuses to include (default: CONFIRMED, ATTENDED and WAITLISTED).
    pub status: Option<Vec<RegistrationStatus>>,
}

impl From<ParticipantFilter> for service::ParticipantFilter {
    fn from(filter: ParticipantFilter) -> Self {
        service::ParticipantFilter {
            statuses: filter.status.unwrap_or_default().into_iter().map(Into::into).collect(),
        }
    }
}

//! A qualification event (Qualifizierungsveranstaltung) an agency organises.

use sea_orm::entity::prelude::*;

use crate::{EventFormat, EventStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    /// Markdown.
    pub description: String,
    /// The description rendered to sanitised HTML.
    pub description_html: String,
    pub format: EventFormat,
    pub organizer_agency_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    /// IANA time zone of the event (e.g. Europe/Berlin).
    pub time_zone: String,
    pub venue_name: Option<String>,
    pub venue_street: Option<String>,
    pub venue_postal_code: Option<String>,
    pub venue_city: Option<String>,
    /// The city folded (lower case, umlauts spelt out) for the city filter.
    pub city_key: Option<String>,
    pub online_url: Option<String>,
    /// Seats; `None` is unlimited.
    pub capacity: Option<i32>,
    pub waitlist_enabled: bool,
    pub registration_opens_at: Option<DateTimeUtc>,
    pub registration_closes_at: Option<DateTimeUtc>,
    pub status: EventStatus,
    pub cancellation_reason: Option<String>,
    /// Increments with every change of the event itself (not with registrations); the
    /// iCalendar SEQUENCE is `version - 1`.
    pub version: i64,
    /// Registrations holding a seat (CONFIRMED or ATTENDED), kept in step in the registering
    /// transaction.
    pub seats_taken: i32,
    /// Registrations on the waiting list; their positions are 1..=waitlist_length.
    pub waitlist_length: i32,
    /// Search terms of title, description and venue, padded with a space at each end.
    pub search_terms: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

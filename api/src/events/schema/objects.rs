//! Output types of training events.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use dkbm_entity::{registration, training_event};

use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, Topic};
use crate::events::loaders::EventLoaders;
use crate::events::service;
use crate::graphql::later::{AttachmentsOf, Later};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::ids::EventId;

use super::{EventQuota, Registration};

/// The format of a training event.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::EventFormat")]
pub enum EventFormat {
    /// A workshop (Werkstatt) on site or online.
    Workshop,
    /// A webinar (online).
    Webinar,
    /// A conference (Fachtagung).
    Conference,
    /// A peer exchange between municipalities (kollegialer Austausch, Hospitation).
    PeerExchange,
    /// A series of training sessions (Qualifizierungsreihe).
    TrainingSeries,
}

/// Where a training event stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::EventStatus")]
pub enum EventStatus {
    /// It will take place (or is taking place).
    Scheduled,
    /// It was called off; every registration was cancelled.
    Cancelled,
    /// It took place.
    Completed,
}

/// Where a registration stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::RegistrationStatus")]
pub enum RegistrationStatus {
    /// Holds a seat.
    Confirmed,
    /// On the waiting list (see `waitlistPosition`).
    Waitlisted,
    /// Cancelled by the member, an organiser, or with the event.
    Cancelled,
    /// Held a seat and came (recorded by the organisers).
    Attended,
}

/// What the organisers recorded about attendance.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::Attendance")]
pub enum Attendance {
    /// The participant came.
    Attended,
    /// The participant held a seat but did not come.
    NoShow,
}

/// Where a training event takes place.
#[derive(SimpleObject, Clone, Debug)]
pub struct Venue {
    /// Name of the place.
    pub name: Option<String>,
    /// Street and number.
    pub street: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// City.
    pub city: String,
}

/// How full an event is.
pub struct EventAvailability(pub service::Availability);

/// How full an event is.
#[Object]
impl EventAvailability {
    /// The event's global id.
    async fn event_id(&self) -> ID {
        TrainingEvent::global_id(self.0.event_id)
    }

    /// Free seats open to every member: those of the general pool, without the seats quotas
    /// reserve (null when the seats are unlimited).
    async fn seats_free(&self) -> Option<i32> {
        self.0.seats_free
    }

    /// People on the waiting list.
    async fn waitlist_length(&self) -> i32 {
        self.0.waitlist_length
    }

    /// Seats taken (confirmed and attended participants).
    async fn seats_taken(&self) -> i32 {
        self.0.seats_taken
    }
}

/// A qualification event (Qualifizierungsveranstaltung) organised by an agency.
pub struct TrainingEvent(pub training_event::Model);

impl From<training_event::Model> for TrainingEvent {
    fn from(model: training_event::Model) -> Self {
        TrainingEvent(model)
    }
}

impl TrainingEvent {
    async fn mine(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<registration::Model>> {
        Ok(ctx.loaders::<EventLoaders>()?.my_registration(self.0.id.into()).await?)
    }
}

/// A qualification event (Qualifizierungsveranstaltung) organised by an agency.
#[Object]
impl TrainingEvent {
    /// The event's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Stable, URL-safe name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The files attached to the event (programme, slides, photos), in their order.
    async fn attachments(&self) -> Later<AttachmentsOf<EventId>> {
        Later(self.0.id.into())
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What it is about, in Markdown.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The description rendered to sanitised HTML (safe to embed).
    async fn description_html(&self) -> &str {
        &self.0.description_html
    }

    /// The format.
    async fn format(&self) -> EventFormat {
        self.0.format.into()
    }

    /// Its fields of action, in display order.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let ids = ctx.loaders::<EventLoaders>()?.topic_ids(self.0.id.into()).await?;
        let topics = ctx.loaders::<DirectoryLoaders>()?.topics_in_order(&ids).await?;
        Ok(topics.into_iter().map(Topic).collect())
    }

    /// The agency that organises it.
    async fn organizer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(self.0.organizer_agency_id.into())
            .await?
            .map(Agency::from))
    }

    /// Start (RFC 3339, UTC).
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    /// End (RFC 3339, UTC).
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }

    /// The event's IANA time zone (e.g. Europe/Berlin): show times in it.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Where it takes place (null for online-only events).
    async fn venue(&self) -> Option<Venue> {
        let city = self.0.venue_city.clone()?;
        Some(Venue {
            name: self.0.venue_name.clone(),
            street: self.0.venue_street.clone(),
            postal_code: self.0.venue_postal_code.clone(),
            city,
        })
    }

    /// Whether it takes place (also) online.
    async fn is_online(&self) -> bool {
        self.0.online_url.is_some()
    }

    /// The online URL: only for confirmed participants and the organisers (else null, see `isOnline`).
    #[graphql(cache_control(private))]
    async fn online_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        if self.0.online_url.is_none() {
            return Ok(None);
        }
        let mine = self.mine(ctx).await?;
        Ok(service::may_see_online_url(ctx.viewer()?, &self.0, mine.as_ref())
            .then_some(self.0.online_url.as_deref())
            .flatten())
    }

    /// Number of seats (null: unlimited).
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }

    /// Whether members can join a waiting list when the seats are taken.
    async fn waitlist_enabled(&self) -> bool {
        self.0.waitlist_enabled
    }

    /// When registration opens (null: open since the event was announced).
    async fn registration_opens_at(&self) -> Option<DateTime<Utc>> {
        self.0.registration_opens_at
    }

    /// When registration closes (null: at the start).
    async fn registration_closes_at(&self) -> Option<DateTime<Utc>> {
        self.0.registration_closes_at
    }

    /// Whether members can register right now.
    async fn registration_open(&self) -> bool {
        service::open_now(&self.0)
    }

    /// Where the event stands.
    async fn status(&self) -> EventStatus {
        self.0.status.into()
    }

    /// Why it was cancelled (when it was).
    async fn cancellation_reason(&self) -> Option<&str> {
        self.0.cancellation_reason.as_deref()
    }

    /// Increments with every change of the event; updates name the version they expect.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// Seats taken (confirmed and attended participants).
    async fn seats_taken(&self) -> i32 {
        self.0.seats_taken
    }

    /// Free seats open to every member: those of the general pool, without the seats quotas
    /// reserve (null when the seats are unlimited). A quota's free seats are in `quotas`.
    async fn seats_free(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i32>> {
        let quotas = ctx.loaders::<EventLoaders>()?.quotas(self.0.id.into()).await?;
        Ok(service::seats_free_now(&self.0, &quotas))
    }

    /// Its seat quotas (Kontingente) in the organisers' order: seats reserved for the members of
    /// some municipalities.
    async fn quotas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EventQuota>> {
        let quotas = ctx.loaders::<EventLoaders>()?.quotas(self.0.id.into()).await?;
        Ok(quotas.into_iter().map(EventQuota).collect())
    }

    /// People on the waiting list.
    async fn waitlist_length(&self) -> i32 {
        self.0.waitlist_length
    }

    /// Seats and waiting list in one object (as `eventAvailabilityChanged` sends it).
    async fn availability(&self, ctx: &Context<'_>) -> async_graphql::Result<EventAvailability> {
        let quotas = ctx.loaders::<EventLoaders>()?.quotas(self.0.id.into()).await?;
        Ok(EventAvailability(service::Availability::now(&self.0, &quotas)))
    }

    /// The viewer's registration (null when anonymous or not registered).
    #[graphql(cache_control(private))]
    async fn my_registration(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Registration>> {
        Ok(self.mine(ctx).await?.map(Registration))
    }

    /// The calendar file of this event (iCalendar).
    async fn ical_url(&self) -> String {
        format!("/events/{}.ics", self.0.slug)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

connection_type!(
    TrainingEventConnection,
    TrainingEventEdge,
    TrainingEvent,
    training_event::Model,
    "A page of training events (a Relay connection with keyset cursors).",
    "A training event with its cursor."
);

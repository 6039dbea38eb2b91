//! GraphQL of training events: the list, registering, the organisers' tools, live availability.

mod certificate;
mod inputs;
mod nodes;
mod objects;
mod quota;
mod registration;

use async_graphql::{Context, ID, Object, Subscription};
use futures::{Stream, StreamExt};

pub use certificate::CertificateVerification;
pub use inputs::*;
pub use objects::*;
pub use quota::*;
pub use registration::*;

use super::service::{self, Events};
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::pagination::PageArgs;
use crate::portals::schema::{PortalScopeMode, list_portal};

/// Root query fields of training events.
#[derive(Default)]
pub struct EventsQuery;

#[Object]
impl EventsQuery {
    /// Training events, by default the upcoming SCHEDULED ones, soonest first.
    #[expect(
        clippy::too_many_arguments,
        reason = "a root list's GraphQL arguments: paging, filter, order, portal"
    )]
    async fn training_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many events to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return events after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many events to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return events before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<TrainingEventFilter>,
        #[graphql(desc = "Ordering (default: STARTS_AT ascending).")] order_by: Option<TrainingEventOrder>,
        #[graphql(desc = "A portal's key: read the list through that portal (default: the request's X-Portal-Key).")]
        portal_key: Option<String>,
        #[graphql(
            desc = "PORTAL (default): the portal's scope and hidden items apply; ALL: the whole knowledge base."
        )]
        scope: Option<PortalScopeMode>,
    ) -> async_graphql::Result<TrainingEventConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let mut filter: service::EventFilter = filter.unwrap_or_default().into();
        filter.portal = list_portal(ctx, portal_key, scope).await?;
        let order = order_by.map(|order| (order.field.into(), order.direction.map(Into::into)));
        Ok(TrainingEventConnection(
            service::list_events(ctx.state()?.conn(), &filter, order, &page).await?,
        ))
    }

    /// The training event with this slug (null if there is none).
    async fn training_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's slug.")] slug: String,
    ) -> async_graphql::Result<Option<TrainingEvent>> {
        Ok(service::event_by_slug(ctx.state()?.conn(), &slug)
            .await?
            .map(TrainingEvent))
    }

    /// Checks the verification code printed on an attendance certificate (any spelling of
    /// case and dashes): `valid` and what it certifies, or only `valid: false` for a code that
    /// was never issued.
    async fn verify_certificate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code, e.g. `K7QX-2MPA-9RTZ`.")] code: String,
    ) -> async_graphql::Result<CertificateVerification> {
        crate::validate::check_texts(&[("code", Some(code.as_str()))])?;
        Ok(service::verify_certificate(ctx.state()?.conn(), &code).await?.into())
    }

    /// The registrations of an event in the order they came in (the organisers only).
    #[expect(
        clippy::too_many_arguments,
        reason = "a list's GraphQL arguments: paging both ways, filter, order, portal"
    )]
    async fn participants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global id.")] event_id: ID,
        #[graphql(desc = "How many registrations to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return registrations after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many registrations to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return registrations before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<ParticipantFilter>,
    ) -> async_graphql::Result<RegistrationConnection> {
        let event_id = TrainingEvent::decode("eventId", &event_id)?;
        let page = PageArgs::new(first, after, last, before)?;
        let filter: service::ParticipantFilter = filter.unwrap_or_default().into();
        Ok(RegistrationConnection(
            service::participants(ctx.state()?.conn(), ctx.viewer()?, event_id, &filter, &page).await?,
        ))
    }
}

/// Mutations of training events and registrations.
#[derive(Default)]
pub struct EventsMutation;

#[Object]
impl EventsMutation {
    /// Creates a training event (editors of the organiser agency).
    async fn create_training_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CreateTrainingEventInput,
    ) -> async_graphql::Result<TrainingEvent> {
        let event = service::create_event(&ctx.state()?.writer, ctx.viewer()?, input.into()).await?;
        Ok(TrainingEvent(event))
    }

    /// Changes a training event. A stale `expectedVersion` answers CONFLICT with the current
    /// version in `extensions.currentVersion`; a capacity below the seats taken is
    /// BAD_USER_INPUT; added seats go to the waiting list at once.
    async fn update_training_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global id.")] id: ID,
        #[graphql(desc = "The version the change was made on.")] expected_version: i64,
        #[graphql(desc = "The changes.")] input: UpdateTrainingEventInput,
    ) -> async_graphql::Result<TrainingEvent> {
        let id = TrainingEvent::decode("id", &id)?;
        let event =
            service::update_event(&ctx.state()?.writer, ctx.viewer()?, id, expected_version, input.into()).await?;
        Ok(TrainingEvent(event))
    }

    /// Cancels a training event with a reason; every registration is cancelled with it and
    /// calendars that subscribed see STATUS:CANCELLED.
    async fn cancel_training_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global id.")] id: ID,
        #[graphql(desc = "Why it is cancelled (shown to everyone).")] reason: String,
        #[graphql(desc = "The version the decision was made on (optional).")] expected_version: Option<i64>,
    ) -> async_graphql::Result<TrainingEvent> {
        let id = TrainingEvent::decode("id", &id)?;
        let event = service::cancel_event(&ctx.state()?.writer, ctx.viewer()?, id, expected_version, &reason).await?;
        Ok(TrainingEvent(event))
    }

    /// Marks a training event as held (once it has started).
    async fn complete_training_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global id.")] id: ID,
    ) -> async_graphql::Result<TrainingEvent> {
        let id = TrainingEvent::decode("id", &id)?;
        Ok(TrainingEvent(
            service::complete_event(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Adds a seat quota (Kontingent) to an event (editors of the organiser agency): seats of
    /// its capacity reserved for the members of some municipalities. Its seats must be free in
    /// the general pool; bad input is BAD_USER_INPUT with the field.
    async fn add_event_quota(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The quota.")] input: AddEventQuotaInput,
    ) -> async_graphql::Result<EventQuota> {
        let input = input.into_new()?;
        Ok(EventQuota(
            service::add_quota(&ctx.state()?.writer, ctx.viewer()?, input).await?,
        ))
    }

    /// Changes a seat quota's name, seats or `until`; seats it gives up go to the waiting list
    /// at once.
    async fn update_event_quota(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The quota's global id.")] id: ID,
        #[graphql(desc = "The changes.")] input: UpdateEventQuotaInput,
    ) -> async_graphql::Result<EventQuota> {
        let id = EventQuota::decode("id", &id)?;
        Ok(EventQuota(
            service::update_quota(&ctx.state()?.writer, ctx.viewer()?, id, input.into()).await?,
        ))
    }

    /// Removes a seat quota: its participants keep their seats (now of the general pool), its
    /// unused seats go to the waiting list at once. Answers the event.
    async fn remove_event_quota(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The quota's global id.")] id: ID,
    ) -> async_graphql::Result<TrainingEvent> {
        let id = EventQuota::decode("id", &id)?;
        Ok(TrainingEvent(
            service::remove_quota(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Registers the signed-in member: CONFIRMED with a seat of the best seat quota they are
    /// entitled to while one is free (see `Registration.quota`), else with a seat of the
    /// general pool while one is free and nobody waits, else WAITLISTED (with a position) when
    /// the event has a waiting list, else EVENT_FULL. Registering twice is
    /// CONFLICT; a cancelled, started or past event, or one outside its registration window,
    /// is BAD_USER_INPUT on `eventId` with the reason.
    async fn register_for_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global id.")] event_id: ID,
        #[graphql(desc = "A note to the organisers (at most 1,000 characters).")] note: Option<String>,
    ) -> async_graphql::Result<Registration> {
        let event_id = TrainingEvent::decode("eventId", &event_id)?;
        let (writer, events) = (&ctx.state()?.writer, ctx.get::<Events>()?);
        let registration = service::register(writer, events, ctx.viewer()?, event_id, note.as_deref()).await?;
        Ok(Registration(registration))
    }

    /// Cancels a registration: the member until the event starts, the organisers at any time.
    /// A freed seat goes to the first on the waiting list at once.
    async fn cancel_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration's global id.")] registration_id: ID,
    ) -> async_graphql::Result<Registration> {
        let id = Registration::decode("registrationId", &registration_id)?;
        Ok(Registration(
            service::cancel_registration(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Moves someone from the waiting list to a free seat by hand (organisers; only when a seat
    /// is free, e.g. once the event has started and seats are no longer filled automatically).
    async fn promote_from_waitlist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration's global id.")] registration_id: ID,
    ) -> async_graphql::Result<Registration> {
        let id = Registration::decode("registrationId", &registration_id)?;
        Ok(Registration(
            service::promote_registration(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Records attendance of a confirmed participant after the start: attended (ATTENDED) or
    /// not (a no-show).
    async fn mark_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration's global id.")] registration_id: ID,
        #[graphql(desc = "Whether the participant came.")] attended: bool,
    ) -> async_graphql::Result<Registration> {
        let id = Registration::decode("registrationId", &registration_id)?;
        Ok(Registration(
            service::mark_attendance(&ctx.state()?.writer, ctx.viewer()?, id, attended).await?,
        ))
    }
}

/// Live updates of training events.
#[derive(Default)]
pub struct EventsSubscription;

#[Subscription]
impl EventsSubscription {
    /// An event's seats and waiting list: the current state at once, then after every change
    /// (from every server instance).
    async fn event_availability_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's global id.")] event_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<EventAvailability>> + use<>> {
        let event_id = TrainingEvent::decode("eventId", &event_id)?;
        let state = ctx.state()?;
        let changes = service::watch_availability(state.conn(), &state.bus, event_id).await?;
        Ok(changes.map(|availability| availability.map(EventAvailability).map_err(Into::into)))
    }
}

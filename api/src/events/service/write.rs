//! Creating, changing, cancelling and finding training events. Editors of the organiser agency
//! (and administrators) change them; everyone reads them.

use chrono::{DateTime, Utc};
use dkbm_entity::{
    EventFormat, EventStatus, RegistrationStatus, registration, topic, training_event, training_event_topic,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::calendar::availability_changed;
use super::checks::{CheckedEvent, EventDraft, Venue, check, draft_of};
use super::list::event_by_slug;
use super::mail::{Notice, notify};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, Versioned, Writer, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::events::exports::location;
use crate::ids::{EventId, TopicId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::patch::Patch;
use crate::text::slugify;
use crate::validate;

/// A new event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub organizer_slug: String,
    /// Derived from the title and date when not given.
    pub slug: Option<String>,
    pub draft: EventDraft,
}

/// Changes to an event: `None` leaves a field; `Some(None)` clears it; lists replace.
#[derive(Debug, Clone, Default)]
pub struct EventChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub format: Option<EventFormat>,
    pub topics: Option<Vec<String>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub venue: Option<Option<Venue>>,
    pub online_url: Option<Option<String>>,
    pub capacity: Option<Option<i32>>,
    pub waitlist_enabled: Option<bool>,
    pub registration_opens_at: Option<Option<DateTime<Utc>>>,
    pub registration_closes_at: Option<Option<DateTime<Utc>>>,
}

impl EventChanges {
    /// Applies the given changes to the draft of the current event (crate::patch).
    fn apply_to(self, draft: &mut EventDraft) {
        self.title.apply_to(&mut draft.title);
        self.description.apply_to(&mut draft.description);
        self.format.apply_to(&mut draft.format);
        self.topics.apply_to(&mut draft.topics);
        self.starts_at.apply_to(&mut draft.starts_at);
        self.ends_at.apply_to(&mut draft.ends_at);
        self.time_zone.apply_to(&mut draft.time_zone);
        self.venue.apply_to(&mut draft.venue);
        self.online_url.apply_to(&mut draft.online_url);
        self.capacity.apply_to(&mut draft.capacity);
        self.waitlist_enabled.apply_to(&mut draft.waitlist_enabled);
        self.registration_opens_at.apply_to(&mut draft.registration_opens_at);
        self.registration_closes_at.apply_to(&mut draft.registration_closes_at);
    }
}

/// A free slug for an event: the given one (checked), else title and start date.
async fn free_slug(db: &impl ConnectionTrait, wanted: Option<&str>, draft: &EventDraft) -> AppResult<String> {
    if let Some(wanted) = wanted {
        let slug = validate::slug("input.slug", wanted)?;
        if event_by_slug(db, &slug).await?.is_some() {
            return Err(AppError::conflict(
                "input.slug",
                Message::new(MessageKey::EventSlugIsTaken).with("slug", slug),
            ));
        }
        return Ok(slug);
    }
    let mut words = slugify(&draft.title);
    words.truncate(90);
    let base = format!("{}-{}", words.trim_end_matches('-'), draft.starts_at.format("%Y-%m-%d"))
        .trim_start_matches('-')
        .to_owned();
    let candidates: Vec<String> = std::iter::once(base.clone())
        .chain((2..=20).map(|n| format!("{base}-{n}")))
        .collect();
    let taken: Vec<String> = training_event::Entity::find()
        .select_only()
        .column(training_event::Column::Slug)
        .filter(training_event::Column::Slug.is_in(candidates.clone()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(candidates
        .into_iter()
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| format!("{base}-{}", Uuid::now_v7().simple())))
}

async fn write_topics(db: &impl ConnectionTrait, event_id: EventId, topic_ids: &[TopicId]) -> AppResult<()> {
    training_event_topic::Entity::delete_many()
        .filter(training_event_topic::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    if !topic_ids.is_empty() {
        training_event_topic::Entity::insert_many(topic_ids.iter().map(|topic_id| training_event_topic::ActiveModel {
            event_id: Set(event_id.uuid()),
            topic_id: Set(topic_id.uuid()),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

fn apply(model: &mut training_event::ActiveModel, checked: &CheckedEvent) {
    let draft = &checked.draft;
    let venue = draft.venue.clone().unwrap_or_default();
    model.title = Set(draft.title.clone());
    model.description = Set(draft.description.clone());
    model.description_html = Set(checked.description_html.clone());
    model.format = Set(draft.format);
    model.starts_at = Set(draft.starts_at);
    model.ends_at = Set(draft.ends_at);
    model.time_zone = Set(draft.time_zone.clone());
    model.venue_name = Set(venue.name);
    model.venue_street = Set(venue.street);
    model.venue_postal_code = Set(venue.postal_code);
    model.venue_city = Set(venue.city);
    model.city_key = Set(checked.city_key.clone());
    model.online_url = Set(draft.online_url.clone());
    model.capacity = Set(draft.capacity);
    model.waitlist_enabled = Set(draft.waitlist_enabled);
    model.registration_opens_at = Set(draft.registration_opens_at);
    model.registration_closes_at = Set(draft.registration_closes_at);
    model.search_terms = Set(checked.search_terms.clone());
}

/// Creates an event for its organiser agency (its editors and administrators).
pub async fn create_event(writer: &Writer, viewer: &Viewer, input: NewEvent) -> AppResult<training_event::Model> {
    let db = writer.conn();
    let organizer = require_agency(db, "input.organizerSlug", &input.organizer_slug).await?;
    ensure_agency_editor(viewer, organizer.id)?;
    let checked = check(db, "input", &input.draft).await?;
    let work = UnitOfWork::begin(writer).await?;
    let slug = free_slug(&work, input.slug.as_deref(), &checked.draft).await?;
    let at = now();
    let mut model = training_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        organizer_agency_id: Set(organizer.id),
        status: Set(EventStatus::Scheduled),
        cancellation_reason: Set(None),
        version: Set(1),
        seats_taken: Set(0),
        waitlist_length: Set(0),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    apply(&mut model, &checked);
    let event = model
        .insert(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::EventSlugTaken))?;
    write_topics(&work, event.id.into(), &checked.topic_ids).await?;
    super::occurrences::event_changed(&work, &event);
    work.commit().await?;
    Ok(event)
}

/// Loads an event for a change by its organiser at the expected version (inside `db`'s
/// transaction, locked).
async fn for_change(
    work: &UnitOfWork,
    viewer: &Viewer,
    id: EventId,
    expected_version: Option<i64>,
) -> AppResult<training_event::Model> {
    work.expect_version::<training_event::Entity>(id.uuid(), expected_version, |event| {
        ensure_agency_editor(viewer, event.organizer_agency_id)
    })
    .await
}

impl Versioned for training_event::Entity {
    const NOUN: MessageKey = MessageKey::NounEvent;
    const NOT_FOUND: MessageKey = MessageKey::NoSuchEvent;

    fn id_column() -> training_event::Column {
        training_event::Column::Id
    }

    fn version_of(model: &training_event::Model) -> i64 {
        model.version
    }
}

/// The event is SCHEDULED; a cancelled or completed one is CONFLICT (it no longer changes).
pub fn ensure_scheduled(event: &training_event::Model) -> AppResult<()> {
    match event.status {
        EventStatus::Scheduled => Ok(()),
        EventStatus::Cancelled => Err(AppError::conflict("id", MessageKey::EventCancelledFrozen)),
        EventStatus::Completed => Err(AppError::conflict("id", MessageKey::EventCompletedFrozen)),
    }
}

async fn topic_slugs(db: &impl ConnectionTrait, event_id: EventId) -> AppResult<Vec<String>> {
    Ok(topic::Entity::find()
        .select_only()
        .column(topic::Column::Slug)
        .filter(
            topic::Column::Id.in_subquery(
                Query::select()
                    .column(training_event_topic::Column::TopicId)
                    .from(training_event_topic::Entity)
                    .and_where(Expr::col(training_event_topic::Column::EventId).eq(event_id))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?)
}

/// Changes an event. A stale `expected_version` is CONFLICT; a capacity below the seats taken
/// is BAD_USER_INPUT; a raised capacity gives the new seats to the waiting list at once.
pub async fn update_event(
    writer: &Writer,
    viewer: &Viewer,
    id: EventId,
    expected_version: i64,
    changes: EventChanges,
) -> AppResult<training_event::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let event = for_change(&work, viewer, id, Some(expected_version)).await?;
    ensure_scheduled(&event)?;
    let mut draft = draft_of(&event, topic_slugs(&work, id).await?);
    changes.apply_to(&mut draft);
    let checked = check(&work, "input", &draft).await?;
    if let Some(capacity) = checked.draft.capacity
        && capacity < event.seats_taken
    {
        return Err(AppError::bad_input(
            "input.capacity",
            Message::new(MessageKey::CapacityBelowSeats).with("seats", event.seats_taken),
        ));
    }
    let at = now();
    let quotas = super::quotas_of_event(&work, id).await?;
    super::ensure_capacity_for_quotas(&event, checked.draft.capacity, &quotas, at)?;
    let mut model: training_event::ActiveModel = event.clone().into();
    apply(&mut model, &checked);
    model.version = Set(event.version + 1);
    model.updated_at = Set(at);
    let updated = model.update(&work).await?;
    write_topics(&work, id, &checked.topic_ids).await?;
    let updated = super::fill_free_seats(&work, updated, at).await?;
    tell_of_change(&work, &event, &updated, at).await?;
    super::occurrences::event_changed(&work, &updated);
    work.announce(availability_changed(id));
    work.commit().await?;
    Ok(updated)
}

/// Cancels an event with a reason: every registration is cancelled with it.
pub async fn cancel_event(
    writer: &Writer,
    viewer: &Viewer,
    id: EventId,
    expected_version: Option<i64>,
    reason: &str,
) -> AppResult<training_event::Model> {
    let reason = validate::required_text("reason", reason, 1000)?;
    let work = UnitOfWork::begin(writer).await?;
    let event = for_change(&work, viewer, id, expected_version).await?;
    ensure_scheduled(&event)?;
    let at = now();
    let cancelled = registration::Entity::update_many()
        .col_expr(registration::Column::Status, Expr::val(RegistrationStatus::Cancelled))
        .col_expr(registration::Column::WaitlistPosition, Expr::val(Option::<i32>::None))
        .col_expr(registration::Column::CancelledAt, Expr::val(at))
        .col_expr(registration::Column::UpdatedAt, Expr::val(at))
        .col_expr(registration::Column::QuotaId, Expr::val(Option::<Uuid>::None))
        .filter(registration::Column::EventId.eq(id))
        .filter(registration::Column::Status.is_in([RegistrationStatus::Confirmed, RegistrationStatus::Waitlisted]))
        .exec_with_returning(&work)
        .await?;
    super::empty_quotas(&work, id).await?;
    let mut model: training_event::ActiveModel = event.clone().into();
    model.status = Set(EventStatus::Cancelled);
    model.cancellation_reason = Set(Some(reason));
    model.seats_taken = Set(0);
    model.waitlist_length = Set(0);
    model.version = Set(event.version + 1);
    model.updated_at = Set(at);
    let updated = model.update(&work).await?;
    notify(&work, &updated, &cancelled, Notice::EventCancelled).await?;
    super::occurrences::event_changed(&work, &updated);
    work.announce(availability_changed(id));
    work.commit().await?;
    Ok(updated)
}

/// Marks an event as held (once it has started).
pub async fn complete_event(writer: &Writer, viewer: &Viewer, id: EventId) -> AppResult<training_event::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let event = for_change(&work, viewer, id, None).await?;
    ensure_scheduled(&event)?;
    let at = now();
    if at < event.starts_at {
        return Err(AppError::bad_input("id", MessageKey::CompleteBeforeStart));
    }
    let mut model: training_event::ActiveModel = event.clone().into();
    model.status = Set(EventStatus::Completed);
    model.version = Set(event.version + 1);
    model.updated_at = Set(at);
    let updated = model.update(&work).await?;
    super::certificates::send_certificates(&work, &updated).await?;
    super::occurrences::event_changed(&work, &updated);
    work.commit().await?;
    Ok(updated)
}

/// Tells everyone registered (but those who just moved up, who were told) that the event moved
/// or its place changed.
async fn tell_of_change(
    work: &UnitOfWork,
    before: &training_event::Model,
    after: &training_event::Model,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let moved =
        before.starts_at != after.starts_at || before.ends_at != after.ends_at || before.time_zone != after.time_zone;
    let place_changed = location(before) != location(after) || before.online_url != after.online_url;
    if !moved && !place_changed {
        return Ok(());
    }
    let registered: Vec<registration::Model> = registration::Entity::find()
        .filter(registration::Column::EventId.eq(after.id))
        .filter(registration::Column::Status.is_in([RegistrationStatus::Confirmed, RegistrationStatus::Waitlisted]))
        .all(work)
        .await?
        .into_iter()
        .filter(|r| r.confirmed_at != Some(at))
        .collect();
    notify(work, after, &registered, Notice::Changed { moved, place_changed }).await
}

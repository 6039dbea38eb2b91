//! Creating, changing, cancelling and finding training events. Editors of the organiser agency
//! (and administrators) change them; everyone reads them.

use chrono::{DateTime, Utc};
use dkbm_entity::{
    EventFormat, EventStatus, RegistrationStatus, registration, topic, training_event, training_event_topic,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, Versioned, now, one_for_update};
use crate::directory::service::{require_agency, require_topics};
use crate::error::{AppError, AppResult};
use crate::pagination::{Direction, Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::realtime::Event;
use crate::search::{self, SearchQuery};
use crate::state::AppState;
use crate::text::{fold, slugify};
use crate::{markdown, validate};

/// Longest description (Markdown), in characters.
pub const MAX_DESCRIPTION: usize = 100_000;
/// Largest capacity.
pub const MAX_CAPACITY: i32 = 100_000;
/// The time zone of an event when none is given.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Berlin";

/// Where an event takes place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Venue {
    pub name: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
}

/// Everything an event says about itself (what is created, and what an update changes).
#[derive(Debug, Clone)]
pub struct EventDraft {
    pub title: String,
    pub description: String,
    pub format: EventFormat,
    pub topics: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: Option<Venue>,
    pub online_url: Option<String>,
    pub capacity: Option<i32>,
    pub waitlist_enabled: bool,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
}

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

/// A draft whose every field was checked, with its topics resolved.
struct CheckedEvent {
    draft: EventDraft,
    topic_ids: Vec<Uuid>,
    description_html: String,
    search_terms: String,
    city_key: Option<String>,
}

fn field(prefix: &str, name: &str) -> String {
    format!("{prefix}.{name}")
}

fn check_venue(prefix: &str, venue: &Venue) -> AppResult<Option<Venue>> {
    let venue = Venue {
        name: validate::optional_text(&field(prefix, "venue.name"), venue.name.as_deref(), 200)?,
        street: validate::optional_text(&field(prefix, "venue.street"), venue.street.as_deref(), 200)?,
        postal_code: validate::optional_text(&field(prefix, "venue.postalCode"), venue.postal_code.as_deref(), 10)?,
        city: validate::optional_text(&field(prefix, "venue.city"), venue.city.as_deref(), 120)?,
    };
    if venue == Venue::default() {
        return Ok(None);
    }
    if let Some(code) = &venue.postal_code
        && !(code.len() == 5 && code.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(AppError::bad_input(
            field(prefix, "venue.postalCode"),
            "a German postal code has five digits",
        ));
    }
    if venue.city.is_none() {
        return Err(AppError::bad_input(
            field(prefix, "venue.city"),
            "a venue needs its city",
        ));
    }
    Ok(Some(venue))
}

/// Checks a draft (field names under `prefix`, e.g. `input`) and resolves its topics.
async fn check(db: &impl ConnectionTrait, prefix: &str, draft: &EventDraft) -> AppResult<CheckedEvent> {
    let title = validate::required_text(&field(prefix, "title"), &draft.title, 300)?;
    validate::max_chars(&field(prefix, "description"), &draft.description, MAX_DESCRIPTION)?;
    let description = draft.description.trim().to_owned();
    let time_zone = draft.time_zone.trim().to_owned();
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(AppError::bad_input(
            field(prefix, "timeZone"),
            format!("\"{time_zone}\" is not an IANA time zone such as Europe/Berlin"),
        ));
    }
    if draft.ends_at <= draft.starts_at {
        return Err(AppError::bad_input(
            field(prefix, "endsAt"),
            "the event must end after it starts",
        ));
    }
    let venue = match &draft.venue {
        Some(venue) => check_venue(prefix, venue)?,
        None => None,
    };
    let online_url = validate::optional_url(&field(prefix, "onlineUrl"), draft.online_url.as_deref())?;
    if venue.is_none() && online_url.is_none() {
        return Err(AppError::bad_input(
            field(prefix, "venue"),
            "an event needs a venue, an online URL, or both",
        ));
    }
    if let Some(capacity) = draft.capacity
        && !(1..=MAX_CAPACITY).contains(&capacity)
    {
        return Err(AppError::bad_input(
            field(prefix, "capacity"),
            format!("capacity must be between 1 and {MAX_CAPACITY} (leave it null for unlimited seats)"),
        ));
    }
    if let Some(closes) = draft.registration_closes_at
        && closes > draft.ends_at
    {
        return Err(AppError::bad_input(
            field(prefix, "registrationClosesAt"),
            "registration must close before the event ends",
        ));
    }
    if let Some(opens) = draft.registration_opens_at {
        let limit = draft.registration_closes_at.unwrap_or(draft.ends_at);
        if opens >= limit {
            return Err(AppError::bad_input(
                field(prefix, "registrationOpensAt"),
                "registration must open before it closes and before the event ends",
            ));
        }
    }
    if draft.topics.len() > 20 {
        return Err(AppError::bad_input(field(prefix, "topics"), "at most 20 topics"));
    }
    let topics = require_topics(db, &field(prefix, "topics"), &draft.topics).await?;
    let slugs: Vec<String> = topics.iter().map(|t| t.slug.clone()).collect();
    let plain = markdown::to_plain_text(&description);
    let place = venue
        .as_ref()
        .map(|v| {
            format!(
                "{} {}",
                v.name.as_deref().unwrap_or_default(),
                v.city.as_deref().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let search_terms = format!(
        " {} ",
        [
            search::indexed(&title),
            search::indexed(&plain),
            search::indexed(&place)
        ]
        .into_iter()
        .filter(|terms| !terms.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    );
    Ok(CheckedEvent {
        description_html: markdown::to_safe_html(&description),
        city_key: venue.as_ref().and_then(|v| v.city.as_deref()).map(fold),
        topic_ids: topics.iter().map(|t| t.id).collect(),
        search_terms,
        draft: EventDraft {
            title,
            description,
            time_zone,
            venue,
            online_url,
            topics: slugs,
            ..draft.clone()
        },
    })
}

/// An event by id.
pub async fn event_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<training_event::Model>> {
    Ok(training_event::Entity::find_by_id(id).one(db).await?)
}

/// An event by id, or NOT_FOUND.
pub async fn require_event(db: &impl ConnectionTrait, id: Uuid) -> AppResult<training_event::Model> {
    event_by_id(db, id)
        .await?
        .ok_or_else(|| AppError::not_found("no such training event"))
}

/// An event by slug.
pub async fn event_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<training_event::Model>> {
    Ok(training_event::Entity::find()
        .filter(training_event::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// Reads the event for a change of its seats, locking its row until the transaction ends: every
/// registration change of one event goes through this lock, on every replica (SQLite has one
/// writer anyway).
pub async fn lock_event(db: &impl ConnectionTrait, id: Uuid) -> AppResult<training_event::Model> {
    one_for_update(db, training_event::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found("no such training event"))
}

/// Whether members can register at `at`.
pub fn registration_open(event: &training_event::Model, at: DateTime<Utc>) -> bool {
    event.status == EventStatus::Scheduled
        && at < event.starts_at
        && event.registration_opens_at.is_none_or(|opens| at >= opens)
        && event.registration_closes_at.is_none_or(|closes| at < closes)
}

/// Free seats (`None`: unlimited).
pub fn seats_free(event: &training_event::Model) -> Option<i32> {
    event.capacity.map(|capacity| Ord::max(capacity - event.seats_taken, 0))
}

/// A free slug for an event: the given one (checked), else title and start date.
async fn free_slug(db: &impl ConnectionTrait, wanted: Option<&str>, draft: &EventDraft) -> AppResult<String> {
    if let Some(wanted) = wanted {
        let slug = validate::slug("input.slug", wanted)?;
        if event_by_slug(db, &slug).await?.is_some() {
            return Err(AppError::conflict(
                "input.slug",
                format!("the slug \"{slug}\" is taken by another event"),
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

async fn write_topics(db: &impl ConnectionTrait, event_id: Uuid, topic_ids: &[Uuid]) -> AppResult<()> {
    training_event_topic::Entity::delete_many()
        .filter(training_event_topic::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    if !topic_ids.is_empty() {
        training_event_topic::Entity::insert_many(topic_ids.iter().map(|topic_id| training_event_topic::ActiveModel {
            event_id: Set(event_id),
            topic_id: Set(*topic_id),
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
pub async fn create_event(state: &AppState, viewer: &Viewer, input: NewEvent) -> AppResult<training_event::Model> {
    let db = state.conn();
    let organizer = require_agency(db, "input.organizerSlug", &input.organizer_slug).await?;
    ensure_agency_editor(viewer, organizer.id)?;
    let checked = check(db, "input", &input.draft).await?;
    let work = UnitOfWork::begin(state).await?;
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
        .map_err(|e| AppError::from_unique_violation(e, "input.slug", "the slug is taken by another event"))?;
    write_topics(&work, event.id, &checked.topic_ids).await?;
    work.commit().await?;
    Ok(event)
}

/// Loads an event for a change by its organiser at the expected version (inside `db`'s
/// transaction, locked).
async fn for_change(
    work: &UnitOfWork,
    viewer: &Viewer,
    id: Uuid,
    expected_version: Option<i64>,
) -> AppResult<training_event::Model> {
    work.expect_version::<training_event::Entity>(id, expected_version, |event| {
        ensure_agency_editor(viewer, event.organizer_agency_id)
    })
    .await
}

impl Versioned for training_event::Entity {
    const NOUN: &'static str = "event";
    const NOT_FOUND: &'static str = "no such training event";

    fn id_column() -> training_event::Column {
        training_event::Column::Id
    }

    fn version_of(model: &training_event::Model) -> i64 {
        model.version
    }
}

fn ensure_scheduled(event: &training_event::Model) -> AppResult<()> {
    match event.status {
        EventStatus::Scheduled => Ok(()),
        EventStatus::Cancelled => Err(AppError::conflict(
            "id",
            "the event was cancelled and can no longer change",
        )),
        EventStatus::Completed => Err(AppError::conflict(
            "id",
            "the event is completed and can no longer change",
        )),
    }
}

fn draft_of(event: &training_event::Model, topics: Vec<String>) -> EventDraft {
    let venue = Venue {
        name: event.venue_name.clone(),
        street: event.venue_street.clone(),
        postal_code: event.venue_postal_code.clone(),
        city: event.venue_city.clone(),
    };
    EventDraft {
        title: event.title.clone(),
        description: event.description.clone(),
        format: event.format,
        topics,
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone.clone(),
        venue: (venue != Venue::default()).then_some(venue),
        online_url: event.online_url.clone(),
        capacity: event.capacity,
        waitlist_enabled: event.waitlist_enabled,
        registration_opens_at: event.registration_opens_at,
        registration_closes_at: event.registration_closes_at,
    }
}

async fn topic_slugs(db: &impl ConnectionTrait, event_id: Uuid) -> AppResult<Vec<String>> {
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
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    expected_version: i64,
    changes: EventChanges,
) -> AppResult<training_event::Model> {
    let work = UnitOfWork::begin(state).await?;
    let event = for_change(&work, viewer, id, Some(expected_version)).await?;
    ensure_scheduled(&event)?;
    let current = draft_of(&event, topic_slugs(&work, id).await?);
    let draft = EventDraft {
        title: changes.title.unwrap_or(current.title),
        description: changes.description.unwrap_or(current.description),
        format: changes.format.unwrap_or(current.format),
        topics: changes.topics.unwrap_or(current.topics),
        starts_at: changes.starts_at.unwrap_or(current.starts_at),
        ends_at: changes.ends_at.unwrap_or(current.ends_at),
        time_zone: changes.time_zone.unwrap_or(current.time_zone),
        venue: changes.venue.unwrap_or(current.venue),
        online_url: changes.online_url.unwrap_or(current.online_url),
        capacity: changes.capacity.unwrap_or(current.capacity),
        waitlist_enabled: changes.waitlist_enabled.unwrap_or(current.waitlist_enabled),
        registration_opens_at: changes.registration_opens_at.unwrap_or(current.registration_opens_at),
        registration_closes_at: changes.registration_closes_at.unwrap_or(current.registration_closes_at),
    };
    let checked = check(&work, "input", &draft).await?;
    if let Some(capacity) = checked.draft.capacity
        && capacity < event.seats_taken
    {
        return Err(AppError::bad_input(
            "input.capacity",
            format!(
                "{} participants hold a seat; the capacity cannot go below that (cancel registrations first)",
                event.seats_taken
            ),
        ));
    }
    let mut model: training_event::ActiveModel = event.clone().into();
    apply(&mut model, &checked);
    model.version = Set(event.version + 1);
    model.updated_at = Set(now());
    let updated = model.update(&work).await?;
    write_topics(&work, id, &checked.topic_ids).await?;
    let updated = super::fill_free_seats(&work, updated, now()).await?;
    work.announce(availability_changed(id));
    work.commit().await?;
    Ok(updated)
}

/// Cancels an event with a reason: every registration is cancelled with it.
pub async fn cancel_event(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    expected_version: Option<i64>,
    reason: &str,
) -> AppResult<training_event::Model> {
    let reason = validate::required_text("reason", reason, 1000)?;
    let work = UnitOfWork::begin(state).await?;
    let event = for_change(&work, viewer, id, expected_version).await?;
    ensure_scheduled(&event)?;
    let at = now();
    registration::Entity::update_many()
        .col_expr(registration::Column::Status, Expr::val(RegistrationStatus::Cancelled))
        .col_expr(registration::Column::WaitlistPosition, Expr::val(Option::<i32>::None))
        .col_expr(registration::Column::CancelledAt, Expr::val(at))
        .col_expr(registration::Column::UpdatedAt, Expr::val(at))
        .filter(registration::Column::EventId.eq(id))
        .filter(registration::Column::Status.is_in([RegistrationStatus::Confirmed, RegistrationStatus::Waitlisted]))
        .exec(&work)
        .await?;
    let mut model: training_event::ActiveModel = event.clone().into();
    model.status = Set(EventStatus::Cancelled);
    model.cancellation_reason = Set(Some(reason));
    model.seats_taken = Set(0);
    model.waitlist_length = Set(0);
    model.version = Set(event.version + 1);
    model.updated_at = Set(at);
    let updated = model.update(&work).await?;
    work.announce(availability_changed(id));
    work.commit().await?;
    Ok(updated)
}

/// Marks an event as held (once it has started).
pub async fn complete_event(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<training_event::Model> {
    let work = UnitOfWork::begin(state).await?;
    let event = for_change(&work, viewer, id, None).await?;
    ensure_scheduled(&event)?;
    let at = now();
    if at < event.starts_at {
        return Err(AppError::bad_input(
            "id",
            "an event can be completed once it has started",
        ));
    }
    let mut model: training_event::ActiveModel = event.clone().into();
    model.status = Set(EventStatus::Completed);
    model.version = Set(event.version + 1);
    model.updated_at = Set(at);
    let updated = model.update(&work).await?;
    work.commit().await?;
    Ok(updated)
}

/// What live subscribers hear when an event's availability may have changed.
pub fn availability_changed(event_id: Uuid) -> Event {
    Event::AvailabilityChanged { event_id }
}

/// The condition "the event has one of these topics".
fn with_any_topic(topic_ids: impl IntoIterator<Item = Uuid>) -> sea_orm::sea_query::SimpleExpr {
    training_event::Column::Id.in_subquery(
        Query::select()
            .column(training_event_topic::Column::EventId)
            .from(training_event_topic::Entity)
            .and_where(Expr::col(training_event_topic::Column::TopicId).is_in(topic_ids))
            .to_owned(),
    )
}

/// Filters of the event list; all given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Events ending at or after this (default: now, i.e. upcoming and running).
    pub from: Option<DateTime<Utc>>,
    /// Events starting before this.
    pub to: Option<DateTime<Utc>>,
    /// Topic slugs: events with any of them.
    pub topics: Vec<String>,
    pub formats: Vec<EventFormat>,
    /// Organiser agency slug.
    pub organizer: Option<String>,
    /// Only online events (true) or only events with no online URL (false).
    pub online: Option<bool>,
    pub city: Option<String>,
    pub has_free_seats: Option<bool>,
    pub search: Option<String>,
    /// Empty: SCHEDULED only.
    pub statuses: Vec<EventStatus>,
}

/// Orderings of the event list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOrderField {
    StartsAt,
    CreatedAt,
}

fn keyset(field: EventOrderField, direction: Option<Direction>) -> Keyset {
    let (name, column, default) = match field {
        EventOrderField::StartsAt => ("STARTS_AT", training_event::Column::StartsAt, Direction::Asc),
        EventOrderField::CreatedAt => ("CREATED_AT", training_event::Column::CreatedAt, Direction::Desc),
    };
    let direction = direction.unwrap_or(default);
    Keyset {
        name: format!("EVENTS_{name}_{}", if direction.is_desc() { "DESC" } else { "ASC" }),
        keys: vec![
            (Expr::col((training_event::Entity, column)), KeyKind::Time),
            (
                Expr::col((training_event::Entity, training_event::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: direction.is_desc(),
    }
}

/// The event list: filtered, ordered, keyset-paginated.
pub async fn list_events(
    db: &DatabaseConnection,
    filter: &EventFilter,
    order: Option<(EventOrderField, Option<Direction>)>,
    page: &PageArgs,
) -> AppResult<Page<training_event::Model>> {
    let mut select = training_event::Entity::find();
    let statuses = if filter.statuses.is_empty() {
        vec![EventStatus::Scheduled]
    } else {
        filter.statuses.clone()
    };
    select = select.filter(training_event::Column::Status.is_in(statuses));
    select = select.filter(training_event::Column::EndsAt.gte(filter.from.unwrap_or_else(now)));
    if let Some(to) = filter.to {
        select = select.filter(training_event::Column::StartsAt.lt(to));
    }
    if !filter.topics.is_empty() {
        let topics = require_topics(db, "filter.topics", &filter.topics).await?;
        select = select.filter(with_any_topic(topics.iter().map(|t| t.id)));
    }
    if !filter.formats.is_empty() {
        select = select.filter(training_event::Column::Format.is_in(filter.formats.clone()));
    }
    if let Some(slug) = &filter.organizer {
        let agency = require_agency(db, "filter.organizer", slug).await?;
        select = select.filter(training_event::Column::OrganizerAgencyId.eq(agency.id));
    }
    match filter.online {
        Some(true) => select = select.filter(training_event::Column::OnlineUrl.is_not_null()),
        Some(false) => select = select.filter(training_event::Column::OnlineUrl.is_null()),
        None => {}
    }
    if let Some(city) = &filter.city {
        validate::max_chars("filter.city", city, 120)?;
        select = select.filter(training_event::Column::CityKey.eq(fold(city.trim())));
    }
    if let Some(free) = filter.has_free_seats {
        let has_free = Condition::any()
            .add(training_event::Column::Capacity.is_null())
            .add(Expr::col(training_event::Column::SeatsTaken).lt(Expr::col(training_event::Column::Capacity)));
        select = select.filter(if free { has_free } else { has_free.not() });
    }
    if let Some(text) = &filter.search {
        validate::max_chars("filter.search", text, 500)?;
        let query = SearchQuery::parse(text);
        select = select.filter(search::padded_terms_match(training_event::Column::SearchTerms, &query));
    }
    let total = TotalCount::of(db, &select);
    let (field, direction) = order.unwrap_or((EventOrderField::StartsAt, None));
    let keyset = keyset(field, direction);
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |event| {
        let at = match field {
            EventOrderField::StartsAt => event.starts_at,
            EventOrderField::CreatedAt => event.created_at,
        };
        vec![Key::Time(at), Key::Uuid(event.id)]
    }))
}

/// How full an event is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub event_id: Uuid,
    pub seats_taken: i32,
    /// `None`: unlimited.
    pub seats_free: Option<i32>,
    pub waitlist_length: i32,
}

impl From<&training_event::Model> for Availability {
    fn from(event: &training_event::Model) -> Self {
        Availability {
            event_id: event.id,
            seats_taken: event.seats_taken,
            seats_free: seats_free(event),
            waitlist_length: event.waitlist_length,
        }
    }
}

/// An event's availability now and after every change, live (on PostgreSQL from every
/// replica). Events only prompt a fresh read, so a burst of registrations yields the latest
/// state, not every step.
pub async fn watch_availability(
    state: &AppState,
    event_id: Uuid,
) -> AppResult<impl futures::Stream<Item = AppResult<Availability>> + use<>> {
    use tokio::sync::broadcast::error::{RecvError, TryRecvError};
    let db = state.conn().clone();
    // Listening starts before the first read, so no change in between is lost.
    let mut events = state.bus.subscribe();
    let event = require_event(&db, event_id).await?;
    let concerns = move |event: &Event| matches!(event, Event::AvailabilityChanged { event_id: id } if *id == event_id);
    Ok(async_stream::try_stream! {
        let mut last = Availability::from(&event);
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
            let current = Availability::from(&require_event(&db, event_id).await?);
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
        select = select.filter(with_any_topic(topics.iter().map(|t| t.id)));
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

/// The kind of events in the cross-area search's ordering.
pub const SEARCH_KIND: i64 = 2;

/// Scheduled and completed events whose title, description or venue has every word and phrase
/// of the query, latest start first, after the search cursor's keys (score, date, kind, id);
/// each with its score (1 per word or phrase). Also the number of all hits.
pub async fn search_hits(
    db: &DatabaseConnection,
    query: &SearchQuery,
    after: Option<Vec<Key>>,
    limit: u64,
) -> AppResult<(Vec<(training_event::Model, i64)>, TotalCount)> {
    let mut select = training_event::Entity::find()
        .filter(training_event::Column::Status.is_in([EventStatus::Scheduled, EventStatus::Completed]));
    select = select.filter(search::padded_terms_match(training_event::Column::SearchTerms, query));
    let total = TotalCount::of(db, &select);
    let score = i64::try_from(query.units.len()).unwrap_or(0);
    let keyset = Keyset {
        name: String::new(),
        keys: vec![
            (Expr::val(score), KeyKind::Int),
            (
                Expr::col((training_event::Entity, training_event::Column::StartsAt)),
                KeyKind::Time,
            ),
            (Expr::val(SEARCH_KIND), KeyKind::Int),
            (
                Expr::col((training_event::Entity, training_event::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: true,
    };
    let rows = keyset.apply_keys(select, after, limit).all(db).await?;
    Ok((rows.into_iter().map(|event| (event, score)).collect(), total))
}

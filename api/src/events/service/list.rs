//! Finding training events: by id or slug, the filtered and keyset-paginated list, and the
//! events' part of the root search.

use chrono::{DateTime, Utc};
use dkbm_entity::{EventFormat, EventStatus, training_event, training_event_topic};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::db::{now, one_for_update};
use crate::directory::service::{require_agency, require_topics};
use crate::error::{AppError, AppResult};
use crate::ids::{EventId, TopicId};
use crate::messages::{Message, MessageKey};
use crate::pagination::{Direction, Key, KeyKind, Keyset, Page, PageArgs, TotalCount, Window};
use crate::text::analysis::{self as search, SearchQuery};
use crate::text::fold;
use crate::validate;

/// An event by id.
pub async fn event_by_id(db: &impl ConnectionTrait, id: EventId) -> AppResult<Option<training_event::Model>> {
    Ok(training_event::Entity::find_by_id(id).one(db).await?)
}

/// An event by id, or NOT_FOUND.
pub async fn require_event(db: &impl ConnectionTrait, id: EventId) -> AppResult<training_event::Model> {
    event_by_id(db, id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchEvent))
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
pub async fn lock_event(db: &impl ConnectionTrait, id: EventId) -> AppResult<training_event::Model> {
    one_for_update(db, training_event::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchEvent))
}

/// Whether members can register at `at`.
pub fn registration_open(event: &training_event::Model, at: DateTime<Utc>) -> bool {
    ensure_registration_open(event, at).is_ok()
}

/// Members can register at `at`; else BAD_USER_INPUT on `eventId` saying why not.
pub fn ensure_registration_open(event: &training_event::Model, at: DateTime<Utc>) -> AppResult<()> {
    let closed = |message: Message| Err(AppError::bad_input("eventId", message));
    match event.status {
        EventStatus::Cancelled => return closed(MessageKey::EventCancelled.into()),
        EventStatus::Completed => return closed(MessageKey::EventOver.into()),
        EventStatus::Scheduled => {}
    }
    if at >= event.starts_at {
        return closed(MessageKey::EventStarted.into());
    }
    if let Some(opens) = event.registration_opens_at
        && at < opens
    {
        return closed(Message::new(MessageKey::RegistrationOpensAt).with("at", opens.to_rfc3339()));
    }
    if let Some(closes) = event.registration_closes_at
        && at >= closes
    {
        return closed(Message::new(MessageKey::RegistrationClosedAt).with("at", closes.to_rfc3339()));
    }
    Ok(())
}

/// The condition "the event has one of these topics".
pub(super) fn with_any_topic(topic_ids: impl IntoIterator<Item = TopicId>) -> sea_orm::sea_query::SimpleExpr {
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
    /// The portal the list is read through: its scope and hidden items apply.
    pub portal: Option<std::sync::Arc<crate::portals::service::PortalView>>,
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
    if let Some(portal) = &filter.portal {
        select = select.filter(crate::portals::service::event_condition(portal));
    }
    select = select.filter(training_event::Column::EndsAt.gte(filter.from.unwrap_or_else(now)));
    if let Some(to) = filter.to {
        select = select.filter(training_event::Column::StartsAt.lt(to));
    }
    if !filter.topics.is_empty() {
        let topics = require_topics(db, "filter.topics", &filter.topics).await?;
        select = select.filter(with_any_topic(topics.iter().map(|t| TopicId::from(t.id))));
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

/// The kind of events in the cross-area search's ordering.
pub const SEARCH_KIND: i64 = 2;

/// Scheduled and completed events whose title, description or venue has every word and phrase
/// of the query, latest start first, after the search cursor's keys (score, date, kind, id);
/// each with its score (1 per word or phrase). Also the number of all hits.
pub async fn search_hits(
    db: &DatabaseConnection,
    query: &SearchQuery,
    window: &Window,
    portal: Option<&crate::portals::service::PortalView>,
) -> AppResult<(Vec<(training_event::Model, i64)>, TotalCount)> {
    let mut select = training_event::Entity::find()
        .filter(training_event::Column::Status.is_in([EventStatus::Scheduled, EventStatus::Completed]));
    if let Some(portal) = portal {
        select = select.filter(crate::portals::service::event_condition(portal));
    }
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
    let rows = keyset.apply_window(select, window).all(db).await?;
    Ok((rows.into_iter().map(|event| (event, score)).collect(), total))
}

//! What makes an event valid: the draft of a new or changed event, checked field by field
//! (times, venue, capacity, registration window, topics), answering BAD_USER_INPUT with the field.

use chrono::{DateTime, Utc};
use dkbm_entity::{EventFormat, training_event};
use sea_orm::ConnectionTrait;

use crate::directory::service::require_topics;
use crate::error::{AppError, AppResult};
use crate::ids::TopicId;
use crate::messages::{Message, MessageKey};
use crate::text::analysis as search;
use crate::text::fold;
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

/// A draft whose every field was checked, with its topics resolved.
pub(super) struct CheckedEvent {
    pub(super) draft: EventDraft,
    pub(super) topic_ids: Vec<TopicId>,
    pub(super) description_html: String,
    pub(super) search_terms: String,
    pub(super) city_key: Option<String>,
}

pub(super) fn field(prefix: &str, name: &str) -> String {
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
            MessageKey::PostalCode,
        ));
    }
    if venue.city.is_none() {
        return Err(AppError::bad_input(
            field(prefix, "venue.city"),
            MessageKey::VenueNeedsCity,
        ));
    }
    Ok(Some(venue))
}

/// Checks a draft (field names under `prefix`, e.g. `input`) and resolves its topics.
/// The capacity and the registration window of a draft.
fn check_seats_and_window(prefix: &str, draft: &EventDraft) -> AppResult<()> {
    if let Some(capacity) = draft.capacity
        && !(1..=MAX_CAPACITY).contains(&capacity)
    {
        return Err(AppError::bad_input(
            field(prefix, "capacity"),
            Message::new(MessageKey::CapacityRange).with("max", MAX_CAPACITY),
        ));
    }
    if let Some(closes) = draft.registration_closes_at
        && closes > draft.ends_at
    {
        return Err(AppError::bad_input(
            field(prefix, "registrationClosesAt"),
            MessageKey::RegistrationClosesAfterEnd,
        ));
    }
    if let Some(opens) = draft.registration_opens_at {
        let limit = draft.registration_closes_at.unwrap_or(draft.ends_at);
        if opens >= limit {
            return Err(AppError::bad_input(
                field(prefix, "registrationOpensAt"),
                MessageKey::RegistrationOpensTooLate,
            ));
        }
    }
    Ok(())
}

/// The words the root search finds an event by: its title, description and place.
fn search_terms(title: &str, description: &str, venue: Option<&Venue>) -> String {
    let plain = markdown::to_plain_text(description);
    let place = venue
        .map(|v| {
            format!(
                "{} {}",
                v.name.as_deref().unwrap_or_default(),
                v.city.as_deref().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let terms = [search::indexed(title), search::indexed(&plain), search::indexed(&place)];
    format!(
        " {} ",
        terms
            .into_iter()
            .filter(|terms| !terms.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    )
}

pub(super) async fn check(db: &impl ConnectionTrait, prefix: &str, draft: &EventDraft) -> AppResult<CheckedEvent> {
    // One line: it is the subject of the event's mails and the summary of its calendar entries.
    let title = validate::one_line(&field(prefix, "title"), &draft.title, 300)?;
    validate::max_chars(&field(prefix, "description"), &draft.description, MAX_DESCRIPTION)?;
    let description = draft.description.trim().to_owned();
    let time_zone = draft.time_zone.trim().to_owned();
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(AppError::bad_input(
            field(prefix, "timeZone"),
            Message::new(MessageKey::NotATimeZone).with("zone", time_zone),
        ));
    }
    if draft.ends_at <= draft.starts_at {
        return Err(AppError::bad_input(
            field(prefix, "endsAt"),
            MessageKey::EndsBeforeStart,
        ));
    }
    let venue = match &draft.venue {
        Some(venue) => check_venue(prefix, venue)?,
        None => None,
    };
    let online_url = validate::optional_url(&field(prefix, "onlineUrl"), draft.online_url.as_deref())?;
    if venue.is_none() && online_url.is_none() {
        return Err(AppError::bad_input(field(prefix, "venue"), MessageKey::EventNeedsPlace));
    }
    check_seats_and_window(prefix, draft)?;
    if draft.topics.len() > 20 {
        return Err(AppError::bad_input(
            field(prefix, "topics"),
            Message::new(MessageKey::AtMostTopics).with("max", 20),
        ));
    }
    let topics = require_topics(db, &field(prefix, "topics"), &draft.topics).await?;
    let slugs: Vec<String> = topics.iter().map(|t| t.slug.clone()).collect();
    let search_terms = search_terms(&title, &description, venue.as_ref());
    Ok(CheckedEvent {
        description_html: markdown::to_safe_html(&description),
        city_key: venue.as_ref().and_then(|v| v.city.as_deref()).map(fold),
        topic_ids: topics.iter().map(|t| TopicId::from(t.id)).collect(),
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

pub(super) fn draft_of(event: &training_event::Model, topics: Vec<String>) -> EventDraft {
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

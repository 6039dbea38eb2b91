//! The organisers' side of quotas: adding, changing and removing them (editors of the organiser
//! agency, administrators), under the event's row lock like every change of its seats. Reserved
//! seats come out of the general pool's free seats: the quotas and the seats taken outside them
//! never need more than the capacity. Whatever a change frees goes to the waiting list at once.

use chrono::{DateTime, Utc};
use dkbm_entity::{event_quota, event_quota_municipality, registration, training_event};
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::book::seats_needed;
use super::read::{quotas_of_event, require_quota};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::{programme_by_slug, require_agency, require_municipalities};
use crate::error::{AppError, AppResult};
use crate::events::service::{MAX_CAPACITY, availability_changed, ensure_scheduled, fill_free_seats, lock_event};
use crate::ids::{EventId, MunicipalityId, QuotaId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::validate;

/// Most quotas of one event.
pub const MAX_QUOTAS: usize = 20;
/// Most municipalities one quota lists.
pub const MAX_QUOTA_MUNICIPALITIES: usize = 500;

/// A new quota. Exactly one of `municipality_ags`, `programme_slug` and
/// `accompanied_by_agency_slug` says whom it is for.
#[derive(Debug, Clone)]
pub struct NewQuota {
    pub event_id: EventId,
    pub name: String,
    pub seats_total: i32,
    pub municipality_ags: Option<Vec<String>>,
    pub programme_slug: Option<String>,
    pub accompanied_by_agency_slug: Option<String>,
    pub until: Option<DateTime<Utc>>,
}

/// Changes to a quota: `None` leaves a field; `Some(None)` clears `until`.
#[derive(Debug, Clone, Default)]
pub struct QuotaChanges {
    pub name: Option<String>,
    pub seats_total: Option<i32>,
    pub until: Option<Option<DateTime<Utc>>>,
}

/// Whom a quota is for, resolved.
enum Entitled {
    Municipalities(Vec<MunicipalityId>),
    Programme(Uuid),
    Agency(Uuid),
}

/// Locks the event for a change of its quotas by its organisers (a scheduled event).
async fn lock_for_quotas(work: &UnitOfWork, viewer: &Viewer, event_id: EventId) -> AppResult<training_event::Model> {
    let event = lock_event(work, event_id).await?;
    ensure_agency_editor(viewer, event.organizer_agency_id)?;
    ensure_scheduled(&event)?;
    Ok(event)
}

fn check_seats(seats: i32) -> AppResult<i32> {
    if (1..=MAX_CAPACITY).contains(&seats) {
        return Ok(seats);
    }
    Err(AppError::bad_input(
        "input.seatsTotal",
        Message::new(MessageKey::QuotaSeatsRange).with("max", MAX_CAPACITY),
    ))
}

fn check_until(until: Option<DateTime<Utc>>, event: &training_event::Model) -> AppResult<()> {
    match until {
        Some(until) if until > event.starts_at => {
            Err(AppError::bad_input("input.until", MessageKey::QuotaUntilAfterStart))
        }
        _ => Ok(()),
    }
}

/// The quotas as they would be fit the capacity at `at` ([`seats_needed`]); else BAD_USER_INPUT
/// on `field`.
fn ensure_fits(
    event: &training_event::Model,
    quotas: &[event_quota::Model],
    at: DateTime<Utc>,
    field: &str,
) -> AppResult<()> {
    let Some(capacity) = event.capacity else {
        return Err(AppError::bad_input("input.eventId", MessageKey::QuotasNeedCapacity));
    };
    let needed = seats_needed(event, quotas, at);
    if needed > capacity {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::QuotasExceedCapacity)
                .with("needed", needed)
                .with("capacity", capacity),
        ));
    }
    Ok(())
}

/// Resolves whom the quota is for: exactly one kind, every name known.
async fn entitled(work: &UnitOfWork, input: &NewQuota) -> AppResult<Entitled> {
    let given: Vec<&str> = [
        ("input.municipalityAgs", input.municipality_ags.is_some()),
        ("input.programmeSlug", input.programme_slug.is_some()),
        (
            "input.accompaniedByAgencySlug",
            input.accompanied_by_agency_slug.is_some(),
        ),
    ]
    .into_iter()
    .filter_map(|(field, given)| given.then_some(field))
    .collect();
    match given.as_slice() {
        [] => {
            return Err(AppError::bad_input(
                "input.municipalityAgs",
                MessageKey::QuotaEntitlement,
            ));
        }
        [_] => {}
        [_, second, ..] => return Err(AppError::bad_input(*second, MessageKey::QuotaEntitlement)),
    }
    if let Some(list) = &input.municipality_ags {
        let field = "input.municipalityAgs";
        if list.is_empty() {
            return Err(AppError::bad_input(field, MessageKey::QuotaNeedsMunicipalities));
        }
        if list.len() > MAX_QUOTA_MUNICIPALITIES {
            let message = Message::new(MessageKey::AtMostMunicipalities).with("max", MAX_QUOTA_MUNICIPALITIES);
            return Err(AppError::bad_input(field, message));
        }
        let places = require_municipalities(work, field, list).await?;
        return Ok(Entitled::Municipalities(places.iter().map(|p| p.id.into()).collect()));
    }
    if let Some(slug) = &input.programme_slug {
        let programme = programme_by_slug(work, slug).await?.ok_or_else(|| {
            AppError::bad_input(
                "input.programmeSlug",
                Message::new(MessageKey::NoSuchProgramme).with("slug", slug.trim()),
            )
        })?;
        return Ok(Entitled::Programme(programme.id));
    }
    let slug = input.accompanied_by_agency_slug.as_deref().unwrap_or_default();
    let agency = require_agency(work, "input.accompaniedByAgencySlug", slug).await?;
    Ok(Entitled::Agency(agency.id))
}

/// Adds a quota to an event. Its seats must be free in the general pool.
pub async fn add_quota(writer: &Writer, viewer: &Viewer, input: NewQuota) -> AppResult<event_quota::Model> {
    let name = validate::one_line("input.name", &input.name, 120)?;
    let seats_total = check_seats(input.seats_total)?;
    let work = UnitOfWork::begin(writer).await?;
    let event = lock_for_quotas(&work, viewer, input.event_id).await?;
    let entitled = entitled(&work, &input).await?;
    check_until(input.until, &event)?;
    let mut quotas = quotas_of_event(&work, input.event_id).await?;
    if quotas.len() >= MAX_QUOTAS {
        let message = Message::new(MessageKey::AtMostQuotas).with("max", MAX_QUOTAS);
        return Err(AppError::bad_input("input.eventId", message));
    }
    let at = now();
    let (programme_id, agency_id) = match &entitled {
        Entitled::Municipalities(_) => (None, None),
        Entitled::Programme(id) => (Some(*id), None),
        Entitled::Agency(id) => (None, Some(*id)),
    };
    let quota = event_quota::Model {
        id: QuotaId::new().uuid(),
        event_id: event.id,
        name,
        position: quotas.iter().map(|q| q.position).max().unwrap_or(0) + 1,
        seats_total,
        seats_taken: 0,
        programme_id,
        agency_id,
        until: input.until,
        created_at: at,
        updated_at: at,
    };
    quotas.push(quota.clone());
    ensure_fits(&event, &quotas, at, "input.seatsTotal")?;
    let quota = event_quota::ActiveModel::from(quota).insert(&work).await?;
    if let Entitled::Municipalities(places) = entitled {
        event_quota_municipality::Entity::insert_many(places.into_iter().map(|place| {
            event_quota_municipality::ActiveModel {
                quota_id: Set(quota.id),
                municipality_id: Set(place.uuid()),
            }
        }))
        .exec(&work)
        .await?;
    }
    fill_free_seats(&work, event, at).await?;
    work.announce(availability_changed(input.event_id));
    work.commit().await?;
    Ok(quota)
}

/// Changes a quota's name, seats or `until`. It keeps at least the seats its holders hold;
/// seats it gives up (fewer seats, an `until` that passed) go to the waiting list at once.
pub async fn update_quota(
    writer: &Writer,
    viewer: &Viewer,
    id: QuotaId,
    changes: QuotaChanges,
) -> AppResult<event_quota::Model> {
    let name = match &changes.name {
        Some(name) => Some(validate::one_line("input.name", name, 120)?),
        None => None,
    };
    let seats_total = changes.seats_total.map(check_seats).transpose()?;
    let work = UnitOfWork::begin(writer).await?;
    let event_id = EventId::from(require_quota(&work, id).await?.event_id);
    let event = lock_for_quotas(&work, viewer, event_id).await?;
    // Read again under the event's lock: its seats taken may have changed.
    let mut quotas = quotas_of_event(&work, event_id).await?;
    let Some(quota) = quotas.iter_mut().find(|q| q.id == id.uuid()) else {
        return Err(AppError::not_found(MessageKey::NoSuchQuota));
    };
    if let Some(seats) = seats_total
        && seats < quota.seats_taken
    {
        let message = Message::new(MessageKey::QuotaBelowTaken).with("taken", quota.seats_taken);
        return Err(AppError::bad_input("input.seatsTotal", message));
    }
    if let Some(until) = changes.until {
        check_until(until, &event)?;
        quota.until = until;
    }
    quota.name = name.unwrap_or_else(|| quota.name.clone());
    quota.seats_total = seats_total.unwrap_or(quota.seats_total);
    let at = now();
    quota.updated_at = at;
    let changed = quota.clone();
    ensure_fits(&event, &quotas, at, "input.seatsTotal")?;
    let model = event_quota::ActiveModel {
        id: Unchanged(changed.id),
        name: Set(changed.name),
        seats_total: Set(changed.seats_total),
        until: Set(changed.until),
        updated_at: Set(changed.updated_at),
        ..Default::default()
    };
    let saved = model.update(&work).await?;
    fill_free_seats(&work, event, at).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(saved)
}

/// Removes a quota: its holders keep their seats, in the general pool now; its unused seats go
/// to the waiting list at once. Answers the event.
pub async fn remove_quota(writer: &Writer, viewer: &Viewer, id: QuotaId) -> AppResult<training_event::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let event_id = EventId::from(require_quota(&work, id).await?.event_id);
    let event = lock_for_quotas(&work, viewer, event_id).await?;
    registration::Entity::update_many()
        .col_expr(registration::Column::QuotaId, Expr::val(Option::<Uuid>::None))
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::QuotaId.eq(id))
        .exec(&work)
        .await?;
    event_quota::Entity::delete_by_id(id).exec(&work).await?;
    let event = fill_free_seats(&work, event, now()).await?;
    work.announce(availability_changed(event_id));
    work.commit().await?;
    Ok(event)
}

/// A new capacity of an event with quotas: there must be one, and it must hold the quotas' seats
/// and those taken outside them ([`seats_needed`]); else BAD_USER_INPUT on `input.capacity`.
pub fn ensure_capacity_for_quotas(
    event: &training_event::Model,
    capacity: Option<i32>,
    quotas: &[event_quota::Model],
    at: DateTime<Utc>,
) -> AppResult<()> {
    if quotas.is_empty() {
        return Ok(());
    }
    let Some(capacity) = capacity else {
        return Err(AppError::bad_input("input.capacity", MessageKey::QuotasNeedCapacity));
    };
    let needed = seats_needed(event, quotas, at);
    if capacity < needed {
        let message = Message::new(MessageKey::QuotasExceedCapacity)
            .with("needed", needed)
            .with("capacity", capacity);
        return Err(AppError::bad_input("input.capacity", message));
    }
    Ok(())
}

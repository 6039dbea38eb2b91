//! Lineage: which place or organisation followed which, since when and why. Places merge, split,
//! get renamed or a new key; agencies and programmes are renamed, merge or are succeeded. A
//! predecessor keeps answering by its old AGS or slug, with its successors; a place that was
//! followed by others is retired (its last day the day before).

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use dkbm_entity::{SuccessionReason, SuccessionSubject, municipality, succession};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{current_places, programme_by_slug, require_agency, require_municipality};
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{MunicipalityId, TypedId};
use crate::messages::{Message, MessageKey};

/// How many steps a lineage is followed (a place merged into one that merged again …).
const MAX_GENERATIONS: usize = 8;

/// A change of places as an administrator records it.
#[derive(Debug, Clone)]
pub struct PlaceChange {
    pub from_ags: Vec<String>,
    pub to_ags: Vec<String>,
    pub since: NaiveDate,
    pub reason: SuccessionReason,
}

/// The places before and after a recorded change.
pub struct RecordedPlaceChange {
    pub predecessors: Vec<municipality::Model>,
    pub successors: Vec<municipality::Model>,
}

async fn resolve_places(work: &UnitOfWork, field: &str, keys: &[String]) -> AppResult<Vec<municipality::Model>> {
    if keys.is_empty() {
        return Err(AppError::bad_input(field, MessageKey::SuccessionEmpty));
    }
    let mut places: Vec<municipality::Model> = Vec::with_capacity(keys.len());
    for (index, ags) in keys.iter().enumerate().take(100) {
        let place = require_municipality(work, &format!("{field}[{index}]"), ags).await?;
        if places.iter().all(|known| known.id != place.id) {
            places.push(place);
        }
    }
    Ok(places)
}

/// Records that places followed others (administrators only): a succession for every pair,
/// every predecessor that is not among the successors retired on the day before `since`, and
/// (unless they merged) successors without a first day beginning on `since`.
pub async fn record_municipality_change(
    writer: &Writer,
    viewer: &Viewer,
    change: PlaceChange,
) -> AppResult<RecordedPlaceChange> {
    ensure_admin(viewer)?;
    if matches!(change.reason, SuccessionReason::Succeeded) {
        return Err(AppError::bad_input(
            "input.reason",
            MessageKey::SuccessionReasonForPlaces,
        ));
    }
    let work = UnitOfWork::begin(writer).await?;
    let predecessors = resolve_places(&work, "input.fromAgs", &change.from_ags).await?;
    let successors = resolve_places(&work, "input.toAgs", &change.to_ags).await?;
    let pairs: Vec<(Uuid, Uuid)> = predecessors
        .iter()
        .flat_map(|from| successors.iter().map(move |to| (from.id, to.id)))
        .filter(|(from, to)| from != to)
        .collect();
    if pairs.is_empty() {
        return Err(AppError::bad_input("input.toAgs", MessageKey::SuccessorItself));
    }
    insert_successions(
        &work,
        SuccessionSubject::Municipality,
        &pairs,
        change.since,
        change.reason,
    )
    .await?;
    let staying: HashSet<Uuid> = successors.iter().map(|place| place.id).collect();
    let retiring: Vec<Uuid> = predecessors
        .iter()
        .filter(|place| !staying.contains(&place.id))
        .map(|place| place.id)
        .collect();
    retire_places(&work, &retiring, change.since).await?;
    // A place that came out of a split, a new name or a new key begins on `since`; a merger's
    // successor may be a place that existed before (Eisenach joined the Wartburgkreis).
    if !matches!(change.reason, SuccessionReason::Merged) {
        let beginning: Vec<Uuid> = successors
            .iter()
            .filter(|place| place.valid_from.is_none() && !predecessors.iter().any(|p| p.id == place.id))
            .map(|place| place.id)
            .collect();
        municipality::Entity::update_many()
            .col_expr(municipality::Column::ValidFrom, change.since.into())
            .filter(municipality::Column::Id.is_in(beginning))
            .exec(&work)
            .await?;
    }
    let reread = |places: &[municipality::Model]| {
        municipality::Entity::find()
            .filter(municipality::Column::Id.is_in(places.iter().map(|place| place.id).collect::<Vec<_>>()))
            .all(&work)
    };
    let (predecessors, successors) = (reread(&predecessors).await?, reread(&successors).await?);
    work.commit().await?;
    Ok(RecordedPlaceChange {
        predecessors,
        successors,
    })
}

/// Retires places: their last day is the day before `since` (their successors' first).
pub async fn retire_places(db: &impl ConnectionTrait, places: &[Uuid], since: NaiveDate) -> AppResult<()> {
    let last_day = since.checked_sub_days(Days::new(1)).unwrap_or(since);
    for chunk in places.chunks(500) {
        municipality::Entity::update_many()
            .col_expr(municipality::Column::ValidUntil, last_day.into())
            .col_expr(municipality::Column::UpdatedAt, now().into())
            .filter(municipality::Column::Id.is_in(chunk.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// How many of these keys name a stored place.
pub async fn count_places(db: &impl ConnectionTrait, keys: impl IntoIterator<Item = String>) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(municipality::Entity::find()
        .filter(municipality::Column::Ags.is_in(keys))
        .count(db)
        .await?)
}

/// Inserts successions; CONFLICT when every one of them is recorded already.
pub async fn insert_successions(
    db: &impl ConnectionTrait,
    subject: SuccessionSubject,
    pairs: &[(Uuid, Uuid)],
    since: NaiveDate,
    reason: SuccessionReason,
) -> AppResult<()> {
    let at = now();
    let rows = pairs.iter().map(|(from, to)| succession::ActiveModel {
        id: Set(Uuid::now_v7()),
        subject: Set(subject),
        from_id: Set(*from),
        to_id: Set(*to),
        since: Set(since),
        reason: Set(reason),
        created_at: Set(at),
    });
    let inserted = succession::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                succession::Column::Subject,
                succession::Column::FromId,
                succession::Column::ToId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    if inserted == 0 {
        return Err(AppError::conflict("input", MessageKey::SuccessionExists));
    }
    Ok(())
}

/// Which organisations a succession is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Organisation {
    Agency,
    Programme,
}

/// A succession of organisations as an administrator records it.
#[derive(Debug, Clone)]
pub struct OrganisationSuccession {
    pub kind: Organisation,
    pub from_slug: String,
    pub to_slug: String,
    pub since: NaiveDate,
    pub reason: SuccessionReason,
}

/// Records that an agency or programme followed another (administrators only); returns the ids
/// of the predecessor and the successor.
pub async fn record_succession(
    writer: &Writer,
    viewer: &Viewer,
    input: OrganisationSuccession,
) -> AppResult<(Uuid, Uuid)> {
    ensure_admin(viewer)?;
    if !matches!(
        input.reason,
        SuccessionReason::Renamed | SuccessionReason::Merged | SuccessionReason::Succeeded
    ) {
        return Err(AppError::bad_input(
            "input.reason",
            MessageKey::SuccessionReasonForOrganisations,
        ));
    }
    let work = UnitOfWork::begin(writer).await?;
    let (subject, from, to) = match input.kind {
        Organisation::Agency => (
            SuccessionSubject::Agency,
            require_agency(&work, "input.fromSlug", &input.from_slug).await?.id,
            require_agency(&work, "input.toSlug", &input.to_slug).await?.id,
        ),
        Organisation::Programme => (
            SuccessionSubject::Programme,
            require_programme(&work, "input.fromSlug", &input.from_slug).await?,
            require_programme(&work, "input.toSlug", &input.to_slug).await?,
        ),
    };
    if from == to {
        return Err(AppError::bad_input("input.toSlug", MessageKey::SuccessorItself));
    }
    insert_successions(&work, subject, &[(from, to)], input.since, input.reason).await?;
    work.commit().await?;
    Ok((from, to))
}

async fn require_programme(db: &impl ConnectionTrait, field: &str, slug: &str) -> AppResult<Uuid> {
    Ok(programme_by_slug(db, slug)
        .await?
        .ok_or_else(|| {
            AppError::bad_input(
                field,
                Message::new(MessageKey::NoSuchProgramme).with("slug", slug.trim()),
            )
        })?
        .id)
}

/// The current places that followed each of these retired ones (through as many generations as
/// it takes; a place split in two has two). Places that are current or have no successor are
/// left out.
pub async fn current_successors(
    db: &impl ConnectionTrait,
    retired: &[MunicipalityId],
) -> AppResult<HashMap<MunicipalityId, Vec<municipality::Model>>> {
    let mut found: HashMap<MunicipalityId, Vec<municipality::Model>> = HashMap::new();
    // Each retired place's frontier of successors still to look at.
    let mut frontier: Vec<(MunicipalityId, Uuid)> = retired.iter().map(|id| (*id, id.uuid())).collect();
    for _ in 0..MAX_GENERATIONS {
        if frontier.is_empty() {
            break;
        }
        let steps = succession::Entity::find()
            .filter(succession::Column::Subject.eq(SuccessionSubject::Municipality))
            .filter(succession::Column::FromId.is_in(frontier.iter().map(|(_, id)| *id)))
            .all(db)
            .await?;
        let next_ids: Vec<Uuid> = steps.iter().map(|step| step.to_id).collect();
        let current: HashMap<Uuid, municipality::Model> = municipality::Entity::find()
            .filter(municipality::Column::Id.is_in(next_ids))
            .filter(current_places())
            .all(db)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        let mut next = Vec::new();
        for (origin, id) in frontier {
            for step in steps.iter().filter(|step| step.from_id == id) {
                match current.get(&step.to_id) {
                    Some(place) => found.entry(origin).or_default().push(place.clone()),
                    None => next.push((origin, step.to_id)),
                }
            }
        }
        frontier = next;
    }
    Ok(found)
}

/// These places and every place they followed, through all generations.
pub async fn with_predecessors(db: &impl ConnectionTrait, places: &[MunicipalityId]) -> AppResult<Vec<MunicipalityId>> {
    let mut all: HashSet<Uuid> = places.iter().map(|id| id.uuid()).collect();
    let mut frontier: Vec<Uuid> = all.iter().copied().collect();
    for _ in 0..MAX_GENERATIONS {
        if frontier.is_empty() {
            break;
        }
        let earlier: Vec<Uuid> = succession::Entity::find()
            .filter(succession::Column::Subject.eq(SuccessionSubject::Municipality))
            .filter(succession::Column::ToId.is_in(frontier))
            .all(db)
            .await?
            .into_iter()
            .map(|step| step.from_id)
            .collect();
        frontier = earlier.into_iter().filter(|id| all.insert(*id)).collect();
    }
    Ok(all.into_iter().map(MunicipalityId::from).collect())
}

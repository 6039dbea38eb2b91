//! Writing a map of places: creating the missing, updating the changed, retiring the vanished,
//! and storing the values that came with them, in one unit of work and a few statements per
//! thousand places (never one per place). What the official directory import and the districts
//! the server starts with share.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use dkbm_entity::{MunicipalityKind, State, municipality};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait, QuerySelect};
use uuid::Uuid;

use crate::db::{UnitOfWork, now};
use crate::directory::service::{retire_places, write_name_tokens};
use crate::error::AppResult;
use crate::indicators::service::{ValueLine, store_values};
use crate::text::{fold, slugify};

/// One place as a source describes it.
#[derive(Debug, Clone)]
pub struct PlaceDraft {
    pub ags: String,
    pub name: String,
    pub kind: MunicipalityKind,
    pub state: State,
    /// The AGS of the place it belongs to.
    pub parent: Option<String>,
    pub population: Option<i64>,
}

/// What to write.
pub struct MapUpdate {
    pub places: Vec<PlaceDraft>,
    /// Values of the places (indicator codes that exist).
    pub values: Vec<ValueLine>,
    /// The day the source describes: a vanished place's last day is the day before.
    pub reference: NaiveDate,
    /// Places whose AGS starts with one of these keys and that the source does not name are
    /// retired (the Länder a directory file covers); empty: nothing is retired.
    pub retire_within: Vec<String>,
    /// Only add what is missing: stored places and values stay as they are (the districts the
    /// server starts with never undo an import).
    pub only_missing: bool,
}

/// What was (or, in a dry run, would be) done.
#[derive(Debug, Default, Clone)]
pub struct MapReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub retired: usize,
    pub values_created: usize,
    pub values_updated: usize,
    pub values_unchanged: usize,
}

/// How many rows one statement writes.
const CHUNK: usize = 500;

/// A stored place as the comparison needs it.
struct Stored {
    id: Uuid,
    name: String,
    kind: MunicipalityKind,
    state: State,
    parent_id: Option<Uuid>,
    population: Option<i64>,
    valid_until: Option<NaiveDate>,
}

type StoredRow = (
    Uuid,
    String,
    String,
    String,
    MunicipalityKind,
    State,
    Option<Uuid>,
    Option<i64>,
    Option<NaiveDate>,
);

async fn stored_places(work: &UnitOfWork) -> AppResult<(HashMap<String, Stored>, HashSet<String>)> {
    let rows: Vec<StoredRow> = municipality::Entity::find()
        .select_only()
        .columns([
            municipality::Column::Id,
            municipality::Column::Ags,
            municipality::Column::Slug,
            municipality::Column::Name,
            municipality::Column::Kind,
            municipality::Column::State,
            municipality::Column::ParentId,
            municipality::Column::Population,
            municipality::Column::ValidUntil,
        ])
        .into_tuple()
        .all(work)
        .await?;
    let mut slugs = HashSet::with_capacity(rows.len());
    let mut places = HashMap::with_capacity(rows.len());
    for (id, ags, slug, name, kind, state, parent_id, population, valid_until) in rows {
        slugs.insert(slug);
        let stored = Stored {
            id,
            name,
            kind,
            state,
            parent_id,
            population,
            valid_until,
        };
        places.insert(ags, stored);
    }
    Ok((places, slugs))
}

/// A free slug for a new place: its name's, or with its AGS when that is taken.
fn free_slug(slugs: &mut HashSet<String>, name: &str, ags: &str) -> String {
    let base = slugify(name);
    let slug = if slugs.contains(&base) || base.is_empty() {
        format!("{base}-{ags}").trim_start_matches('-').to_owned()
    } else {
        base
    };
    slugs.insert(slug.clone());
    slug
}

/// The rows to write, and what the report counts.
struct Plan {
    rows: Vec<municipality::ActiveModel>,
    /// Places whose name tokens are (re)written: new or renamed.
    renamed: Vec<(Uuid, String)>,
    retiring: Vec<Uuid>,
}

fn plan(
    update: &MapUpdate,
    stored: &HashMap<String, Stored>,
    slugs: &mut HashSet<String>,
    report: &mut MapReport,
) -> Plan {
    let at = now();
    let mut ids: HashMap<&str, Uuid> = stored.iter().map(|(ags, place)| (ags.as_str(), place.id)).collect();
    for place in &update.places {
        ids.entry(place.ags.as_str()).or_insert_with(Uuid::now_v7);
    }
    let mut plan = Plan {
        rows: Vec::new(),
        renamed: Vec::new(),
        retiring: Vec::new(),
    };
    for place in &update.places {
        let id = ids[place.ags.as_str()];
        let parent_id = place.parent.as_deref().and_then(|parent| ids.get(parent).copied());
        let mut row = municipality::ActiveModel {
            id: Set(id),
            ags: Set(place.ags.clone()),
            name: Set(place.name.clone()),
            name_sort: Set(fold(&place.name)),
            kind: Set(place.kind),
            state: Set(place.state),
            parent_id: Set(parent_id),
            population: Set(place.population),
            valid_until: Set(None),
            updated_at: Set(at),
            ..Default::default()
        };
        match stored.get(&place.ags) {
            Some(_) if update.only_missing => {
                report.unchanged += 1;
                continue;
            }
            Some(old)
                if old.name == place.name
                    && old.kind == place.kind
                    && old.state == place.state
                    && old.parent_id == parent_id
                    && old.population == place.population
                    && old.valid_until.is_none() =>
            {
                report.unchanged += 1;
                continue;
            }
            Some(old) => {
                report.updated += 1;
                if old.name != place.name {
                    plan.renamed.push((id, place.name.clone()));
                }
            }
            None => {
                report.created += 1;
                row.slug = Set(free_slug(slugs, &place.name, &place.ags));
                row.created_at = Set(at);
                plan.renamed.push((id, place.name.clone()));
            }
        }
        plan.rows.push(row);
    }
    if !update.retire_within.is_empty() {
        let named: HashSet<&str> = update.places.iter().map(|place| place.ags.as_str()).collect();
        for (ags, place) in stored {
            let covered = update.retire_within.iter().any(|land| ags.starts_with(land.as_str()));
            if covered && place.valid_until.is_none() && !named.contains(ags.as_str()) {
                plan.retiring.push(place.id);
            }
        }
        report.retired = plan.retiring.len();
    }
    plan
}

/// Writes the places (new ones get a slug; stored ones keep theirs and their creation time).
async fn write_places(work: &UnitOfWork, rows: Vec<municipality::ActiveModel>) -> AppResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        let (created, updated): (Vec<_>, Vec<_>) = chunk.into_iter().partition(|row| row.slug.is_set());
        if !created.is_empty() {
            municipality::Entity::insert_many(created)
                .exec_without_returning(work)
                .await?;
        }
        if !updated.is_empty() {
            let changing = OnConflict::column(municipality::Column::Ags)
                .update_columns([
                    municipality::Column::Name,
                    municipality::Column::NameSort,
                    municipality::Column::Kind,
                    municipality::Column::State,
                    municipality::Column::ParentId,
                    municipality::Column::Population,
                    municipality::Column::ValidUntil,
                    municipality::Column::UpdatedAt,
                ])
                .to_owned();
            // Upserts of rows that exist: only the changing columns are written. The columns
            // only a new row needs (id, slug, creation time) get placeholders that the conflict
            // on the AGS never writes and that collide with nothing else.
            let updated = updated.into_iter().map(|mut row| {
                row.id = Set(Uuid::now_v7());
                row.slug = Set(format!("~{}", Uuid::now_v7()));
                row.created_at = Set(now());
                row
            });
            municipality::Entity::insert_many(updated)
                .on_conflict(changing)
                .exec_without_returning(work)
                .await?;
        }
    }
    Ok(())
}

/// Compares the update with what is stored and, unless `dry_run`, writes the difference inside
/// `work` (which the caller commits).
pub async fn apply(work: &UnitOfWork, update: MapUpdate, dry_run: bool) -> AppResult<MapReport> {
    let mut report = MapReport::default();
    let (stored, mut slugs) = stored_places(work).await?;
    let plan = plan(&update, &stored, &mut slugs, &mut report);
    if dry_run {
        return Ok(report);
    }
    write_places(work, plan.rows).await?;
    write_name_tokens(work, &plan.renamed).await?;
    retire_places(work, &plan.retiring, update.reference).await?;
    if !update.values.is_empty() {
        let values = store_values(work, update.values, update.only_missing).await?;
        report.values_created = values.created;
        report.values_updated = values.updated;
        report.values_unchanged = values.unchanged;
    }
    Ok(report)
}

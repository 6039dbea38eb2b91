//! The partner sync's push: an agency's job sends up to 500 practices, keyed by its own
//! external ids; each comes back CREATED, UPDATED, UNCHANGED, DELETED or REJECTED (with the
//! errors per field). Each item is atomic (a savepoint), a rejected item does not stop the
//! others, and the batch commits once. Sending the same batch again changes nothing: an item
//! whose normalised content hashes as stored is UNCHANGED before anything is checked or written.
//!
//! The map: `plan` decides what each item becomes without writing (pure, unit-tested), `apply`
//! writes the planned items in one unit of work, `report` is the answer.

mod apply;
mod plan;
mod report;

pub use report::*;

use std::collections::HashMap;

use dkbm_entity::{EducationStage, PracticeStatus, TargetGroup, agency, good_practice};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use self::plan::{Plan, Stored};
use super::content::{Contact, Content, Link};
use super::references::References;
use super::{announce, record_changes};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::{agency_by_id, require_agency};
use crate::error::{AppError, AppResult};
use crate::ids::AgencyId;
use crate::messages::{Message, MessageKey};

/// Most items in one call.
pub const MAX_SYNC_ITEMS: usize = 500;

/// One practice as a partner sends it.
#[derive(Debug, Clone, Default)]
pub struct SyncItem {
    pub external_id: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub topics: Vec<String>,
    pub municipality_ags: Vec<String>,
    pub target_groups: Vec<TargetGroup>,
    pub stages: Vec<EducationStage>,
    pub contact: Contact,
    pub links: Vec<Link>,
    pub license: Option<String>,
    pub source_url: Option<String>,
    /// PUBLISHED unless said otherwise.
    pub status: Option<PracticeStatus>,
    /// Archive the practice (a tombstone in the change feed).
    pub deleted: bool,
    /// The partner's own version of the practice, kept as provenance.
    pub upstream_version: Option<String>,
}

/// The agency a sync writes for: the API client's, the one named (which the viewer must edit
/// for), or the only agency the viewer edits for.
async fn sync_agency(db: &DatabaseConnection, viewer: &Viewer, agency_slug: Option<&str>) -> AppResult<agency::Model> {
    let agency = match (agency_slug, viewer) {
        (Some(slug), _) => require_agency(db, "agencySlug", slug).await?,
        (None, Viewer::Client(client)) => agency_by_id(db, client.agency_id.into())
            .await?
            .ok_or_else(|| AppError::not_found(MessageKey::ClientAgencyGone))?,
        (None, Viewer::Anonymous) => {
            return Err(AppError::unauthenticated(MessageKey::SignInOrClient));
        }
        (None, _) => match viewer.editable_agencies().as_slice() {
            [only] => agency_by_id(db, (*only).into())
                .await?
                .ok_or_else(|| AppError::not_found(MessageKey::AgencyNotFound))?,
            [] => {
                return Err(AppError::forbidden(MessageKey::NeedsEditorOrClient));
            }
            _ => {
                return Err(AppError::bad_input("agencySlug", MessageKey::SeveralAgencies));
            }
        },
    };
    ensure_agency_editor(viewer, agency.id)?;
    Ok(agency)
}

/// What is stored of the batch's external ids: only what tells whether an item changed (no
/// bodies).
async fn load_stored(
    db: &DatabaseConnection,
    owner: AgencyId,
    wanted: Vec<String>,
) -> AppResult<HashMap<String, Stored>> {
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let txn = crate::db::begin_custom_plans(db).await?;
    let stored = good_practice::Entity::find()
        .select_only()
        .columns([
            good_practice::Column::ExternalId,
            good_practice::Column::Id,
            good_practice::Column::Version,
            good_practice::Column::ContentHash,
            good_practice::Column::Status,
        ])
        .filter(good_practice::Column::OwnerAgencyId.eq(owner))
        // The partial unique index holds external ids that are not null.
        .filter(good_practice::Column::ExternalId.is_not_null())
        .filter(good_practice::Column::ExternalId.is_in(wanted))
        .into_tuple::<(Option<String>, Uuid, i64, Option<String>, PracticeStatus)>()
        .all(&txn)
        .await?;
    txn.commit().await?;
    Ok(stored
        .into_iter()
        .filter_map(|(external_id, id, version, content_hash, status)| {
            Some((
                external_id?,
                Stored {
                    id: id.into(),
                    version,
                    content_hash,
                    status,
                },
            ))
        })
        .collect())
}

/// Plans every item: the forbidden ones rejected, the ones as stored unchanged (hashed once,
/// neither checked nor looked up), the rest checked against the topics and municipalities they
/// name (loaded once for all of them). Beside each plan, the item's warnings: the retired places
/// it names, linked to their successors.
async fn plan_all(
    db: &DatabaseConnection,
    items: Vec<SyncItem>,
    forbidden: Vec<Option<String>>,
    occurrences: &HashMap<String, usize>,
    stored: &HashMap<String, Stored>,
) -> AppResult<(Vec<Plan>, Vec<Vec<FieldError>>)> {
    let hashes: Vec<Option<String>> = items
        .iter()
        .zip(&forbidden)
        .map(|(item, forbidden)| {
            (forbidden.is_none() && !item.deleted).then(|| plan::content_hash(item, plan::status_of(item)))
        })
        .collect();
    let contents: Vec<Content> = items
        .iter()
        .zip(&hashes)
        .filter(|(item, hash)| {
            hash.as_ref()
                .is_some_and(|hash| !plan::is_unchanged(item, hash, stored))
        })
        .map(|(item, _)| plan::content_of_item(item))
        .collect();
    let references = if contents.is_empty() {
        References::default()
    } else {
        References::load(db, &contents.iter().collect::<Vec<_>>()).await?
    };
    let warnings = items
        .iter()
        .map(|item| {
            references
                .retired_warnings(&item.municipality_ags)
                .into_iter()
                .map(|message| FieldError {
                    field: "municipalityAgs".into(),
                    message: message.to_string(),
                })
                .collect()
        })
        .collect();
    let plans = items
        .into_iter()
        .zip(forbidden.into_iter().zip(hashes))
        .map(|(item, (forbidden, hash))| match forbidden {
            Some(field) => plan::rejected_text(&item, &field),
            None => plan::plan_item(item, hash, occurrences, stored, &references),
        })
        .collect::<AppResult<_>>()?;
    Ok((plans, warnings))
}

/// Adds each accepted item's warnings to its answer (answers are in the order sent).
fn with_warnings(mut report: SyncReport, warnings: Vec<Vec<FieldError>>) -> SyncReport {
    for (result, warnings) in report.items.iter_mut().zip(warnings) {
        if matches!(result.outcome, SyncOutcome::Created | SyncOutcome::Updated) {
            result.warnings = warnings;
        }
    }
    report
}

/// Pushes a batch of practices for the caller's agency.
pub async fn sync_practices(
    writer: &Writer,
    viewer: &Viewer,
    agency_slug: Option<&str>,
    items: Vec<SyncItem>,
) -> AppResult<SyncReport> {
    if items.len() > MAX_SYNC_ITEMS {
        let message = Message::new(MessageKey::TooManySyncItems)
            .with("count", items.len())
            .with("max", MAX_SYNC_ITEMS);
        return Err(AppError::bad_input("items", message));
    }
    let db = writer.conn();
    let owner = sync_agency(db, viewer, agency_slug).await?;
    let occurrences = plan::occurrences(&items);
    // Items with a control character in a text are rejected without looking anything up.
    let forbidden: Vec<Option<String>> = items.iter().map(plan::forbidden_text).collect();
    let wanted: Vec<String> = items
        .iter()
        .zip(&forbidden)
        .filter(|(_, field)| field.is_none())
        .map(|(item, _)| item.external_id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    let stored = load_stored(db, owner.id.into(), wanted).await?;
    let (plans, warnings) = plan_all(db, items, forbidden, &occurrences, &stored).await?;
    if plans.iter().all(|plan| matches!(plan, Plan::Done(_))) {
        // Nothing to write: no transaction, no commit, no cache invalidated.
        let items = plans
            .into_iter()
            .filter_map(|plan| match plan {
                Plan::Done(result) => Some(result),
                _ => None,
            })
            .collect();
        return Ok(SyncReport { items });
    }
    Ok(with_warnings(
        write_plans(writer, &owner, plans, &stored).await?,
        warnings,
    ))
}

/// Writes the planned items in one unit of work and answers the batch.
async fn write_plans(
    writer: &Writer,
    owner: &agency::Model,
    plans: Vec<Plan>,
    stored: &HashMap<String, Stored>,
) -> AppResult<SyncReport> {
    let at = now();
    let work = UnitOfWork::begin(writer).await?;
    let mut existing = apply::lock_changing(&work, &plans, stored).await?;
    let mut created = apply::create_together(&work, owner, &plans, stored, at).await?;
    let mut results = Vec::with_capacity(plans.len());
    let mut changes = Vec::new();
    for (index, plan) in plans.into_iter().enumerate() {
        match apply::write_item(&work, owner, plan, &mut existing, created.remove(&index), at).await? {
            apply::Outcome::Answered(result) => results.push(result),
            apply::Outcome::Attempted(attempted) => {
                let (item, attempt) = *attempted;
                let (result, change) = apply::settle(&item, attempt).await?;
                results.push(result);
                changes.extend(change);
            }
        }
    }
    let changes: Vec<_> = changes.iter().map(|(after, before)| (after, before.as_ref())).collect();
    let entries = record_changes(&work, &changes).await?;
    announce(&work, entries.iter());
    work.commit().await?;
    Ok(SyncReport { items: results })
}

//! The second pass of a push, in one unit of work: the stored practices that change are locked
//! and rewritten, the new ones inserted together (one by one if another writer took a slug or
//! external id meanwhile), each item in a savepoint of its own; the feed entries last.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dkbm_entity::{PracticeStatus, agency, good_practice};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::SyncItem;
use super::plan::{Plan, Stored, unchanged};
use super::report::{SyncItemResult, SyncOutcome, SyncedPractice, item_errors};
use crate::db::UnitOfWork;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, PracticeId};
use crate::messages::MessageKey;
use crate::practices::service::content::{CheckedContent, slug_for};
use crate::practices::service::rows::{
    NewRow, NewVersion, Provenance, insert_practice, insert_practices, store_version,
};
use crate::practices::service::slugs::{free_slug, free_slugs};

/// The provenance of an item written now.
pub(super) fn provenance_of(owner: &agency::Model, item: &SyncItem, hash: String, at: DateTime<Utc>) -> Provenance {
    Provenance {
        origin_agency_id: Some(AgencyId::from(owner.id)),
        upstream_version: item
            .upstream_version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned),
        content_hash: Some(hash),
        synced_at: Some(at),
    }
}

/// Creates a synced practice in a savepoint. When a replica creating a practice with the same
/// title at the same moment takes the derived slug first, the slug gets a random suffix.
async fn create_synced(
    work: &UnitOfWork,
    owner: &agency::Model,
    external_id: &str,
    status: PracticeStatus,
    content: &CheckedContent,
    provenance: Provenance,
    at: DateTime<Utc>,
) -> AppResult<(DatabaseTransaction, AppResult<good_practice::Model>)> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let savepoint = work.savepoint().await?;
        let slug = if attempts == 1 {
            free_slug(&savepoint, None, &content.title, "title").await
        } else {
            Ok(format!("{}-{:08x}", slug_for(&content.title), rand::random::<u32>()))
        };
        let written = match slug {
            Ok(slug) => {
                let row = NewRow {
                    slug,
                    status,
                    external_id: Some(external_id.to_owned()),
                    content,
                    provenance: provenance.clone(),
                };
                insert_practice(&savepoint, owner, row, at).await
            }
            Err(error) => Err(error),
        };
        match written {
            Err(AppError::Conflict { .. }) if attempts < 3 => savepoint.rollback().await?,
            // With a random slug, what is still taken is the external id.
            Err(AppError::Conflict { .. }) => {
                return Ok((
                    savepoint,
                    Err(AppError::conflict("externalId", MessageKey::ExternalIdRace)),
                ));
            }
            written => return Ok((savepoint, written)),
        }
    }
}

/// Inserts the batch's new practices together, in a savepoint: a few statements instead of
/// about eight per item. Answers them by plan index; answers none (and writes nothing) when that
/// fails on a slug or external id taken meanwhile, so that they are created one by one.
pub(super) async fn create_together(
    work: &UnitOfWork,
    owner: &agency::Model,
    plans: &[Plan],
    stored: &HashMap<String, Stored>,
    at: DateTime<Utc>,
) -> AppResult<HashMap<usize, good_practice::Model>> {
    let new: Vec<(usize, &SyncItem, &String, PracticeStatus, &CheckedContent)> = plans
        .iter()
        .enumerate()
        .filter_map(|(index, plan)| match plan {
            Plan::Write {
                item,
                hash,
                status,
                content,
            } if !stored.contains_key(item.external_id.trim()) => Some((index, item, hash, *status, &**content)),
            _ => None,
        })
        .collect();
    if new.is_empty() {
        return Ok(HashMap::new());
    }
    let savepoint = work.savepoint().await?;
    let titles: Vec<&str> = new.iter().map(|(_, _, _, _, content)| content.title.as_str()).collect();
    let Some(slugs) = free_slugs(&savepoint, &titles).await? else {
        savepoint.rollback().await?;
        return Ok(HashMap::new());
    };
    let rows = new
        .iter()
        .zip(slugs)
        .map(|((_, item, hash, status, content), slug)| NewRow {
            slug,
            status: *status,
            external_id: Some(item.external_id.trim().to_owned()),
            content,
            provenance: provenance_of(owner, item, (*hash).clone(), at),
        })
        .collect();
    match insert_practices(&savepoint, owner, rows, at).await {
        Ok(practices) => {
            savepoint.commit().await?;
            Ok(new.iter().map(|(index, ..)| *index).zip(practices).collect())
        }
        Err(AppError::Conflict { .. }) => {
            savepoint.rollback().await?;
            Ok(HashMap::new())
        }
        Err(other) => Err(other),
    }
}

/// The stored practices that the plans change, read locked in the unit of work (store_version
/// writes them anew), by external id.
pub(super) async fn lock_changing(
    work: &UnitOfWork,
    plans: &[Plan],
    stored: &HashMap<String, Stored>,
) -> AppResult<HashMap<String, good_practice::Model>> {
    let changing: Vec<PracticeId> = plans
        .iter()
        .filter_map(|plan| match plan {
            Plan::Write { item, .. } | Plan::Delete { item } => stored.get(item.external_id.trim()).map(|s| s.id),
            Plan::Done(_) => None,
        })
        .collect();
    if changing.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(work
        .lock_all(good_practice::Entity::find().filter(good_practice::Column::Id.is_in(changing)))
        .await?
        .into_iter()
        .filter_map(|practice| Some((practice.external_id.clone()?, practice)))
        .collect())
}

/// An item's write: the practice before, the savepoint it runs in (none when written with the
/// batch's new practices), and the practice written or the error.
type Attempt = (
    Option<good_practice::Model>,
    Option<DatabaseTransaction>,
    AppResult<good_practice::Model>,
);

/// What became of a planned item: answered without writing, or a write attempted.
pub(super) enum Outcome {
    Answered(SyncItemResult),
    /// Boxed: the item and its attempt are large beside an answer.
    Attempted(Box<(SyncItem, Attempt)>),
}

/// Writes one planned item.
pub(super) async fn write_item(
    work: &UnitOfWork,
    owner: &agency::Model,
    plan: Plan,
    existing: &mut HashMap<String, good_practice::Model>,
    created: Option<good_practice::Model>,
    at: DateTime<Utc>,
) -> AppResult<Outcome> {
    match plan {
        Plan::Done(result) => Ok(Outcome::Answered(result)),
        Plan::Delete { item } => {
            let external_id = item.external_id.trim().to_owned();
            let Some(current) = existing.remove(&external_id) else {
                // Gone since it was planned: nothing left to delete, as for an unknown id.
                return Ok(Outcome::Answered(unchanged(external_id, None)));
            };
            let savepoint = work.savepoint().await?;
            let version = NewVersion::of_status(PracticeStatus::Archived, at);
            let written = store_version(&savepoint, &current, version).await;
            Ok(Outcome::Attempted(Box::new((
                item,
                (Some(current), Some(savepoint), written),
            ))))
        }
        Plan::Write {
            item,
            hash,
            status,
            content,
        } => {
            let external_id = item.external_id.trim().to_owned();
            let provenance = provenance_of(owner, &item, hash, at);
            let current = existing.remove(&external_id);
            let (savepoint, written) = match (&current, created) {
                (None, Some(practice)) => (None, Ok(practice)),
                (Some(current), _) => {
                    let savepoint = work.savepoint().await?;
                    let version = NewVersion {
                        content: Some(&content),
                        status,
                        external_id: None,
                        provenance: Some(provenance),
                        at,
                    };
                    let written = store_version(&savepoint, current, version).await;
                    (Some(savepoint), written)
                }
                (None, None) => {
                    let (savepoint, written) =
                        create_synced(work, owner, &external_id, status, &content, provenance, at).await?;
                    (Some(savepoint), written)
                }
            };
            Ok(Outcome::Attempted(Box::new((item, (current, savepoint, written)))))
        }
    }
}

/// Settles an item's write: its savepoint kept or rolled back, and the item's answer; the
/// change for the feed when it was written.
pub(super) async fn settle(
    item: &SyncItem,
    (before, savepoint, written): Attempt,
) -> AppResult<(
    SyncItemResult,
    Option<(good_practice::Model, Option<good_practice::Model>)>,
)> {
    let external_id = item.external_id.trim().to_owned();
    match written {
        Ok(practice) => {
            if let Some(savepoint) = savepoint {
                savepoint.commit().await?;
            }
            let outcome = match (&before, item.deleted) {
                (_, true) => SyncOutcome::Deleted,
                (Some(_), false) => SyncOutcome::Updated,
                (None, false) => SyncOutcome::Created,
            };
            let result = SyncItemResult {
                external_id,
                outcome,
                practice: Some(SyncedPractice::Written(std::sync::Arc::new(
                    crate::db::rows::Shaped::whole(practice.clone()),
                ))),
                errors: Vec::new(),
                warnings: Vec::new(),
            };
            Ok((result, Some((practice, before))))
        }
        Err(error) => {
            if let Some(savepoint) = savepoint {
                savepoint.rollback().await?;
            }
            Ok((item_errors(&external_id, error)?, None))
        }
    }
}

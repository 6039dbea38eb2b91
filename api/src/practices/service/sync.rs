//! The partner sync's push: an agency's job sends up to 500 practices, keyed by its own
//! external ids; each comes back CREATED, UPDATED, UNCHANGED, DELETED or REJECTED (with the
//! errors per field). Each item is atomic (a savepoint), a rejected item does not stop the
//! others, and the batch commits once. Sending the same batch again changes nothing: an item
//! whose normalised content hashes as stored is UNCHANGED before anything is checked or written.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dkbm_entity::{EducationStage, PracticeStatus, TargetGroup, agency, good_practice};
use sea_orm::{ActiveEnum, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::content::{CheckedContent, Contact, Content, Link, References, check_with, slug_for};
use super::rows::{NewRow, NewVersion, Provenance, insert_practice, insert_practices, store_version};
use super::slugs::{free_slug, free_slugs};
use super::{announce, record_changes};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

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

/// What became of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncOutcome {
    Created,
    Updated,
    Unchanged,
    Deleted,
    Rejected,
}

/// A problem with one field of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The answer for one item.
#[derive(Debug, Clone)]
pub struct SyncItemResult {
    pub external_id: String,
    pub outcome: SyncOutcome,
    /// The practice (none when rejected, or when a deleted item never existed).
    pub practice: Option<SyncedPractice>,
    pub errors: Vec<FieldError>,
}

/// The practice of an item: as written, or (unchanged, so not loaded) by its id.
#[derive(Debug, Clone)]
pub enum SyncedPractice {
    Written(Box<good_practice::Model>),
    Unchanged(Uuid),
}

/// The answer for a batch, item by item in the order sent.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub items: Vec<SyncItemResult>,
}

impl SyncReport {
    pub fn count(&self, outcome: SyncOutcome) -> usize {
        self.items.iter().filter(|item| item.outcome == outcome).count()
    }
}

/// The item's content in a canonical form, for comparing with what is stored.
#[derive(Serialize)]
struct Normalised<'a> {
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    topics: Vec<String>,
    municipality_ags: Vec<String>,
    target_groups: Vec<String>,
    stages: Vec<String>,
    contact: [Option<&'a str>; 3],
    links: Vec<(&'a str, &'a str)>,
    license: Option<&'a str>,
    source_url: Option<&'a str>,
    status: String,
    upstream_version: Option<&'a str>,
}

fn sorted_unique(values: &[String]) -> Vec<String> {
    let mut values: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
    values.sort();
    values.dedup();
    values
}

fn trimmed(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// SHA-256 of the normalised item.
fn content_hash(item: &SyncItem, status: PracticeStatus) -> String {
    let mut groups: Vec<String> = item.target_groups.iter().map(ActiveEnum::to_value).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut stages: Vec<String> = item.stages.iter().map(ActiveEnum::to_value).collect();
    stages.sort_unstable();
    stages.dedup();
    let normalised = Normalised {
        title: item.title.as_deref().unwrap_or_default().trim(),
        summary: item.summary.as_deref().unwrap_or_default().trim(),
        body: item.body.as_deref().unwrap_or_default(),
        topics: sorted_unique(&item.topics),
        municipality_ags: sorted_unique(&item.municipality_ags),
        target_groups: groups,
        stages,
        contact: [
            trimmed(item.contact.name.as_ref()),
            trimmed(item.contact.role.as_ref()),
            trimmed(item.contact.email.as_ref()),
        ],
        links: item.links.iter().map(|l| (l.label.trim(), l.url.trim())).collect(),
        license: trimmed(item.license.as_ref()),
        source_url: trimmed(item.source_url.as_ref()),
        status: status.to_value(),
        upstream_version: trimmed(item.upstream_version.as_ref()),
    };
    let json = serde_json::to_vec(&normalised).unwrap_or_default();
    Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect()
}

fn content_of_item(item: &SyncItem) -> Content {
    Content {
        title: item.title.clone().unwrap_or_default(),
        summary: item.summary.clone().unwrap_or_default(),
        body: item.body.clone().unwrap_or_default(),
        topics: item.topics.clone(),
        municipality_ags: item.municipality_ags.clone(),
        target_groups: item.target_groups.clone(),
        stages: item.stages.clone(),
        contact: item.contact.clone(),
        links: item.links.clone(),
        license: item.license.clone(),
        source_url: item.source_url.clone(),
    }
}

fn rejected(external_id: &str, field: &str, message: impl Into<String>) -> SyncItemResult {
    SyncItemResult {
        external_id: external_id.to_owned(),
        outcome: SyncOutcome::Rejected,
        practice: None,
        errors: vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }],
    }
}

/// The errors of an item whose check failed.
fn item_errors(external_id: &str, error: AppError) -> AppResult<SyncItemResult> {
    match error {
        AppError::BadUserInput { field, message } => Ok(rejected(external_id, &field, message)),
        AppError::Conflict { message, field, .. } => {
            Ok(rejected(external_id, field.as_deref().unwrap_or("externalId"), message))
        }
        other => Err(other),
    }
}

/// The agency a sync writes for: the API client's, the one named (which the viewer must edit
/// for), or the only agency the viewer edits for.
async fn sync_agency(state: &AppState, viewer: &Viewer, agency_slug: Option<&str>) -> AppResult<agency::Model> {
    let db = state.conn();
    let agency = match (agency_slug, viewer) {
        (Some(slug), _) => require_agency(db, "agencySlug", slug).await?,
        (None, Viewer::Client(client)) => crate::directory::service::agency_by_id(db, client.agency_id)
            .await?
            .ok_or_else(|| AppError::not_found("the client's agency is gone"))?,
        (None, Viewer::Anonymous) => {
            return Err(AppError::Unauthenticated(
                "sign in, or authenticate as an API client".into(),
            ));
        }
        (None, _) => match viewer.editable_agencies().as_slice() {
            [only] => crate::directory::service::agency_by_id(db, *only)
                .await?
                .ok_or_else(|| AppError::not_found("no such agency"))?,
            [] => {
                return Err(AppError::Forbidden(
                    "this needs an editor of an agency or its API client".into(),
                ));
            }
            _ => {
                return Err(AppError::bad_input(
                    "agencySlug",
                    "you edit for several agencies: say which with agencySlug",
                ));
            }
        },
    };
    ensure_agency_editor(viewer, agency.id)?;
    Ok(agency)
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
                let message =
                    "another call created a practice with this external id at the same moment: send the item again";
                return Ok((savepoint, Err(AppError::conflict("externalId", message))));
            }
            written => return Ok((savepoint, written)),
        }
    }
}

/// What tells whether an item changed a stored practice.
struct Stored {
    id: Uuid,
    content_hash: Option<String>,
    status: PracticeStatus,
}

/// What the first pass decided for an item.
enum Plan {
    Done(SyncItemResult),
    Write {
        item: SyncItem,
        hash: String,
        status: PracticeStatus,
        content: Box<CheckedContent>,
    },
    Delete {
        item: SyncItem,
    },
}

/// The provenance of an item written now.
fn provenance_of(owner: &agency::Model, item: &SyncItem, hash: String, at: DateTime<Utc>) -> Provenance {
    Provenance {
        origin_agency_id: Some(owner.id),
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

/// Inserts the batch's new practices together, in a savepoint: a few statements instead of
/// about eight per item. Answers them by plan index; answers none (and writes nothing) when that
/// fails on a slug or external id taken meanwhile, so that they are created one by one.
async fn create_together(
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

/// Pushes a batch of practices for the caller's agency.
pub async fn sync_practices(
    state: &AppState,
    viewer: &Viewer,
    agency_slug: Option<&str>,
    items: Vec<SyncItem>,
) -> AppResult<SyncReport> {
    if items.len() > MAX_SYNC_ITEMS {
        return Err(AppError::bad_input(
            "items",
            format!(
                "{} items; at most {MAX_SYNC_ITEMS} per call: send the rest in further calls",
                items.len()
            ),
        ));
    }
    let owner = sync_agency(state, viewer, agency_slug).await?;
    let db = state.conn();

    // External ids that occur more than once in the batch cannot say which version is meant.
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    for item in &items {
        *occurrences.entry(item.external_id.trim().to_owned()).or_default() += 1;
    }
    let wanted: Vec<String> = occurrences.keys().filter(|id| !id.is_empty()).cloned().collect();
    // What is stored of them: only what tells whether an item changed (no bodies).
    let stored: HashMap<String, Stored> = if wanted.is_empty() {
        HashMap::new()
    } else {
        good_practice::Entity::find()
            .select_only()
            .columns([
                good_practice::Column::ExternalId,
                good_practice::Column::Id,
                good_practice::Column::ContentHash,
                good_practice::Column::Status,
            ])
            .filter(good_practice::Column::OwnerAgencyId.eq(owner.id))
            .filter(good_practice::Column::ExternalId.is_in(wanted))
            .into_tuple::<(Option<String>, Uuid, Option<String>, PracticeStatus)>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(external_id, id, content_hash, status)| {
                Some((
                    external_id?,
                    Stored {
                        id,
                        content_hash,
                        status,
                    },
                ))
            })
            .collect()
    };

    // First pass without writing: what is invalid, unchanged, or to be written.
    let contents: Vec<Content> = items.iter().filter(|item| !item.deleted).map(content_of_item).collect();
    let references = References::load(db, &contents.iter().collect::<Vec<_>>()).await?;
    let mut plans = Vec::with_capacity(items.len());
    for item in items {
        let external_id = item.external_id.trim().to_owned();
        if external_id.is_empty() || external_id.chars().count() > 200 {
            plans.push(Plan::Done(rejected(
                &item.external_id,
                "externalId",
                "an external id has 1 to 200 characters",
            )));
            continue;
        }
        if occurrences.get(&external_id).copied().unwrap_or(0) > 1 {
            plans.push(Plan::Done(rejected(
                &external_id,
                "externalId",
                "this external id occurs more than once in the batch",
            )));
            continue;
        }
        let current = stored.get(&external_id);
        if item.deleted {
            match current {
                Some(practice) if practice.status != PracticeStatus::Archived => plans.push(Plan::Delete { item }),
                _ => plans.push(Plan::Done(SyncItemResult {
                    external_id,
                    outcome: SyncOutcome::Unchanged,
                    practice: current.map(|practice| SyncedPractice::Unchanged(practice.id)),
                    errors: Vec::new(),
                })),
            }
            continue;
        }
        let status = item.status.unwrap_or(PracticeStatus::Published);
        let hash = content_hash(&item, status);
        if let Some(practice) = current
            && practice.content_hash.as_deref() == Some(hash.as_str())
            && practice.status == status
        {
            plans.push(Plan::Done(SyncItemResult {
                external_id,
                outcome: SyncOutcome::Unchanged,
                practice: Some(SyncedPractice::Unchanged(practice.id)),
                errors: Vec::new(),
            }));
            continue;
        }
        let mut missing = Vec::new();
        for (field, value) in [("title", &item.title), ("summary", &item.summary), ("body", &item.body)] {
            if value.is_none() {
                missing.push(FieldError {
                    field: field.into(),
                    message: format!("{field} is required unless deleted is true"),
                });
            }
        }
        if !missing.is_empty() {
            plans.push(Plan::Done(SyncItemResult {
                external_id,
                outcome: SyncOutcome::Rejected,
                practice: None,
                errors: missing,
            }));
            continue;
        }
        match check_with(&references, "", &content_of_item(&item)) {
            Ok(content) => plans.push(Plan::Write {
                item,
                hash,
                status,
                content: Box::new(content),
            }),
            Err(error) => plans.push(Plan::Done(item_errors(&external_id, error)?)),
        }
    }

    // Second pass, in one transaction: the whole rows of the stored practices that change,
    // locked (store_version writes them anew); the new practices together (one by one if that
    // fails), then a savepoint per other item; the feed entries last.
    let at = now();
    let work = UnitOfWork::begin(state).await?;
    let changing: Vec<Uuid> = plans
        .iter()
        .filter_map(|plan| match plan {
            Plan::Write { item, .. } | Plan::Delete { item } => stored.get(item.external_id.trim()).map(|s| s.id),
            Plan::Done(_) => None,
        })
        .collect();
    let mut existing: HashMap<String, good_practice::Model> = if changing.is_empty() {
        HashMap::new()
    } else {
        work.lock_all(good_practice::Entity::find().filter(good_practice::Column::Id.is_in(changing)))
            .await?
            .into_iter()
            .filter_map(|practice| Some((practice.external_id.clone()?, practice)))
            .collect()
    };
    let mut created = create_together(&work, &owner, &plans, &stored, at).await?;
    let mut results = Vec::with_capacity(plans.len());
    let mut changes: Vec<(good_practice::Model, Option<good_practice::Model>)> = Vec::new();
    for (index, plan) in plans.into_iter().enumerate() {
        let (item, before, savepoint, written) = match plan {
            Plan::Done(result) => {
                results.push(result);
                continue;
            }
            Plan::Delete { item } => {
                let external_id = item.external_id.trim().to_owned();
                let Some(current) = existing.remove(&external_id) else {
                    continue;
                };
                let savepoint = work.savepoint().await?;
                let written = store_version(
                    &savepoint,
                    &current,
                    NewVersion::of_status(PracticeStatus::Archived, at),
                )
                .await;
                (item, Some(current), Some(savepoint), written)
            }
            Plan::Write {
                item,
                hash,
                status,
                content,
            } => {
                let external_id = item.external_id.trim().to_owned();
                let provenance = provenance_of(&owner, &item, hash, at);
                let current = existing.remove(&external_id);
                let (savepoint, written) = match (&current, created.remove(&index)) {
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
                            create_synced(&work, &owner, &external_id, status, &content, provenance, at).await?;
                        (Some(savepoint), written)
                    }
                };
                (item, current, savepoint, written)
            }
        };
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
                changes.push((practice.clone(), before));
                results.push(SyncItemResult {
                    external_id,
                    outcome,
                    practice: Some(SyncedPractice::Written(Box::new(practice))),
                    errors: Vec::new(),
                });
            }
            Err(error) => {
                if let Some(savepoint) = savepoint {
                    savepoint.rollback().await?;
                }
                results.push(item_errors(&external_id, error)?);
            }
        }
    }
    let changes: Vec<_> = changes.iter().map(|(after, before)| (after, before.as_ref())).collect();
    let entries = record_changes(&work, &changes).await?;
    announce(&work, entries.iter());
    work.commit().await?;
    Ok(SyncReport { items: results })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_ignores_order_and_whitespace_but_not_content() {
        let item = SyncItem {
            external_id: "x".into(),
            title: Some(" Titel ".into()),
            summary: Some("S".into()),
            body: Some("B".into()),
            topics: vec!["b".into(), "a".into(), "a".into()],
            ..SyncItem::default()
        };
        let mut same = item.clone();
        same.title = Some("Titel".into());
        same.topics = vec!["a".into(), "b".into()];
        assert_eq!(
            content_hash(&item, PracticeStatus::Published),
            content_hash(&same, PracticeStatus::Published)
        );
        let mut other = item.clone();
        other.body = Some("B2".into());
        assert_ne!(
            content_hash(&item, PracticeStatus::Published),
            content_hash(&other, PracticeStatus::Published)
        );
        assert_ne!(
            content_hash(&item, PracticeStatus::Published),
            content_hash(&item, PracticeStatus::Draft)
        );
    }
}

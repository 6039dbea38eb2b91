//! Storing practice rows: new rows (several in one statement, for a sync batch) and new
//! versions of a stored row.

use chrono::{DateTime, Utc};
use dkbm_entity::{PracticeStatus, agency, good_practice};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, Iterable, ModelTrait};
use uuid::Uuid;

use super::content::CheckedContent;
use super::relations::{Written, documents, index_terms, insert_relations, write_relations_and_index};
use crate::db::fulltext::{self};
use crate::db::next_practice_numbers;
use crate::error::{AppError, AppResult};
use crate::ids::AgencyId;
use crate::messages::MessageKey;
use crate::text::fold;

/// Where a synced practice came from.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub origin_agency_id: Option<AgencyId>,
    pub upstream_version: Option<String>,
    pub content_hash: Option<String>,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A new practice to insert, checked by the caller.
pub struct NewRow<'a> {
    pub slug: String,
    pub status: PracticeStatus,
    pub external_id: Option<String>,
    pub content: &'a CheckedContent,
    pub provenance: Provenance,
}

/// The stored row of a new practice.
fn new_row(owner: &agency::Model, number: i64, row: NewRow<'_>, at: DateTime<Utc>) -> good_practice::Model {
    let NewRow {
        slug,
        status,
        external_id,
        content,
        provenance,
    } = row;
    let published_at = (status == PracticeStatus::Published).then_some(at);
    good_practice::Model {
        id: Uuid::now_v7(),
        number,
        slug,
        title_sort: fold(&content.title),
        title: content.title.clone(),
        summary: content.summary.clone(),
        body: content.body.clone(),
        body_html: content.body_html.clone(),
        plain_text: content.plain_text.clone(),
        owner_agency_id: owner.id,
        status,
        version: 1,
        contact_name: content.contact.name.clone(),
        contact_role: content.contact.role.clone(),
        contact_email: content.contact.email.clone(),
        links: content.links_json.clone(),
        license: content.license.clone(),
        source_url: content.source_url.clone(),
        external_id,
        content_hash: provenance.content_hash,
        origin_agency_id: provenance.origin_agency_id.map(Into::into),
        upstream_version: provenance.upstream_version,
        synced_at: provenance.synced_at,
        created_at: at,
        updated_at: at,
        published_at,
        archived_at: (status == PracticeStatus::Archived).then_some(at),
        listed_at: published_at.unwrap_or(at),
        title_terms: content.title_terms(),
        summary_terms: content.summary_terms(),
        topic_mask: content.masks.topics,
        target_group_mask: content.masks.target_groups,
        stage_mask: content.masks.stages,
        state_mask: content.masks.states,
    }
}

/// Inserts practices whose content and rights were checked, with their relations and index
/// entries, in a few statements whatever their number. A taken slug or external id fails the
/// whole call (CONFLICT); run it in a savepoint to fall back to inserting one by one.
pub async fn insert_practices(
    db: &impl ConnectionTrait,
    owner: &agency::Model,
    rows: Vec<NewRow<'_>>,
    at: DateTime<Utc>,
) -> AppResult<Vec<good_practice::Model>> {
    // At most this many practices per statement (35 columns; SQLite allows 32,766 parameters).
    const ROWS: usize = 250;
    let numbers = next_practice_numbers(db, rows.len()).await?;
    let contents: Vec<&CheckedContent> = rows.iter().map(|row| row.content).collect();
    let models: Vec<good_practice::Model> = rows
        .into_iter()
        .zip(numbers)
        .map(|(row, number)| new_row(owner, number, row, at))
        .collect();
    let written: Vec<(&good_practice::Model, &CheckedContent)> = models.iter().zip(contents).collect();
    let terms = index_terms(&written);
    let documents = documents(&written, &terms);
    let columns: Vec<good_practice::Column> = good_practice::Column::iter().collect();
    // Every column of the row, and on PostgreSQL its search vector.
    let mut names: Vec<sea_orm::sea_query::DynIden> = columns
        .iter()
        .map(|column| sea_orm::IntoIdentity::into_identity(*column).into())
        .collect();
    names.extend(
        documents
            .first()
            .and_then(|document| fulltext::in_row(db, document))
            .map(|(column, _)| column.into()),
    );
    for (chunk, documents) in models.chunks(ROWS).zip(documents.chunks(ROWS)) {
        let mut insert = Query::insert();
        insert.into_table(good_practice::Entity).columns(names.clone());
        for (model, document) in chunk.iter().zip(documents) {
            let mut values: Vec<Expr> = columns
                .iter()
                .map(|column| Expr::val(ModelTrait::get(model, *column)))
                .collect();
            values.extend(fulltext::in_row(db, document).map(|(_, vector)| vector));
            insert
                .values(values)
                .map_err(|e| AppError::internal(anyhow::anyhow!("practice insert: {e}")))?;
        }
        db.execute(&insert)
            .await
            .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::SlugOrExternalIdTaken))?;
    }
    insert_relations(db, &written).await?;
    fulltext::index_new(db, &documents).await?;
    Ok(models)
}

/// Inserts a practice whose content and rights were checked.
pub async fn insert_practice(
    db: &impl ConnectionTrait,
    owner: &agency::Model,
    row: NewRow<'_>,
    at: DateTime<Utc>,
) -> AppResult<good_practice::Model> {
    let mut inserted = insert_practices(db, owner, vec![row], at).await?;
    inserted
        .pop()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a practice was inserted but not returned")))
}

/// What a new version of a stored practice changes; `None` keeps what is stored.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub content: Option<&'a CheckedContent>,
    pub status: PracticeStatus,
    pub external_id: Option<Option<String>>,
    pub provenance: Option<Provenance>,
    pub at: DateTime<Utc>,
}

impl NewVersion<'_> {
    /// A version that changes only the status.
    pub fn of_status(status: PracticeStatus, at: DateTime<Utc>) -> Self {
        NewVersion {
            content: None,
            status,
            external_id: None,
            provenance: None,
            at,
        }
    }
}

/// Stores a new version of a practice (read locked in this unit of work): content, status and
/// timestamps.
pub async fn store_version(
    db: &impl ConnectionTrait,
    current: &good_practice::Model,
    version: NewVersion<'_>,
) -> AppResult<good_practice::Model> {
    let NewVersion {
        content,
        status,
        external_id,
        provenance,
        at,
    } = version;
    let mut model: good_practice::ActiveModel = current.clone().into();
    if let Some(content) = content {
        model.title_sort = Set(fold(&content.title));
        model.title = Set(content.title.clone());
        model.summary = Set(content.summary.clone());
        model.body = Set(content.body.clone());
        model.body_html = Set(content.body_html.clone());
        model.plain_text = Set(content.plain_text.clone());
        model.contact_name = Set(content.contact.name.clone());
        model.contact_role = Set(content.contact.role.clone());
        model.contact_email = Set(content.contact.email.clone());
        model.links = Set(content.links_json.clone());
        model.license = Set(content.license.clone());
        model.source_url = Set(content.source_url.clone());
        model.title_terms = Set(content.title_terms());
        model.summary_terms = Set(content.summary_terms());
        model.topic_mask = Set(content.masks.topics);
        model.target_group_mask = Set(content.masks.target_groups);
        model.stage_mask = Set(content.masks.stages);
        model.state_mask = Set(content.masks.states);
    }
    if let Some(external_id) = external_id {
        model.external_id = Set(external_id);
    }
    if let Some(provenance) = provenance {
        model.origin_agency_id = Set(provenance.origin_agency_id.map(Into::into));
        model.upstream_version = Set(provenance.upstream_version);
        model.content_hash = Set(provenance.content_hash);
        model.synced_at = Set(provenance.synced_at);
    }
    if status != current.status {
        model.status = Set(status);
        match status {
            PracticeStatus::Published => {
                let published_at = current.published_at.unwrap_or(at);
                model.published_at = Set(Some(published_at));
                model.listed_at = Set(published_at);
                model.archived_at = Set(None);
            }
            PracticeStatus::Archived => model.archived_at = Set(Some(at)),
            PracticeStatus::Draft => {}
        }
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    // `current` was read locked in this unit of work (db::unit_of_work: lock, then compare).
    let practice = model.update(db).await?;
    if let Some(content) = content {
        write_relations_and_index(db, &practice, content, Written::Stored).await?;
    }
    Ok(practice)
}

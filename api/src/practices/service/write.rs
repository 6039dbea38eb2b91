//! Creating and changing good practices. Editors of the owner agency (and administrators) do
//! it; every change bumps the version, and an update names the version it expects so that a
//! stale form cannot overwrite someone else's change.

use chrono::{DateTime, Utc};
use dkbm_entity::{
    EducationStage, PracticeStatus, TargetGroup, agency, good_practice, good_practice_municipality,
    good_practice_stage, good_practice_target_group, good_practice_topic, municipality, topic,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, ModelTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use super::content::{CheckedContent, Contact, Content, Link, check, slug_for};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::fulltext::{self, Document};
use crate::db::{UnitOfWork, Versioned, next_practice_numbers, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::text::fold;
use crate::validate;

/// A new practice.
#[derive(Debug, Clone)]
pub struct NewPractice {
    pub agency_slug: String,
    /// Derived from the title when not given.
    pub slug: Option<String>,
    /// DRAFT unless said otherwise.
    pub status: PracticeStatus,
    pub external_id: Option<String>,
    pub content: Content,
}

/// Changes to a practice: `None` leaves a field; `Some(None)` clears it; lists replace.
#[derive(Debug, Clone, Default)]
pub struct PracticeChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    pub topics: Option<Vec<String>>,
    pub municipality_ags: Option<Vec<String>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub stages: Option<Vec<EducationStage>>,
    pub contact_name: Option<Option<String>>,
    pub contact_role: Option<Option<String>>,
    pub contact_email: Option<Option<String>>,
    pub links: Option<Vec<Link>>,
    pub license: Option<Option<String>>,
    pub source_url: Option<Option<String>>,
    pub external_id: Option<Option<String>>,
}

/// Where a synced practice came from.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub origin_agency_id: Option<Uuid>,
    pub upstream_version: Option<String>,
    pub content_hash: Option<String>,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A practice by id.
pub async fn practice_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<good_practice::Model>> {
    Ok(good_practice::Entity::find_by_id(id).one(db).await?)
}

fn check_external_id(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    validate::optional_text(field, value, 200)
}

/// The content a stored practice has now (to apply partial changes to).
pub async fn content_of(db: &impl ConnectionTrait, practice: &good_practice::Model) -> AppResult<Content> {
    let topics: Vec<String> = topic::Entity::find()
        .select_only()
        .column(topic::Column::Slug)
        .join_rev(sea_orm::JoinType::InnerJoin, good_practice_topic_relation())
        .filter(good_practice_topic::Column::PracticeId.eq(practice.id))
        .into_tuple()
        .all(db)
        .await?;
    let municipality_ags: Vec<String> = municipality::Entity::find()
        .select_only()
        .column(municipality::Column::Ags)
        .join_rev(sea_orm::JoinType::InnerJoin, good_practice_municipality_relation())
        .filter(good_practice_municipality::Column::PracticeId.eq(practice.id))
        .into_tuple()
        .all(db)
        .await?;
    let target_groups = good_practice_target_group::Entity::find()
        .filter(good_practice_target_group::Column::PracticeId.eq(practice.id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.target_group)
        .collect();
    let stages = good_practice_stage::Entity::find()
        .filter(good_practice_stage::Column::PracticeId.eq(practice.id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.stage)
        .collect();
    Ok(Content {
        title: practice.title.clone(),
        summary: practice.summary.clone(),
        body: practice.body.clone(),
        topics,
        municipality_ags,
        target_groups,
        stages,
        contact: Contact {
            name: practice.contact_name.clone(),
            role: practice.contact_role.clone(),
            email: practice.contact_email.clone(),
        },
        links: serde_json::from_str(&practice.links).unwrap_or_default(),
        license: practice.license.clone(),
        source_url: practice.source_url.clone(),
    })
}

fn good_practice_topic_relation() -> sea_orm::RelationDef {
    good_practice_topic::Entity::belongs_to(topic::Entity)
        .from(good_practice_topic::Column::TopicId)
        .to(topic::Column::Id)
        .into()
}

fn good_practice_municipality_relation() -> sea_orm::RelationDef {
    good_practice_municipality::Entity::belongs_to(municipality::Entity)
        .from(good_practice_municipality::Column::MunicipalityId)
        .to(municipality::Column::Id)
        .into()
}

/// Whose relations and index entry are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A practice inserted in this transaction: nothing to replace.
    New,
    /// A stored practice: its relations and index entry are replaced.
    Stored,
}

/// Writes (or replaces) the practice's relations and its index entry.
pub async fn write_relations_and_index(
    db: &impl ConnectionTrait,
    practice: &good_practice::Model,
    content: &CheckedContent,
    written: Written,
) -> AppResult<()> {
    let id = practice.id;
    if written == Written::Stored {
        remove_relations(db, id).await?;
        fulltext::remove(db, practice.number).await?;
    }
    let practices = [(practice, content)];
    insert_relations(db, &practices).await?;
    let terms = index_terms(&practices);
    fulltext::index(db, &documents(&practices, &terms)).await?;
    Ok(())
}

/// Inserts rows, at most 1,000 per statement (SQLite allows 32,766 parameters).
async fn insert_rows<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> AppResult<()>
where
    A: ActiveModelTrait + Clone + Send,
{
    for chunk in rows.chunks(1_000) {
        A::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Inserts the relations of new (or just cleared) practices: one statement per relation
/// table, whatever their number.
async fn insert_relations(
    db: &impl ConnectionTrait,
    practices: &[(&good_practice::Model, &CheckedContent)],
) -> AppResult<()> {
    insert_rows(
        db,
        practices
            .iter()
            .flat_map(|(practice, content)| {
                content.topic_ids.iter().map(|topic| good_practice_topic::ActiveModel {
                    practice_id: Set(practice.id),
                    topic_id: Set(*topic),
                })
            })
            .collect(),
    )
    .await?;
    insert_rows(
        db,
        practices
            .iter()
            .flat_map(|(practice, content)| {
                content
                    .municipality_ids
                    .iter()
                    .map(|municipality| good_practice_municipality::ActiveModel {
                        practice_id: Set(practice.id),
                        municipality_id: Set(*municipality),
                    })
            })
            .collect(),
    )
    .await?;
    insert_rows(
        db,
        practices
            .iter()
            .flat_map(|(practice, content)| {
                content
                    .target_groups
                    .iter()
                    .map(|group| good_practice_target_group::ActiveModel {
                        practice_id: Set(practice.id),
                        target_group: Set(*group),
                    })
            })
            .collect(),
    )
    .await?;
    insert_rows(
        db,
        practices
            .iter()
            .flat_map(|(practice, content)| {
                content.stages.iter().map(|stage| good_practice_stage::ActiveModel {
                    practice_id: Set(practice.id),
                    stage: Set(*stage),
                })
            })
            .collect(),
    )
    .await
}

/// The index terms (title, summary, body) of practices' contents.
fn index_terms(practices: &[(&good_practice::Model, &CheckedContent)]) -> Vec<(String, String, String)> {
    practices.iter().map(|(_, content)| content.index_terms()).collect()
}

/// The index documents of practices, from their [`index_terms`].
fn documents<'a>(
    practices: &[(&good_practice::Model, &CheckedContent)],
    terms: &'a [(String, String, String)],
) -> Vec<Document<'a>> {
    practices
        .iter()
        .zip(terms)
        .map(|((practice, _), (title, summary, body))| Document {
            id: practice.id,
            number: practice.number,
            title,
            summary,
            body,
        })
        .collect()
}

async fn remove_relations(db: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    good_practice_topic::Entity::delete_many()
        .filter(good_practice_topic::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    good_practice_municipality::Entity::delete_many()
        .filter(good_practice_municipality::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    good_practice_target_group::Entity::delete_many()
        .filter(good_practice_target_group::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    good_practice_stage::Entity::delete_many()
        .filter(good_practice_stage::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A slug that is free: the one asked for (taken: CONFLICT), or one derived from the title
/// with a number appended until it is free.
pub(super) async fn free_slug(
    db: &impl ConnectionTrait,
    wanted: Option<&str>,
    title: &str,
    field: &str,
) -> AppResult<String> {
    if let Some(wanted) = wanted {
        let slug = validate::slug(field, wanted)?;
        let taken = good_practice::Entity::find()
            .filter(good_practice::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
            .is_some();
        if taken {
            return Err(AppError::conflict(
                field,
                format!("the slug \"{slug}\" is taken by another practice"),
            ));
        }
        return Ok(slug);
    }
    // The title's slug, else the first free of base-2, base-3, …; when even those are taken, a
    // unique suffix.
    let derived = free_slugs(db, &[title]).await?.and_then(|mut slugs| slugs.pop());
    Ok(derived.unwrap_or_else(|| format!("{}-{}", slug_for(title), Uuid::now_v7().simple())))
}

/// Slugs derived from these titles, as [`free_slug`] would pick them one after the other:
/// free, and distinct among each other. A few statements whatever the number of titles;
/// `None` when a title has no free slug among its first thousand candidates.
pub(super) async fn free_slugs(db: &impl ConnectionTrait, titles: &[&str]) -> AppResult<Option<Vec<String>>> {
    use std::collections::{HashMap, HashSet, VecDeque};
    let bases: Vec<String> = titles.iter().map(|title| slug_for(title)).collect();
    let mut needed: HashMap<&str, usize> = HashMap::new();
    for base in &bases {
        *needed.entry(base.as_str()).or_default() += 1;
    }
    let candidate = |base: &str, n: usize| if n == 0 { base.to_owned() } else { format!("{base}-{n}") };
    // Per base: the free candidates found so far, and the first suffix not yet looked at.
    let mut free: HashMap<&str, VecDeque<String>> = HashMap::new();
    let mut looked: HashMap<&str, usize> = needed.keys().map(|base| (*base, 0)).collect();
    for _ in 0..16 {
        let short: Vec<(&str, usize)> = needed
            .iter()
            .filter_map(|(base, n)| {
                let found = free.get(base).map_or(0, VecDeque::len);
                (found < *n).then(|| (*base, n - found))
            })
            .collect();
        if short.is_empty() {
            break;
        }
        let mut window: Vec<(&str, String)> = Vec::new();
        for (base, missing) in short {
            let from = looked[base];
            let to = from + missing + 64;
            window.extend((from..to).filter(|n| *n != 1).map(|n| (base, candidate(base, n))));
            looked.insert(base, to);
        }
        let mut taken: HashSet<String> = HashSet::new();
        for chunk in window.chunks(5_000) {
            taken.extend(
                good_practice::Entity::find()
                    .select_only()
                    .column(good_practice::Column::Slug)
                    .filter(good_practice::Column::Slug.is_in(chunk.iter().map(|(_, slug)| slug.clone())))
                    .into_tuple::<String>()
                    .all(db)
                    .await?,
            );
        }
        for (base, slug) in window {
            if !taken.contains(&slug) {
                free.entry(base).or_default().push_back(slug);
            }
        }
    }
    let mut slugs = Vec::with_capacity(bases.len());
    for base in &bases {
        match free.get_mut(base.as_str()).and_then(VecDeque::pop_front) {
            Some(slug) => slugs.push(slug),
            None => return Ok(None),
        }
    }
    Ok(Some(slugs))
}

async fn ensure_external_id_free(
    db: &impl ConnectionTrait,
    agency_id: Uuid,
    external_id: Option<&str>,
    except: Option<Uuid>,
    field: &str,
) -> AppResult<()> {
    let Some(external_id) = external_id else { return Ok(()) };
    let mut select = good_practice::Entity::find()
        .filter(good_practice::Column::OwnerAgencyId.eq(agency_id))
        .filter(good_practice::Column::ExternalId.eq(external_id));
    if let Some(id) = except {
        select = select.filter(good_practice::Column::Id.ne(id));
    }
    if select.one(db).await?.is_some() {
        return Err(AppError::conflict(
            field,
            format!("the agency has a practice with the external id \"{external_id}\" already"),
        ));
    }
    Ok(())
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
        origin_agency_id: provenance.origin_agency_id,
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
    let backend = db.get_database_backend();
    let columns: Vec<good_practice::Column> = good_practice::Column::iter().collect();
    // Every column of the row, and on PostgreSQL its search vector.
    let mut names: Vec<sea_orm::sea_query::DynIden> = columns
        .iter()
        .map(|column| sea_orm::IntoIdentity::into_identity(*column).into())
        .collect();
    names.extend(
        documents
            .first()
            .and_then(|document| fulltext::in_row(backend, document))
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
            values.extend(fulltext::in_row(backend, document).map(|(_, vector)| vector));
            insert
                .values(values)
                .map_err(|e| AppError::internal(anyhow::anyhow!("practice insert: {e}")))?;
        }
        db.execute(&insert)
            .await
            .map_err(|e| AppError::from_unique_violation(e, "input.slug", "the slug or external id is taken"))?;
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

/// Creates a practice for an agency (its editors and administrators).
pub async fn create_practice(state: &AppState, viewer: &Viewer, input: NewPractice) -> AppResult<good_practice::Model> {
    let db = state.conn();
    let owner = require_agency(db, "input.agencySlug", &input.agency_slug).await?;
    ensure_agency_editor(viewer, owner.id)?;
    let external_id = check_external_id("input.externalId", input.external_id.as_deref())?;
    let content = check(db, "input", &input.content).await?;
    let work = UnitOfWork::begin(state).await?;
    let slug = free_slug(&work, input.slug.as_deref(), &content.title, "input.slug").await?;
    ensure_external_id_free(&work, owner.id, external_id.as_deref(), None, "input.externalId").await?;
    let row = NewRow {
        slug,
        status: input.status,
        external_id,
        content: &content,
        provenance: Provenance::default(),
    };
    let practice = insert_practice(&work, &owner, row, now()).await?;
    let entry = super::record_change(&work, &practice, None).await?;
    super::announce(&work, entry.iter());
    work.commit().await?;
    Ok(practice)
}

impl Versioned for good_practice::Entity {
    const NOUN: &'static str = "practice";
    const NOT_FOUND: &'static str = "no such good practice";

    fn id_column() -> good_practice::Column {
        good_practice::Column::Id
    }

    fn version_of(model: &good_practice::Model) -> i64 {
        model.version
    }
}

/// Locks a practice for a change by the viewer at the expected version.
async fn for_change(
    work: &UnitOfWork,
    viewer: &Viewer,
    id: Uuid,
    expected_version: Option<i64>,
) -> AppResult<good_practice::Model> {
    work.expect_version::<good_practice::Entity>(id, expected_version, |practice| {
        if !viewer.can_edit_for_agency(practice.owner_agency_id) {
            // Outsiders must not learn that a draft exists.
            if practice.status != PracticeStatus::Published {
                return Err(AppError::not_found(good_practice::Entity::NOT_FOUND));
            }
            ensure_agency_editor(viewer, practice.owner_agency_id)?;
        }
        Ok(())
    })
    .await
}

/// Stores a new version of a practice: content, status and timestamps.
pub async fn store_version(
    db: &impl ConnectionTrait,
    current: &good_practice::Model,
    content: Option<&CheckedContent>,
    status: PracticeStatus,
    external_id: Option<Option<String>>,
    provenance: Option<Provenance>,
    at: DateTime<Utc>,
) -> AppResult<good_practice::Model> {
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
        model.origin_agency_id = Set(provenance.origin_agency_id);
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

/// Changes a practice at the expected version.
pub async fn update_practice(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    expected_version: i64,
    changes: PracticeChanges,
) -> AppResult<good_practice::Model> {
    let work = UnitOfWork::begin(state).await?;
    let current = for_change(&work, viewer, id, Some(expected_version)).await?;
    let mut content = content_of(&work, &current).await?;
    let PracticeChanges {
        title,
        summary,
        body,
        topics,
        municipality_ags,
        target_groups,
        stages,
        contact_name,
        contact_role,
        contact_email,
        links,
        license,
        source_url,
        external_id,
    } = changes;
    if let Some(value) = title {
        content.title = value;
    }
    if let Some(value) = summary {
        content.summary = value;
    }
    if let Some(value) = body {
        content.body = value;
    }
    if let Some(value) = topics {
        content.topics = value;
    }
    if let Some(value) = municipality_ags {
        content.municipality_ags = value;
    }
    if let Some(value) = target_groups {
        content.target_groups = value;
    }
    if let Some(value) = stages {
        content.stages = value;
    }
    if let Some(value) = contact_name {
        content.contact.name = value;
    }
    if let Some(value) = contact_role {
        content.contact.role = value;
    }
    if let Some(value) = contact_email {
        content.contact.email = value;
    }
    if let Some(value) = links {
        content.links = value;
    }
    if let Some(value) = license {
        content.license = value;
    }
    if let Some(value) = source_url {
        content.source_url = value;
    }
    let checked = check(&work, "input", &content).await?;
    let external_id = match external_id {
        Some(value) => {
            let value = check_external_id("input.externalId", value.as_deref())?;
            ensure_external_id_free(
                &work,
                current.owner_agency_id,
                value.as_deref(),
                Some(current.id),
                "input.externalId",
            )
            .await?;
            Some(value)
        }
        None => None,
    };
    let practice = store_version(
        &work,
        &current,
        Some(&checked),
        current.status,
        external_id,
        None,
        now(),
    )
    .await?;
    let entry = super::record_change(&work, &practice, Some(&current)).await?;
    super::announce(&work, entry.iter());
    work.commit().await?;
    Ok(practice)
}

/// Moves a practice to another status: DRAFT or ARCHIVED → PUBLISHED; DRAFT or PUBLISHED → ARCHIVED.
pub async fn change_status(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    expected_version: Option<i64>,
    status: PracticeStatus,
) -> AppResult<good_practice::Model> {
    let work = UnitOfWork::begin(state).await?;
    let current = for_change(&work, viewer, id, expected_version).await?;
    let allowed = matches!(
        (current.status, status),
        (
            PracticeStatus::Draft | PracticeStatus::Archived,
            PracticeStatus::Published
        ) | (
            PracticeStatus::Draft | PracticeStatus::Published,
            PracticeStatus::Archived
        )
    );
    if !allowed {
        return Err(AppError::Conflict {
            message: format!("a {:?} practice cannot become {:?}", current.status, status).to_uppercase(),
            field: None,
            current_version: Some(current.version),
        });
    }
    let practice = store_version(&work, &current, None, status, None, None, now()).await?;
    let entry = super::record_change(&work, &practice, Some(&current)).await?;
    super::announce(&work, entry.iter());
    work.commit().await?;
    Ok(practice)
}

/// Recomputes the state masks of the practices of a municipality whose state changed.
pub async fn refresh_state_masks(db: &impl ConnectionTrait, municipality_id: Uuid) -> AppResult<()> {
    let practice_ids: Vec<Uuid> = good_practice_municipality::Entity::find()
        .filter(good_practice_municipality::Column::MunicipalityId.eq(municipality_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.practice_id)
        .collect();
    for practice_id in practice_ids {
        let municipalities = municipality::Entity::find()
            .join_rev(sea_orm::JoinType::InnerJoin, good_practice_municipality_relation())
            .filter(good_practice_municipality::Column::PracticeId.eq(practice_id))
            .all(db)
            .await?;
        good_practice::Entity::update_many()
            .col_expr(
                good_practice::Column::StateMask,
                sea_orm::sea_query::Expr::value(super::state_mask(&municipalities)),
            )
            .filter(good_practice::Column::Id.eq(practice_id))
            .exec(db)
            .await?;
    }
    Ok(())
}

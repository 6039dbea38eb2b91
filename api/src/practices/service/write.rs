//! Creating and changing good practices. Editors of the owner agency (and administrators) do
//! it; every change bumps the version, and an update names the version it expects so that a
//! stale form cannot overwrite someone else's change.

use dkbm_entity::{EducationStage, PracticeStatus, TargetGroup, good_practice};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::content::{Content, Link, check};
use super::relations::content_of;
use super::rows::{NewRow, NewVersion, Provenance, insert_practice, store_version};
use super::slugs::{check_external_id, ensure_external_id_free, free_slug};
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, Versioned, Writer, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, PracticeId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::patch::Patch;

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

impl PracticeChanges {
    /// Applies the content changes to the current content (crate::patch) and answers the
    /// change of the external id, which is not content.
    fn apply_to(self, content: &mut Content) -> Option<Option<String>> {
        self.title.apply_to(&mut content.title);
        self.summary.apply_to(&mut content.summary);
        self.body.apply_to(&mut content.body);
        self.topics.apply_to(&mut content.topics);
        self.municipality_ags.apply_to(&mut content.municipality_ags);
        self.target_groups.apply_to(&mut content.target_groups);
        self.stages.apply_to(&mut content.stages);
        self.contact_name.apply_to(&mut content.contact.name);
        self.contact_role.apply_to(&mut content.contact.role);
        self.contact_email.apply_to(&mut content.contact.email);
        self.links.apply_to(&mut content.links);
        self.license.apply_to(&mut content.license);
        self.source_url.apply_to(&mut content.source_url);
        self.external_id
    }
}

/// A practice by id.
pub async fn practice_by_id(db: &impl ConnectionTrait, id: PracticeId) -> AppResult<Option<good_practice::Model>> {
    Ok(good_practice::Entity::find_by_id(id).one(db).await?)
}

/// Creates a practice for an agency (its editors and administrators).
pub async fn create_practice(writer: &Writer, viewer: &Viewer, input: NewPractice) -> AppResult<good_practice::Model> {
    let db = writer.conn();
    let owner = require_agency(db, "input.agencySlug", &input.agency_slug).await?;
    ensure_agency_editor(viewer, owner.id)?;
    let external_id = check_external_id("input.externalId", input.external_id.as_deref())?;
    let content = check(db, "input", &input.content).await?;
    let work = UnitOfWork::begin(writer).await?;
    let slug = free_slug(&work, input.slug.as_deref(), &content.title, "input.slug").await?;
    let owner_id = AgencyId::from(owner.id);
    ensure_external_id_free(&work, owner_id, external_id.as_deref(), None, "input.externalId").await?;
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
    const NOUN: MessageKey = MessageKey::NounPractice;
    const NOT_FOUND: MessageKey = MessageKey::NoSuchPractice;

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
    id: PracticeId,
    expected_version: Option<i64>,
) -> AppResult<good_practice::Model> {
    work.expect_version::<good_practice::Entity>(id.uuid(), expected_version, |practice| {
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

/// Changes a practice at the expected version.
pub async fn update_practice(
    writer: &Writer,
    viewer: &Viewer,
    id: PracticeId,
    expected_version: i64,
    changes: PracticeChanges,
) -> AppResult<good_practice::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let current = for_change(&work, viewer, id, Some(expected_version)).await?;
    let mut content = content_of(&work, &current).await?;
    let external_id = changes.apply_to(&mut content);
    let checked = check(&work, "input", &content).await?;
    let external_id = match external_id {
        Some(value) => {
            let value = check_external_id("input.externalId", value.as_deref())?;
            ensure_external_id_free(
                &work,
                current.owner_agency_id.into(),
                value.as_deref(),
                Some(current.id.into()),
                "input.externalId",
            )
            .await?;
            Some(value)
        }
        None => None,
    };
    let version = NewVersion {
        content: Some(&checked),
        status: current.status,
        external_id,
        provenance: None,
        at: now(),
    };
    let practice = store_version(&work, &current, version).await?;
    let entry = super::record_change(&work, &practice, Some(&current)).await?;
    super::announce(&work, entry.iter());
    work.commit().await?;
    Ok(practice)
}

/// Moves a practice to another status: DRAFT or ARCHIVED → PUBLISHED; DRAFT or PUBLISHED → ARCHIVED.
pub async fn change_status(
    writer: &Writer,
    viewer: &Viewer,
    id: PracticeId,
    expected_version: Option<i64>,
    status: PracticeStatus,
) -> AppResult<good_practice::Model> {
    let work = UnitOfWork::begin(writer).await?;
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
            message: Message::new(MessageKey::StatusCannotBecome)
                .with("current", format!("{:?}", current.status).to_uppercase())
                .with("wanted", format!("{:?}", status).to_uppercase()),
            field: None,
            current_version: Some(current.version),
        });
    }
    let practice = store_version(&work, &current, NewVersion::of_status(status, now())).await?;
    let entry = super::record_change(&work, &practice, Some(&current)).await?;
    super::announce(&work, entry.iter());
    work.commit().await?;
    Ok(practice)
}

//! Funding programmes: what they are, who funds them, and when they run.

use chrono::NaiveDate;
use dkbm_entity::programme;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::ProgrammeId;
use crate::messages::{Message, MessageKey};
use crate::patch::Patch;
use crate::validate;

/// A new funding programme.
#[derive(Debug, Clone)]
pub struct NewProgramme {
    pub slug: String,
    pub name: String,
    pub funder: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Changes to a programme: `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeChanges {
    pub name: Option<String>,
    pub funder: Option<String>,
    pub description: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub ends_on: Option<Option<NaiveDate>>,
}

/// What a programme says about itself: what creating one checks, and what an update loads,
/// changes and checks again. The slug is not in it: it is the programme's address and never
/// changes.
#[derive(Debug, Clone)]
struct ProgrammeDraft {
    name: String,
    funder: String,
    description: Option<String>,
    website: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
}

impl NewProgramme {
    /// The slug and the draft.
    fn split(self) -> (String, ProgrammeDraft) {
        let draft = ProgrammeDraft {
            name: self.name,
            funder: self.funder,
            description: self.description,
            website: self.website,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        };
        (self.slug, draft)
    }
}

impl Patch<ProgrammeDraft> for ProgrammeChanges {
    fn apply_to(self, draft: &mut ProgrammeDraft) {
        self.name.apply_to(&mut draft.name);
        self.funder.apply_to(&mut draft.funder);
        self.description.apply_to(&mut draft.description);
        self.website.apply_to(&mut draft.website);
        self.starts_on.apply_to(&mut draft.starts_on);
        self.ends_on.apply_to(&mut draft.ends_on);
    }
}

impl From<&programme::Model> for ProgrammeDraft {
    fn from(programme: &programme::Model) -> Self {
        ProgrammeDraft {
            name: programme.name.clone(),
            funder: programme.funder.clone(),
            description: programme.description.clone(),
            website: programme.website.clone(),
            starts_on: programme.starts_on,
            ends_on: programme.ends_on,
        }
    }
}

/// Checks a draft as a whole (the period's ends against each other) and cleans it.
fn check(draft: ProgrammeDraft) -> AppResult<ProgrammeDraft> {
    let checked = ProgrammeDraft {
        name: validate::required_text("input.name", &draft.name, 300)?,
        funder: validate::required_text("input.funder", &draft.funder, 300)?,
        description: validate::optional_text("input.description", draft.description.as_deref(), 10_000)?,
        website: validate::optional_url("input.website", draft.website.as_deref())?,
        starts_on: draft.starts_on,
        ends_on: draft.ends_on,
    };
    validate::period("input.endsOn", checked.starts_on, checked.ends_on)?;
    Ok(checked)
}

/// Sets the row's columns from a checked draft.
fn set_columns(model: &mut programme::ActiveModel, draft: ProgrammeDraft) {
    model.name = Set(draft.name);
    model.funder = Set(draft.funder);
    model.description = Set(draft.description);
    model.website = Set(draft.website);
    model.starts_on = Set(draft.starts_on);
    model.ends_on = Set(draft.ends_on);
}

/// Every programme, by name.
pub async fn list_programmes(db: &impl ConnectionTrait) -> AppResult<Vec<programme::Model>> {
    Ok(programme::Entity::find()
        .order_by_asc(programme::Column::Name)
        .order_by_asc(programme::Column::Id)
        .all(db)
        .await?)
}

/// A programme by slug.
pub async fn programme_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<programme::Model>> {
    Ok(programme::Entity::find()
        .filter(programme::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// A programme by id.
pub async fn programme_by_id(db: &impl ConnectionTrait, id: ProgrammeId) -> AppResult<Option<programme::Model>> {
    Ok(programme::Entity::find_by_id(id).one(db).await?)
}

/// Creates a programme (administrators only).
pub async fn create_programme(writer: &Writer, viewer: &Viewer, input: NewProgramme) -> AppResult<programme::Model> {
    ensure_admin(viewer)?;
    let (slug, draft) = input.split();
    let slug = validate::slug("input.slug", &slug)?;
    let draft = check(draft)?;

    let work = UnitOfWork::begin(writer).await?;
    if programme_by_slug(&work, &slug).await?.is_some() {
        return Err(AppError::conflict(
            "input.slug",
            Message::new(MessageKey::ProgrammeSlugIsTaken).with("slug", slug),
        ));
    }
    let at = now();
    let mut model = programme::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    set_columns(&mut model, draft);
    let model = model
        .insert(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::ProgrammeSlugTaken))?;
    work.commit().await?;
    Ok(model)
}

/// Changes a programme (administrators only): the stored draft with the changes applied, checked
/// like a new one.
pub async fn update_programme(
    writer: &Writer,
    viewer: &Viewer,
    id: ProgrammeId,
    changes: ProgrammeChanges,
) -> AppResult<programme::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    // Locked: the draft is written back whole, so a concurrent change must not slip in between.
    let current = work
        .lock(programme::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::ProgrammeNotFound))?;
    let mut draft = ProgrammeDraft::from(&current);
    changes.apply_to(&mut draft);
    let draft = check(draft)?;
    let mut model: programme::ActiveModel = current.into();
    set_columns(&mut model, draft);
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

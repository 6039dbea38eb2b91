//! Funding programmes and which municipalities take part in them.

use chrono::NaiveDate;
use dkbm_entity::{programme, programme_participation};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::require_municipality;
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
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

/// A municipality joining a programme.
#[derive(Debug, Clone)]
pub struct NewParticipation {
    pub programme_slug: String,
    pub municipality_ags: String,
    pub funding_code: Option<String>,
    pub project_title: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

/// Changes to a participation: `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ParticipationChanges {
    pub funding_code: Option<Option<String>>,
    pub project_title: Option<Option<String>>,
    pub starts_on: Option<Option<NaiveDate>>,
    pub ends_on: Option<Option<NaiveDate>>,
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
pub async fn programme_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<programme::Model>> {
    Ok(programme::Entity::find_by_id(id).one(db).await?)
}

/// A participation by id.
pub async fn participation_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<programme_participation::Model>> {
    Ok(programme_participation::Entity::find_by_id(id).one(db).await?)
}

fn funding_code(value: Option<&str>) -> AppResult<Option<String>> {
    validate::optional_text("input.fundingCode", value, 50)
}

/// Creates a programme (administrators only).
pub async fn create_programme(state: &AppState, viewer: &Viewer, input: NewProgramme) -> AppResult<programme::Model> {
    ensure_admin(viewer)?;
    let slug = validate::slug("input.slug", &input.slug)?;
    let name = validate::required_text("input.name", &input.name, 300)?;
    let funder = validate::required_text("input.funder", &input.funder, 300)?;
    let description = validate::optional_text("input.description", input.description.as_deref(), 10_000)?;
    let website = validate::optional_url("input.website", input.website.as_deref())?;
    validate::period("input.endsOn", input.starts_on, input.ends_on)?;

    let work = UnitOfWork::begin(state).await?;
    if programme_by_slug(&work, &slug).await?.is_some() {
        return Err(AppError::conflict(
            "input.slug",
            format!("the slug \"{slug}\" is taken by another programme"),
        ));
    }
    let at = now();
    let model = programme::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        name: Set(name),
        funder: Set(funder),
        description: Set(description),
        website: Set(website),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.slug", "the slug is taken by another programme"))?;
    work.commit().await?;
    Ok(model)
}

/// Changes a programme (administrators only).
pub async fn update_programme(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: ProgrammeChanges,
) -> AppResult<programme::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(state).await?;
    let current = programme_by_id(&work, id)
        .await?
        .ok_or_else(|| AppError::not_found("no such programme"))?;
    let starts_on = changes.starts_on.unwrap_or(current.starts_on);
    let ends_on = changes.ends_on.unwrap_or(current.ends_on);
    validate::period("input.endsOn", starts_on, ends_on)?;
    let mut model: programme::ActiveModel = current.into();
    if let Some(name) = &changes.name {
        model.name = Set(validate::required_text("input.name", name, 300)?);
    }
    if let Some(funder) = &changes.funder {
        model.funder = Set(validate::required_text("input.funder", funder, 300)?);
    }
    if let Some(description) = &changes.description {
        model.description = Set(validate::optional_text(
            "input.description",
            description.as_deref(),
            10_000,
        )?);
    }
    if let Some(website) = &changes.website {
        model.website = Set(validate::optional_url("input.website", website.as_deref())?);
    }
    model.starts_on = Set(starts_on);
    model.ends_on = Set(ends_on);
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

/// Records that a municipality takes part in a programme (administrators only).
pub async fn add_participation(
    state: &AppState,
    viewer: &Viewer,
    input: NewParticipation,
) -> AppResult<programme_participation::Model> {
    ensure_admin(viewer)?;
    let funding_code = funding_code(input.funding_code.as_deref())?;
    let project_title = validate::optional_text("input.projectTitle", input.project_title.as_deref(), 300)?;
    validate::period("input.endsOn", input.starts_on, input.ends_on)?;

    let work = UnitOfWork::begin(state).await?;
    let programme = programme_by_slug(&work, &input.programme_slug).await?.ok_or_else(|| {
        AppError::bad_input(
            "input.programmeSlug",
            format!("no programme has the slug \"{}\"", input.programme_slug),
        )
    })?;
    let municipality = require_municipality(&work, "input.municipalityAgs", &input.municipality_ags).await?;
    let existing = programme_participation::Entity::find()
        .filter(programme_participation::Column::ProgrammeId.eq(programme.id))
        .filter(programme_participation::Column::MunicipalityId.eq(municipality.id))
        .one(&work)
        .await?;
    if existing.is_some() {
        return Err(AppError::conflict(
            "input.municipalityAgs",
            format!("{} takes part in {} already", municipality.name, programme.name),
        ));
    }
    let at = now();
    let model = programme_participation::ActiveModel {
        id: Set(Uuid::now_v7()),
        programme_id: Set(programme.id),
        municipality_id: Set(municipality.id),
        funding_code: Set(funding_code),
        project_title: Set(project_title),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.municipalityAgs", "the municipality takes part already"))?;
    work.commit().await?;
    Ok(model)
}

/// Changes a participation (administrators only).
pub async fn update_participation(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: ParticipationChanges,
) -> AppResult<programme_participation::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(state).await?;
    let current = participation_by_id(&work, id)
        .await?
        .ok_or_else(|| AppError::not_found("no such participation"))?;
    let starts_on = changes.starts_on.unwrap_or(current.starts_on);
    let ends_on = changes.ends_on.unwrap_or(current.ends_on);
    validate::period("input.endsOn", starts_on, ends_on)?;
    let mut model: programme_participation::ActiveModel = current.into();
    if let Some(code) = &changes.funding_code {
        model.funding_code = Set(funding_code(code.as_deref())?);
    }
    if let Some(title) = &changes.project_title {
        model.project_title = Set(validate::optional_text("input.projectTitle", title.as_deref(), 300)?);
    }
    model.starts_on = Set(starts_on);
    model.ends_on = Set(ends_on);
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

//! Programme participations: which municipalities take part in which funding programme, with
//! funding code, project and period.

use chrono::NaiveDate;
use dkbm_entity::programme_participation;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{programme_by_slug, require_municipality};
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{MunicipalityId, ParticipationId, ProgrammeId};
use crate::messages::{Message, MessageKey};
use crate::patch::Patch;
use crate::validate;

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

/// What a participation says about the funding: what adding one checks, and what an update
/// loads, changes and checks again. Programme and municipality are not in it: they are what the
/// participation is.
#[derive(Debug, Clone)]
struct ParticipationDraft {
    funding_code: Option<String>,
    project_title: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
}

impl NewParticipation {
    /// The programme's slug, the municipality's AGS, and the draft.
    fn split(self) -> (String, String, ParticipationDraft) {
        let draft = ParticipationDraft {
            funding_code: self.funding_code,
            project_title: self.project_title,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        };
        (self.programme_slug, self.municipality_ags, draft)
    }
}

impl Patch<ParticipationDraft> for ParticipationChanges {
    fn apply_to(self, draft: &mut ParticipationDraft) {
        self.funding_code.apply_to(&mut draft.funding_code);
        self.project_title.apply_to(&mut draft.project_title);
        self.starts_on.apply_to(&mut draft.starts_on);
        self.ends_on.apply_to(&mut draft.ends_on);
    }
}

impl From<&programme_participation::Model> for ParticipationDraft {
    fn from(participation: &programme_participation::Model) -> Self {
        ParticipationDraft {
            funding_code: participation.funding_code.clone(),
            project_title: participation.project_title.clone(),
            starts_on: participation.starts_on,
            ends_on: participation.ends_on,
        }
    }
}

/// Checks a draft as a whole (the period's ends against each other) and cleans it.
fn check(draft: ParticipationDraft) -> AppResult<ParticipationDraft> {
    let checked = ParticipationDraft {
        funding_code: validate::optional_text("input.fundingCode", draft.funding_code.as_deref(), 50)?,
        project_title: validate::optional_text("input.projectTitle", draft.project_title.as_deref(), 300)?,
        starts_on: draft.starts_on,
        ends_on: draft.ends_on,
    };
    validate::period("input.endsOn", checked.starts_on, checked.ends_on)?;
    Ok(checked)
}

/// Sets the row's columns from a checked draft.
fn set_columns(model: &mut programme_participation::ActiveModel, draft: ParticipationDraft) {
    model.funding_code = Set(draft.funding_code);
    model.project_title = Set(draft.project_title);
    model.starts_on = Set(draft.starts_on);
    model.ends_on = Set(draft.ends_on);
}

/// A participation by id.
pub async fn participation_by_id(
    db: &impl ConnectionTrait,
    id: ParticipationId,
) -> AppResult<Option<programme_participation::Model>> {
    Ok(programme_participation::Entity::find_by_id(id).one(db).await?)
}

/// Records that a municipality takes part in a programme (administrators only).
pub async fn add_participation(
    writer: &Writer,
    viewer: &Viewer,
    input: NewParticipation,
) -> AppResult<programme_participation::Model> {
    ensure_admin(viewer)?;
    let (programme_slug, municipality_ags, draft) = input.split();
    let draft = check(draft)?;

    let work = UnitOfWork::begin(writer).await?;
    let programme = programme_by_slug(&work, &programme_slug).await?.ok_or_else(|| {
        AppError::bad_input(
            "input.programmeSlug",
            Message::new(MessageKey::NoSuchProgramme).with("slug", &programme_slug),
        )
    })?;
    let municipality = require_municipality(&work, "input.municipalityAgs", &municipality_ags).await?;
    let existing = programme_participation::Entity::find()
        .filter(programme_participation::Column::ProgrammeId.eq(programme.id))
        .filter(programme_participation::Column::MunicipalityId.eq(municipality.id))
        .one(&work)
        .await?;
    if existing.is_some() {
        return Err(AppError::conflict(
            "input.municipalityAgs",
            Message::new(MessageKey::TakesPartAlready)
                .with("municipality", &municipality.name)
                .with("programme", &programme.name),
        ));
    }
    let at = now();
    let mut model = programme_participation::ActiveModel {
        id: Set(Uuid::now_v7()),
        programme_id: Set(programme.id),
        municipality_id: Set(municipality.id),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    set_columns(&mut model, draft);
    let model = model
        .insert(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.municipalityAgs", MessageKey::AlreadyTakesPart))?;
    work.commit().await?;
    Ok(model)
}

/// Changes a participation (administrators only): the stored draft with the changes applied,
/// checked like a new one.
pub async fn update_participation(
    writer: &Writer,
    viewer: &Viewer,
    id: ParticipationId,
    changes: ParticipationChanges,
) -> AppResult<programme_participation::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    // Locked: the draft is written back whole, so a concurrent change must not slip in between.
    let current = work
        .lock(programme_participation::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchParticipation))?;
    let mut draft = ParticipationDraft::from(&current);
    changes.apply_to(&mut draft);
    let draft = check(draft)?;
    let mut model: programme_participation::ActiveModel = current.into();
    set_columns(&mut model, draft);
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

/// The municipalities taking part in these programmes on `on` (a participation without an end,
/// or ending that day or later), by programme: one statement.
pub async fn programme_municipalities(
    db: &impl ConnectionTrait,
    programmes: &[ProgrammeId],
    on: NaiveDate,
) -> Result<Vec<(ProgrammeId, MunicipalityId)>, sea_orm::DbErr> {
    use programme_participation::Column;
    if programmes.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid)> = programme_participation::Entity::find()
        .select_only()
        .column(Column::ProgrammeId)
        .column(Column::MunicipalityId)
        .filter(Column::ProgrammeId.is_in(programmes.iter().copied()))
        .filter(
            sea_orm::Condition::any()
                .add(Column::EndsOn.is_null())
                .add(Column::EndsOn.gte(on)),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(p, m)| (p.into(), m.into())).collect())
}

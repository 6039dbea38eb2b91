//! Creating and changing municipalities: the AGS checked against kind and state, the slug
//! derived from the name, and the name's search tokens kept in step.

use dkbm_entity::{MunicipalityKind, State, municipality, municipality_name_token};
use sea_orm::{ActiveEnum, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{municipality_by_ags, municipality_by_slug};
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::{Directory, MunicipalityChange};
use crate::error::{AppError, AppResult};
use crate::ids::{MunicipalityId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::patch::Patch;
use crate::text::{fold, fold_words, slugify};
use crate::validate;

/// A new municipality.
#[derive(Debug, Clone)]
pub struct NewMunicipality {
    pub ags: String,
    pub name: String,
    pub kind: MunicipalityKind,
    pub state: State,
    /// Defaults to the slugified name.
    pub slug: Option<String>,
    pub population: Option<i64>,
    pub website: Option<String>,
    pub education_office: Option<String>,
}

/// Changes to a municipality: `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct MunicipalityChanges {
    pub ags: Option<String>,
    pub name: Option<String>,
    pub kind: Option<MunicipalityKind>,
    pub state: Option<State>,
    pub population: Option<Option<i64>>,
    pub website: Option<Option<String>>,
    pub education_office: Option<Option<String>>,
}

/// What a municipality says about itself: what creating one checks, and what an update loads,
/// changes and checks again. The slug is not in it: it is the municipality's address and never
/// changes (not even with the name).
#[derive(Debug, Clone)]
struct MunicipalityDraft {
    ags: String,
    name: String,
    kind: MunicipalityKind,
    state: State,
    population: Option<i64>,
    website: Option<String>,
    education_office: Option<String>,
}

impl NewMunicipality {
    /// The wanted slug, if any, and the draft.
    fn split(self) -> (Option<String>, MunicipalityDraft) {
        let draft = MunicipalityDraft {
            ags: self.ags,
            name: self.name,
            kind: self.kind,
            state: self.state,
            population: self.population,
            website: self.website,
            education_office: self.education_office,
        };
        (self.slug, draft)
    }
}

impl Patch<MunicipalityDraft> for MunicipalityChanges {
    fn apply_to(self, draft: &mut MunicipalityDraft) {
        self.ags.apply_to(&mut draft.ags);
        self.name.apply_to(&mut draft.name);
        self.kind.apply_to(&mut draft.kind);
        self.state.apply_to(&mut draft.state);
        self.population.apply_to(&mut draft.population);
        self.website.apply_to(&mut draft.website);
        self.education_office.apply_to(&mut draft.education_office);
    }
}

impl From<&municipality::Model> for MunicipalityDraft {
    fn from(municipality: &municipality::Model) -> Self {
        MunicipalityDraft {
            ags: municipality.ags.clone(),
            name: municipality.name.clone(),
            kind: municipality.kind,
            state: municipality.state,
            population: municipality.population,
            website: municipality.website.clone(),
            education_office: municipality.education_office.clone(),
        }
    }
}

/// Checks an AGS against the kind and state of its municipality: as many digits as its kind's
/// key has ([`super::key_length`]), the first two the state's key.
pub fn check_ags(field: &str, ags: &str, kind: MunicipalityKind, state: State) -> AppResult<String> {
    let ags = ags.trim();
    let expected_len = super::key_length(kind);
    if ags.len() != expected_len || !ags.bytes().all(|b| b.is_ascii_digit()) {
        let key = match expected_len {
            8 => MessageKey::AgsLengthTown,
            5 => MessageKey::AgsLengthDistrict,
            _ => MessageKey::AgsLengthPlace,
        };
        let message = Message::new(key)
            .with("length", expected_len)
            .with("ags", ags)
            .with("kind", kind.to_value());
        return Err(AppError::bad_input(field, message));
    }
    if !ags.starts_with(state.ags_prefix()) {
        let message = Message::new(MessageKey::AgsPrefix)
            .with("state", state.code())
            .with("prefix", state.ags_prefix())
            .with("ags", ags);
        return Err(AppError::bad_input(field, message));
    }
    Ok(ags.to_owned())
}

fn check_population(value: Option<i64>) -> AppResult<Option<i64>> {
    match value {
        Some(n) if n < 0 => Err(AppError::bad_input("input.population", MessageKey::PopulationNegative)),
        other => Ok(other),
    }
}

/// Checks a draft as a whole and cleans it. AGS, kind and state are checked together; a wrong
/// AGS is reported on `ags_field` (an update that leaves the AGS as it is and changes the kind
/// or state hears that the state does not fit: `input.state`).
fn check(draft: MunicipalityDraft, ags_field: &str) -> AppResult<MunicipalityDraft> {
    Ok(MunicipalityDraft {
        ags: check_ags(ags_field, &draft.ags, draft.kind, draft.state)?,
        name: validate::required_text("input.name", &draft.name, 300)?,
        kind: draft.kind,
        state: draft.state,
        population: check_population(draft.population)?,
        website: validate::optional_url("input.website", draft.website.as_deref())?,
        education_office: validate::optional_text("input.educationOffice", draft.education_office.as_deref(), 300)?,
    })
}

/// The slug of a new municipality: the one wanted, or else the slugified name.
fn new_slug(wanted: Option<&str>, name: &str) -> AppResult<String> {
    match wanted {
        Some(slug) => validate::slug("input.slug", slug),
        None => validate::slug("input.slug", &slugify(name)),
    }
}

/// Sets the row's columns from a checked draft (the name's tokens live in their own table).
fn set_columns(model: &mut municipality::ActiveModel, draft: &MunicipalityDraft) {
    model.ags = Set(draft.ags.clone());
    model.name_sort = Set(fold(&draft.name));
    model.name = Set(draft.name.clone());
    model.kind = Set(draft.kind);
    model.state = Set(draft.state);
    model.population = Set(draft.population);
    model.website = Set(draft.website.clone());
    model.education_office = Set(draft.education_office.clone());
}

/// CONFLICT on `input.ags` if another municipality has this AGS.
async fn ensure_ags_free(db: &impl ConnectionTrait, ags: &str) -> AppResult<()> {
    if municipality_by_ags(db, ags).await?.is_some() {
        return Err(AppError::conflict(
            "input.ags",
            Message::new(MessageKey::AgsExists).with("ags", ags),
        ));
    }
    Ok(())
}

async fn replace_name_tokens(db: &impl ConnectionTrait, municipality_id: MunicipalityId, name: &str) -> AppResult<()> {
    write_name_tokens(db, &[(municipality_id.uuid(), name.to_owned())]).await
}

/// How many places' tokens one statement writes.
const TOKEN_CHUNK: usize = 500;

/// Replaces the name search tokens of these places (new or renamed), a few statements per
/// five hundred places: the words of the name, folded, once each.
pub async fn write_name_tokens(db: &impl ConnectionTrait, places: &[(Uuid, String)]) -> AppResult<()> {
    for chunk in places.chunks(TOKEN_CHUNK) {
        municipality_name_token::Entity::delete_many()
            .filter(municipality_name_token::Column::MunicipalityId.is_in(chunk.iter().map(|(id, _)| *id)))
            .exec(db)
            .await?;
        let mut tokens = Vec::new();
        for (id, name) in chunk {
            let mut words = fold_words(name);
            words.sort();
            words.dedup();
            words.retain(|token| token.len() <= 100);
            tokens.extend(words.into_iter().map(|token| municipality_name_token::ActiveModel {
                token: Set(token),
                municipality_id: Set(*id),
            }));
        }
        for part in tokens.chunks(TOKEN_CHUNK * 2) {
            municipality_name_token::Entity::insert_many(part.to_vec())
                .exec_without_returning(db)
                .await?;
        }
    }
    Ok(())
}

/// Creates a municipality (administrators only).
pub async fn create_municipality(
    writer: &Writer,
    viewer: &Viewer,
    input: NewMunicipality,
) -> AppResult<municipality::Model> {
    ensure_admin(viewer)?;
    let (wanted_slug, draft) = input.split();
    let draft = check(draft, "input.ags")?;
    let slug = new_slug(wanted_slug.as_deref(), &draft.name)?;

    let work = UnitOfWork::begin(writer).await?;
    ensure_ags_free(&work, &draft.ags).await?;
    if municipality_by_slug(&work, &slug).await?.is_some() {
        return Err(AppError::conflict(
            "input.slug",
            Message::new(MessageKey::MunicipalitySlugIsTaken).with("slug", slug),
        ));
    }
    let at = now();
    let mut model = municipality::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    set_columns(&mut model, &draft);
    let model = model
        .insert(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.ags", MessageKey::AgsOrSlugTaken))?;
    replace_name_tokens(&work, model.id.into(), &draft.name).await?;
    work.commit().await?;
    Ok(model)
}

/// Changes a municipality (administrators only): the stored draft with the changes applied,
/// checked like a new one, so AGS, kind and state are checked together. The areas that keep
/// something derived from a municipality hear of the change through `directory`, inside the
/// change's unit of work.
pub async fn update_municipality(
    writer: &Writer,
    directory: &Directory,
    viewer: &Viewer,
    id: MunicipalityId,
    changes: MunicipalityChanges,
) -> AppResult<municipality::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    // Locked: the draft is written back whole, so a concurrent change must not slip in between.
    let current = work
        .lock(municipality::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::MunicipalityNotFound))?;
    let ags_field = if changes.ags.is_some() {
        "input.ags"
    } else {
        "input.state"
    };
    let mut draft = MunicipalityDraft::from(&current);
    changes.apply_to(&mut draft);
    let draft = check(draft, ags_field)?;
    if draft.ags != current.ags {
        ensure_ags_free(&work, &draft.ags).await?;
    }
    let (name_before, state_before, kind_before) = (current.name.clone(), current.state, current.kind);
    let mut model: municipality::ActiveModel = current.into();
    set_columns(&mut model, &draft);
    model.updated_at = Set(now());
    let model = model
        .update(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.ags", MessageKey::AgsTaken))?;
    if draft.name != name_before {
        replace_name_tokens(&work, id, &draft.name).await?;
    }
    let change = MunicipalityChange {
        id,
        state_changed: draft.state != state_before,
        kind_changed: draft.kind != kind_before,
    };
    // What the areas above derived from the municipality's state or kind (counts per state,
    // comparisons within a kind) is stale now; the name is the directory's own.
    if change.state_changed || change.kind_changed {
        directory.municipality_changed(&work, &change).await?;
    }
    work.commit().await?;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ags_rules() {
        assert!(check_ags("ags", "05512000", MunicipalityKind::KreisfreieStadt, State::Nw).is_ok());
        assert!(check_ags("ags", "15083", MunicipalityKind::Kreis, State::St).is_ok());
        assert!(check_ags("ags", "15083", MunicipalityKind::KreisfreieStadt, State::St).is_err());
        assert!(check_ags("ags", "05512000", MunicipalityKind::KreisfreieStadt, State::St).is_err());
        assert!(check_ags("ags", "0551200x", MunicipalityKind::KreisfreieStadt, State::Nw).is_err());
    }
}

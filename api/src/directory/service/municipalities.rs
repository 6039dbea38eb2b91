//! Municipalities (Kommunen): validated by their AGS, found by name prefix, state, kind,
//! programme and agreement.

use dkbm_entity::{MunicipalityKind, State, agreement, municipality, municipality_name_token, programme_participation};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::{Direction, programme_by_slug, require_agency};
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::state::AppState;
use crate::text::{fold, fold_words, slugify};
use crate::validate;

/// Filters of the municipality list.
#[derive(Debug, Clone, Default)]
pub struct MunicipalityFilter {
    pub state: Option<State>,
    pub kind: Option<MunicipalityKind>,
    /// Name search: every word is a prefix of a word of the name, case- and umlaut-insensitive.
    pub search: Option<String>,
    /// Municipalities taking part in the programme with this slug.
    pub programme: Option<String>,
    /// Municipalities with an agreement with the agency of this slug.
    pub agreement_with: Option<String>,
}

/// Orderings of the municipality list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MunicipalityOrderField {
    #[default]
    Name,
    Ags,
    /// Unknown population sorts as the smallest.
    Population,
    CreatedAt,
}

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

/// The longest search accepted, in words; more words only narrow further and cost a subquery each.
const MAX_SEARCH_WORDS: usize = 6;

fn keyset(order: MunicipalityOrderField, direction: Direction) -> Keyset {
    let (name, first) = match order {
        MunicipalityOrderField::Name => ("NAME", (Expr::col(municipality::Column::NameSort), KeyKind::Str)),
        MunicipalityOrderField::Ags => ("AGS", (Expr::col(municipality::Column::Ags), KeyKind::Str)),
        MunicipalityOrderField::Population => (
            "POPULATION",
            (
                Expr::expr(Func::coalesce([
                    Expr::col(municipality::Column::Population),
                    Expr::val(-1i64),
                ])),
                KeyKind::Int,
            ),
        ),
        MunicipalityOrderField::CreatedAt => (
            "CREATED_AT",
            (Expr::col(municipality::Column::CreatedAt), KeyKind::Time),
        ),
    };
    Keyset {
        name: format!("municipality:{name}:{direction:?}"),
        keys: vec![first, (Expr::col(municipality::Column::Id), KeyKind::Uuid)],
        descending: direction.is_desc(),
    }
}

fn sort_key(row: &municipality::Model, order: MunicipalityOrderField) -> Vec<Key> {
    let first = match order {
        MunicipalityOrderField::Name => Key::Str(row.name_sort.clone()),
        MunicipalityOrderField::Ags => Key::Str(row.ags.clone()),
        MunicipalityOrderField::Population => Key::Int(row.population.unwrap_or(-1)),
        MunicipalityOrderField::CreatedAt => Key::Time(row.created_at),
    };
    vec![first, Key::Uuid(row.id)]
}

/// A page of municipalities.
pub async fn list_municipalities(
    db: &DatabaseConnection,
    filter: &MunicipalityFilter,
    order: MunicipalityOrderField,
    direction: Direction,
    page: &PageArgs,
) -> AppResult<Page<municipality::Model>> {
    let mut select = municipality::Entity::find();
    if let Some(state) = filter.state {
        select = select.filter(municipality::Column::State.eq(state));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(municipality::Column::Kind.eq(kind));
    }
    if let Some(search) = &filter.search {
        validate::max_chars("filter.search", search, 200)?;
        // Each word must start a word of the name: an index range scan over the name tokens.
        // Tokens are [a-z0-9]+, and '~' sorts after all of them.
        for word in fold_words(search).into_iter().take(MAX_SEARCH_WORDS) {
            let upper = format!("{word}~");
            select = select.filter(
                municipality::Column::Id.in_subquery(
                    Query::select()
                        .column(municipality_name_token::Column::MunicipalityId)
                        .from(municipality_name_token::Entity)
                        .and_where(municipality_name_token::Column::Token.gte(word))
                        .and_where(municipality_name_token::Column::Token.lt(upper))
                        .to_owned(),
                ),
            );
        }
    }
    if let Some(slug) = &filter.programme {
        let programme = programme_by_slug(db, slug)
            .await?
            .ok_or_else(|| AppError::bad_input("filter.programme", format!("no programme has the slug \"{slug}\"")))?;
        select = select.filter(
            municipality::Column::Id.in_subquery(
                Query::select()
                    .column(programme_participation::Column::MunicipalityId)
                    .from(programme_participation::Entity)
                    .and_where(programme_participation::Column::ProgrammeId.eq(programme.id))
                    .to_owned(),
            ),
        );
    }
    if let Some(slug) = &filter.agreement_with {
        let agency = require_agency(db, "filter.agreementWith", slug).await?;
        select = select.filter(
            municipality::Column::Id.in_subquery(
                Query::select()
                    .column(agreement::Column::MunicipalityId)
                    .from(agreement::Entity)
                    .and_where(agreement::Column::AgencyId.eq(agency.id))
                    .and_where(Expr::col(agreement::Column::MunicipalityId).is_not_null())
                    .to_owned(),
            ),
        );
    }
    let total = TotalCount::of(db, &select);
    let keyset = keyset(order, direction);
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |row| sort_key(row, order)))
}

/// A municipality by AGS.
pub async fn municipality_by_ags(db: &impl ConnectionTrait, ags: &str) -> AppResult<Option<municipality::Model>> {
    Ok(municipality::Entity::find()
        .filter(municipality::Column::Ags.eq(ags.trim()))
        .one(db)
        .await?)
}

/// A municipality by slug.
pub async fn municipality_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<municipality::Model>> {
    Ok(municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// A municipality by id.
pub async fn municipality_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<municipality::Model>> {
    Ok(municipality::Entity::find_by_id(id).one(db).await?)
}

/// A municipality that an input names by AGS; BAD_USER_INPUT on `field` if there is none.
pub async fn require_municipality(db: &impl ConnectionTrait, field: &str, ags: &str) -> AppResult<municipality::Model> {
    municipality_by_ags(db, ags)
        .await?
        .ok_or_else(|| AppError::bad_input(field, format!("no municipality has the AGS \"{}\"", ags.trim())))
}

/// Checks an AGS against the kind and state of its municipality: 8 digits, 5 for a district
/// (Kreis) or region, the first two digits the state's key.
pub fn check_ags(field: &str, ags: &str, kind: MunicipalityKind, state: State) -> AppResult<String> {
    let ags = ags.trim();
    let expected_len = match kind {
        MunicipalityKind::Kreis | MunicipalityKind::Region => 5,
        MunicipalityKind::KreisfreieStadt | MunicipalityKind::KreisangehoerigeGemeinde => 8,
    };
    if ags.len() != expected_len || !ags.bytes().all(|b| b.is_ascii_digit()) {
        let what = if expected_len == 5 {
            "a district or region"
        } else {
            "a city or town"
        };
        return Err(AppError::bad_input(
            field,
            format!("the AGS of {what} has exactly {expected_len} digits (got \"{ags}\")"),
        ));
    }
    if !ags.starts_with(state.ags_prefix()) {
        return Err(AppError::bad_input(
            field,
            format!(
                "an AGS in {} starts with {} (got \"{ags}\")",
                state.code(),
                state.ags_prefix()
            ),
        ));
    }
    Ok(ags.to_owned())
}

async fn replace_name_tokens(db: &impl ConnectionTrait, municipality_id: Uuid, name: &str) -> AppResult<()> {
    municipality_name_token::Entity::delete_many()
        .filter(municipality_name_token::Column::MunicipalityId.eq(municipality_id))
        .exec(db)
        .await?;
    let mut tokens = fold_words(name);
    tokens.sort();
    tokens.dedup();
    tokens.retain(|token| token.len() <= 100);
    if !tokens.is_empty() {
        municipality_name_token::Entity::insert_many(tokens.into_iter().map(|token| {
            municipality_name_token::ActiveModel {
                token: Set(token),
                municipality_id: Set(municipality_id),
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

fn check_population(value: Option<i64>) -> AppResult<Option<i64>> {
    match value {
        Some(n) if n < 0 => Err(AppError::bad_input(
            "input.population",
            "population must not be negative",
        )),
        other => Ok(other),
    }
}

/// Creates a municipality (administrators only).
pub async fn create_municipality(
    state: &AppState,
    viewer: &Viewer,
    input: NewMunicipality,
) -> AppResult<municipality::Model> {
    ensure_admin(viewer)?;
    let ags = check_ags("input.ags", &input.ags, input.kind, input.state)?;
    let name = validate::required_text("input.name", &input.name, 300)?;
    let slug = match &input.slug {
        Some(slug) => validate::slug("input.slug", slug)?,
        None => validate::slug("input.slug", &slugify(&name))?,
    };
    let population = check_population(input.population)?;
    let website = validate::optional_url("input.website", input.website.as_deref())?;
    let education_office = validate::optional_text("input.educationOffice", input.education_office.as_deref(), 300)?;

    let work = UnitOfWork::begin(state).await?;
    if municipality_by_ags(&work, &ags).await?.is_some() {
        return Err(AppError::conflict(
            "input.ags",
            format!("a municipality with the AGS {ags} exists already"),
        ));
    }
    if municipality_by_slug(&work, &slug).await?.is_some() {
        return Err(AppError::conflict(
            "input.slug",
            format!("the slug \"{slug}\" is taken; give another slug in input.slug"),
        ));
    }
    let at = now();
    let model = municipality::ActiveModel {
        id: Set(Uuid::now_v7()),
        ags: Set(ags),
        slug: Set(slug),
        name_sort: Set(fold(&name)),
        name: Set(name.clone()),
        kind: Set(input.kind),
        state: Set(input.state),
        population: Set(population),
        website: Set(website),
        education_office: Set(education_office),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.ags", "the AGS or slug exists already"))?;
    replace_name_tokens(&work, model.id, &name).await?;
    work.commit().await?;
    Ok(model)
}

/// Changes a municipality (administrators only). AGS, kind and state are checked together.
pub async fn update_municipality(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: MunicipalityChanges,
) -> AppResult<municipality::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(state).await?;
    let current = municipality_by_id(&work, id)
        .await?
        .ok_or_else(|| AppError::not_found("no such municipality"))?;
    let kind = changes.kind.unwrap_or(current.kind);
    let state_before = current.state;
    let state = changes.state.unwrap_or(current.state);
    let ags_field = if changes.ags.is_some() {
        "input.ags"
    } else {
        "input.state"
    };
    let ags = check_ags(ags_field, changes.ags.as_deref().unwrap_or(&current.ags), kind, state)?;
    if ags != current.ags && municipality_by_ags(&work, &ags).await?.is_some() {
        return Err(AppError::conflict(
            "input.ags",
            format!("a municipality with the AGS {ags} exists already"),
        ));
    }
    let mut model: municipality::ActiveModel = current.into();
    model.ags = Set(ags);
    model.kind = Set(kind);
    model.state = Set(state);
    let renamed = match &changes.name {
        Some(name) => {
            let name = validate::required_text("input.name", name, 300)?;
            model.name_sort = Set(fold(&name));
            model.name = Set(name.clone());
            Some(name)
        }
        None => None,
    };
    if let Some(population) = changes.population {
        model.population = Set(check_population(population)?);
    }
    if let Some(website) = &changes.website {
        model.website = Set(validate::optional_url("input.website", website.as_deref())?);
    }
    if let Some(office) = &changes.education_office {
        model.education_office = Set(validate::optional_text(
            "input.educationOffice",
            office.as_deref(),
            300,
        )?);
    }
    model.updated_at = Set(now());
    let model = model
        .update(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.ags", "the AGS exists already"))?;
    if let Some(name) = renamed {
        replace_name_tokens(&work, id, &name).await?;
    }
    if model.state != state_before {
        // Good practices count per state of their municipalities.
        crate::practices::service::refresh_state_masks(&work, id).await?;
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

//! Municipalities (Kommunen): found by name prefix, state, kind, programme and agreement, by AGS
//! and by slug. Creating and changing them (their AGS checked against kind and state) is in
//! `write`.

mod levels;
mod write;

pub use levels::*;
pub use write::*;

use dkbm_entity::{MunicipalityKind, State, agreement, municipality, municipality_name_token, programme_participation};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{Direction, programme_by_slug, require_agency};
use crate::error::{AppError, AppResult};
use crate::ids::MunicipalityId;
use crate::messages::{Message, MessageKey};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::text::fold_words;
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
    /// Places whose AGS starts with these digits (`"05"`: North Rhine-Westphalia).
    pub within: Option<String>,
    /// Places at this level of the hierarchy.
    pub level: Option<PlaceLevel>,
    /// The places directly below this one.
    pub parent: Option<MunicipalityId>,
    /// Retired places too (merged, split, renamed or rekeyed away); without it only current ones.
    pub include_retired: bool,
}

/// The digits a `within` filter takes: 1 to 9 of them.
fn check_within(within: &str) -> AppResult<&str> {
    let within = within.trim();
    if within.is_empty() || within.len() > 9 || !within.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::bad_input(
            "filter.within",
            Message::new(MessageKey::WithinDigits).with("within", within),
        ));
    }
    Ok(within)
}

/// Only places current today: not retired, or retired on a day still to come.
pub fn current_places() -> sea_orm::Condition {
    let today = chrono::Utc::now().date_naive();
    sea_orm::Condition::any()
        .add(municipality::Column::ValidUntil.is_null())
        .add(municipality::Column::ValidUntil.gte(today))
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

/// The list narrowed by where places sit: AGS prefix, level, parent, and current or not.
fn in_the_hierarchy(
    mut select: sea_orm::Select<municipality::Entity>,
    filter: &MunicipalityFilter,
) -> AppResult<sea_orm::Select<municipality::Entity>> {
    if let Some(within) = &filter.within {
        // An index range over the AGS; '~' sorts after every digit.
        let within = check_within(within)?;
        select = select
            .filter(municipality::Column::Ags.gte(within))
            .filter(municipality::Column::Ags.lt(format!("{within}~")));
    }
    if let Some(level) = filter.level {
        select = select.filter(municipality::Column::Kind.is_in(level.kinds().iter().copied()));
    }
    if let Some(parent) = filter.parent {
        select = select.filter(municipality::Column::ParentId.eq(parent));
    }
    if !filter.include_retired {
        select = select.filter(current_places());
    }
    Ok(select)
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
    select = in_the_hierarchy(select, filter)?;
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
        let programme = programme_by_slug(db, slug).await?.ok_or_else(|| {
            AppError::bad_input(
                "filter.programme",
                Message::new(MessageKey::NoSuchProgramme).with("slug", slug),
            )
        })?;
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

/// A place by its key, retired or not. A 5-digit district key also finds the kreisfreie Stadt
/// whose AGS is that key followed by `000` (`05512` is Bottrop, `05512000`).
pub async fn municipality_by_ags(db: &impl ConnectionTrait, ags: &str) -> AppResult<Option<municipality::Model>> {
    let ags = ags.trim();
    let mut keys = vec![ags.to_owned()];
    if ags.len() == 5 {
        keys.push(format!("{ags}000"));
    }
    let mut rows = municipality::Entity::find()
        .filter(municipality::Column::Ags.is_in(keys))
        .all(db)
        .await?;
    // The exact key first; the city only as the district key's stand-in.
    rows.sort_by_key(|row| row.ags.len());
    Ok(rows
        .into_iter()
        .find(|row| row.ags == ags || row.kind == MunicipalityKind::KreisfreieStadt))
}

/// A municipality by slug.
pub async fn municipality_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<municipality::Model>> {
    Ok(municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// A municipality by id.
pub async fn municipality_by_id(
    db: &impl ConnectionTrait,
    id: MunicipalityId,
) -> AppResult<Option<municipality::Model>> {
    Ok(municipality::Entity::find_by_id(id).one(db).await?)
}

/// A municipality that an input names by AGS; BAD_USER_INPUT on `field` if there is none.
pub async fn require_municipality(db: &impl ConnectionTrait, field: &str, ags: &str) -> AppResult<municipality::Model> {
    municipality_by_ags(db, ags).await?.ok_or_else(|| {
        AppError::bad_input(
            field,
            Message::new(MessageKey::NoSuchMunicipality).with("ags", ags.trim()),
        )
    })
}

/// The places an input names by AGS (one statement; a 5-digit district key also finds its
/// kreisfreie Stadt, as [`municipality_by_ags`]), each once; BAD_USER_INPUT on `field` naming
/// the first unknown one.
pub async fn require_municipalities(
    db: &impl ConnectionTrait,
    field: &str,
    ags_list: &[String],
) -> AppResult<Vec<municipality::Model>> {
    let wanted: Vec<&str> = ags_list.iter().map(|ags| ags.trim()).collect();
    let keys: Vec<String> = wanted
        .iter()
        .flat_map(|ags| {
            let stand_in = (ags.len() == 5).then(|| format!("{ags}000"));
            std::iter::once((*ags).to_owned()).chain(stand_in)
        })
        .collect();
    let rows = municipality::Entity::find()
        .filter(municipality::Column::Ags.is_in(keys))
        .all(db)
        .await?;
    let mut found: Vec<municipality::Model> = Vec::with_capacity(wanted.len());
    for ags in wanted {
        let exact = rows.iter().find(|row| row.ags == ags);
        let stand_in = || {
            rows.iter()
                .find(|row| row.kind == MunicipalityKind::KreisfreieStadt && row.ags == format!("{ags}000"))
        };
        let Some(place) = exact.or_else(stand_in) else {
            return Err(AppError::bad_input(
                field,
                Message::new(MessageKey::NoSuchMunicipality).with("ags", ags),
            ));
        };
        if found.iter().all(|known| known.id != place.id) {
            found.push(place.clone());
        }
    }
    Ok(found)
}

//! Agencies: who they are, which states they serve, who carries them.

use dkbm_entity::{AgencyKind, State, agency, agency_state};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

use super::Direction;
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::state::AppState;
use crate::text::fold;
use crate::validate;

/// Filters of the agency list.
#[derive(Debug, Clone, Default)]
pub struct AgencyFilter {
    pub kind: Option<AgencyKind>,
    /// Agencies serving this state.
    pub state: Option<State>,
}

/// Orderings of the agency list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AgencyOrderField {
    #[default]
    Name,
    CreatedAt,
}

/// A new agency.
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub slug: String,
    pub name: String,
    pub kind: AgencyKind,
    pub description: Option<String>,
    pub website: Option<String>,
    pub carrier_slug: Option<String>,
    pub carrier_name: Option<String>,
    pub states_served: Vec<State>,
}

/// Changes to an agency: `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct AgencyChanges {
    pub name: Option<String>,
    pub kind: Option<AgencyKind>,
    pub description: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub carrier_slug: Option<Option<String>>,
    pub carrier_name: Option<Option<String>>,
    pub states_served: Option<Vec<State>>,
}

fn keyset(order: AgencyOrderField, direction: Direction) -> Keyset {
    let (name, first) = match order {
        AgencyOrderField::Name => ("NAME", (Expr::col(agency::Column::NameSort), KeyKind::Str)),
        AgencyOrderField::CreatedAt => ("CREATED_AT", (Expr::col(agency::Column::CreatedAt), KeyKind::Time)),
    };
    Keyset {
        name: format!("agency:{name}:{direction:?}"),
        keys: vec![first, (Expr::col(agency::Column::Id), KeyKind::Uuid)],
        descending: direction.is_desc(),
    }
}

/// A page of agencies.
pub async fn list_agencies(
    db: &DatabaseConnection,
    filter: &AgencyFilter,
    order: AgencyOrderField,
    direction: Direction,
    page: &PageArgs,
) -> AppResult<Page<agency::Model>> {
    let mut select = agency::Entity::find();
    if let Some(kind) = filter.kind {
        select = select.filter(agency::Column::Kind.eq(kind));
    }
    if let Some(state) = filter.state {
        select = select.filter(
            agency::Column::Id.in_subquery(
                Query::select()
                    .column(agency_state::Column::AgencyId)
                    .from(agency_state::Entity)
                    .and_where(agency_state::Column::State.eq(state))
                    .to_owned(),
            ),
        );
    }
    let total = TotalCount::of(db, &select);
    let keyset = keyset(order, direction);
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |row| {
        let first = match order {
            AgencyOrderField::Name => Key::Str(row.name_sort.clone()),
            AgencyOrderField::CreatedAt => Key::Time(row.created_at),
        };
        vec![first, Key::Uuid(row.id)]
    }))
}

/// An agency by slug.
pub async fn agency_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<agency::Model>> {
    Ok(agency::Entity::find()
        .filter(agency::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// An agency by id.
pub async fn agency_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<agency::Model>> {
    Ok(agency::Entity::find_by_id(id).one(db).await?)
}

/// An agency that an input names by slug; BAD_USER_INPUT on `field` if there is none.
pub async fn require_agency(db: &impl ConnectionTrait, field: &str, slug: &str) -> AppResult<agency::Model> {
    agency_by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::bad_input(field, format!("no agency has the slug \"{}\"", slug.trim())))
}

async fn carrier_id(
    db: &impl ConnectionTrait,
    carrier_slug: Option<&str>,
    own_id: Option<Uuid>,
) -> AppResult<Option<Uuid>> {
    let Some(slug) = carrier_slug.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let carrier = require_agency(db, "input.carrierSlug", slug).await?;
    if Some(carrier.id) == own_id {
        return Err(AppError::bad_input(
            "input.carrierSlug",
            "an agency cannot carry itself",
        ));
    }
    Ok(Some(carrier.id))
}

async fn replace_states(db: &impl ConnectionTrait, agency_id: Uuid, states: &[State]) -> AppResult<()> {
    agency_state::Entity::delete_many()
        .filter(agency_state::Column::AgencyId.eq(agency_id))
        .exec(db)
        .await?;
    let mut unique = states.to_vec();
    unique.sort_by_key(|state| state.ags_prefix());
    unique.dedup();
    if !unique.is_empty() {
        agency_state::Entity::insert_many(unique.into_iter().map(|state| agency_state::ActiveModel {
            agency_id: Set(agency_id),
            state: Set(state),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Creates an agency (administrators only).
pub async fn create_agency(state: &AppState, viewer: &Viewer, input: NewAgency) -> AppResult<agency::Model> {
    ensure_admin(viewer)?;
    let slug = validate::slug("input.slug", &input.slug)?;
    let name = validate::required_text("input.name", &input.name, 300)?;
    let description = validate::optional_text("input.description", input.description.as_deref(), 10_000)?;
    let website = validate::optional_url("input.website", input.website.as_deref())?;
    let carrier_name = validate::optional_text("input.carrierName", input.carrier_name.as_deref(), 300)?;

    let work = UnitOfWork::begin(state).await?;
    if agency_by_slug(&work, &slug).await?.is_some() {
        return Err(AppError::conflict(
            "input.slug",
            format!("the slug \"{slug}\" is taken by another agency"),
        ));
    }
    let carrier_agency_id = carrier_id(&work, input.carrier_slug.as_deref(), None).await?;
    let at = now();
    let model = agency::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        name_sort: Set(fold(&name)),
        name: Set(name),
        kind: Set(input.kind),
        description: Set(description),
        website: Set(website),
        carrier_agency_id: Set(carrier_agency_id),
        carrier_name: Set(carrier_name),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.slug", "the slug is taken by another agency"))?;
    replace_states(&work, model.id, &input.states_served).await?;
    work.commit().await?;
    Ok(model)
}

/// Changes an agency (administrators only).
pub async fn update_agency(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: AgencyChanges,
) -> AppResult<agency::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(state).await?;
    let current = agency_by_id(&work, id)
        .await?
        .ok_or_else(|| AppError::not_found("no such agency"))?;
    let mut model: agency::ActiveModel = current.into();
    if let Some(name) = &changes.name {
        let name = validate::required_text("input.name", name, 300)?;
        model.name_sort = Set(fold(&name));
        model.name = Set(name);
    }
    if let Some(kind) = changes.kind {
        model.kind = Set(kind);
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
    if let Some(carrier_slug) = &changes.carrier_slug {
        model.carrier_agency_id = Set(carrier_id(&work, carrier_slug.as_deref(), Some(id)).await?);
    }
    if let Some(carrier_name) = &changes.carrier_name {
        model.carrier_name = Set(validate::optional_text(
            "input.carrierName",
            carrier_name.as_deref(),
            300,
        )?);
    }
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    if let Some(states) = &changes.states_served {
        replace_states(&work, id, states).await?;
    }
    work.commit().await?;
    Ok(model)
}

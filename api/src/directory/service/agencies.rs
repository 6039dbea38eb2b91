//! Agencies: who they are, which states they serve, who carries them.

use dkbm_entity::{AgencyKind, State, agency, agency_state};
use sea_orm::sea_query::{Expr, Query};
use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use super::Direction;
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::patch::Patch;
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
    pub contact_email: Option<String>,
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
    pub contact_email: Option<Option<String>>,
    pub carrier_slug: Option<Option<String>>,
    pub carrier_name: Option<Option<String>>,
    pub states_served: Option<Vec<State>>,
}

/// What an agency says about itself: what creating one checks, and what an update loads, changes
/// and checks again. The slug is not in it: it is the agency's address and never changes.
#[derive(Debug, Clone)]
struct AgencyDraft {
    name: String,
    kind: AgencyKind,
    description: Option<String>,
    website: Option<String>,
    contact_email: Option<String>,
    carrier_slug: Option<String>,
    carrier_name: Option<String>,
    states_served: Vec<State>,
}

impl NewAgency {
    /// The slug and the draft.
    fn split(self) -> (String, AgencyDraft) {
        let draft = AgencyDraft {
            name: self.name,
            kind: self.kind,
            description: self.description,
            website: self.website,
            contact_email: self.contact_email,
            carrier_slug: self.carrier_slug,
            carrier_name: self.carrier_name,
            states_served: self.states_served,
        };
        (self.slug, draft)
    }
}

impl Patch<AgencyDraft> for AgencyChanges {
    fn apply_to(self, draft: &mut AgencyDraft) {
        self.name.apply_to(&mut draft.name);
        self.kind.apply_to(&mut draft.kind);
        self.description.apply_to(&mut draft.description);
        self.website.apply_to(&mut draft.website);
        self.contact_email.apply_to(&mut draft.contact_email);
        self.carrier_slug.apply_to(&mut draft.carrier_slug);
        self.carrier_name.apply_to(&mut draft.carrier_name);
        self.states_served.apply_to(&mut draft.states_served);
    }
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
pub async fn agency_by_id(db: &impl ConnectionTrait, id: AgencyId) -> AppResult<Option<agency::Model>> {
    Ok(agency::Entity::find_by_id(id).one(db).await?)
}

/// The contact addresses of those of these agencies that have one (one query for all).
pub async fn agency_contacts(db: &impl ConnectionTrait, ids: Vec<AgencyId>) -> AppResult<HashMap<AgencyId, String>> {
    let rows: Vec<(Uuid, String)> = agency::Entity::find()
        .select_only()
        .column(agency::Column::Id)
        .column(agency::Column::ContactEmail)
        .filter(agency::Column::Id.is_in(ids.into_iter().map(AgencyId::uuid)))
        .filter(agency::Column::ContactEmail.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, email)| (id.into(), email)).collect())
}

/// An agency that an input names by slug; BAD_USER_INPUT on `field` if there is none.
pub async fn require_agency(db: &impl ConnectionTrait, field: &str, slug: &str) -> AppResult<agency::Model> {
    agency_by_slug(db, slug)
        .await?
        .ok_or_else(|| AppError::bad_input(field, Message::new(MessageKey::NoSuchAgency).with("slug", slug.trim())))
}

/// The agency's draft as stored: its carrier named by slug, its states in AGS order.
async fn draft_of(db: &impl ConnectionTrait, agency: &agency::Model) -> AppResult<AgencyDraft> {
    let carrier_slug = match agency.carrier_agency_id {
        Some(carrier) => agency_by_id(db, carrier.into()).await?.map(|carrier| carrier.slug),
        None => None,
    };
    let states = agency_state::Entity::find()
        .filter(agency_state::Column::AgencyId.eq(agency.id))
        .all(db)
        .await?;
    Ok(AgencyDraft {
        name: agency.name.clone(),
        kind: agency.kind,
        description: agency.description.clone(),
        website: agency.website.clone(),
        contact_email: agency.contact_email.clone(),
        carrier_slug,
        carrier_name: agency.carrier_name.clone(),
        states_served: distinct_states(states.into_iter().map(|row| row.state).collect()),
    })
}

fn distinct_states(mut states: Vec<State>) -> Vec<State> {
    states.sort_by_key(|state| state.ags_prefix());
    states.dedup();
    states
}

/// Checks a draft as a whole and cleans it (texts trimmed, each state once, in AGS order). The
/// carrier is named, not yet found: [`carrier_id`] looks it up.
fn check(draft: AgencyDraft) -> AppResult<AgencyDraft> {
    Ok(AgencyDraft {
        name: validate::required_text("input.name", &draft.name, 300)?,
        kind: draft.kind,
        description: validate::optional_text("input.description", draft.description.as_deref(), 10_000)?,
        website: validate::optional_url("input.website", draft.website.as_deref())?,
        contact_email: match draft
            .contact_email
            .as_deref()
            .map(str::trim)
            .filter(|email| !email.is_empty())
        {
            Some(email) => Some(validate::email("input.contactEmail", email)?),
            None => None,
        },
        carrier_slug: draft.carrier_slug,
        carrier_name: validate::optional_text("input.carrierName", draft.carrier_name.as_deref(), 300)?,
        states_served: distinct_states(draft.states_served),
    })
}

/// The id of the carrier the draft names, if any; BAD_USER_INPUT if there is no such agency or
/// it is the agency `own_id` itself.
async fn carrier_id(
    db: &impl ConnectionTrait,
    carrier_slug: Option<&str>,
    own_id: Option<AgencyId>,
) -> AppResult<Option<AgencyId>> {
    let Some(slug) = carrier_slug.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let carrier = require_agency(db, "input.carrierSlug", slug).await?;
    let carrier_id = AgencyId::from(carrier.id);
    if Some(carrier_id) == own_id {
        return Err(AppError::bad_input(
            "input.carrierSlug",
            MessageKey::AgencyCarriesItself,
        ));
    }
    Ok(Some(carrier_id))
}

/// Sets the row's columns from a checked draft (the states live in their own table).
fn set_columns(model: &mut agency::ActiveModel, draft: &AgencyDraft, carrier_agency_id: Option<AgencyId>) {
    model.name_sort = Set(fold(&draft.name));
    model.name = Set(draft.name.clone());
    model.kind = Set(draft.kind);
    model.description = Set(draft.description.clone());
    model.website = Set(draft.website.clone());
    model.contact_email = Set(draft.contact_email.clone());
    model.carrier_agency_id = Set(carrier_agency_id.map(AgencyId::uuid));
    model.carrier_name = Set(draft.carrier_name.clone());
}

/// Replaces the states an agency serves (checked: each once).
async fn replace_states(db: &impl ConnectionTrait, agency_id: AgencyId, states: &[State]) -> AppResult<()> {
    agency_state::Entity::delete_many()
        .filter(agency_state::Column::AgencyId.eq(agency_id))
        .exec(db)
        .await?;
    if !states.is_empty() {
        agency_state::Entity::insert_many(states.iter().map(|state| agency_state::ActiveModel {
            agency_id: Set(agency_id.uuid()),
            state: Set(*state),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Creates an agency (administrators only).
pub async fn create_agency(writer: &Writer, viewer: &Viewer, input: NewAgency) -> AppResult<agency::Model> {
    ensure_admin(viewer)?;
    let (slug, draft) = input.split();
    let slug = validate::slug("input.slug", &slug)?;
    let draft = check(draft)?;

    let work = UnitOfWork::begin(writer).await?;
    if agency_by_slug(&work, &slug).await?.is_some() {
        return Err(AppError::conflict(
            "input.slug",
            Message::new(MessageKey::AgencySlugIsTaken).with("slug", slug),
        ));
    }
    let carrier_agency_id = carrier_id(&work, draft.carrier_slug.as_deref(), None).await?;
    let at = now();
    let mut model = agency::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    set_columns(&mut model, &draft, carrier_agency_id);
    let model = model
        .insert(&work)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::AgencySlugTaken))?;
    replace_states(&work, model.id.into(), &draft.states_served).await?;
    work.commit().await?;
    Ok(model)
}

/// Changes an agency (administrators only): the stored draft with the changes applied, checked
/// like a new one.
pub async fn update_agency(
    writer: &Writer,
    viewer: &Viewer,
    id: AgencyId,
    changes: AgencyChanges,
) -> AppResult<agency::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    // Locked: the draft is written back whole, so a concurrent change must not slip in between.
    let current = work
        .lock(agency::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::AgencyNotFound))?;
    let mut draft = draft_of(&work, &current).await?;
    let states_before = draft.states_served.clone();
    changes.apply_to(&mut draft);
    let draft = check(draft)?;
    let carrier_agency_id = carrier_id(&work, draft.carrier_slug.as_deref(), Some(id)).await?;
    let mut model: agency::ActiveModel = current.into();
    set_columns(&mut model, &draft, carrier_agency_id);
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    if draft.states_served != states_before {
        replace_states(&work, id, &draft.states_served).await?;
    }
    work.commit().await?;
    Ok(model)
}

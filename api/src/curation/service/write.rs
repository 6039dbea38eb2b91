//! Creating and changing portals (the owner agency's administrators): settings with
//! `expectedVersion`, and rotating the publishable key with a grace period for the old one.

use chrono::Duration;
use dkbm_entity::portal;
use rand::Rng;
use rand::distributions::Alphanumeric;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
use uuid::Uuid;

use super::checks::{ScopeInput, origins, resolve_scope};
use crate::auth::{Viewer, ensure_agency_admin};
use crate::db::{UnitOfWork, Versioned, Writer, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::ids::{PortalId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::portals::service::PortalOrigins;
use crate::validate;

/// The longest grace period of a rotated key, in hours (a week).
pub const MAX_GRACE_HOURS: i32 = 168;

impl Versioned for portal::Entity {
    const NOUN: MessageKey = MessageKey::NounPortal;
    const NOT_FOUND: MessageKey = MessageKey::NoSuchPortal;

    fn id_column() -> portal::Column {
        portal::Column::Id
    }

    fn version_of(model: &portal::Model) -> i64 {
        model.version
    }
}

/// A new publishable key: `pk_` and 32 letters and digits (190 bits).
fn new_key() -> String {
    let random: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    format!("pk_{random}")
}

/// A new portal.
#[derive(Debug, Clone, Default)]
pub struct NewPortal {
    pub slug: String,
    pub name: String,
    /// The owner agency's slug.
    pub agency_slug: String,
    pub origins: Vec<String>,
    pub scope: ScopeInput,
}

/// Changes to a portal; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct PortalChanges {
    pub name: Option<String>,
    pub origins: Option<Vec<String>>,
    pub scope: Option<ScopeInput>,
}

/// Creates a portal of an agency (its administrators) with a fresh key; `portal_origins` hears
/// of the new portal's origins.
pub async fn create_portal(
    writer: &Writer,
    portal_origins: &PortalOrigins,
    viewer: &Viewer,
    input: NewPortal,
) -> AppResult<portal::Model> {
    let db = writer.conn();
    let agency = require_agency(db, "input.agencySlug", &input.agency_slug).await?;
    ensure_agency_admin(viewer, agency.id)?;
    let slug = validate::slug("input.slug", &input.slug)?;
    let name = validate::required_text("input.name", &input.name, 200)?;
    let origins = origins("input.origins", &input.origins)?;
    let scope = resolve_scope(db, "input.scope", &input.scope).await?;
    let at = now();
    let work = UnitOfWork::begin(writer).await?;
    let portal = portal::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        name: Set(name),
        owner_agency_id: Set(agency.id),
        origins: Set(serde_json::to_string(&origins).unwrap_or_else(|_| "[]".into())),
        portal_key: Set(new_key()),
        previous_key: Set(None),
        previous_key_expires_at: Set(None),
        scope: Set(scope.to_json()),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::PortalSlugTaken))?;
    work.commit().await?;
    portal_origins.changed();
    Ok(portal)
}

/// Changes a portal's name, origins or scope (its agency's administrators); a stale
/// `expected_version` is CONFLICT.
pub async fn update_portal(
    writer: &Writer,
    portal_origins: &PortalOrigins,
    viewer: &Viewer,
    id: PortalId,
    expected_version: i64,
    changes: PortalChanges,
) -> AppResult<portal::Model> {
    let name = match &changes.name {
        Some(name) => Some(validate::required_text("input.name", name, 200)?),
        None => None,
    };
    let origins = match &changes.origins {
        Some(values) => Some(origins("input.origins", values)?),
        None => None,
    };
    let scope = match &changes.scope {
        Some(scope) => Some(resolve_scope(writer.conn(), "input.scope", scope).await?),
        None => None,
    };
    let work = UnitOfWork::begin(writer).await?;
    let current = work
        .expect_version::<portal::Entity>(id.uuid(), Some(expected_version), |portal| {
            ensure_agency_admin(viewer, portal.owner_agency_id)
        })
        .await?;
    let version = current.version;
    let mut draft = current.into_active_model();
    if let Some(name) = name {
        draft.name = Set(name);
    }
    if let Some(origins) = origins {
        draft.origins = Set(serde_json::to_string(&origins).unwrap_or_else(|_| "[]".into()));
    }
    if let Some(scope) = scope {
        draft.scope = Set(scope.to_json());
    }
    draft.version = Set(version + 1);
    draft.updated_at = Set(now());
    let portal = draft.update(&work).await?;
    work.commit().await?;
    portal_origins.changed();
    Ok(portal)
}

/// Gives a portal a new key (its agency's administrators). The old key keeps working for
/// `grace_hours` (0: not at all), so that a deployed front-end can switch without a gap.
pub async fn rotate_portal_key(
    writer: &Writer,
    portal_origins: &PortalOrigins,
    viewer: &Viewer,
    id: PortalId,
    grace_hours: i32,
) -> AppResult<portal::Model> {
    if !(0..=MAX_GRACE_HOURS).contains(&grace_hours) {
        return Err(AppError::bad_input(
            "graceHours",
            Message::new(MessageKey::GraceHoursRange).with("max", MAX_GRACE_HOURS),
        ));
    }
    let work = UnitOfWork::begin(writer).await?;
    let current = work
        .expect_version::<portal::Entity>(id.uuid(), None, |portal| {
            ensure_agency_admin(viewer, portal.owner_agency_id)
        })
        .await?;
    let version = current.version;
    let old_key = current.portal_key.clone();
    let mut draft = current.into_active_model();
    let at = now();
    if grace_hours > 0 {
        draft.previous_key = Set(Some(old_key));
        draft.previous_key_expires_at = Set(Some(at + Duration::hours(i64::from(grace_hours))));
    } else {
        draft.previous_key = Set(None);
        draft.previous_key_expires_at = Set(None);
    }
    draft.portal_key = Set(new_key());
    draft.version = Set(version + 1);
    draft.updated_at = Set(at);
    let portal = draft.update(&work).await?;
    work.commit().await?;
    portal_origins.changed();
    Ok(portal)
}

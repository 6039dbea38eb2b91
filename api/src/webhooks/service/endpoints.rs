//! An agency's webhook endpoints: creating one (its secret shown once), changing, rotating the
//! secret, deleting, listing. Who may: the agency's API clients and administrators, and platform
//! administrators; to anyone else an endpoint does not exist.

use chrono::Duration;
use dkbm_entity::{agency, webhook, webhook_delivery};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::address::check_url;
use super::signing::new_secret;
use crate::auth::{Viewer, ensure_signed_in};
use crate::config::WebhookConfig;
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, TypedId, WebhookId};
use crate::messages::{Message, MessageKey};
use crate::realtime::webhooks::Topic;
use crate::validate;

/// Endpoints one agency may have.
pub const MOST_PER_AGENCY: u64 = 20;
/// Characters of a description.
const DESCRIPTION_MAX: usize = 500;

/// A new endpoint.
pub struct NewWebhook {
    pub agency_slug: String,
    pub url: String,
    pub events: Vec<Topic>,
    pub description: Option<String>,
}

/// A change of an endpoint; `None` leaves a field as it is.
pub struct WebhookChange {
    pub id: WebhookId,
    pub url: Option<String>,
    pub events: Option<Vec<Topic>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

/// Whether `viewer` manages the webhooks of `agency`: its API clients, its administrators and
/// platform administrators.
pub fn manages(viewer: &Viewer, agency: AgencyId) -> bool {
    match viewer {
        Viewer::Client(client) => client.agency_id == agency.uuid(),
        _ => viewer.is_agency_admin(agency.uuid()),
    }
}

fn ensure_manages(viewer: &Viewer, agency: AgencyId) -> AppResult<()> {
    ensure_signed_in(viewer)?;
    if manages(viewer, agency) {
        Ok(())
    } else {
        Err(AppError::forbidden(MessageKey::NeedsAgencyAdmin))
    }
}

/// The endpoint `id` if the viewer manages it: NOT_FOUND if there is none, FORBIDDEN if it is
/// another agency's (UNAUTHENTICATED without credentials).
pub async fn managed(db: &impl ConnectionTrait, viewer: &Viewer, id: WebhookId) -> AppResult<webhook::Model> {
    // Without credentials nothing is looked up.
    ensure_signed_in(viewer)?;
    let endpoint = webhook::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchWebhook))?;
    ensure_manages(viewer, endpoint.agency_id.into())?;
    Ok(endpoint)
}

/// The events as stored (`PRACTICE_CHANGED,POST_ADDED`), at least one, each once.
fn events_column(field: &str, events: &[Topic]) -> AppResult<String> {
    let names: Vec<&str> = Topic::ALL
        .into_iter()
        .filter(|topic| events.contains(topic))
        .map(Topic::name)
        .collect();
    if names.is_empty() {
        return Err(AppError::bad_input(
            field,
            Message::new(MessageKey::WebhookNoEvents).with("field", field),
        ));
    }
    Ok(names.join(","))
}

/// The events an endpoint wants.
pub fn topics(endpoint: &webhook::Model) -> Vec<Topic> {
    endpoint.events.split(',').filter_map(Topic::parse).collect()
}

fn description(value: Option<&str>) -> AppResult<String> {
    Ok(validate::optional_text("input.description", value, DESCRIPTION_MAX)?.unwrap_or_default())
}

/// Creates an endpoint; answers it with its secret (shown this once).
pub async fn create(
    writer: &Writer,
    config: &WebhookConfig,
    viewer: &Viewer,
    new: NewWebhook,
) -> AppResult<(webhook::Model, String)> {
    ensure_signed_in(viewer)?;
    let agency = require_agency(writer.conn(), "input.agencySlug", &new.agency_slug).await?;
    ensure_manages(viewer, agency.id.into())?;
    let url = check_url(config, "input.url", &new.url).await?;
    let events = events_column("input.events", &new.events)?;
    let description = description(new.description.as_deref())?;
    let work = UnitOfWork::begin(writer).await?;
    // The agency's row locked: two creations at once count one after the other.
    work.lock(agency::Entity::find_by_id(agency.id)).await?;
    let existing = webhook::Entity::find()
        .filter(webhook::Column::AgencyId.eq(agency.id))
        .count(&work)
        .await?;
    if existing >= MOST_PER_AGENCY {
        return Err(AppError::bad_input(
            "input.agencySlug",
            Message::new(MessageKey::WebhookTooMany).with("max", MOST_PER_AGENCY),
        ));
    }
    let at = now();
    let secret = new_secret();
    let endpoint = webhook::ActiveModel {
        id: Set(WebhookId::new().uuid()),
        agency_id: Set(agency.id),
        url: Set(url.to_string()),
        description: Set(description),
        events: Set(events),
        secret: Set(secret.clone()),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        enabled: Set(true),
        disabled_at: Set(None),
        disabled_reason: Set(None),
        failing_since: Set(None),
        paused_until: Set(None),
        claimed_until: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await?;
    work.commit().await?;
    Ok((endpoint, secret))
}

/// Changes an endpoint. Enabling a disabled one clears its failures and lets its queue go on.
pub async fn update(
    writer: &Writer,
    config: &WebhookConfig,
    viewer: &Viewer,
    change: WebhookChange,
) -> AppResult<webhook::Model> {
    let url = match change.url.as_deref() {
        Some(url) => Some(check_url(config, "input.url", url).await?.to_string()),
        None => None,
    };
    let events = change
        .events
        .as_deref()
        .map(|events| events_column("input.events", events))
        .transpose()?;
    let description = change
        .description
        .as_deref()
        .map(|text| description(Some(text)))
        .transpose()?;
    let work = UnitOfWork::begin(writer).await?;
    let current = managed(&work, viewer, change.id).await?;
    let mut endpoint: webhook::ActiveModel = current.clone().into();
    if let Some(url) = url {
        endpoint.url = Set(url);
    }
    if let Some(events) = events {
        endpoint.events = Set(events);
    }
    if let Some(description) = description {
        endpoint.description = Set(description);
    }
    match change.enabled {
        Some(true) if !current.enabled => {
            endpoint.enabled = Set(true);
            endpoint.disabled_at = Set(None);
            endpoint.disabled_reason = Set(None);
            endpoint.failing_since = Set(None);
            endpoint.paused_until = Set(None);
        }
        Some(false) if current.enabled => {
            endpoint.enabled = Set(false);
            endpoint.disabled_at = Set(Some(now()));
        }
        _ => {}
    }
    endpoint.updated_at = Set(now());
    let endpoint = endpoint.update(&work).await?;
    work.commit().await?;
    if endpoint.enabled && !current.enabled {
        writer.webhook_bell().notify_one();
    }
    Ok(endpoint)
}

/// Gives an endpoint a new secret; the old one keeps signing (beside the new) for the overlap.
pub async fn rotate_secret(
    writer: &Writer,
    config: &WebhookConfig,
    viewer: &Viewer,
    id: WebhookId,
) -> AppResult<(webhook::Model, String)> {
    let work = UnitOfWork::begin(writer).await?;
    let current = managed(&work, viewer, id).await?;
    let at = now();
    let overlap = Duration::seconds(i64::try_from(config.webhook_secret_overlap_secs).unwrap_or(86_400));
    let secret = new_secret();
    let mut endpoint: webhook::ActiveModel = current.clone().into();
    endpoint.previous_secret = Set(Some(current.secret));
    endpoint.previous_secret_until = Set(Some(at + overlap));
    endpoint.secret = Set(secret.clone());
    endpoint.updated_at = Set(at);
    let endpoint = endpoint.update(&work).await?;
    work.commit().await?;
    Ok((endpoint, secret))
}

/// Deletes an endpoint with its deliveries; answers its id.
pub async fn delete(writer: &Writer, viewer: &Viewer, id: WebhookId) -> AppResult<WebhookId> {
    let work = UnitOfWork::begin(writer).await?;
    let endpoint = managed(&work, viewer, id).await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(endpoint.id))
        .exec(&work)
        .await?;
    webhook::Entity::delete_by_id(endpoint.id).exec(&work).await?;
    work.commit().await?;
    Ok(id)
}

/// The endpoints of an agency, oldest first.
pub async fn list(db: &impl ConnectionTrait, viewer: &Viewer, agency_slug: &str) -> AppResult<Vec<webhook::Model>> {
    ensure_signed_in(viewer)?;
    let agency = require_agency(db, "agencySlug", agency_slug).await?;
    ensure_manages(viewer, agency.id.into())?;
    Ok(webhook::Entity::find()
        .filter(webhook::Column::AgencyId.eq(agency.id))
        .order_by_asc(webhook::Column::CreatedAt)
        .order_by_asc(webhook::Column::Id)
        .all(db)
        .await?)
}

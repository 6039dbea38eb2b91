//! Seat quotas (Kontingente) of training events: the object, whom a quota is for, and the
//! organisers' inputs.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::event_quota;

use super::TrainingEvent;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, Municipality, Programme};
use crate::error::AppError;
use crate::events::loaders::EventLoaders;
use crate::events::service;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::EventId;
use crate::messages::MessageKey;

/// Whom a seat quota is for.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum QuotaEntitlement {
    /// Members of the listed municipalities (see `municipalities`).
    Municipalities,
    /// Members of the municipalities taking part in a funding programme (see `programme`).
    Programme,
    /// Members of the municipalities an agency accompanies under a target agreement
    /// (Zielvereinbarung; see `accompaniedBy`).
    AccompaniedByAgency,
}

/// A seat quota (Kontingent) of a training event: seats of its capacity reserved for the members
/// of some municipalities, optionally until an instant after which the unused ones fall back to
/// the general pool. A member registering takes a seat of the best quota they are entitled to
/// (listed municipalities before a programme's before an agency's, then in the organisers'
/// order), else of the general pool, else a place on the one waiting list.
pub struct EventQuota(pub event_quota::Model);

impl From<event_quota::Model> for EventQuota {
    fn from(model: event_quota::Model) -> Self {
        EventQuota(model)
    }
}

/// A seat quota (Kontingent) of a training event: seats of its capacity reserved for the members
/// of some municipalities, optionally until an instant after which the unused ones fall back to
/// the general pool.
#[Object]
impl EventQuota {
    /// The quota's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// Its name, e.g. "Kommunen im Ruhrgebiet".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Seats it reserves.
    async fn seats_total(&self) -> i32 {
        self.0.seats_total
    }

    /// Its seats held by participants.
    async fn seats_taken(&self) -> i32 {
        self.0.seats_taken
    }

    /// Its seats still free for members entitled to it (0 once `until` has passed: its unused
    /// seats are then in the general pool).
    async fn seats_free(&self) -> i32 {
        service::quota_seats_free_now(&self.0)
    }

    /// After this instant its unused seats fall back to the general pool (null: never).
    async fn until(&self) -> Option<DateTime<Utc>> {
        self.0.until
    }

    /// Whether `until` has passed: its unused seats are in the general pool.
    async fn released(&self) -> bool {
        service::released_now(&self.0)
    }

    /// Whether the signed-in member is entitled to its seats (their municipality is one it is
    /// for); false when anonymous.
    #[graphql(cache_control(private))]
    async fn applies_to_viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(ctx.loaders::<EventLoaders>()?.entitled_to(self.0.id.into()).await?)
    }

    /// Whom it is for.
    async fn entitlement(&self) -> QuotaEntitlement {
        match (self.0.programme_id, self.0.agency_id) {
            (Some(_), _) => QuotaEntitlement::Programme,
            (None, Some(_)) => QuotaEntitlement::AccompaniedByAgency,
            (None, None) => QuotaEntitlement::Municipalities,
        }
    }

    /// The municipalities it is for (entitlement MUNICIPALITIES; else empty).
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let ids = ctx
            .loaders::<EventLoaders>()?
            .quota_municipalities(self.0.id.into())
            .await?;
        let mut found = ctx
            .loaders::<DirectoryLoaders>()?
            .municipalities(ids.iter().copied())
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(id))
            .map(Municipality::from)
            .collect())
    }

    /// The funding programme whose municipalities it is for (entitlement PROGRAMME).
    async fn programme(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Programme>> {
        let Some(id) = self.0.programme_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .programme(id.into())
            .await?
            .map(Programme::from))
    }

    /// The agency whose accompanied municipalities it is for (entitlement ACCOMPANIED_BY_AGENCY).
    async fn accompanied_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.0.agency_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(id.into())
            .await?
            .map(Agency::from))
    }

    /// The event.
    async fn event(&self, ctx: &Context<'_>) -> async_graphql::Result<TrainingEvent> {
        ctx.loaders::<EventLoaders>()?
            .event(EventId::from(self.0.event_id))
            .await?
            .map(TrainingEvent)
            .ok_or_else(|| AppError::not_found(MessageKey::NoSuchEvent).into())
    }
}

/// A new seat quota. Say whom it is for with exactly one of `municipalityAgs`, `programmeSlug`
/// and `accompaniedByAgencySlug`.
#[derive(InputObject)]
pub struct AddEventQuotaInput {
    /// The event's global id (it needs a capacity).
    pub event_id: ID,
    /// Its name (at most 120 characters, one line).
    pub name: String,
    /// Seats it reserves: at least 1, and free in the general pool.
    pub seats_total: i32,
    /// For the members of these municipalities (AGS; at most 500).
    pub municipality_ags: Option<Vec<String>>,
    /// For the members of the municipalities taking part in this funding programme (its slug).
    pub programme_slug: Option<String>,
    /// For the members of the municipalities this agency accompanies under a target agreement
    /// (its slug).
    pub accompanied_by_agency_slug: Option<String>,
    /// After this instant its unused seats fall back to the general pool (not after the
    /// event's start; left out: never).
    pub until: Option<DateTime<Utc>>,
}

impl AddEventQuotaInput {
    /// The service's new quota (the event id decoded).
    pub fn into_new(self) -> async_graphql::Result<service::NewQuota> {
        Ok(service::NewQuota {
            event_id: TrainingEvent::decode("input.eventId", &self.event_id)?,
            name: self.name,
            seats_total: self.seats_total,
            municipality_ags: self.municipality_ags,
            programme_slug: self.programme_slug,
            accompanied_by_agency_slug: self.accompanied_by_agency_slug,
            until: self.until,
        })
    }
}

/// Changes to a seat quota; a field left out stays. Whom it is for does not change (remove it
/// and add another).
#[derive(InputObject, Default)]
pub struct UpdateEventQuotaInput {
    /// Its name (at most 120 characters, one line).
    pub name: Option<String>,
    /// Seats it reserves: not fewer than its seats taken; more only as far as the general pool
    /// has free seats.
    pub seats_total: Option<i32>,
    /// After this instant its unused seats fall back to the general pool; null: never. A
    /// past instant releases them now.
    pub until: MaybeUndefined<DateTime<Utc>>,
}

impl From<UpdateEventQuotaInput> for service::QuotaChanges {
    fn from(input: UpdateEventQuotaInput) -> Self {
        service::QuotaChanges {
            name: input.name,
            seats_total: input.seats_total,
            until: match input.until {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(until) => Some(Some(until)),
            },
        }
    }
}

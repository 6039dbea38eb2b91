//! DataLoaders of training events: events and registrations by id, an event's topics, and the
//! viewer's own registration per event, an event's quotas and those the viewer is entitled to.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{event_quota, event_quota_municipality, registration, training_event, training_event_topic};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter};
use uuid::Uuid;

use crate::error::AppResult;
use crate::events::service;
use crate::ids::{EventId, MemberId, MunicipalityId, QuotaId, RegistrationId, TopicId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoadError, LoaderSource};

/// The signed-in member's registrations, by event id.
pub struct MyRegistrations {
    db: DatabaseConnection,
    member_id: Option<MemberId>,
}

impl Loader<Uuid> for MyRegistrations {
    type Value = registration::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, registration::Model>, LoadError> {
        let Some(member_id) = self.member_id else {
            return Ok(HashMap::new());
        };
        let rows = registration::Entity::find()
            .filter(registration::Column::MemberId.eq(member_id))
            .filter(registration::Column::EventId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|row| (row.event_id, row)).collect())
    }
}

/// Of the quotas asked about, those the signed-in member is entitled to (by quota id).
pub struct MyQuotas {
    db: DatabaseConnection,
    member_id: Option<MemberId>,
}

impl Loader<Uuid> for MyQuotas {
    type Value = bool;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, bool>, LoadError> {
        let Some(member_id) = self.member_id else {
            return Ok(HashMap::new());
        };
        let asked: Vec<QuotaId> = keys.iter().copied().map(QuotaId::from).collect();
        let mine = service::quotas_of_member(&self.db, member_id, &asked, crate::db::now()).await?;
        Ok(mine.into_iter().map(|quota| (quota.uuid(), true)).collect())
    }
}

/// The events area's loaders for one request.
pub struct EventLoaders {
    event: DataLoader<ById<training_event::Entity>>,
    registration: DataLoader<ById<registration::Entity>>,
    topics: DataLoader<GroupedBy<training_event_topic::Entity>>,
    mine: DataLoader<MyRegistrations>,
    quotas: DataLoader<GroupedBy<event_quota::Entity>>,
    quota: DataLoader<ById<event_quota::Entity>>,
    my_quotas: DataLoader<MyQuotas>,
    quota_municipalities: DataLoader<GroupedBy<event_quota_municipality::Entity>>,
}

impl AreaLoaders for EventLoaders {
    /// Loaders for a request of the member `source.member_id` (if one is signed in).
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
        EventLoaders {
            event: gate.loader(ById::new(db.clone())),
            registration: gate.loader(ById::new(db.clone())),
            topics: gate.loader(GroupedBy::new(
                db.clone(),
                training_event_topic::Column::EventId,
                Vec::new(),
            )),
            mine: gate.loader(MyRegistrations {
                db: db.clone(),
                member_id: source.member_id,
            }),
            quotas: gate.loader(GroupedBy::new(
                db.clone(),
                event_quota::Column::EventId,
                vec![(event_quota::Column::Position, Order::Asc)],
            )),
            quota: gate.loader(ById::new(db.clone())),
            my_quotas: gate.loader(MyQuotas {
                db: db.clone(),
                member_id: source.member_id,
            }),
            quota_municipalities: gate.loader(GroupedBy::new(
                db.clone(),
                event_quota_municipality::Column::QuotaId,
                Vec::new(),
            )),
        }
    }
}

impl EventLoaders {
    pub async fn event(&self, id: EventId) -> AppResult<Option<training_event::Model>> {
        Ok(self.event.load_one(id.uuid()).await?)
    }

    pub async fn registration(&self, id: RegistrationId) -> AppResult<Option<registration::Model>> {
        Ok(self.registration.load_one(id.uuid()).await?)
    }

    /// The ids of an event's topics.
    pub async fn topic_ids(&self, event_id: EventId) -> AppResult<Vec<TopicId>> {
        Ok(self
            .topics
            .load_one(event_id.uuid())
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| TopicId::from(row.topic_id))
            .collect())
    }

    /// An event's quotas in the organisers' order.
    pub async fn quotas(&self, event_id: EventId) -> AppResult<Vec<event_quota::Model>> {
        Ok(self.quotas.load_one(event_id.uuid()).await?.unwrap_or_default())
    }

    /// A quota by id.
    pub async fn quota(&self, id: QuotaId) -> AppResult<Option<event_quota::Model>> {
        Ok(self.quota.load_one(id.uuid()).await?)
    }

    /// The municipalities a quota lists.
    pub async fn quota_municipalities(&self, id: QuotaId) -> AppResult<Vec<MunicipalityId>> {
        Ok(self
            .quota_municipalities
            .load_one(id.uuid())
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| MunicipalityId::from(row.municipality_id))
            .collect())
    }

    /// Whether the signed-in member is entitled to a quota (false when anonymous).
    pub async fn entitled_to(&self, id: QuotaId) -> AppResult<bool> {
        Ok(self.my_quotas.load_one(id.uuid()).await?.unwrap_or(false))
    }

    /// The viewer's registration for an event (none when anonymous).
    pub async fn my_registration(&self, event_id: EventId) -> AppResult<Option<registration::Model>> {
        Ok(self.mine.load_one(event_id.uuid()).await?)
    }
}

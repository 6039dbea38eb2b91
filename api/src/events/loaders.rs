//! DataLoaders of training events: events and registrations by id, an event's topics, and the
//! viewer's own registration per event.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{registration, training_event, training_event_topic};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppResult;
use crate::ids::{EventId, MemberId, RegistrationId, TopicId, TypedId};
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

/// The events area's loaders for one request.
pub struct EventLoaders {
    event: DataLoader<ById<training_event::Entity>>,
    registration: DataLoader<ById<registration::Entity>>,
    topics: DataLoader<GroupedBy<training_event_topic::Entity>>,
    mine: DataLoader<MyRegistrations>,
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

    /// The viewer's registration for an event (none when anonymous).
    pub async fn my_registration(&self, event_id: EventId) -> AppResult<Option<registration::Model>> {
        Ok(self.mine.load_one(event_id.uuid()).await?)
    }
}

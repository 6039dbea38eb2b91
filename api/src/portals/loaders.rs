//! DataLoaders of portals: portals and collections by id, a portal's collections, a
//! collection's items in order, and a portal's teaser overrides by (portal, practice).

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{portal, portal_collection, portal_collection_item, portal_teaser};
use sea_orm::sea_query::{Condition, Order};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::AppResult;
use crate::ids::{CollectionId, PortalId, PracticeId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoadError, LoaderSource};

/// Teaser overrides by (portal id, practice id): one statement for a page of practices.
pub struct Teasers {
    db: DatabaseConnection,
}

impl Loader<(Uuid, Uuid)> for Teasers {
    type Value = portal_teaser::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[(Uuid, Uuid)]) -> Result<HashMap<(Uuid, Uuid), portal_teaser::Model>, LoadError> {
        let mut by_portal: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (portal_id, practice_id) in keys {
            by_portal.entry(*portal_id).or_default().push(*practice_id);
        }
        let mut condition = Condition::any();
        for (portal_id, practices) in by_portal {
            condition = condition.add(
                Condition::all()
                    .add(portal_teaser::Column::PortalId.eq(portal_id))
                    .add(portal_teaser::Column::PracticeId.is_in(practices)),
            );
        }
        let rows = portal_teaser::Entity::find().filter(condition).all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| ((row.portal_id, row.practice_id), row))
            .collect())
    }
}

/// The portals area's loaders for one request.
pub struct PortalLoaders {
    portal: DataLoader<ById<portal::Entity>>,
    collection: DataLoader<ById<portal_collection::Entity>>,
    collections: DataLoader<GroupedBy<portal_collection::Entity>>,
    items: DataLoader<GroupedBy<portal_collection_item::Entity>>,
    teasers: DataLoader<Teasers>,
}

impl AreaLoaders for PortalLoaders {
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
        PortalLoaders {
            portal: gate.loader(ById::new(db.clone())),
            collection: gate.loader(ById::new(db.clone())),
            collections: gate.loader(GroupedBy::new(
                db.clone(),
                portal_collection::Column::PortalId,
                vec![
                    (portal_collection::Column::CreatedAt, Order::Asc),
                    (portal_collection::Column::Id, Order::Asc),
                ],
            )),
            items: gate.loader(GroupedBy::new(
                db.clone(),
                portal_collection_item::Column::CollectionId,
                vec![(portal_collection_item::Column::Position, Order::Asc)],
            )),
            teasers: gate.loader(Teasers { db: db.clone() }),
        }
    }
}

impl PortalLoaders {
    pub async fn portal(&self, id: PortalId) -> AppResult<Option<portal::Model>> {
        Ok(self.portal.load_one(id.uuid()).await?)
    }

    pub async fn collection(&self, id: CollectionId) -> AppResult<Option<portal_collection::Model>> {
        Ok(self.collection.load_one(id.uuid()).await?)
    }

    /// A portal's collections, oldest first.
    pub async fn collections(&self, portal_id: PortalId) -> AppResult<Vec<portal_collection::Model>> {
        Ok(self.collections.load_one(portal_id.uuid()).await?.unwrap_or_default())
    }

    /// A collection's items in order.
    pub async fn items(&self, collection_id: CollectionId) -> AppResult<Vec<portal_collection_item::Model>> {
        Ok(self.items.load_one(collection_id.uuid()).await?.unwrap_or_default())
    }

    /// A portal's teaser override of a practice.
    pub async fn teaser(
        &self,
        portal_id: PortalId,
        practice_id: PracticeId,
    ) -> AppResult<Option<portal_teaser::Model>> {
        Ok(self.teasers.load_one((portal_id.uuid(), practice_id.uuid())).await?)
    }
}

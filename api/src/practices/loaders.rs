//! DataLoaders of good practices' relations.

use async_graphql::dataloader::DataLoader;
use dkbm_entity::{
    EducationStage, TargetGroup, good_practice, good_practice_municipality, good_practice_stage,
    good_practice_target_group, good_practice_topic,
};
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::Order;
use uuid::Uuid;

use crate::error::AppResult;
use crate::loader::{BatchGate, ById, GroupedBy};

/// The practices area's loaders for one request.
pub struct PracticeLoaders {
    practice: DataLoader<ById<good_practice::Entity>>,
    topics: DataLoader<GroupedBy<good_practice_topic::Entity>>,
    municipalities: DataLoader<GroupedBy<good_practice_municipality::Entity>>,
    target_groups: DataLoader<GroupedBy<good_practice_target_group::Entity>>,
    stages: DataLoader<GroupedBy<good_practice_stage::Entity>>,
}

impl PracticeLoaders {
    pub fn new(db: &DatabaseConnection, gate: &BatchGate) -> Self {
        PracticeLoaders {
            practice: gate.loader(ById::new(db.clone())),
            topics: gate.loader(GroupedBy::new(
                db.clone(),
                good_practice_topic::Column::PracticeId,
                Vec::new(),
            )),
            municipalities: gate.loader(GroupedBy::new(
                db.clone(),
                good_practice_municipality::Column::PracticeId,
                Vec::new(),
            )),
            target_groups: gate.loader(GroupedBy::new(
                db.clone(),
                good_practice_target_group::Column::PracticeId,
                vec![(good_practice_target_group::Column::TargetGroup, Order::Asc)],
            )),
            stages: gate.loader(GroupedBy::new(
                db.clone(),
                good_practice_stage::Column::PracticeId,
                vec![(good_practice_stage::Column::Stage, Order::Asc)],
            )),
        }
    }

    pub async fn practice(&self, id: Uuid) -> AppResult<Option<good_practice::Model>> {
        Ok(self.practice.load_one(id).await?)
    }

    /// The ids of a practice's topics.
    pub async fn topic_ids(&self, practice_id: Uuid) -> AppResult<Vec<Uuid>> {
        Ok(self
            .topics
            .load_one(practice_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.topic_id)
            .collect())
    }

    /// The ids of a practice's municipalities.
    pub async fn municipality_ids(&self, practice_id: Uuid) -> AppResult<Vec<Uuid>> {
        Ok(self
            .municipalities
            .load_one(practice_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.municipality_id)
            .collect())
    }

    pub async fn target_groups(&self, practice_id: Uuid) -> AppResult<Vec<TargetGroup>> {
        Ok(self
            .target_groups
            .load_one(practice_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.target_group)
            .collect())
    }

    pub async fn stages(&self, practice_id: Uuid) -> AppResult<Vec<EducationStage>> {
        Ok(self
            .stages
            .load_one(practice_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.stage)
            .collect())
    }
}

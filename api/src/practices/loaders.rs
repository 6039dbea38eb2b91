//! DataLoaders of good practices' relations.

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use dkbm_entity::{agency, good_practice, good_practice_municipality, good_practice_topic, municipality, topic};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::directory::loaders::DirectoryLoaders;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::loader::{BatchGate, ById, GroupedBy};
use crate::practices::service::PageRelations;

/// The practices area's loaders for one request.
pub struct PracticeLoaders {
    practice: DataLoader<ById<good_practice::Entity>>,
    topics: DataLoader<GroupedBy<good_practice_topic::Entity>>,
    municipalities: DataLoader<GroupedBy<good_practice_municipality::Entity>>,
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
}

/// Where a practice's relations come from: the page it is listed on (loaded once for the
/// page), or the request's DataLoaders for a practice that stands alone.
pub enum PracticeRelations<'a> {
    Page(&'a PageRelations),
    Loaders {
        practices: &'a PracticeLoaders,
        directory: &'a DirectoryLoaders,
    },
}

impl<'a> PracticeRelations<'a> {
    /// The page's relations if there is a page, else the DataLoaders in `ctx`.
    pub fn of(page: Option<&'a PageRelations>, ctx: &'a Context<'_>) -> AppResult<Self> {
        Ok(match page {
            Some(page) => PracticeRelations::Page(page),
            None => PracticeRelations::Loaders {
                practices: ctx.get::<PracticeLoaders>()?,
                directory: ctx.get::<DirectoryLoaders>()?,
            },
        })
    }

    pub async fn agency(&self, id: Uuid) -> AppResult<Option<agency::Model>> {
        match self {
            PracticeRelations::Page(page) => page.agency(id).await,
            PracticeRelations::Loaders { directory, .. } => directory.agency(id).await,
        }
    }

    /// A practice's municipalities, by name.
    pub async fn municipalities(&self, practice: Uuid) -> AppResult<Vec<municipality::Model>> {
        let (practices, directory) = match self {
            PracticeRelations::Page(page) => return page.municipalities(practice).await,
            PracticeRelations::Loaders { practices, directory } => (practices, directory),
        };
        let ids = practices.municipality_ids(practice).await?;
        let mut found = directory.municipalities(ids.iter().copied()).await?;
        let mut municipalities: Vec<_> = ids.iter().filter_map(|id| found.remove(id)).collect();
        // As a page orders them (`PageRelations::municipalities`): by name, then id.
        municipalities.sort_by(|a, b| (&a.name_sort, a.id).cmp(&(&b.name_sort, b.id)));
        Ok(municipalities)
    }

    /// A practice's topics, in display order.
    pub async fn topics(&self, practice: Uuid) -> AppResult<Vec<topic::Model>> {
        match self {
            PracticeRelations::Page(page) => page.topics(practice).await,
            PracticeRelations::Loaders { practices, directory } => {
                directory.topics_in_order(&practices.topic_ids(practice).await?).await
            }
        }
    }
}

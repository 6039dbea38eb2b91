//! DataLoaders of good practices' relations.

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use dkbm_entity::{agency, good_practice, good_practice_municipality, good_practice_topic, municipality, topic};

use crate::db::rows::Shaped;
use crate::directory::loaders::DirectoryLoaders;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::ids::{AgencyId, MunicipalityId, PracticeId, TopicId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoaderSource};
use crate::practices::service::PageRelations;

/// The practices area's loaders for one request.
pub struct PracticeLoaders {
    practice: DataLoader<ById<good_practice::Entity>>,
    topics: DataLoader<GroupedBy<good_practice_topic::Entity>>,
    municipalities: DataLoader<GroupedBy<good_practice_municipality::Entity>>,
}

impl AreaLoaders for PracticeLoaders {
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
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
}

impl PracticeLoaders {
    pub async fn practice(&self, id: PracticeId) -> AppResult<Option<good_practice::Model>> {
        Ok(self.practice.load_one(id.uuid()).await?)
    }

    /// The ids of a practice's topics.
    pub async fn topic_ids(&self, practice_id: PracticeId) -> AppResult<Vec<TopicId>> {
        Ok(self
            .topics
            .load_one(practice_id.uuid())
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.topic_id.into())
            .collect())
    }

    /// The ids of a practice's municipalities.
    pub async fn municipality_ids(&self, practice_id: PracticeId) -> AppResult<Vec<MunicipalityId>> {
        Ok(self
            .municipalities
            .load_one(practice_id.uuid())
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.municipality_id.into())
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
                practices: ctx.loaders::<PracticeLoaders>()?,
                directory: ctx.loaders::<DirectoryLoaders>()?,
            },
        })
    }

    pub async fn agency(&self, id: AgencyId) -> AppResult<Option<Shaped<agency::Model>>> {
        match self {
            PracticeRelations::Page(page) => page.agency(id).await,
            PracticeRelations::Loaders { directory, .. } => Ok(directory.agency(id).await?.map(Shaped::whole)),
        }
    }

    /// A practice's municipalities, by name.
    pub async fn municipalities(&self, practice: PracticeId) -> AppResult<Vec<Shaped<municipality::Model>>> {
        let (practices, directory) = match self {
            PracticeRelations::Page(page) => return page.municipalities(practice).await,
            PracticeRelations::Loaders { practices, directory } => (practices, directory),
        };
        let ids = practices.municipality_ids(practice).await?;
        let mut found = directory.municipalities(ids.iter().copied()).await?;
        let mut municipalities: Vec<_> = ids.iter().filter_map(|id| found.remove(id)).collect();
        // As a page orders them (`PageRelations::municipalities`): by name, then id.
        municipalities.sort_by(|a, b| (&a.name_sort, a.id).cmp(&(&b.name_sort, b.id)));
        Ok(municipalities.into_iter().map(Shaped::whole).collect())
    }

    /// A practice's topics, in display order.
    pub async fn topics(&self, practice: PracticeId) -> AppResult<Vec<topic::Model>> {
        match self {
            PracticeRelations::Page(page) => page.topics(practice).await,
            PracticeRelations::Loaders { practices, directory } => {
                directory.topics_in_order(&practices.topic_ids(practice).await?).await
            }
        }
    }
}

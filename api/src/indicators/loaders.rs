//! DataLoaders of indicators: indicators by id, every indicator at once (to resolve codes), and
//! a municipality's values (a list of municipalities asking for their series is one statement).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use dkbm_entity::{indicator, indicator_value};
use sea_orm::sea_query::Order;
use sea_orm::{DatabaseConnection, EntityTrait};
use uuid::Uuid;

use crate::error::AppResult;
use crate::ids::{IndicatorId, MunicipalityId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoadError, LoaderSource};

/// Every indicator, under the one key [`Uuid::nil`]: the catalogue is small, and a request that
/// resolves codes for many municipalities reads it once.
pub struct AllIndicators {
    db: DatabaseConnection,
}

impl Loader<Uuid> for AllIndicators {
    type Value = Arc<HashMap<IndicatorId, indicator::Model>>;
    type Error = LoadError;

    async fn load(&self, _keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, LoadError> {
        let all = indicator::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (IndicatorId::from(row.id), row))
            .collect();
        Ok(HashMap::from([(Uuid::nil(), Arc::new(all))]))
    }
}

/// The indicators area's loaders for one request.
pub struct IndicatorLoaders {
    indicator: DataLoader<ById<indicator::Entity>>,
    all: DataLoader<AllIndicators>,
    values: DataLoader<GroupedBy<indicator_value::Entity>>,
}

impl AreaLoaders for IndicatorLoaders {
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
        IndicatorLoaders {
            indicator: gate.loader(ById::new(db.clone())),
            all: gate.loader(AllIndicators { db: db.clone() }),
            values: gate.loader(GroupedBy::new(
                db.clone(),
                indicator_value::Column::MunicipalityId,
                vec![(indicator_value::Column::Year, Order::Asc)],
            )),
        }
    }
}

impl IndicatorLoaders {
    pub async fn indicator(&self, id: IndicatorId) -> AppResult<Option<indicator::Model>> {
        Ok(self.indicator.load_one(id.uuid()).await?)
    }

    /// Every indicator, by id.
    pub async fn all(&self) -> AppResult<Arc<HashMap<IndicatorId, indicator::Model>>> {
        Ok(self.all.load_one(Uuid::nil()).await?.unwrap_or_default())
    }

    /// Every value of a municipality, oldest year first.
    pub async fn values_of_municipality(
        &self,
        municipality_id: MunicipalityId,
    ) -> AppResult<Vec<indicator_value::Model>> {
        Ok(self.values.load_one(municipality_id.uuid()).await?.unwrap_or_default())
    }
}

//! Generic DataLoaders over sea-orm entities: rows by id, and rows grouped by a foreign key.
//! Each area's `loaders.rs` builds its loaders from these. A loader lives for one request, so
//! its cache never outlives what the viewer may see.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::sea_query::{Order, ValueType};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::error::AppError;

/// The error of a batch load: shared by every key of the batch.
pub type LoadError = Arc<DbErr>;

impl From<LoadError> for AppError {
    fn from(error: LoadError) -> Self {
        AppError::internal(anyhow::anyhow!("batch load failed: {error}"))
    }
}

fn uuid_of<M: ModelTrait>(model: &M, column: <M::Entity as EntityTrait>::Column) -> Option<Uuid> {
    <Uuid as ValueType>::try_from(model.get(column)).ok()
}

/// Rows of `E` by their UUID primary key.
pub struct ById<E> {
    db: DatabaseConnection,
    entity: PhantomData<fn() -> E>,
}

impl<E> ById<E> {
    pub fn new(db: DatabaseConnection) -> Self {
        ById {
            db,
            entity: PhantomData,
        }
    }
}

impl<E> Loader<Uuid> for ById<E>
where
    E: EntityTrait,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, LoadError> {
        let Some(id) = E::PrimaryKey::iter()
            .next()
            .map(PrimaryKeyToColumn::into_column)
        else {
            return Ok(HashMap::new());
        };
        let rows = E::find()
            .filter(id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| Some((uuid_of(&row, id)?, row)))
            .collect())
    }
}

/// Rows of `E` grouped by the UUID in `column`, each group in the given order.
pub struct GroupedBy<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
    order: Vec<(E::Column, Order)>,
}

impl<E: EntityTrait> GroupedBy<E> {
    pub fn new(db: DatabaseConnection, column: E::Column, order: Vec<(E::Column, Order)>) -> Self {
        GroupedBy { db, column, order }
    }
}

impl<E> Loader<Uuid> for GroupedBy<E>
where
    E: EntityTrait,
    E::Column: Send + Sync,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<E::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<E::Model>>, LoadError> {
        let mut select = E::find().filter(self.column.is_in(keys.iter().copied()));
        for (column, order) in &self.order {
            select = select.order_by(*column, order.clone());
        }
        let mut groups: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
        for row in select.all(&self.db).await? {
            if let Some(key) = uuid_of(&row, self.column) {
                groups.entry(key).or_default().push(row);
            }
        }
        Ok(groups)
    }
}

//! DataLoaders of documents: the attachments of every practice, event and post a response shows,
//! loaded together per kind (no query per item).

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::DatabaseConnection;

use super::service::{self, Shown, Target};
use crate::error::AppResult;
use crate::loader::{AreaLoaders, LoadError, LoaderSource};

/// The attachments of targets.
pub struct AttachmentsOfTargets {
    db: DatabaseConnection,
}

impl Loader<Target> for AttachmentsOfTargets {
    type Value = Vec<Shown>;
    type Error = LoadError;

    async fn load(&self, keys: &[Target]) -> Result<HashMap<Target, Vec<Shown>>, LoadError> {
        service::attachments_of(&self.db, keys)
            .await
            .map_err(|error| std::sync::Arc::new(sea_orm::DbErr::Custom(format!("{error:?}"))))
    }
}

/// The documents area's loaders for one request.
pub struct DocumentLoaders {
    attachments: DataLoader<AttachmentsOfTargets>,
}

impl AreaLoaders for DocumentLoaders {
    fn new(source: &LoaderSource) -> Self {
        DocumentLoaders {
            attachments: source.gate.loader(AttachmentsOfTargets { db: source.db.clone() }),
        }
    }
}

impl DocumentLoaders {
    /// A target's attachments in their order.
    pub async fn attachments(&self, target: Target) -> AppResult<Vec<Shown>> {
        Ok(self.attachments.load_one(target).await?.unwrap_or_default())
    }
}

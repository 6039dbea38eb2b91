//! The practice in a sync item's answer: the row as written, or for an unchanged item only
//! what the push's lookup already knows (id and version), the row loaded only when the
//! selection asks for more. A sync job re-sending its data and asking for
//! `practice { id version }` so costs no read of the practices' bodies.

use std::borrow::Cow;
use std::sync::Arc;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContainerType, Context, ContextSelectionSet, ObjectType, OutputType, Positioned, ServerResult, Value,
};

use super::GoodPractice;
use crate::db::rows::Shaped;
use crate::error::AppError;
use crate::graphql::ContextExt;
use crate::graphql::direct::{self, DirectFields};
use crate::graphql::leaf::IntoLeaf;
use crate::graphql::node::NodeKind;
use crate::practices::loaders::PracticeLoaders;
use crate::practices::service::SyncedPractice;

/// A `GoodPractice` as a sync item's answer knows it.
pub struct SyncedGoodPractice(pub SyncedPractice);

impl DirectFields for SyncedGoodPractice {
    fn direct(&self, name: &str) -> Option<Value> {
        match &self.0 {
            SyncedPractice::Written(practice) => GoodPractice::from(practice.clone()).direct(name),
            SyncedPractice::Unchanged { id, version } => match name {
                "id" => Some(GoodPractice::global_id(*id).leaf()),
                "version" => Some((*version).leaf()),
                _ => None,
            },
        }
    }
}

impl OutputType for SyncedGoodPractice {
    fn type_name() -> Cow<'static, str> {
        GoodPractice::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        GoodPractice::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        direct::resolve(ctx, self).await
    }
}

impl ContainerType for SyncedGoodPractice {
    /// Any field beyond id and version: the stored row, loaded (once per request and batch)
    /// through the practice loader.
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let practice = match &self.0 {
            SyncedPractice::Written(practice) => practice.clone(),
            SyncedPractice::Unchanged { id, .. } => {
                let loaded = async {
                    ctx.loaders::<PracticeLoaders>()?
                        .practice(*id)
                        .await?
                        .ok_or_else(|| AppError::internal(anyhow::anyhow!("an unchanged practice is gone")))
                }
                .await
                .map_err(|error: AppError| {
                    ctx.set_error_path(async_graphql::Error::from(error).into_server_error(ctx.item.pos))
                })?;
                Arc::new(Shaped::whole(loaded))
            }
        };
        GoodPractice::from(practice).resolve_field(ctx).await
    }
}

impl ObjectType for SyncedGoodPractice {}

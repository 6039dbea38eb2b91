//! How `node(id:)` finds indicators (public).

use async_graphql::Context;
use uuid::Uuid;

use super::Indicator;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::indicators::loaders::IndicatorLoaders;

#[async_trait::async_trait]
impl NodeKind for Indicator {
    const KIND: &'static str = "Indicator";

    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>> {
        Ok(ctx.get::<IndicatorLoaders>()?.indicator(id).await?.map(Indicator))
    }
}

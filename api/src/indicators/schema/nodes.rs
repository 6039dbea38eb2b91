//! How `node(id:)` finds indicators (public).

use async_graphql::Context;

use super::Indicator;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::IndicatorId;
use crate::indicators::loaders::IndicatorLoaders;

#[async_trait::async_trait]
impl NodeKind for Indicator {
    type Id = IndicatorId;

    async fn load(ctx: &Context<'_>, id: IndicatorId) -> AppResult<Option<Self>> {
        Ok(ctx.loaders::<IndicatorLoaders>()?.indicator(id).await?.map(Indicator))
    }
}

//! How `node(id:)` finds a good practice: drafts and archived ones only for those who may see
//! them (the service's rule).

use async_graphql::Context;

use super::GoodPractice;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::PracticeId;
use crate::practices::loaders::PracticeLoaders;
use crate::practices::service;

#[async_trait::async_trait]
impl NodeKind for GoodPractice {
    type Id = PracticeId;

    async fn load(ctx: &Context<'_>, id: PracticeId) -> AppResult<Option<Self>> {
        let viewer = ctx.viewer()?;
        Ok(ctx
            .loaders::<PracticeLoaders>()?
            .practice(id)
            .await?
            .filter(|practice| service::visible(viewer, practice))
            .map(Self::from))
    }
}

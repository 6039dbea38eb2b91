//! How `node(id:)` finds an attachment: for whoever may see the item it belongs to.

use async_graphql::Context;

use super::Attachment;
use crate::documents::service;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::AttachmentId;

#[async_trait::async_trait]
impl NodeKind for Attachment {
    type Id = AttachmentId;

    async fn load(ctx: &Context<'_>, id: AttachmentId) -> AppResult<Option<Self>> {
        let shown = service::attachment_for_viewer(ctx.state()?.conn(), ctx.viewer()?, id).await?;
        Ok(shown.map(Attachment))
    }
}

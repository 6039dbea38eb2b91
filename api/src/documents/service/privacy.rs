//! The documents' part of a member's data export and erasure
//! (`crate::members::service::privacy`): the files a member attached to forum posts are theirs
//! (files of practices and events belong to the agency and stay). The export lists them; the
//! erasure deletes them and the rows of bytes nothing else refers to, whose objects the sweep
//! then removes (the erasure's change cannot remove objects before it commits).

use dkbm_entity::attachment::{self, AttachmentTarget};
use futures::future::BoxFuture;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::change::forget_unreferenced;
use crate::db::UnitOfWork;
use crate::error::AppResult;
use crate::ids::MemberId;

/// The data-protection exporter: the files the member attached to posts.
pub fn export_member_files(
    db: &DatabaseConnection,
    member_id: MemberId,
) -> BoxFuture<'_, AppResult<(&'static str, serde_json::Value)>> {
    Box::pin(async move {
        let rows = member_files(db, member_id).await?;
        let list: Vec<serde_json::Value> = rows
            .into_iter()
            .map(|row| {
                serde_json::json!({
                    "id": row.id, "post": row.target_id, "filename": row.filename, "contentType": row.content_type,
                    "byteSize": row.byte_size, "sha256": row.sha256, "createdAt": row.created_at,
                })
            })
            .collect();
        Ok(("files", serde_json::Value::Array(list)))
    })
}

/// The data-protection eraser: the member's files of posts go, and so do the rows of bytes
/// nothing else refers to.
pub fn erase_member_files(work: &UnitOfWork, member_id: MemberId) -> BoxFuture<'_, AppResult<()>> {
    Box::pin(async move {
        let rows = member_files(work, member_id).await?;
        if rows.is_empty() {
            return Ok(());
        }
        attachment::Entity::delete_many()
            .filter(attachment::Column::Id.is_in(rows.iter().map(|row| row.id)))
            .exec(work)
            .await?;
        let digests: Vec<String> = rows.into_iter().map(|row| row.sha256).collect();
        forget_unreferenced(work, &digests).await?;
        Ok(())
    })
}

async fn member_files(db: &impl sea_orm::ConnectionTrait, member_id: MemberId) -> AppResult<Vec<attachment::Model>> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::UploadedBy.eq(member_id))
        .filter(attachment::Column::TargetKind.eq(AttachmentTarget::Post))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(db)
        .await?)
}

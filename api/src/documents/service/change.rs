//! Changing an attachment (title, kind, place in its target's order) and removing it: the same
//! people as attach files (the target's rule). Removing the last reference to some bytes
//! removes their object at once, after the change committed.

use dkbm_entity::attachment::{self, AttachmentKind};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

use super::add::TITLE_MAX;
use super::targets::{Target, ensure_can_attach};
use crate::auth::{Viewer, ensure_signed_in};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::AttachmentId;
use crate::messages::MessageKey;
use crate::patch::Patch;
use crate::storage::{Storage, blobs};
use crate::validate;

/// A change of an attachment; `None` leaves a value as it is, `Some(None)` clears the title.
pub struct AttachmentChange {
    pub id: AttachmentId,
    pub title: Option<Option<String>>,
    pub kind: Option<AttachmentKind>,
    /// The new place among its target's attachments (0 first; past the end: last).
    pub position: Option<i32>,
}

/// The attachment `id`, locked, if the viewer may change it (NOT_FOUND when they cannot see
/// it, FORBIDDEN when they may not change it).
async fn for_change(work: &UnitOfWork, viewer: &Viewer, id: AttachmentId) -> AppResult<attachment::Model> {
    ensure_signed_in(viewer)?;
    let row = work
        .lock(attachment::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchAttachment))?;
    ensure_can_attach(work, viewer, Target::of(&row))
        .await
        .map_err(|error| match error {
            AppError::NotFound(_) => AppError::not_found(MessageKey::NoSuchAttachment),
            other => other,
        })?;
    Ok(row)
}

/// Changes an attachment's title, kind or place.
pub async fn update_attachment(
    writer: &Writer,
    viewer: &Viewer,
    change: AttachmentChange,
) -> AppResult<attachment::Model> {
    let title = match change.title {
        Some(Some(title)) => Some(validate::optional_text("input.title", Some(&title), TITLE_MAX)?),
        other => other,
    };
    let work = UnitOfWork::begin(writer).await?;
    let current = for_change(&work, viewer, change.id).await?;
    if let Some(position) = change.position {
        reorder(&work, &current, position).await?;
    }
    let mut row: attachment::ActiveModel = current.clone().into();
    let mut draft_title = current.title.clone();
    title.apply_to(&mut draft_title);
    row.title = Set(draft_title);
    if let Some(kind) = change.kind {
        row.kind = Set(kind);
    }
    row.updated_at = Set(now());
    row.update(&work).await?;
    let changed = attachment::Entity::find_by_id(change.id)
        .one(&work)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchAttachment))?;
    work.commit().await?;
    Ok(changed)
}

/// Moves `moved` to `position` among its target's attachments and numbers them 0, 1, 2 … again.
async fn reorder(db: &impl ConnectionTrait, moved: &attachment::Model, position: i32) -> AppResult<()> {
    let mut siblings: Vec<attachment::Model> = attachment::Entity::find()
        .filter(attachment::Column::TargetKind.eq(moved.target_kind))
        .filter(attachment::Column::TargetId.eq(moved.target_id))
        .filter(attachment::Column::Id.ne(moved.id))
        .order_by_asc(attachment::Column::Position)
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?;
    let at = usize::try_from(position.max(0)).unwrap_or(0).min(siblings.len());
    siblings.insert(at, moved.clone());
    for (index, sibling) in siblings.into_iter().enumerate() {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        if sibling.position != index {
            let mut row: attachment::ActiveModel = sibling.into();
            row.position = Set(index);
            row.update(db).await?;
        }
    }
    Ok(())
}

/// Removes an attachment; its bytes go from the store when nothing else refers to them.
pub async fn remove_attachment(
    writer: &Writer,
    storage: &Storage,
    viewer: &Viewer,
    id: AttachmentId,
) -> AppResult<AttachmentId> {
    let work = UnitOfWork::begin(writer).await?;
    let row = for_change(&work, viewer, id).await?;
    work.advisory_on_digest(&row.sha256).await?;
    attachment::Entity::delete_by_id(id).exec(&work).await?;
    let unreferenced = forget_unreferenced(&work, std::slice::from_ref(&row.sha256)).await?;
    super::add::reindex(&work, Target::of(&row)).await?;
    work.commit().await?;
    for sha256 in unreferenced {
        blobs::release_quietly(writer, storage, &sha256).await;
    }
    Ok(id)
}

/// Of these digests, the ones no attachment refers to any more: their rows deleted, for the
/// caller to release after its commit.
pub async fn forget_unreferenced(db: &impl ConnectionTrait, sha256: &[String]) -> AppResult<Vec<String>> {
    let mut unreferenced = Vec::new();
    for digest in sha256 {
        let references = attachment::Entity::find()
            .filter(attachment::Column::Sha256.eq(digest.as_str()))
            .count(db)
            .await?;
        if references == 0 {
            unreferenced.push(digest.clone());
        }
    }
    blobs::forget(db, &unreferenced).await?;
    Ok(unreferenced)
}

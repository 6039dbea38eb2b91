//! Attaching a file: who may (the target's rule), what is accepted (the type told by the bytes,
//! the size, the agency's quota), and the order that leaves no object without a row: the
//! object is written first, the rows commit after; a failed change releases the object again
//! (and the sweep does for an instance that died in between).

use axum::body::Bytes;
use dkbm_entity::agency;
use dkbm_entity::attachment::{self, AttachmentKind};
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use super::filetype::{FileType, clean_filename, detect};
use super::targets::{Editable, Target, ensure_can_attach};
use super::text::{self, Extracted};
use crate::auth::Viewer;
use crate::config::StorageConfig;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, AttachmentId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::storage::{Storage, blobs};
use crate::validate;

/// The longest title, in characters.
pub const TITLE_MAX: usize = 300;

/// A file to attach.
pub struct NewAttachment {
    pub target: Target,
    /// The name the client sent (cleaned here).
    pub filename: Option<String>,
    /// The bytes; none when the request carried no file.
    pub bytes: Option<Bytes>,
    pub title: Option<String>,
    pub kind: Option<AttachmentKind>,
}

/// What the checks made of an upload, ready to store.
struct Accepted {
    bytes: Bytes,
    sha256: String,
    file_type: FileType,
    filename: String,
    title: Option<String>,
    kind: AttachmentKind,
    extracted: Extracted,
}

/// Where an upload is stored and how much may be.
pub struct Store<'a> {
    pub writer: &'a Writer,
    pub storage: &'a Storage,
    pub config: &'a StorageConfig,
}

/// Attaches a file to a practice, an event or a post.
pub async fn add_attachment(store: Store<'_>, viewer: &Viewer, new: NewAttachment) -> AppResult<attachment::Model> {
    let editable = ensure_can_attach(store.writer.conn(), viewer, new.target).await?;
    let accepted = accept(store.config, new)?;
    blobs::put(store.storage, &accepted.sha256, accepted.bytes.clone()).await?;
    let sha256 = accepted.sha256.clone();
    let stored = insert(&store, viewer, &editable, accepted).await;
    if stored.is_err() {
        blobs::release_quietly(store.writer, store.storage, &sha256).await;
    }
    stored
}

/// The checks of an upload that need no database: a file, its size, its type, its names.
fn accept(config: &StorageConfig, new: NewAttachment) -> AppResult<Accepted> {
    let bytes = new
        .bytes
        .ok_or_else(|| AppError::bad_input("input.file", MessageKey::NoFileSent))?;
    if bytes.len() > config.max_upload_bytes() {
        return Err(AppError::bad_input(
            "input.file",
            Message::new(MessageKey::AttachmentTooLarge)
                .with("field", "input.file")
                .with("max", config.max_upload_mb),
        ));
    }
    let filename = clean_filename(new.filename.as_deref().unwrap_or_default());
    let file_type = detect(&bytes, &filename).ok_or_else(|| {
        AppError::bad_input(
            "input.file",
            Message::new(MessageKey::AttachmentTypeRefused).with("field", "input.file"),
        )
    })?;
    let title = validate::optional_text("input.title", new.title.as_deref(), TITLE_MAX)?;
    let extracted = text::extract(&bytes, file_type);
    Ok(Accepted {
        sha256: blobs::digest(&bytes),
        kind: new.kind.unwrap_or(file_type.kind),
        bytes,
        file_type,
        filename,
        title,
        extracted,
    })
}

/// The rows, in one change: the agency's quota checked under its row's lock (two uploads count
/// one after the other), the bytes kept, the attachment last in its target's order.
async fn insert(
    store: &Store<'_>,
    viewer: &Viewer,
    editable: &Editable,
    accepted: Accepted,
) -> AppResult<attachment::Model> {
    let work = UnitOfWork::begin(store.writer).await?;
    let size = i64::try_from(accepted.bytes.len()).unwrap_or(i64::MAX);
    if let Some(agency_id) = editable.agency_id {
        ensure_quota(&work, store.config, agency_id, size).await?;
    }
    blobs::keep(
        &work,
        store.storage,
        (&accepted.sha256, &accepted.bytes),
        accepted.file_type.content_type,
    )
    .await?;
    let target = editable.target;
    let last: Option<Option<i32>> = attachment::Entity::find()
        .select_only()
        .column_as(attachment::Column::Position.max(), "position")
        .filter(attachment::Column::TargetKind.eq(target.kind()))
        .filter(attachment::Column::TargetId.eq(target.uuid()))
        .into_tuple()
        .one(&work)
        .await?;
    let at = now();
    let row = attachment::ActiveModel {
        id: Set(AttachmentId::new().uuid()),
        target_kind: Set(target.kind()),
        target_id: Set(target.uuid()),
        agency_id: Set(editable.agency_id.map(TypedId::uuid)),
        uploaded_by: Set(viewer.member_id()),
        sha256: Set(accepted.sha256),
        filename: Set(accepted.filename),
        content_type: Set(accepted.file_type.content_type.to_owned()),
        byte_size: Set(size),
        title: Set(accepted.title),
        kind: Set(accepted.kind),
        position: Set(last.flatten().map_or(0, |position| position + 1)),
        page_count: Set(accepted.extracted.page_count),
        text_status: Set(accepted.extracted.status),
        extracted_text: Set(accepted.extracted.text),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await?;
    reindex(&work, target).await?;
    work.commit().await?;
    Ok(row)
}

/// The search index of the target, with its files' text (practices).
pub async fn reindex(db: &impl ConnectionTrait, target: Target) -> AppResult<()> {
    if let Target::Practice(practice) = target {
        crate::practices::service::reindex_practice(db, practice).await?;
    }
    Ok(())
}

/// QUOTA_EXCEEDED when `adding` bytes would take the agency past its quota; the agency's row
/// stays locked until the change commits.
async fn ensure_quota(work: &UnitOfWork, config: &StorageConfig, agency_id: AgencyId, adding: i64) -> AppResult<()> {
    work.lock(agency::Entity::find_by_id(agency_id)).await?;
    let used: Option<Option<i64>> = attachment::Entity::find()
        .select_only()
        .column_as(
            Expr::from(Func::cast_as(
                Func::sum(Expr::col(attachment::Column::ByteSize)),
                Alias::new("bigint"),
            )),
            "used",
        )
        .filter(attachment::Column::AgencyId.eq(agency_id))
        .into_tuple()
        .one(work)
        .await?;
    let used = used.flatten().unwrap_or(0);
    let quota = config.agency_quota_bytes();
    if used.saturating_add(adding) > quota {
        const MIB: i64 = 1024 * 1024;
        return Err(AppError::QuotaExceeded(
            Message::new(MessageKey::StorageQuotaExceeded)
                .with("max", config.agency_storage_quota_mb)
                .with("used", (used + MIB - 1) / MIB),
        ));
    }
    Ok(())
}

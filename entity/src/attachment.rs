//! A file attached to a good practice, a training event or a forum post: its name, type, size,
//! the SHA-256 of its bytes (which `storage_blob` holds once), and what was read from it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AttachmentTarget {
    /// A good practice.
    #[sea_orm(string_value = "PRACTICE")]
    Practice,
    /// A training event.
    #[sea_orm(string_value = "EVENT")]
    Event,
    /// A forum post.
    #[sea_orm(string_value = "POST")]
    Post,
}

/// What kind of document an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum AttachmentKind {
    #[sea_orm(string_value = "DOCUMENT")]
    Document,
    #[sea_orm(string_value = "IMAGE")]
    Image,
    #[sea_orm(string_value = "PRESENTATION")]
    Presentation,
    #[sea_orm(string_value = "SPREADSHEET")]
    Spreadsheet,
    #[sea_orm(string_value = "REPORT")]
    Report,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Whether the text of an attachment was read (for search).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TextStatus {
    /// The type holds no text to read (images).
    #[sea_orm(string_value = "NONE")]
    None,
    /// Not read yet.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Read.
    #[sea_orm(string_value = "DONE")]
    Done,
    /// Reading failed; the file is still downloadable.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub target_kind: AttachmentTarget,
    pub target_id: Uuid,
    /// The agency whose storage quota the file counts against (the practice's owner, the
    /// event's organiser); none for forum posts.
    pub agency_id: Option<Uuid>,
    pub uploaded_by: Option<Uuid>,
    /// Hex SHA-256 of the stored bytes (`storage_blob`).
    pub sha256: String,
    /// The cleaned file name (no path, no control characters, at most 200 bytes).
    pub filename: String,
    /// The media type decided from the bytes.
    pub content_type: String,
    pub byte_size: i64,
    pub title: Option<String>,
    pub kind: AttachmentKind,
    pub position: i32,
    pub page_count: Option<i32>,
    pub text_status: TextStatus,
    /// The text read from the file (PDF, office formats, plain text), for search.
    pub extracted_text: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

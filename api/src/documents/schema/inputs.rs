//! Inputs of documents' mutations.

use async_graphql::{ID, InputObject, MaybeUndefined};

use super::AttachmentKind;
use crate::graphql::FileUpload;

/// A file to attach.
#[derive(InputObject)]
pub struct AddAttachmentInput {
    /// The good practice, training event or forum post to attach it to (its global id).
    pub target_id: ID,
    /// The file, sent as a part of a GraphQL multipart request. Accepted: PDF, PNG, JPEG, WebP,
    /// DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV and plain text (told by the bytes, not the name), at
    /// most `--max-upload-mb` (25 MiB).
    pub file: FileUpload,
    /// A title to show instead of the file name (at most 300 characters).
    pub title: Option<String>,
    /// What kind of document it is (default: told by the type: a PDF is a DOCUMENT, a picture
    /// an IMAGE …).
    pub kind: Option<AttachmentKind>,
}

/// A change of an attachment; what is left out stays as it is.
#[derive(InputObject)]
pub struct UpdateAttachmentInput {
    /// The attachment's global id.
    pub id: ID,
    /// A new title (null clears it).
    pub title: MaybeUndefined<String>,
    /// A new kind.
    pub kind: Option<AttachmentKind>,
    /// A new place among its item's attachments (0 first; past the end: last).
    pub position: Option<i32>,
}

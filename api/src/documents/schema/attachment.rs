//! The `Attachment` object and its enums.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};

use crate::documents::service::{self, Shown};
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::AttachmentId;

/// What kind of document an attachment is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::attachment::AttachmentKind")]
pub enum AttachmentKind {
    /// A text document (concept paper, guideline, handout).
    Document,
    /// A photo or graphic.
    Image,
    /// Slides.
    Presentation,
    /// A table (spreadsheet, CSV).
    Spreadsheet,
    /// A report (e.g. a Bildungsbericht).
    Report,
    /// Anything else.
    Other,
}

/// Whether the text inside an attachment was read for search.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::attachment::TextStatus")]
pub enum TextStatus {
    /// The file holds no text to read (images, spreadsheets).
    None,
    /// Not read yet.
    Pending,
    /// Read: searches find the item by the words inside.
    Done,
    /// Could not be read (e.g. a scanned PDF without text); the file is still downloadable.
    Failed,
}

/// A file attached to a good practice, a training event or a forum post.
pub struct Attachment(pub Shown);

/// A file attached to a good practice, a training event or a forum post: a concept paper, a
/// report, slides, a photo.
#[Object]
impl Attachment {
    /// The attachment's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.row.id.into())
    }

    /// The file's name (cleaned: no folders, no control characters, at most 200 bytes).
    async fn filename(&self) -> &str {
        &self.0.row.filename
    }

    /// The media type, decided from the file's bytes (not its name).
    async fn content_type(&self) -> &str {
        &self.0.row.content_type
    }

    /// The size of the bytes served, in bytes.
    async fn byte_size(&self) -> i64 {
        self.0.row.byte_size
    }

    /// The SHA-256 of the bytes served (hex): the same file has the same digest.
    async fn sha256(&self) -> &str {
        &self.0.row.sha256
    }

    /// A title to show instead of the file name, if one was given.
    async fn title(&self) -> Option<&str> {
        self.0.row.title.as_deref()
    }

    /// What kind of document it is.
    async fn kind(&self) -> AttachmentKind {
        self.0.row.kind.into()
    }

    /// Its place among its item's attachments (0 first).
    async fn position(&self) -> i32 {
        self.0.row.position
    }

    /// When it was attached.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.row.created_at
    }

    /// Where to download it. Files of public items (published practices, events that are not
    /// cancelled, posts of public forums) have a plain link that anyone and any cache may use;
    /// the others a signed link that works without a bearer token (in an `<img>` tag) for
    /// `--signed-url-ttl-secs` and then answers 404.
    async fn url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let state = ctx.state()?;
        let path = service::link(
            &self.0,
            state.storage.signer(),
            state.config.storage.signed_url_ttl(),
            Utc::now().timestamp(),
        );
        Ok(state.mail.url(&path))
    }

    /// Pages of a PDF (null for other types, and for a PDF that could not be read).
    async fn page_count(&self) -> Option<i32> {
        self.0.row.page_count
    }

    /// Whether the text inside was read for search.
    async fn text_status(&self) -> TextStatus {
        self.0.row.text_status.into()
    }
}

impl Attachment {
    /// The typed id.
    pub fn attachment_id(&self) -> AttachmentId {
        self.0.row.id.into()
    }
}

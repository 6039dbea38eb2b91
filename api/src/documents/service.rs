//! Rules and database work of documents. The map:
//! - `filetype`: what an upload is, told by its bytes; its cleaned file name;
//! - `text`: the text read from PDFs, office documents and plain text (for search);
//! - `targets`: what attachments belong to (practices, events, posts) and those areas' rules:
//!   who may attach, who may see, what is public;
//! - `add`: attaching a file (the checks, the quota, the object before the rows);
//! - `change`: changing and removing attachments (the bytes released when nothing refers to
//!   them);
//! - `read`: attachments of a page of targets, one for `node(id:)`, the decision of a download;
//! - `links`: plain and signed download links, `Content-Disposition`;
//! - `privacy`: a member's files of posts in their data export and erasure;
//! - `sweep`: removing objects an interrupted upload left, once per period across replicas.

mod add;
mod change;
mod filetype;
mod links;
mod privacy;
mod read;
mod sweep;
mod targets;
mod text;

pub use add::{NewAttachment, Store, add_attachment};
pub use change::{AttachmentChange, remove_attachment, update_attachment};
pub use filetype::{FileType, detect};
pub use links::{content_disposition, download_path, link};
pub use privacy::{erase_member_files, export_member_files};
pub use read::{DownloadRequest, Shown, attachment_for_viewer, attachments_of, downloadable};
pub use sweep::{run_sweeps, sweep};
pub use targets::Target;
pub use text::{Extracted, extract};

//! The text of files attached to practices (the documents area reads it from PDFs and office
//! files and stores it on the attachment rows) is part of their search index: a practice is
//! found by a word that stands only in its concept paper. The index entry of a practice is
//! written here whenever its content or its attachments change.

use dkbm_entity::attachment::{self, AttachmentTarget};
use dkbm_entity::good_practice;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::db::fulltext::{self, Document};
use crate::error::AppResult;
use crate::ids::PracticeId;
use crate::markdown;
use crate::text::analysis as search;

/// The text of the files attached to a practice, in their order.
pub async fn attached_text(db: &impl ConnectionTrait, id: PracticeId) -> AppResult<String> {
    let texts: Vec<Option<String>> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::ExtractedText)
        .filter(attachment::Column::TargetKind.eq(AttachmentTarget::Practice))
        .filter(attachment::Column::TargetId.eq(id))
        .order_by_asc(attachment::Column::Position)
        .into_tuple()
        .all(db)
        .await?;
    Ok(texts.into_iter().flatten().collect::<Vec<_>>().join("\n"))
}

/// The body terms of a practice's index entry: its body's, then its files'.
pub fn body_terms(body_terms: String, attached: &str) -> String {
    if attached.trim().is_empty() {
        return body_terms;
    }
    format!("{body_terms} {}", search::indexed(attached))
}

/// Writes the practice's index entry again from its row and its files (after a file was
/// attached or removed), inside the caller's transaction.
pub async fn reindex_practice(db: &impl ConnectionTrait, id: PracticeId) -> AppResult<()> {
    let Some(practice) = good_practice::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let attached = attached_text(db, id).await?;
    let title = search::indexed(&practice.title);
    let summary = search::indexed(&practice.summary);
    let body = body_terms(search::indexed(&markdown::to_plain_text(&practice.body)), &attached);
    fulltext::remove(db, practice.number).await?;
    let document = Document {
        id: practice.id,
        number: practice.number,
        title: &title,
        summary: &summary,
        body: &body,
    };
    fulltext::index(db, &[document]).await?;
    Ok(())
}

//! Demo files: small real PDFs (written here with lopdf, nothing is downloaded) attached to two
//! demo practices, so that a search for a word that stands only in a file (`Sozialraum`) finds
//! its practice. Attaching again is skipped (a second seeding adds nothing).

use dkbm_entity::attachment::{self, AttachmentKind};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::App;
use crate::auth::Viewer;
use crate::documents::service::{NewAttachment, Store, Target, add_attachment};

/// The demo files: the practice, the file's name, its title and its pages.
const FILES: [(&str, &str, &str, &[&str]); 2] = [
    (
        "datengrundlage-bildungsbuero-bottrop",
        "Konzept Datengrundlage Bottrop.pdf",
        "Konzeptpapier (Demo)",
        &[
            "Konzept: eine Datengrundlage fuer die Bildungslandschaft Bottrop",
            "Kleinraeumiges Monitoring: Bildungsdaten nach Sozialraum und Stadtteil",
        ],
    ),
    (
        "bildungsbericht-ruhr-regionales-monitoring",
        "Bildungsbericht Ruhr Auszug.pdf",
        "Bildungsbericht Ruhr, Auszug (Demo)",
        &[
            "Bildungsbericht Ruhr: Auszug mit erfundenen Zahlen",
            "Uebergang Schule und Beruf: Anschlussquoten im Vergleich",
        ],
    ),
];

/// Attaches the demo files that are missing; answers how many were attached.
pub async fn demo_attachments(app: &App, operator: &Viewer) -> anyhow::Result<usize> {
    let state = &app.state;
    let mut attached = 0;
    for (slug, filename, title, pages) in FILES {
        let Some(practice) = crate::practices::service::practice_by_slug(state.conn(), operator, slug).await? else {
            continue;
        };
        let present = attachment::Entity::find()
            .filter(attachment::Column::TargetId.eq(practice.id))
            .filter(attachment::Column::Filename.eq(filename))
            .count(state.conn())
            .await?;
        if present > 0 {
            continue;
        }
        let store = Store {
            writer: &state.writer,
            storage: &state.storage,
            config: &state.config.storage,
        };
        let new = NewAttachment {
            target: Target::Practice(practice.id.into()),
            filename: Some(filename.to_owned()),
            bytes: Some(pdf(pages)?.into()),
            title: Some(title.to_owned()),
            kind: Some(AttachmentKind::Report),
        };
        add_attachment(store, operator, new).await?;
        attached += 1;
    }
    Ok(attached)
}

/// A PDF with one page per text, in Helvetica.
fn pdf(pages: &[&str]) -> anyhow::Result<Vec<u8>> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font = document.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids: Vec<Object> = Vec::new();
    for text in pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 12.into()]),
                Operation::new("Td", vec![72.into(), 770.into()]),
                Operation::new("Tj", vec![Object::string_literal(*text)]),
                Operation::new("ET", vec![]),
            ],
        };
        let contents = document.add_object(Stream::new(dictionary! {}, content.encode()?));
        kids.push(
            document
                .add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => contents })
                .into(),
        );
    }
    let count = i64::try_from(kids.len())?;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes)?;
    Ok(bytes)
}

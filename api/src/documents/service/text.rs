//! The text inside a stored file, read for search: every page of a PDF (`lopdf`), the paragraphs
//! of DOCX and ODT, the slides of PPTX and ODP (their XML read with `quick-xml`), plain text
//! and CSV as they are. A file whose text cannot be read is still stored: its status says
//! FAILED; a type without text (images, spreadsheets) says NONE.

use std::io::Read;

use dkbm_entity::attachment::TextStatus;
use quick_xml::events::Event;

use super::filetype::{DOCX, FileType, ODP, ODT, PDF, PPTX};

/// The most text kept of one file, in bytes (the search needs its words, not a whole book).
const TEXT_MAX_BYTES: usize = 1024 * 1024;
/// The most of one ZIP entry read, in bytes (a ZIP bomb stops here).
const ENTRY_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What was read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub status: TextStatus,
    pub text: Option<String>,
    /// Pages of a PDF.
    pub page_count: Option<i32>,
}

impl Extracted {
    fn none() -> Extracted {
        Extracted {
            status: TextStatus::None,
            text: None,
            page_count: None,
        }
    }

    fn failed(page_count: Option<i32>) -> Extracted {
        Extracted {
            status: TextStatus::Failed,
            text: None,
            page_count,
        }
    }

    fn read(text: String, page_count: Option<i32>) -> Extracted {
        Extracted {
            status: TextStatus::Done,
            text: Some(truncated(text)),
            page_count,
        }
    }
}

/// The text of `bytes` of type `file_type`.
pub fn extract(bytes: &[u8], file_type: FileType) -> Extracted {
    if !file_type.has_text {
        return Extracted::none();
    }
    match file_type {
        PDF => pdf(bytes),
        DOCX => from_zip(bytes, |name| name == "word/document.xml", "p"),
        PPTX => from_zip(
            bytes,
            |name| name.starts_with("ppt/slides/slide") && name.ends_with(".xml"),
            "p",
        ),
        ODT | ODP => from_zip(bytes, |name| name == "content.xml", "p"),
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => Extracted::read(text.trim_start_matches('\u{feff}').to_owned(), None),
            Err(_) => Extracted::failed(None),
        },
    }
}

/// Every page's text, pages separated by a form feed (so that a hit can name its page).
fn pdf(bytes: &[u8]) -> Extracted {
    let Ok(document) = lopdf::Document::load_mem(bytes) else {
        return Extracted::failed(None);
    };
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let page_count = i32::try_from(pages.len()).ok();
    let mut text = String::new();
    for page in &pages {
        if let Ok(page_text) = document.extract_text(&[*page]) {
            text.push_str(page_text.trim());
        }
        text.push('\u{c}');
        if text.len() > TEXT_MAX_BYTES {
            break;
        }
    }
    if text.trim().is_empty() {
        // A scan: pages of pictures. Downloadable, but nothing to search.
        return Extracted::failed(page_count);
    }
    Extracted::read(text, page_count)
}

/// The text of the XML entries `wanted` names, in the archive's order; a paragraph (an element
/// with the local name `paragraph`) ends a line.
fn from_zip(bytes: &[u8], wanted: impl Fn(&str) -> bool, paragraph: &str) -> Extracted {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Extracted::failed(None);
    };
    let mut names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| wanted(name))
        .map(|name| name.into_owned())
        .collect();
    // Slides in their order (slide2 before slide10).
    names.sort_by_key(|name| (name.len(), name.clone()));
    let mut text = String::new();
    for name in names {
        let Ok(entry) = archive.by_name(&name) else {
            return Extracted::failed(None);
        };
        let mut xml = Vec::new();
        if entry.take(ENTRY_MAX_BYTES).read_to_end(&mut xml).is_err() || !xml_text(&xml, paragraph, &mut text) {
            return Extracted::failed(None);
        }
        text.push('\u{c}');
        if text.len() > TEXT_MAX_BYTES {
            break;
        }
    }
    Extracted::read(text, None)
}

/// Appends the text nodes of `xml` to `out`; false if it is not well-formed.
fn xml_text(xml: &[u8], paragraph: &str, out: &mut String) -> bool {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Text(text)) => out.push_str(&text.xml10_content()),
            Ok(Event::GeneralRef(reference)) => match reference.resolve_char_ref() {
                Ok(Some(character)) => out.push(character),
                _ => {
                    let name = reference.xml10_content();
                    out.push_str(quick_xml::escape::resolve_xml_entity(&name).unwrap_or_default());
                }
            },
            Ok(Event::End(end)) if end.local_name().as_ref() == paragraph => out.push('\n'),
            Ok(Event::Eof) => return true,
            Err(_) => return false,
            Ok(_) => {}
        }
        buffer.clear();
    }
}

/// At most [`TEXT_MAX_BYTES`], cut at a character boundary.
fn truncated(mut text: String) -> String {
    if text.len() > TEXT_MAX_BYTES {
        let mut cut = TEXT_MAX_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paragraphs_of_a_docx_are_read() {
        use std::io::Write;
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer
            .start_file("word/document.xml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        writer
            .write_all(
                br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Sozialraum &amp; Schule</w:t></w:r></w:p><w:p><w:r><w:t>Zweiter</w:t></w:r></w:p></w:body></w:document>"#,
            )
            .expect("write");
        let bytes = writer.finish().expect("zip").into_inner();
        let extracted = extract(&bytes, DOCX);
        assert_eq!(extracted.status, TextStatus::Done);
        assert_eq!(extracted.text.as_deref(), Some("Sozialraum & Schule\nZweiter\n\u{c}"));
    }

    #[test]
    fn an_unreadable_pdf_fails_but_is_no_error() {
        let extracted = extract(b"%PDF-1.7 garbage", PDF);
        assert_eq!(extracted.status, TextStatus::Failed);
    }
}

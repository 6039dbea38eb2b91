//! What an upload is, told by its bytes and never by its name: PDF, PNG, JPEG and WebP by their
//! signatures; the office formats (DOCX, XLSX, PPTX, ODT, ODS, ODP) by what their ZIP holds;
//! plain text and CSV as valid UTF-8 that is not markup. Everything else (SVG and HTML, which
//! can carry script; executables, whatever their name says) is refused. And the file name a
//! download will carry, cleaned.

use std::io::Read;

use dkbm_entity::attachment::AttachmentKind;

/// The longest file name kept, in bytes.
pub const FILENAME_MAX_BYTES: usize = 200;

/// A type the platform stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// The media type served.
    pub content_type: &'static str,
    /// The kind an attachment of this type is unless the uploader says otherwise.
    pub kind: AttachmentKind,
    /// Whether text can be read from it for search.
    pub has_text: bool,
}

const fn file_type(content_type: &'static str, kind: AttachmentKind, has_text: bool) -> FileType {
    FileType {
        content_type,
        kind,
        has_text,
    }
}

pub const PDF: FileType = file_type("application/pdf", AttachmentKind::Document, true);
const PNG: FileType = file_type("image/png", AttachmentKind::Image, false);
const JPEG: FileType = file_type("image/jpeg", AttachmentKind::Image, false);
const WEBP: FileType = file_type("image/webp", AttachmentKind::Image, false);
pub const DOCX: FileType = file_type(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    AttachmentKind::Document,
    true,
);
const XLSX: FileType = file_type(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    AttachmentKind::Spreadsheet,
    false,
);
pub const PPTX: FileType = file_type(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    AttachmentKind::Presentation,
    true,
);
pub const ODT: FileType = file_type(
    "application/vnd.oasis.opendocument.text",
    AttachmentKind::Document,
    true,
);
const ODS: FileType = file_type(
    "application/vnd.oasis.opendocument.spreadsheet",
    AttachmentKind::Spreadsheet,
    false,
);
pub const ODP: FileType = file_type(
    "application/vnd.oasis.opendocument.presentation",
    AttachmentKind::Presentation,
    true,
);
const CSV: FileType = file_type("text/csv; charset=utf-8", AttachmentKind::Spreadsheet, true);
pub const TEXT: FileType = file_type("text/plain; charset=utf-8", AttachmentKind::Document, true);

/// The type of `bytes`, if the platform stores it; `filename` only tells CSV from plain text.
pub fn detect(bytes: &[u8], filename: &str) -> Option<FileType> {
    match infer::get(bytes).map(|found| found.mime_type()) {
        Some("application/pdf") => return Some(PDF),
        Some("image/png") => return Some(PNG),
        Some("image/jpeg") => return Some(JPEG),
        Some("image/webp") => return Some(WEBP),
        Some(_) if bytes.starts_with(b"PK\x03\x04") => return office(bytes),
        Some(_) => return None,
        None => {}
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office(bytes);
    }
    text(bytes, filename)
}

/// An office document: an OpenDocument names its type in its first entry `mimetype`; an
/// Office Open XML file holds its main part where the format puts it.
fn office(bytes: &[u8]) -> Option<FileType> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    if let Ok(entry) = archive.by_name("mimetype") {
        let mut declared = String::new();
        entry.take(100).read_to_string(&mut declared).ok()?;
        return match declared.trim() {
            "application/vnd.oasis.opendocument.text" => Some(ODT),
            "application/vnd.oasis.opendocument.spreadsheet" => Some(ODS),
            "application/vnd.oasis.opendocument.presentation" => Some(ODP),
            _ => None,
        };
    }
    let holds = |name: &str| archive.index_for_name(name).is_some();
    if holds("[Content_Types].xml") {
        if holds("word/document.xml") {
            return Some(DOCX);
        }
        if holds("xl/workbook.xml") {
            return Some(XLSX);
        }
        if holds("ppt/presentation.xml") {
            return Some(PPTX);
        }
    }
    None
}

/// Plain text or CSV: UTF-8 without control characters (tabs, line and page breaks aside) that
/// does not start as markup (`<svg`, `<html`, `<?xml` …: a browser could run what it holds).
fn text(bytes: &[u8], filename: &str) -> Option<FileType> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() || text.trim_start().starts_with('<') {
        return None;
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    {
        return None;
    }
    let csv = filename.to_ascii_lowercase().ends_with(".csv");
    Some(if csv { CSV } else { TEXT })
}

/// The file name a download carries: the last part of what the client sent (no folders), no
/// control or direction-changing characters, no leading dots, at most 200 bytes (the end with
/// the extension kept); `datei` when nothing is left.
pub fn clean_filename(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = last
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let kept = kept.trim().trim_start_matches('.').trim();
    if kept.is_empty() {
        return "datei".to_owned();
    }
    if kept.len() <= FILENAME_MAX_BYTES {
        return kept.to_owned();
    }
    let (stem, extension) = match kept.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && extension.len() <= 16 => (stem, format!(".{extension}")),
        _ => (kept, String::new()),
    };
    let mut cut = FILENAME_MAX_BYTES - extension.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{extension}", &stem[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_not_the_name() {
        assert_eq!(detect(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "bericht.pdf"), Some(PDF));
        assert_eq!(detect(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "bericht.pdf"), None);
        assert_eq!(detect(b"\x7fELF\x02\x01\x01\x00", "bericht.pdf"), None);
        assert_eq!(
            detect(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>", "bild.png"),
            None
        );
        assert_eq!(detect(b"  <!DOCTYPE html><html></html>", "notiz.txt"), None);
        assert_eq!(detect("Übergang Schule–Beruf\n".as_bytes(), "notiz.txt"), Some(TEXT));
        assert_eq!(detect(b"ags;jahr\n05512000;2023\n", "werte.CSV"), Some(CSV));
        assert_eq!(detect(b"\xff\xfe\x00\x00", "kaputt.txt"), None);
        assert_eq!(detect(b"text\x00with nul", "a.txt"), None);
    }

    #[test]
    fn office_files_are_told_by_their_contents() {
        use std::io::Write;
        let zip = |entries: &[(&str, &str)]| {
            let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            for (name, content) in entries {
                writer
                    .start_file(*name, zip::write::SimpleFileOptions::default())
                    .expect("entry");
                writer.write_all(content.as_bytes()).expect("write");
            }
            writer.finish().expect("zip").into_inner()
        };
        let docx = zip(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ]);
        assert_eq!(detect(&docx, "x.bin"), Some(DOCX));
        let odp = zip(&[("mimetype", "application/vnd.oasis.opendocument.presentation")]);
        assert_eq!(detect(&odp, "x.zip"), Some(ODP));
        let plain = zip(&[("readme.txt", "hallo")]);
        assert_eq!(detect(&plain, "x.docx"), None);
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_filename("C:\\Users\\x\\Bericht 2023.pdf"), "Bericht 2023.pdf");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\u{0}b\u{202e}fdp.exe"), "abfdp.exe");
        assert_eq!(clean_filename("..."), "datei");
        let long = format!("{}.pdf", "ä".repeat(150));
        let cleaned = clean_filename(&long);
        assert!(
            cleaned.len() <= FILENAME_MAX_BYTES && cleaned.ends_with(".pdf"),
            "{cleaned}"
        );
    }
}

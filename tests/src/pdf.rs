//! Reading the text of a PDF the server wrote, independently of how it was written: `lopdf`
//! parses the file; the text is decoded through each font's ToUnicode CMap (read here, because
//! lopdf's own CMap parser refuses the standard PostScript header many writers put first).

use std::collections::HashMap;

use lopdf::{Document, Object, ObjectId};

/// A font's ToUnicode table: 2-byte codes to text.
type CMap = HashMap<u16, String>;

fn hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

/// The `bfchar` entries of a CMap (what simple writers emit).
fn parse_cmap(text: &str) -> CMap {
    let mut map = CMap::new();
    for section in text.split("beginbfchar").skip(1) {
        let body = section.split("endbfchar").next().unwrap_or_default();
        let tokens: Vec<&str> = body
            .split(['<', '>'])
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .collect();
        for pair in tokens.chunks(2) {
            if let [code, unicode] = pair
                && let (Some(code), Some(unicode)) = (hex(code), hex(unicode))
                && code.len() == 2
            {
                let units: Vec<u16> = unicode
                    .chunks(2)
                    .map(|unit| u16::from_be_bytes([unit[0], unit[1]]))
                    .collect();
                map.insert(u16::from_be_bytes([code[0], code[1]]), String::from_utf16_lossy(&units));
            }
        }
    }
    map
}

/// The ToUnicode table of each font of a page, by resource name.
fn font_maps(document: &Document, page: ObjectId) -> HashMap<Vec<u8>, CMap> {
    let mut maps = HashMap::new();
    let Ok(fonts) = document.get_page_fonts(page) else {
        return maps;
    };
    for (name, font) in fonts {
        let stream = font
            .get(b"ToUnicode")
            .ok()
            .and_then(|reference| reference.as_reference().ok())
            .and_then(|id| document.get_object(id).ok())
            .and_then(|object| object.as_stream().ok());
        if let Some(stream) = stream {
            let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
            maps.insert(name, parse_cmap(&String::from_utf8_lossy(&content)));
        }
    }
    maps
}

fn decode(bytes: &[u8], map: Option<&CMap>) -> String {
    let Some(map) = map else {
        return String::from_utf8_lossy(bytes).into_owned();
    };
    bytes
        .chunks_exact(2)
        .map(|code| u16::from_be_bytes([code[0], code[1]]))
        .filter_map(|code| map.get(&code).cloned())
        .collect()
}

/// The text of every page, one line per text-showing operation.
pub fn text(bytes: &[u8]) -> String {
    let document = Document::load_mem(bytes).expect("a PDF that lopdf parses");
    let mut lines = Vec::new();
    for page in document.get_pages().values() {
        let maps = font_maps(&document, *page);
        let content = document.get_and_decode_page_content(*page).expect("the page's content");
        let mut font: Option<Vec<u8>> = None;
        for operation in content.operations {
            match operation.operator.as_str() {
                "Tf" => {
                    font = operation
                        .operands
                        .first()
                        .and_then(|name| name.as_name().ok())
                        .map(<[u8]>::to_vec)
                }
                "Tj" | "TJ" => {
                    let map = font.as_ref().and_then(|name| maps.get(name));
                    let mut line = String::new();
                    let mut push = |object: &Object| {
                        if let Object::String(bytes, _) = object {
                            line.push_str(&decode(bytes, map));
                        }
                    };
                    for operand in &operation.operands {
                        match operand {
                            Object::Array(items) => items.iter().for_each(&mut push),
                            other => push(other),
                        }
                    }
                    lines.push(line);
                }
                _ => {}
            }
        }
    }
    lines.join("\n")
}

/// Whether the PDF embeds its fonts (a TrueType or OpenType font file).
pub fn embeds_fonts(bytes: &[u8]) -> bool {
    let document = Document::load_mem(bytes).expect("a PDF that lopdf parses");
    document.objects.values().any(|object| {
        object
            .as_dict()
            .is_ok_and(|dict| dict.has(b"FontFile2") || dict.has(b"FontFile3") || dict.has(b"FontFile"))
    })
}

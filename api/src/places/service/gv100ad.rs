//! Reading Destatis' GV100AD file (Gemeindeverzeichnis, fixed-width UTF-8 text, one record a
//! line, LF or CRLF). Positions count characters, from 1:
//!
//! | positions | field |
//! |---|---|
//! | 1–2 | record type: 10 Land, 20 Regierungsbezirk, 30 Region, 40 Kreis, 50 Gemeindeverband, 60 Gemeinde |
//! | 3–10 | Gebietsstand (YYYYMMDD) |
//! | 11–12, 13, 14–15 | Land, Regierungsbezirk, Kreis |
//! | 16–19 | Gemeindeverband (records 50, 60) |
//! | 20–22 | Gemeinde (record 60) |
//! | 23–72 | name |
//! | 123–124 | Textkennzeichen (the kind: 41 kreisfreie Stadt, 42 Stadtkreis, 43 Kreis, 44 Landkreis, 45 Regionalverband …) |
//! | 129–139 | area in hectares (record 60) |
//! | 140–150 | population (record 60) |
//!
//! Pure: text in, records out, or the first malformed line with its number and reason.

use chrono::NaiveDate;

use crate::messages::{Message, MessageKey};

/// One record of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line it came from (1 is the first).
    pub line: u64,
    pub kind: RecordKind,
    /// The record's key: 2 digits for a Land, 3 for a Regierungsbezirk, 5 for a Kreis, 9 for a
    /// Gemeindeverband (Kreis and association key), 8 for a Gemeinde (the AGS).
    pub key: String,
    /// For a Gemeinde: the key of its Gemeindeverband (9 digits).
    pub association: Option<String>,
    pub name: String,
    /// The Textkennzeichen (e.g. 41 for a kreisfreie Stadt).
    pub text_code: Option<u8>,
    pub area_hectares: Option<i64>,
    pub population: Option<i64>,
}

/// The record types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Land,
    Regierungsbezirk,
    /// A planning region (Baden-Württemberg); read, not kept as a place.
    Region,
    Kreis,
    Gemeindeverband,
    Gemeinde,
}

/// A whole file: its Gebietsstand and its records in file order.
#[derive(Debug, Clone)]
pub struct Directory {
    pub reference: NaiveDate,
    pub records: Vec<Record>,
}

/// The first malformed line and what is wrong with it.
#[derive(Debug, Clone)]
pub struct Malformed {
    pub line: u64,
    pub reason: Message,
}

impl Malformed {
    fn new(line: u64, reason: impl Into<Message>) -> Self {
        Malformed {
            line,
            reason: reason.into(),
        }
    }
}

/// Characters `from..=to` (1-based) of a line, trimmed; empty when the line is shorter.
fn field(chars: &[char], from: usize, to: usize) -> String {
    let end = to.min(chars.len());
    if from > end {
        return String::new();
    }
    chars[from - 1..end].iter().collect::<String>().trim().to_owned()
}

fn digits(line: u64, key: &str) -> Result<(), Malformed> {
    if key.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Malformed::new(
            line,
            Message::new(MessageKey::DirectoryBadKey).with("key", key),
        ))
    }
}

fn number(line: u64, what: &str, text: &str) -> Result<Option<i64>, Malformed> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>().map(Some).map_err(|_| {
        Malformed::new(
            line,
            Message::new(MessageKey::DirectoryBadNumber)
                .with("what", what)
                .with("value", text),
        )
    })
}

/// The key of a record from its key fields: positions 11–22, as far as its type needs them.
fn key_of(kind: RecordKind, chars: &[char]) -> (String, Option<String>) {
    let district = field(chars, 11, 15);
    match kind {
        RecordKind::Land => (field(chars, 11, 12), None),
        RecordKind::Regierungsbezirk => (field(chars, 11, 13), None),
        RecordKind::Region => (field(chars, 11, 14), None),
        RecordKind::Kreis => (district, None),
        RecordKind::Gemeindeverband => (format!("{district}{}", field(chars, 16, 19)), None),
        RecordKind::Gemeinde => {
            let association = format!("{district}{}", field(chars, 16, 19));
            (format!("{district}{}", field(chars, 20, 22)), Some(association))
        }
    }
}

/// The key lengths of each record type.
fn key_length(kind: RecordKind) -> usize {
    match kind {
        RecordKind::Land => 2,
        RecordKind::Regierungsbezirk => 3,
        RecordKind::Region => 4,
        RecordKind::Kreis => 5,
        RecordKind::Gemeindeverband => 9,
        RecordKind::Gemeinde => 8,
    }
}

fn record_kind(line: u64, code: &str) -> Result<RecordKind, Malformed> {
    Ok(match code {
        "10" => RecordKind::Land,
        "20" => RecordKind::Regierungsbezirk,
        "30" => RecordKind::Region,
        "40" => RecordKind::Kreis,
        "50" => RecordKind::Gemeindeverband,
        "60" => RecordKind::Gemeinde,
        _ => {
            return Err(Malformed::new(
                line,
                Message::new(MessageKey::DirectoryRecordType).with("kind", code),
            ));
        }
    })
}

/// Reads one non-empty line.
fn record(line: u64, text: &str) -> Result<(NaiveDate, Record), Malformed> {
    let chars: Vec<char> = text.chars().collect();
    let kind = record_kind(line, &field(&chars, 1, 2))?;
    // A Gemeinde needs its population (up to 150); the others their name (up to 72, trailing
    // blanks may be cut).
    let needed = if kind == RecordKind::Gemeinde { 150 } else { 23 };
    if chars.len() < needed {
        return Err(Malformed::new(
            line,
            Message::new(MessageKey::DirectoryShortLine)
                .with("length", chars.len())
                .with("kind", field(&chars, 1, 2))
                .with("needed", needed),
        ));
    }
    let date_text = field(&chars, 3, 10);
    let reference = NaiveDate::parse_from_str(&date_text, "%Y%m%d").map_err(|_| {
        Malformed::new(
            line,
            Message::new(MessageKey::DirectoryBadDate).with("date", &date_text),
        )
    })?;
    let (key, association) = key_of(kind, &chars);
    digits(line, &key)?;
    if key.len() != key_length(kind) {
        return Err(Malformed::new(
            line,
            Message::new(MessageKey::DirectoryBadKey).with("key", &key),
        ));
    }
    if let Some(association) = &association {
        digits(line, association)?;
    }
    let name = field(&chars, 23, 72);
    if name.is_empty() {
        return Err(Malformed::new(line, MessageKey::DirectoryNoName));
    }
    let text_code = number(line, "Textkennzeichen", &field(&chars, 123, 124))?.and_then(|code| u8::try_from(code).ok());
    let (area_hectares, population) = if kind == RecordKind::Gemeinde {
        (
            number(line, "Fläche", &field(&chars, 129, 139))?,
            number(line, "Bevölkerung", &field(&chars, 140, 150))?,
        )
    } else {
        (None, None)
    };
    Ok((
        reference,
        Record {
            line,
            kind,
            key,
            association,
            name,
            text_code,
            area_hectares,
            population,
        },
    ))
}

/// Reads a whole file; the first malformed line refuses it.
pub fn parse(content: &[u8]) -> Result<Directory, Malformed> {
    let content = content.strip_prefix(b"\xef\xbb\xbf").unwrap_or(content);
    let text = std::str::from_utf8(content).map_err(|error| {
        let line = content[..error.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        Malformed::new(line, MessageKey::DirectoryNotUtf8)
    })?;
    let mut reference: Option<(NaiveDate, u64)> = None;
    let mut records = Vec::new();
    let mut seen: std::collections::HashMap<(String, u8), u64> = std::collections::HashMap::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let (date, record) = record(line, raw)?;
        match reference {
            None => reference = Some((date, line)),
            Some((first, _)) if first != date => {
                let reason = Message::new(MessageKey::DirectoryMixedDates)
                    .with("first", first.format("%Y%m%d"))
                    .with("other", date.format("%Y%m%d"));
                return Err(Malformed::new(line, reason));
            }
            Some(_) => {}
        }
        let slot = (record.key.clone(), record.kind as u8);
        if let Some(first) = seen.insert(slot, line) {
            let reason = Message::new(MessageKey::DirectoryDuplicate)
                .with("key", &record.key)
                .with("first", first);
            return Err(Malformed::new(line, reason));
        }
        records.push(record);
    }
    let Some((reference, _)) = reference else {
        return Err(Malformed::new(1, MessageKey::DirectoryEmpty));
    };
    Ok(Directory { reference, records })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pad(text: &str, width: usize) -> String {
        format!("{text:<width$}")
    }

    pub fn gemeinde(key: &str, association: &str, name: &str, hectares: i64, population: i64) -> String {
        let head = format!("6020181231{}{}{}", &key[..5], association, &key[5..]);
        format!(
            "{}{}{}{}{:>11}{:>11}",
            pad(&head, 22),
            pad(name, 100),
            "63",
            "    ",
            format!("{hectares:011}"),
            format!("{population:011}")
        )
    }

    #[test]
    fn reads_each_record_type() {
        let file = [
            format!("{}{}", pad("102018123105", 22), "Nordrhein-Westfalen"),
            format!("{}{}", pad("2020181231051", 22), "Reg.-Bez. Düsseldorf"),
            format!("{}{}{}", pad("402018123105512", 22), pad("Bottrop, Stadt", 100), "41"),
            gemeinde("05512000", "0000", "Bottrop, Stadt", 10061, 117383),
        ]
        .join("\r\n");
        let parsed = parse(file.as_bytes()).expect("parsed");
        assert_eq!(parsed.reference, NaiveDate::from_ymd_opt(2018, 12, 31).unwrap());
        let keys: Vec<&str> = parsed.records.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["05", "051", "05512", "05512000"]);
        assert_eq!(parsed.records[2].text_code, Some(41));
        assert_eq!(parsed.records[3].population, Some(117383));
        assert_eq!(parsed.records[3].area_hectares, Some(10061));
        assert_eq!(parsed.records[3].association.as_deref(), Some("055120000"));
        assert_eq!(parsed.records[1].name, "Reg.-Bez. Düsseldorf");
    }

    #[test]
    fn names_the_malformed_line() {
        let file = format!("{}{}\n{}", pad("102018123105", 22), "Nordrhein-Westfalen", "99garbage");
        let refused = parse(file.as_bytes()).expect_err("refused");
        assert_eq!(refused.line, 2);
        let short = format!(
            "{}\n{}",
            gemeinde("05512000", "0000", "Bottrop", 1, 2),
            "6020181231055120000001Kurz"
        );
        assert_eq!(parse(short.as_bytes()).expect_err("short").line, 2);
    }
}

//! Reading an import file: the flat CSV of the statistical offices' GENESIS databases (`ffcsv`:
//! one value per line, English column names) and the plain `ags;year;code;value` CSV. Pure: bytes
//! in, lines and rejections out; what the lines name (AGS, codes) is resolved by `import`.

use dkbm_entity::ValueFlag;

use crate::messages::{Message, MessageKey};

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// GENESIS flat CSV (`ffcsv`): `statistics_code;…;time;…;N_variable_code;N_variable_attribute_code;…;value;value_unit;value_variable_code;…;value_q`.
    Genesis,
    /// `ags;year;code;value`, with or without that header line.
    Plain,
}

/// A number, or the special sign that stands instead of one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    Number(f64),
    Sign(ValueFlag),
}

/// One value line of a file, not yet resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueLine {
    /// The line number in the file (1 is the first line).
    pub line: u64,
    pub ags: String,
    pub year: i32,
    pub code: String,
    pub reading: Reading,
}

/// A line that cannot be imported, and why.
#[derive(Debug, Clone)]
pub struct Rejection {
    pub line: u64,
    pub reason: Message,
}

impl Rejection {
    pub fn new(line: u64, reason: impl Into<Message>) -> Self {
        Rejection {
            line,
            reason: reason.into(),
        }
    }
}

/// What a file holds.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub format: Option<ImportFormat>,
    pub lines: Vec<ValueLine>,
    pub rejected: Vec<Rejection>,
}

/// The GENESIS variables whose attribute code is a regional key (AGS or district key).
const REGIONAL_VARIABLES: [&str; 6] = ["GEMEIN", "KREISE", "REGBEZ", "DLAND", "GVB", "DINSG"];

/// Where the columns of a GENESIS file are.
struct GenesisColumns {
    time: usize,
    value: usize,
    value_q: Option<usize>,
    variable: usize,
    /// `(N_variable_code, N_variable_attribute_code)` column pairs, in order.
    breakdowns: Vec<(usize, usize)>,
}

impl GenesisColumns {
    fn from_header(header: &csv::ByteRecord) -> Option<Self> {
        let names: Vec<String> = header
            .iter()
            .map(|name| {
                String::from_utf8_lossy(name)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_lowercase()
            })
            .collect();
        let find = |wanted: &str| names.iter().position(|name| name == wanted);
        let mut breakdowns = Vec::new();
        for n in 1..=9 {
            if let (Some(code), Some(attribute)) = (
                find(&format!("{n}_variable_code")),
                find(&format!("{n}_variable_attribute_code")),
            ) {
                breakdowns.push((code, attribute));
            }
        }
        Some(GenesisColumns {
            time: find("time")?,
            value: find("value")?,
            value_q: find("value_q"),
            variable: find("value_variable_code")?,
            breakdowns,
        })
    }
}

/// Reads a whole file. A header that fits neither format rejects line 1 and nothing else is read.
pub fn parse(content: &[u8]) -> ParsedFile {
    let content = content.strip_prefix(b"\xef\xbb\xbf").unwrap_or(content);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(content);
    let mut records = reader.byte_records();
    let mut parsed = ParsedFile::default();
    let Some(first) = records.next() else {
        parsed.rejected.push(Rejection::new(1, MessageKey::ImportEmpty));
        return parsed;
    };
    let first = match first {
        Ok(record) => record,
        Err(error) => {
            parsed.rejected.push(csv_rejection(1, &error));
            return parsed;
        }
    };
    let genesis = GenesisColumns::from_header(&first);
    let plain_header = first.len() == 4 && field(&first, 0).eq_ignore_ascii_case("ags");
    let line_of = |record: &csv::ByteRecord| record.position().map_or(0, csv::Position::line);
    let read_line = |record: &csv::ByteRecord, parsed: &mut ParsedFile| {
        let line = line_of(record);
        let result = match &genesis {
            Some(columns) => genesis_line(columns, record, line),
            None => plain_line(record, line),
        };
        match result {
            Ok(value) => parsed.lines.push(value),
            Err(reason) => parsed.rejected.push(Rejection::new(line, reason)),
        }
    };
    if genesis.is_some() {
        parsed.format = Some(ImportFormat::Genesis);
    } else if plain_header || first.len() == 4 {
        parsed.format = Some(ImportFormat::Plain);
        if !plain_header {
            read_line(&first, &mut parsed);
        }
    } else {
        parsed.rejected.push(Rejection::new(1, MessageKey::ImportHeader));
        return parsed;
    }
    for (index, record) in records.enumerate() {
        match record {
            Ok(record) => read_line(&record, &mut parsed),
            Err(error) => parsed.rejected.push(csv_rejection(index as u64 + 2, &error)),
        }
    }
    if parsed.lines.is_empty() && parsed.rejected.is_empty() {
        parsed.rejected.push(Rejection::new(1, MessageKey::ImportEmpty));
    }
    parsed
}

fn csv_rejection(line: u64, error: &csv::Error) -> Rejection {
    let line = error.position().map_or(line, csv::Position::line);
    Rejection::new(line, Message::new(MessageKey::LineNotCsv).with("error", error))
}

fn field(record: &csv::ByteRecord, index: usize) -> String {
    record
        .get(index)
        .map(|bytes| String::from_utf8_lossy(bytes).trim().to_owned())
        .unwrap_or_default()
}

fn plain_line(record: &csv::ByteRecord, line: u64) -> Result<ValueLine, Message> {
    if record.len() != 4 {
        return Err(Message::new(MessageKey::LineFieldCount)
            .with("expected", 4)
            .with("found", record.len()));
    }
    let (ags, year, code, value) = (field(record, 0), field(record, 1), field(record, 2), field(record, 3));
    for (name, text) in [("ags", &ags), ("year", &year), ("code", &code), ("value", &value)] {
        if text.is_empty() {
            return Err(Message::new(MessageKey::LineColumnEmpty).with("column", name));
        }
    }
    Ok(ValueLine {
        line,
        ags,
        year: parse_year(&year)?,
        code,
        reading: parse_reading(&value)?,
    })
}

fn genesis_line(columns: &GenesisColumns, record: &csv::ByteRecord, line: u64) -> Result<ValueLine, Message> {
    let mut ags = None;
    let mut code = field(record, columns.variable);
    if code.is_empty() {
        return Err(Message::new(MessageKey::LineColumnEmpty).with("column", "value_variable_code"));
    }
    for &(variable, attribute) in &columns.breakdowns {
        let (variable, attribute) = (field(record, variable), field(record, attribute));
        if variable.is_empty() {
            continue;
        }
        if ags.is_none() && REGIONAL_VARIABLES.contains(&variable.to_uppercase().as_str()) {
            ags = Some(attribute);
        } else {
            // A further breakdown (e.g. by qualification) is part of what the value measures.
            code = format!("{code}:{attribute}");
        }
    }
    let ags = ags.ok_or(Message::new(MessageKey::LineNoRegion))?;
    let mut value = field(record, columns.value);
    if value.is_empty() {
        value = columns.value_q.map(|q| field(record, q)).unwrap_or_default();
    }
    Ok(ValueLine {
        line,
        ags,
        year: parse_year(&field(record, columns.time))?,
        code,
        reading: parse_reading(&value)?,
    })
}

/// A year: `2023`, a reference date (`2023-12-31`, `31.12.2023`) or a school year (`2023/24`,
/// which counts as 2023, the year it starts).
pub fn parse_year(text: &str) -> Result<i32, Message> {
    let text = text.trim();
    let digits = if text.len() == 10 && text.as_bytes().get(2) == Some(&b'.') {
        &text[6..]
    } else {
        text.get(..4).unwrap_or(text)
    };
    let rest = text.get(4..).unwrap_or("");
    let shape_ok = rest.is_empty()
        || (rest.len() == 6 && rest.starts_with('-'))
        || (rest.len() == 3 && rest.starts_with('/'))
        || (text.len() == 10 && text.as_bytes().get(2) == Some(&b'.'));
    match digits.parse::<i32>() {
        Ok(year) if shape_ok && (1900..=2200).contains(&year) && digits.len() == 4 => Ok(year),
        _ => Err(Message::new(MessageKey::LineBadYear).with("year", text)),
    }
}

/// A number (German `1.234,5` or `0,5`, or `1234.5`) or a special sign.
pub fn parse_reading(text: &str) -> Result<Reading, Message> {
    let text = text.trim();
    let sign = match text {
        "-" => Some(ValueFlag::Nothing),
        "." => Some(ValueFlag::UnknownOrSecret),
        "x" | "X" => Some(ValueFlag::NotApplicable),
        "/" => Some(ValueFlag::TooUncertain),
        "..." | "\u{2026}" => Some(ValueFlag::NotYetAvailable),
        _ => None,
    };
    if let Some(sign) = sign {
        return Ok(Reading::Sign(sign));
    }
    let bad = || Message::new(MessageKey::LineBadValue).with("value", text);
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let normalised = if compact.contains(',') {
        // German: dots group thousands, the comma is the decimal mark.
        if compact.matches(',').count() > 1 {
            return Err(bad());
        }
        compact.replace('.', "").replace(',', ".")
    } else if compact.matches('.').count() > 1 {
        compact.replace('.', "")
    } else {
        compact
    };
    let valid = !normalised.is_empty()
        && normalised
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && normalised.chars().any(|c| c.is_ascii_digit());
    match normalised.parse::<f64>() {
        Ok(number) if valid && number.is_finite() && number.abs() <= MAX_VALUE => Ok(Reading::Number(number)),
        Ok(_) if valid => Err(Message::new(MessageKey::LineValueTooLarge).with("value", text)),
        _ => Err(bad()),
    }
}

/// The largest magnitude a value may have: far beyond any count, amount or rate of a
/// municipality, and small enough that sums and spreads of thousands of them stay exact enough
/// (`1e308` would overflow them).
pub const MAX_VALUE: f64 = 1e15;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_english_numbers_and_signs() {
        assert_eq!(parse_reading("12,5").ok(), Some(Reading::Number(12.5)));
        assert_eq!(parse_reading("1.234,5").ok(), Some(Reading::Number(1234.5)));
        assert_eq!(parse_reading("1.234.567").ok(), Some(Reading::Number(1_234_567.0)));
        assert_eq!(parse_reading("-0,25").ok(), Some(Reading::Number(-0.25)));
        assert_eq!(parse_reading("7.5").ok(), Some(Reading::Number(7.5)));
        assert_eq!(parse_reading("-").ok(), Some(Reading::Sign(ValueFlag::Nothing)));
        assert_eq!(
            parse_reading("...").ok(),
            Some(Reading::Sign(ValueFlag::NotYetAvailable))
        );
        assert_eq!(parse_reading("x").ok(), Some(Reading::Sign(ValueFlag::NotApplicable)));
        assert!(parse_reading("zwölf").is_err());
        assert!(parse_reading("1,2,3").is_err());
        assert!(parse_reading("inf").is_err());
    }

    #[test]
    fn years_dates_and_school_years() {
        assert_eq!(parse_year("2023").ok(), Some(2023));
        assert_eq!(parse_year("2023-12-31").ok(), Some(2023));
        assert_eq!(parse_year("31.12.2023").ok(), Some(2023));
        assert_eq!(parse_year("2023/24").ok(), Some(2023));
        assert!(parse_year("23").is_err());
        assert!(parse_year("2023x").is_err());
    }

    #[test]
    fn a_genesis_file_with_a_breakdown_and_a_sign_in_value_q() {
        let file = "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q\n\
            21111-01-03-4;Schulen;JAHR;Jahr;2022;KREISE;Kreise;05512;Bottrop;ABSCHL;Abschluss;OHNE;ohne;6,4;Prozent;BIL003;Absolventen;e\n\
            21111-01-03-4;Schulen;JAHR;Jahr;2022;KREISE;Kreise;15083;Börde;ABSCHL;Abschluss;OHNE;ohne;;Prozent;BIL003;Absolventen;.\n";
        let parsed = parse(file.as_bytes());
        assert_eq!(parsed.format, Some(ImportFormat::Genesis));
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.lines[0].code, "BIL003:OHNE");
        assert_eq!(parsed.lines[0].ags, "05512");
        assert_eq!(parsed.lines[0].reading, Reading::Number(6.4));
        assert_eq!(parsed.lines[1].line, 3);
        assert_eq!(parsed.lines[1].reading, Reading::Sign(ValueFlag::UnknownOrSecret));
    }

    #[test]
    fn a_plain_file_names_its_bad_lines() {
        let parsed = parse(
            "ags;year;code;value\n05512000;2022;SGB2;12,1\n05512000;zwanzig;SGB2;1\n05512000;2022;SGB2\n".as_bytes(),
        );
        assert_eq!(parsed.format, Some(ImportFormat::Plain));
        assert_eq!(parsed.lines.len(), 1);
        let lines: Vec<u64> = parsed.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4]);
    }
}

//! The participant list as CSV for spreadsheet programs: UTF-8 with a byte-order mark (so that
//! umlauts show), `;` as separator and CRLF line ends (what German spreadsheet settings expect),
//! dates as `29.11.2026 18:28`.

use std::borrow::Cow;

use dkbm_entity::training_event;

use super::participants::{COLUMNS, Cell, ParticipantRow, participants};
use crate::error::{AppError, AppResult};

/// What a spreadsheet would read as the start of a formula (or, for tab and CR, hide it).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text that a spreadsheet shows as text: a value starting like a formula gets a leading `'`
/// (OWASP, CSV injection), so that `=HYPERLINK(…)` in a display name stays a string.
fn neutralised(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

fn field(cell: Cell<'_>) -> Cow<'_, str> {
    match cell {
        Cell::Text(value) => neutralised(value),
        Cell::Number(number) => Cow::Owned(number.to_string()),
        Cell::LocalTime(at) => Cow::Owned(at.format("%d.%m.%Y %H:%M").to_string()),
        Cell::Empty => Cow::Borrowed(""),
    }
}

/// The participant list of `event` as CSV, one row per registration.
pub fn participants_csv(event: &training_event::Model, rows: &[ParticipantRow]) -> AppResult<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer
        .write_record(COLUMNS.iter().map(|column| column.header))
        .map_err(AppError::internal)?;
    for participant in participants(event, rows) {
        writer
            .write_record(
                COLUMNS
                    .iter()
                    .map(|column| field(column.cell(&participant)).into_owned()),
            )
            .map_err(AppError::internal)?;
    }
    writer
        .into_inner()
        .map_err(|error| AppError::internal(error.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for value in ["=1+1", "+49 170", "-2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralised(value), format!("'{value}"));
        }
        assert_eq!(neutralised("Jürgen = Müller"), "Jürgen = Müller");
    }
}

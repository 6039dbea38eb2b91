//! The participant list as an Excel workbook (XLSX): the same columns as the CSV, text always
//! written as text (never as a formula, whatever it starts with), waiting-list places as
//! numbers and times as dates a spreadsheet can sort, shown as `29.11.2026 18:28`.

use chrono::NaiveDateTime;
use dkbm_entity::training_event;
use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, RowNum, Workbook, XlsxError};

use super::participants::{COLUMNS, Cell, ParticipantRow, participants};
use crate::error::{AppError, AppResult};

/// The worksheet's name.
const SHEET: &str = "Teilnehmende";

/// A local time as a spreadsheet date (to the minute; seconds are not shown anyway).
fn excel_time(at: NaiveDateTime) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::parse_from_str(&at.format("%Y-%m-%dT%H:%M:00").to_string())
}

fn workbook(event: &training_event::Model, rows: &[ParticipantRow]) -> Result<Vec<u8>, XlsxError> {
    let bold = Format::new().set_bold();
    let minutes = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    let mut last_row: RowNum = 0;
    for (col, column) in COLUMNS.iter().enumerate() {
        let col = ColNum::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.write_string_with_format(0, col, column.header, &bold)?;
        sheet.set_column_width(col, column.width)?;
    }
    for (row, participant) in participants(event, rows).enumerate() {
        last_row = RowNum::try_from(row + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, column) in COLUMNS.iter().enumerate() {
            let col = ColNum::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
            match column.cell(&participant) {
                Cell::Text(text) => sheet.write_string(last_row, col, text)?,
                Cell::Number(number) => sheet.write_number(last_row, col, number)?,
                Cell::LocalTime(at) => sheet.write_datetime_with_format(last_row, col, excel_time(at)?, &minutes)?,
                Cell::Empty => sheet,
            };
        }
    }
    let last_col = ColNum::try_from(COLUMNS.len().saturating_sub(1)).map_err(|_| XlsxError::RowColumnLimitError)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// The participant list of `event` as an XLSX workbook, one row per registration.
pub fn participants_xlsx(event: &training_event::Model, rows: &[ParticipantRow]) -> AppResult<Vec<u8>> {
    workbook(event, rows).map_err(AppError::internal)
}

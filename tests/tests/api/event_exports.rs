//! The training-event exports as real clients and parsers read them, and as an attacker would
//! like them to be read: calendar files checked with a second, independent iCalendar parser and
//! with hostile titles; participant lists as CSV and XLSX opened by a CSV reader and a
//! spreadsheet reader, with formula-looking names and notes; who sees participants' emails.

mod calendars;
mod emails;
mod participant_lists;

//! The training-event exports as real clients and parsers read them, and as an attacker would
//! like them to be read: calendar files checked with a second, independent iCalendar parser and
//! with hostile titles.

mod calendars;

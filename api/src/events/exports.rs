//! Exports of training events: iCalendar (RFC 5545) for calendar subscriptions, and the
//! organisers' participant list as CSV and XLSX. Pure formatting; the service loads the rows.

mod calendar;
mod certificate;
mod participants;
mod participants_csv;
mod participants_xlsx;
mod timezone;

pub use calendar::{PRODID, ical, invitation, location, personal_ical};
pub use certificate::{certificate_pdf, hours, when};
pub use participants::ParticipantRow;
pub use participants_csv::participants_csv;
pub use participants_xlsx::participants_xlsx;

//! Exports of training events: iCalendar (RFC 5545) for calendar subscriptions, and the
//! organisers' participant list as CSV. Pure formatting; the service loads the rows.

mod calendar;
mod timezone;

use dkbm_entity::{member, registration};

pub use calendar::{PRODID, ical};

/// The participant list as CSV for spreadsheet programs: UTF-8 with a byte-order mark (so that
/// umlauts show), `;` as separator (what German spreadsheet settings expect), one row per
/// registration.
pub fn participants_csv(rows: &[(registration::Model, Option<member::Model>, String)]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let header = [
        "Name",
        "E-Mail",
        "Organisation",
        "Status",
        "Wartelistenplatz",
        "Angemeldet am",
        "Teilnahme",
        "Anmerkung",
    ];
    let mut failed = writer.write_record(header).is_err();
    for (registration, member, affiliation) in rows {
        let status = match registration.status {
            dkbm_entity::RegistrationStatus::Confirmed => "CONFIRMED",
            dkbm_entity::RegistrationStatus::Waitlisted => "WAITLISTED",
            dkbm_entity::RegistrationStatus::Cancelled => "CANCELLED",
            dkbm_entity::RegistrationStatus::Attended => "ATTENDED",
        };
        let attendance = match registration.attendance {
            Some(dkbm_entity::Attendance::Attended) => "ATTENDED",
            Some(dkbm_entity::Attendance::NoShow) => "NO_SHOW",
            None => "",
        };
        let record = [
            member.as_ref().map_or("", |m| m.display_name.as_str()),
            member.as_ref().map_or("", |m| m.email.as_str()),
            affiliation.as_str(),
            status,
            &registration
                .waitlist_position
                .map(|p| p.to_string())
                .unwrap_or_default(),
            &registration.registered_at.to_rfc3339(),
            attendance,
            registration.note.as_deref().unwrap_or_default(),
        ];
        failed |= writer.write_record(record).is_err();
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    if let (false, Ok(body)) = (failed, writer.into_inner()) {
        bytes.extend(body);
    }
    bytes
}

//! The organisers' participant list as one table, written two ways (CSV and XLSX): the columns
//! are listed once here, so both downloads always carry the same ones, with German headers and
//! labels and times in the event's time zone.
//!
//! The list goes only to the event's organisers, and it shows each participant's email: the
//! organisers see the emails of their events' participants (to reach them), as in GraphQL's
//! `Registration.email`.

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use dkbm_entity::{Attendance, RegistrationStatus, member, registration, training_event};

/// A participant as the service loads them: the registration, the member, and the name of the
/// member's agency or municipality (empty when none).
pub type ParticipantRow = (registration::Model, Option<member::Model>, String);

/// One registration with what its cells need.
pub struct Participant<'a> {
    registration: &'a registration::Model,
    member: Option<&'a member::Model>,
    affiliation: &'a str,
    time_zone: Tz,
}

/// The value of one cell, typed so that each writer can render it its own way.
pub enum Cell<'a> {
    /// Free text (possibly a participant's, so never to be read as a formula).
    Text(&'a str),
    /// A whole number.
    Number(i32),
    /// A moment in the event's time zone, to the minute.
    LocalTime(NaiveDateTime),
    /// Nothing.
    Empty,
}

/// A column of the list: its header, its width in a spreadsheet (in characters) and its value.
pub struct Column {
    /// The header (German, as the organisers read it).
    pub header: &'static str,
    /// The column's width in a spreadsheet, in characters.
    pub width: f64,
    value: for<'a> fn(&Participant<'a>) -> Cell<'a>,
}

impl Column {
    /// This column's cell of `participant`.
    pub fn cell<'a>(&self, participant: &Participant<'a>) -> Cell<'a> {
        (self.value)(participant)
    }
}

fn text(value: &str) -> Cell<'_> {
    if value.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(value)
    }
}

fn status_label(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Confirmed => "Bestätigt",
        RegistrationStatus::Waitlisted => "Warteliste",
        RegistrationStatus::Cancelled => "Storniert",
        RegistrationStatus::Attended => "Teilgenommen",
    }
}

fn attendance_label(attendance: Option<Attendance>) -> &'static str {
    match attendance {
        Some(Attendance::Attended) => "Erschienen",
        Some(Attendance::NoShow) => "Nicht erschienen",
        None => "",
    }
}

/// The columns of the participant list, in order.
pub const COLUMNS: &[Column] = &[
    Column {
        header: "Name",
        width: 28.0,
        value: |p| text(p.member.map_or("", |m| m.display_name.as_str())),
    },
    Column {
        header: "E-Mail",
        width: 32.0,
        value: |p| text(p.member.map_or("", |m| m.email.as_str())),
    },
    Column {
        header: "Organisation",
        width: 32.0,
        value: |p| text(p.affiliation),
    },
    Column {
        header: "Status",
        width: 14.0,
        value: |p| text(status_label(p.registration.status)),
    },
    Column {
        header: "Wartelistenplatz",
        width: 16.0,
        value: |p| p.registration.waitlist_position.map_or(Cell::Empty, Cell::Number),
    },
    Column {
        header: "Angemeldet am",
        width: 17.0,
        value: |p| Cell::LocalTime(p.registration.registered_at.with_timezone(&p.time_zone).naive_local()),
    },
    Column {
        header: "Teilnahme",
        width: 16.0,
        value: |p| text(attendance_label(p.registration.attendance)),
    },
    Column {
        header: "Anmerkung",
        width: 50.0,
        value: |p| text(p.registration.note.as_deref().unwrap_or_default()),
    },
];

/// The participants of `event`, one per row, with the event's time zone for their times.
pub fn participants<'a>(
    event: &training_event::Model,
    rows: &'a [ParticipantRow],
) -> impl Iterator<Item = Participant<'a>> + use<'a> {
    let time_zone: Tz = event.time_zone.parse().unwrap_or(Tz::Europe__Berlin);
    rows.iter().map(move |(registration, member, affiliation)| Participant {
        registration,
        member: member.as_ref(),
        affiliation,
        time_zone,
    })
}

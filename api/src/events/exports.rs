//! Exports of training events: iCalendar (RFC 5545) for calendar subscriptions, and the
//! organisers' participant list as CSV. Pure formatting; the service loads the rows.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};
use dkbm_entity::{EventStatus, member, registration, training_event};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus as IcalStatus};

use crate::markdown;

/// The domain in every event's UID (`{id}@…`): stable across servers and databases.
const UID_DOMAIN: &str = "dkbm-hub";

/// A time-zone offset in iCalendar form (`+0100`).
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// The offset of `tz` at the UTC instant `at`, with its abbreviation.
fn offset_at(tz: Tz, at: DateTime<Utc>) -> (i32, String) {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    let name = offset.abbreviation().unwrap_or_default().to_owned();
    (offset.fix().local_minus_utc(), name)
}

/// The instants in `[from, to)` where `tz` changes its offset (found day by day, then to the
/// minute).
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut found = Vec::new();
    let mut day = from;
    while day < to {
        let next = day + Duration::days(1);
        if offset_at(tz, day).0 != offset_at(tz, next).0 {
            let (mut low, mut high) = (day, next);
            while high - low > Duration::minutes(1) {
                let middle = low + (high - low) / 2;
                if offset_at(tz, middle).0 == offset_at(tz, low).0 {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            // Offsets change on whole minutes: the first whole minute after `low`.
            let seconds = low.timestamp().div_euclid(60) * 60 + 60;
            found.push(DateTime::from_timestamp(seconds, 0).unwrap_or(high));
        }
        day = next;
    }
    found
}

/// A VTIMEZONE for `tz` covering the given years: one observance per offset change in them
/// (or a single one for a zone without changes).
fn vtimezone(tz: Tz, years: &BTreeSet<i32>) -> String {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_owned(), format!("TZID:{}", tz.name())];
    let mut observances = Vec::new();
    for year in years {
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(*year, 1, 1),
            NaiveDate::from_ymd_opt(*year + 1, 1, 1),
        ) else {
            continue;
        };
        let (start, end) = (
            start.and_time(chrono::NaiveTime::MIN).and_utc(),
            end.and_time(chrono::NaiveTime::MIN).and_utc(),
        );
        for at in transitions(tz, start, end) {
            let (before, _) = offset_at(tz, at - Duration::minutes(1));
            let (after, name) = offset_at(tz, at);
            observances.push((at, before, after, name));
        }
    }
    if observances.is_empty() {
        let (offset, name) = offset_at(tz, Utc::now());
        lines.extend([
            "BEGIN:STANDARD".to_owned(),
            "DTSTART:19700101T000000".to_owned(),
            format!("TZOFFSETFROM:{}", offset_text(offset)),
            format!("TZOFFSETTO:{}", offset_text(offset)),
            format!("TZNAME:{name}"),
            "END:STANDARD".to_owned(),
        ]);
    }
    for (at, before, after, name) in observances {
        let kind = if after > before { "DAYLIGHT" } else { "STANDARD" };
        // The onset in the local time that was in force before it.
        let onset = (at.naive_utc() + Duration::seconds(i64::from(before))).format("%Y%m%dT%H%M%S");
        lines.extend([
            format!("BEGIN:{kind}"),
            format!("DTSTART:{onset}"),
            format!("TZOFFSETFROM:{}", offset_text(before)),
            format!("TZOFFSETTO:{}", offset_text(after)),
            format!("TZNAME:{name}"),
            format!("END:{kind}"),
        ]);
    }
    lines.push("END:VTIMEZONE".to_owned());
    lines.join("\r\n")
}

fn local(tz: Tz, at: DateTime<Utc>) -> CalendarDateTime {
    CalendarDateTime::from((at.with_timezone(&tz).naive_local(), tz))
}

fn location(event: &training_event::Model) -> Option<String> {
    let postal_city = [event.venue_postal_code.as_deref(), event.venue_city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<&str> = [
        event.venue_name.as_deref(),
        event.venue_street.as_deref(),
        Some(postal_city.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .collect();
    match (parts.is_empty(), event.online_url.is_some()) {
        (true, true) => Some("Online".to_owned()),
        (true, false) => None,
        (false, true) => Some(format!("{} (auch online)", parts.join(", "))),
        (false, false) => Some(parts.join(", ")),
    }
}

/// An iCalendar document of the events: each VEVENT has a stable UID, DTSTAMP, start and end
/// in the event's time zone (with its VTIMEZONE), SEQUENCE (bumped with every change of the
/// event) and STATUS (CANCELLED for cancelled events), so that subscribed calendars follow
/// moves and cancellations.
pub fn ical(name: &str, events: &[training_event::Model]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    calendar.append_property(("METHOD", "PUBLISH"));
    let mut zones: BTreeMap<String, (Tz, BTreeSet<i32>)> = BTreeMap::new();
    for event in events {
        let tz: Tz = event.time_zone.parse().unwrap_or(Tz::Europe__Berlin);
        let entry = zones
            .entry(tz.name().to_owned())
            .or_insert_with(|| (tz, BTreeSet::new()));
        entry.1.insert(event.starts_at.year());
        entry.1.insert(event.ends_at.year());
    }
    for (tz, years) in zones.values() {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:dkbm-hub\r\n{}\r\nEND:VCALENDAR\r\n",
            vtimezone(*tz, years)
        );
        if let Ok(mut parsed) = text.parse::<Calendar>() {
            calendar.append(&mut parsed);
        }
    }
    for event in events {
        let tz: Tz = event.time_zone.parse().unwrap_or(Tz::Europe__Berlin);
        let mut entry = icalendar::Event::new();
        entry
            .uid(&format!("{}@{UID_DOMAIN}", event.id))
            .timestamp(event.updated_at)
            .last_modified(event.updated_at)
            .add_property("CREATED", event.created_at.format("%Y%m%dT%H%M%SZ").to_string())
            .sequence(u32::try_from(event.version - 1).unwrap_or(0))
            .summary(&event.title)
            .starts(local(tz, event.starts_at))
            .ends(local(tz, event.ends_at))
            .status(if event.status == EventStatus::Cancelled {
                IcalStatus::Cancelled
            } else {
                IcalStatus::Confirmed
            });
        let mut description = markdown::to_plain_text(&event.description);
        if let Some(reason) = &event.cancellation_reason {
            description = format!("Abgesagt: {reason}\n\n{description}");
        }
        if !description.is_empty() {
            entry.description(&description);
        }
        if let Some(location) = location(event) {
            entry.location(&location);
        }
        calendar.push(entry.done());
    }
    // The crate writes no VTIMEZONE (and would add UID and DTSTAMP to any component it
    // parsed), so the time zones go in as text, before the events.
    let mut text = calendar.done().to_string();
    let zones: String = zones
        .values()
        .map(|(tz, years)| format!("{}\r\n", vtimezone(*tz, years)))
        .collect();
    let at = text
        .find("BEGIN:VEVENT")
        .or_else(|| text.rfind("END:VCALENDAR"))
        .unwrap_or(text.len());
    text.insert_str(at, &zones);
    text
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_has_two_transitions_a_year() {
        let years = BTreeSet::from([2026]);
        let text = vtimezone(Tz::Europe__Berlin, &years);
        assert!(
            text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"),
            "{text}"
        );
        assert!(
            text.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"),
            "{text}"
        );
    }

    #[test]
    fn zones_without_changes_have_one_observance() {
        let text = vtimezone(Tz::UTC, &BTreeSet::from([2026]));
        assert!(
            text.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000"),
            "{text}"
        );
    }
}

//! The iCalendar document (RFC 5545) of training events, for calendar subscriptions.
//!
//! Titles, descriptions and venues are the organisers' free text and end up in other people's
//! calendars: every TEXT value is reduced to what RFC 5545 allows (line breaks as one LF, which
//! is written escaped as `\n`; no other control characters), so that no value can end its
//! content line and start another one.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use dkbm_entity::{EventStatus, training_event};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus as IcalStatus};

use super::timezone::vtimezone;
use crate::markdown;

/// The domain in every event's UID (`{id}@…`): stable across servers and databases.
const UID_DOMAIN: &str = "dkbm-hub";

/// Who wrote the calendar (RFC 5545 section 3.7.3: a globally unique, FPI-like text).
pub const PRODID: &str = "-//DKBM//dkbm-hub//DE";

/// `text` as a TEXT value may hold it: CRLF, CR and LF each become one LF (a line break the
/// writer escapes as `\n`; a bare CR would end the content line for some parsers), other
/// control characters are dropped (RFC 5545 section 3.3.11 allows none but HTAB).
fn plain_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// RFC 5545 TEXT escaping, for RFC 7986's NAME: the icalendar crate escapes the TEXT properties
/// of RFC 5545 and any X- property, but writes the ones it does not know as they are.
fn escaped_text(text: &str) -> String {
    plain_text(text)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

fn local(tz: Tz, at: DateTime<Utc>) -> CalendarDateTime {
    CalendarDateTime::from((at.with_timezone(&tz).naive_local(), tz))
}

fn event_zone(event: &training_event::Model) -> Tz {
    event.time_zone.parse().unwrap_or(Tz::Europe__Berlin)
}

/// Where the event takes place, in one line (or `Online`).
pub fn location(event: &training_event::Model) -> Option<String> {
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

/// The calendar's own properties: a real PRODID instead of the crate's default, and the name
/// (RFC 7986 NAME, escaped here, and Apple's X-WR-CALNAME, which the crate escapes).
fn calendar_head(name: &str, method: &str) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method))
        .append_property(("NAME", escaped_text(name).as_str()))
        .append_property(("X-WR-CALNAME", plain_text(name).as_str()));
    calendar
}

/// One VEVENT; the crate escapes SUMMARY, DESCRIPTION and LOCATION (after [`plain_text`]).
fn vevent(event: &training_event::Model) -> icalendar::Event {
    let tz = event_zone(event);
    let mut entry = icalendar::Event::new();
    entry
        .uid(&format!("{}@{UID_DOMAIN}", event.id))
        .timestamp(event.updated_at)
        .last_modified(event.updated_at)
        .add_property("CREATED", event.created_at.format("%Y%m%dT%H%M%SZ").to_string())
        .sequence(u32::try_from(event.version - 1).unwrap_or(0))
        .summary(&plain_text(&event.title))
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
        entry.description(&plain_text(&description));
    }
    if let Some(location) = location(event) {
        entry.location(&plain_text(&location));
    }
    entry.done()
}

/// One VTIMEZONE per zone the events use, covering the years they touch.
fn vtimezones<'a>(events: impl IntoIterator<Item = &'a training_event::Model>) -> String {
    let mut zones: BTreeMap<&str, (Tz, BTreeSet<i32>)> = BTreeMap::new();
    for event in events {
        let tz = event_zone(event);
        let (_, years) = zones.entry(tz.name()).or_insert_with(|| (tz, BTreeSet::new()));
        years.insert(event.starts_at.year());
        years.insert(event.ends_at.year());
    }
    zones
        .values()
        .map(|(tz, years)| format!("{}\r\n", vtimezone(*tz, years)))
        .collect()
}

/// An iCalendar document of the events: each VEVENT has a stable UID, DTSTAMP, start and end
/// in the event's time zone (with its VTIMEZONE, once per zone), SEQUENCE (bumped with every
/// change of the event) and STATUS (CANCELLED for cancelled events), so that subscribed
/// calendars follow moves and cancellations.
pub fn ical(name: &str, events: &[training_event::Model]) -> String {
    let mut calendar = calendar_head(name, "PUBLISH");
    for event in events {
        calendar.push(vevent(event));
    }
    // The crate writes no VTIMEZONE (and would add UID and DTSTAMP to one it parsed), so the
    // zones go in as text, before the first event. The search is anchored to whole lines:
    // escaping and folding keep a value from producing a line of its own.
    with_zones(calendar.done().to_string(), events)
}

/// A member's personal calendar: their events, each as in the public feed (same UID, so that
/// calendars match it with the invitation mails), those they wait for TENTATIVE with
/// "Warteliste" in the summary. It names nothing else about the member.
pub fn personal_ical(entries: &[(&training_event::Model, bool)]) -> String {
    let mut calendar = calendar_head("DKBM: Meine Veranstaltungen", "PUBLISH");
    for (event, waitlisted) in entries {
        let mut entry = vevent(event);
        if *waitlisted && event.status != EventStatus::Cancelled {
            entry
                .summary(&plain_text(&format!("Warteliste: {}", event.title)))
                .status(IcalStatus::Tentative);
        }
        calendar.push(entry.done());
    }
    with_zones(calendar.done().to_string(), entries.iter().map(|(event, _)| *event))
}

/// What an invitation mail carries (RFC 5546): the event for one attendee, as `REQUEST` (a
/// seat: add or update it in the calendar) or `CANCEL` (remove it), from `organizer`. UID and
/// SEQUENCE are the subscription feed's, so calendars match the two.
pub fn invitation(event: &training_event::Model, method: &str, organizer: &str, attendee: (&str, &str)) -> String {
    let (name, email) = attendee;
    let mut calendar = calendar_head(&event.title, method);
    let mut entry = vevent(event);
    let name = plain_text(name).replace(['"', '\n'], " ");
    entry.append_property(icalendar::Property::new("ORGANIZER", format!("mailto:{organizer}")).done());
    entry.append_property(
        icalendar::Property::new("ATTENDEE", format!("mailto:{email}"))
            .add_parameter("CN", &name)
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", "ACCEPTED")
            .done(),
    );
    if method == "CANCEL" {
        entry.status(IcalStatus::Cancelled);
    }
    calendar.push(entry.done());
    with_zones(calendar.done().to_string(), std::slice::from_ref(event))
}

/// The calendar's text with the VTIMEZONEs of `events` before the first event.
fn with_zones<'a>(mut text: String, events: impl IntoIterator<Item = &'a training_event::Model>) -> String {
    let at = text
        .find("\r\nBEGIN:VEVENT\r\n")
        .or_else(|| text.rfind("\r\nEND:VCALENDAR"))
        .map_or(text.len(), |at| at + 2);
    text.insert_str(at, &vtimezones(events));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_become_one_escaped_newline() {
        assert_eq!(escaped_text("a\r\nB:1\rC;d,e\\f\ng"), "a\\nB:1\\nC\\;d\\,e\\\\f\\ng");
        assert_eq!(plain_text("tab\there\u{7}\u{1b}[0m"), "tab\there[0m");
    }
}

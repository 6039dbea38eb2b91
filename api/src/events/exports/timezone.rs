//! VTIMEZONE components (RFC 5545 section 3.6.5) made from the IANA database of chrono-tz: the
//! icalendar crate writes none, so the observances are computed here for the years a calendar
//! needs.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

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
/// (or a single one for a zone without changes). Only the properties RFC 5545 allows there:
/// no DTSTAMP or UID.
pub(super) fn vtimezone(tz: Tz, years: &BTreeSet<i32>) -> String {
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

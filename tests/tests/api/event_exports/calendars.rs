//! Calendar files read by `calcard`, an iCalendar parser independent of the `icalendar` crate
//! that writes them: their structure (one VTIMEZONE per zone, nothing in it that RFC 5545 does
//! not allow, a real PRODID), and titles that try to write content lines of their own.

use calcard::icalendar::{ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty};
use dkbm_tests::{data, str_at};
use serde_json::json;

use crate::events::{Cast, cast, create, event_input, fetch};

/// The PRODID the server writes.
const PRODID: &str = "-//DKBM//dkbm-hub//DE";

async fn calendar_text(cast: &Cast, path: &str) -> String {
    let (status, content_type, body) = fetch(&cast.server, path, None).await;
    assert_eq!(status, 200, "{path}");
    assert!(
        content_type.as_deref().is_some_and(|t| t.starts_with("text/calendar")),
        "{content_type:?}"
    );
    String::from_utf8(body).expect("UTF-8")
}

fn parse(text: &str) -> ICalendar {
    ICalendar::parse(text).unwrap_or_else(|entry| panic!("calcard parses the calendar ({entry:?}):\n{text}"))
}

fn of_type(calendar: &ICalendar, kind: ICalendarComponentType) -> Vec<&ICalendarComponent> {
    calendar
        .components
        .iter()
        .filter(|component| component.component_type == kind)
        .collect()
}

/// The text of a component's property (by name, so that X- properties are found too).
fn text_of<'a>(component: &'a ICalendarComponent, name: &str) -> Option<&'a str> {
    component
        .entries
        .iter()
        .find(|entry| entry.name.as_str().eq_ignore_ascii_case(name))?
        .values
        .first()?
        .as_text()
}

fn has(component: &ICalendarComponent, property: &ICalendarProperty) -> bool {
    component.entries.iter().any(|entry| &entry.name == property)
}

/// CR and LF appear only together, as the end of a content line.
fn assert_only_crlf(text: &str) {
    let bytes = text.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        match byte {
            b'\r' => assert_eq!(bytes.get(at + 1), Some(&b'\n'), "a bare CR at {at}:\n{text}"),
            b'\n' => assert!(at > 0 && bytes[at - 1] == b'\r', "a bare LF at {at}:\n{text}"),
            _ => {}
        }
    }
}

#[tokio::test]
async fn calendar_files_have_one_vtimezone_per_zone_and_a_real_prodid() {
    let cast = cast().await;
    let berlin = create(&cast, event_input("Werkstatt Bildungsmonitoring", Some(10), true)).await;
    let mut next_year = event_input("Fachtag Übergänge", None, false);
    next_year["startsAt"] = json!((chrono::Utc::now() + chrono::Duration::days(400)).to_rfc3339());
    next_year["endsAt"] = json!((chrono::Utc::now() + chrono::Duration::days(401)).to_rfc3339());
    create(&cast, next_year).await;
    let mut new_york = event_input("Study visit New York", None, false);
    new_york["timeZone"] = json!("America/New_York");
    create(&cast, new_york).await;

    let text = calendar_text(&cast, "/events.ics").await;
    assert_only_crlf(&text);
    let calendar = parse(&text);
    let root = of_type(&calendar, ICalendarComponentType::VCalendar);
    assert_eq!(root.len(), 1);
    assert_eq!(text_of(root[0], "PRODID"), Some(PRODID));
    assert_eq!(text_of(root[0], "VERSION"), Some("2.0"));
    assert_eq!(text_of(root[0], "NAME"), Some("DKBM Qualifizierungen"));

    let zones = of_type(&calendar, ICalendarComponentType::VTimezone);
    let mut zone_ids: Vec<&str> = zones.iter().filter_map(|zone| text_of(zone, "TZID")).collect();
    zone_ids.sort();
    assert_eq!(
        zone_ids,
        ["America/New_York", "Europe/Berlin"],
        "one VTIMEZONE per zone:\n{text}"
    );
    let observances = [ICalendarComponentType::Standard, ICalendarComponentType::Daylight]
        .into_iter()
        .flat_map(|kind| of_type(&calendar, kind));
    for component in zones.iter().copied().chain(observances) {
        assert!(
            !has(component, &ICalendarProperty::Dtstamp) && !has(component, &ICalendarProperty::Uid),
            "RFC 5545 allows neither DTSTAMP nor UID in {:?}:\n{text}",
            component.component_type
        );
    }
    // Berlin's zone covers both years: four changes of offset.
    let berlin_zone = zones
        .iter()
        .find(|zone| text_of(zone, "TZID") == Some("Europe/Berlin"))
        .expect("Europe/Berlin");
    assert_eq!(berlin_zone.component_ids.len(), 4, "{text}");

    let events = of_type(&calendar, ICalendarComponentType::VEvent);
    assert_eq!(events.len(), 3);
    for event in &events {
        assert!(has(event, &ICalendarProperty::Dtstamp) && has(event, &ICalendarProperty::Uid));
        assert!(has(event, &ICalendarProperty::Dtstart) && has(event, &ICalendarProperty::Sequence));
    }

    let slug = berlin["slug"].as_str().expect("slug");
    let text = calendar_text(&cast, &format!("/events/{slug}.ics")).await;
    let calendar = parse(&text);
    assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
    assert_eq!(of_type(&calendar, ICalendarComponentType::VTimezone).len(), 1);
    let root = of_type(&calendar, ICalendarComponentType::VCalendar);
    assert_eq!(text_of(root[0], "PRODID"), Some(PRODID));
    let events = of_type(&calendar, ICalendarComponentType::VEvent);
    assert_eq!(events.len(), 1);
    assert_eq!(text_of(events[0], "SUMMARY"), Some("Werkstatt Bildungsmonitoring"));
}

#[tokio::test]
async fn hostile_titles_stay_inside_their_property() {
    let cast = cast().await;
    // A title is one line (line breaks are refused at the boundary), but iCalendar's own
    // separators must still stay inside its property; line breaks come through the venue.
    let title = "Werkstatt ATTENDEE;CN=Evil:mailto:evil@example.org X-INJECTED:1; a, b \\ c";
    let read_back = title;
    let mut input = event_input(title, Some(10), true);
    input["venue"]["name"] = json!("Rathaus\r\nX-VENUE:1");
    let created = create(&cast, input).await;
    assert!(created["slug"].is_string(), "{created}");
    let slug = str_at(&created, "/slug");
    let title_check = cast
        .server
        .gql(
            "query ($slug: String!) { trainingEvent(slug: $slug) { title } }",
            json!({ "slug": slug }),
        )
        .await;
    assert_eq!(data(&title_check)["trainingEvent"]["title"], title, "stored as given");

    for path in [format!("/events/{slug}.ics"), "/events.ics".to_owned()] {
        let text = calendar_text(&cast, &path).await;
        assert_only_crlf(&text);
        for line in text.split("\r\n") {
            for injected in ["ATTENDEE", "X-INJECTED", "X-VENUE"] {
                assert!(
                    !line.starts_with(injected),
                    "{path} has a line of its own: {line}\n{text}"
                );
            }
        }
        let calendar = parse(&text);
        for component in &calendar.components {
            assert!(!has(component, &ICalendarProperty::Attendee), "{path}:\n{text}");
            assert!(text_of(component, "X-INJECTED").is_none(), "{path}:\n{text}");
        }
        let events = of_type(&calendar, ICalendarComponentType::VEvent);
        assert_eq!(events.len(), 1, "{path}");
        assert_eq!(text_of(events[0], "SUMMARY"), Some(read_back), "{path}");
        assert!(
            text_of(events[0], "LOCATION").is_some_and(|location| location.starts_with("Rathaus\nX-VENUE:1, ")),
            "{path}:\n{text}"
        );
        // The writer's own crate reads it back the same way.
        let written: icalendar::Calendar = text.parse().expect("icalendar parses");
        let event = written
            .components
            .iter()
            .find_map(|component| component.as_event())
            .expect("VEVENT");
        assert_eq!(icalendar::Component::get_summary(event), Some(read_back), "{path}");
    }

    // The single event's calendar is named after it, in NAME and in X-WR-CALNAME.
    let text = calendar_text(&cast, &format!("/events/{slug}.ics")).await;
    let calendar = parse(&text);
    let root = of_type(&calendar, ICalendarComponentType::VCalendar);
    assert_eq!(text_of(root[0], "NAME"), Some(read_back), "{text}");
    assert_eq!(text_of(root[0], "X-WR-CALNAME"), Some(read_back), "{text}");
}

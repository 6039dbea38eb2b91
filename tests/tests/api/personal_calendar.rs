//! A member's personal calendar (`me { calendarUrl }`, `GET /calendar/{token}.ics`): it follows
//! registrations (a waiting place as TENTATIVE, the seat when it comes), a moved event and a
//! cancelled one, names nothing else about the member, and dies when reset.

use dkbm_tests::{Session, data};
use serde_json::{Value, json};

use super::events::{Cast, REGISTER, cast, create, event_input};

const CALENDAR_URL: &str = "{ me { calendarUrl } }";

async fn calendar_path(cast: &Cast, member: &Session) -> String {
    let response = cast.server.gql_as(member, CALENDAR_URL, json!({})).await;
    let url = data(&response)["me"]["calendarUrl"].as_str().expect("a URL").to_owned();
    assert!(
        url.starts_with("https://dkbm.test/calendar/") && url.ends_with(".ics"),
        "{url}"
    );
    url.trim_start_matches("https://dkbm.test").to_owned()
}

/// The calendar's text (panics unless 200 and text/calendar).
async fn fetch(cast: &Cast, path: &str) -> String {
    let response = cast.server.get(path).await;
    assert_eq!(response.status().as_u16(), 200, "{path}");
    assert!(dkbm_tests::header(&response, "content-type").starts_with("text/calendar"));
    assert_eq!(dkbm_tests::header(&response, "cache-control"), "private, no-store");
    response.text().await.expect("text")
}

/// The unfolded VEVENT blocks, by whether they contain `marker`.
fn vevent<'a>(calendar: &'a str, marker: &str) -> &'a str {
    calendar
        .split("BEGIN:VEVENT")
        .skip(1)
        .find(|block| block.replace("\r\n ", "").contains(marker))
        .unwrap_or_else(|| panic!("no event with {marker}: {calendar}"))
}

fn line<'a>(block: &'a str, name: &str) -> &'a str {
    block
        .lines()
        .find(|line| line.starts_with(name))
        .unwrap_or_else(|| panic!("no {name} in {block}"))
}

async fn register(cast: &Cast, member: &Session, event: &Value) -> Value {
    let response = cast.server.gql_as(member, REGISTER, json!({ "id": event["id"] })).await;
    data(&response)["registerForEvent"].clone()
}

#[tokio::test]
async fn the_calendar_follows_registrations_moves_and_cancellations_and_dies_when_reset() {
    let cast = cast().await;
    let full = create(&cast, event_input("Werkstatt Übergänge", Some(1), true)).await;
    let open = create(&cast, event_input("Netzwerktreffen Monitoring", None, false)).await;
    let first = cast.server.sign_up("erste@bottrop.de").await;
    let waiting = cast.server.sign_up("wartende@bottrop.de").await;
    let seat = register(&cast, &first, &full).await;
    assert_eq!(register(&cast, &waiting, &full).await["status"], "WAITLISTED");
    assert_eq!(register(&cast, &waiting, &open).await["status"], "CONFIRMED");

    let path = calendar_path(&cast, &waiting).await;
    assert_eq!(calendar_path(&cast, &waiting).await, path, "the same URL until reset");
    let calendar = fetch(&cast, &path).await;
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), 2, "{calendar}");
    assert!(
        !calendar.contains("wartende") && !calendar.contains("bottrop.de"),
        "nothing about the member"
    );
    let waitlisted = vevent(&calendar, "Werkstatt");
    assert!(
        waitlisted
            .replace("\r\n ", "")
            .contains("SUMMARY:Warteliste: Werkstatt Übergänge")
    );
    assert_eq!(line(waitlisted, "STATUS:"), "STATUS:TENTATIVE");
    assert_eq!(
        line(vevent(&calendar, "Netzwerktreffen"), "STATUS:"),
        "STATUS:CONFIRMED"
    );
    let other = calendar_path(&cast, &first).await;
    assert_ne!(other, path, "each member has their own");

    // The seat comes free: the waiting member gets it.
    let cancel = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { status } }";
    data(&cast.server.gql_as(&first, cancel, json!({ "id": seat["id"] })).await);
    let calendar = fetch(&cast, &path).await;
    let confirmed = vevent(&calendar, "Werkstatt");
    assert_eq!(line(confirmed, "STATUS:"), "STATUS:CONFIRMED");
    assert!(!confirmed.contains("Warteliste"));
    assert_eq!(fetch(&cast, &other).await.matches("BEGIN:VEVENT").count(), 0);

    // The event moves a day: its start and sequence change.
    let before = vevent(&calendar, "Netzwerktreffen").to_owned();
    let moved = move_event(&cast, &open).await;
    let calendar = fetch(&cast, &path).await;
    let after = vevent(&calendar, "Netzwerktreffen");
    assert_ne!(line(after, "DTSTART"), line(&before, "DTSTART"), "moved: {moved}");
    assert_ne!(line(after, "SEQUENCE:"), line(&before, "SEQUENCE:"));

    // Cancelled by the organiser: it stays, as cancelled.
    let cancel_event =
        "mutation ($id: ID!) { cancelTrainingEvent(id: $id, reason: \"Referentin erkrankt\") { status } }";
    data(
        &cast
            .server
            .gql_as(&cast.editor, cancel_event, json!({ "id": open["id"] }))
            .await,
    );
    let calendar = fetch(&cast, &path).await;
    assert_eq!(
        line(vevent(&calendar, "Netzwerktreffen"), "STATUS:"),
        "STATUS:CANCELLED"
    );

    // Reset: the old address is gone, the new one works.
    let reset = cast
        .server
        .gql_as(&waiting, "mutation { resetCalendarUrl }", json!({}))
        .await;
    let new_path = data(&reset)["resetCalendarUrl"]
        .as_str()
        .expect("url")
        .trim_start_matches("https://dkbm.test")
        .to_owned();
    assert_ne!(new_path, path);
    assert_eq!(cast.server.get(&path).await.status().as_u16(), 404);
    assert_eq!(fetch(&cast, &new_path).await.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(calendar_path(&cast, &waiting).await, new_path);
}

async fn move_event(cast: &Cast, event: &Value) -> Value {
    let update = "mutation ($id: ID!, $v: Int!, $input: UpdateTrainingEventInput!) { updateTrainingEvent(id: $id, expectedVersion: $v, input: $input) { startsAt version } }";
    // `event_input` starts in ten days, for three hours: one day later.
    let starts = chrono::Utc::now() + chrono::Duration::days(11);
    let input =
        json!({ "startsAt": starts.to_rfc3339(), "endsAt": (starts + chrono::Duration::hours(3)).to_rfc3339() });
    let variables = json!({ "id": event["id"], "v": event["version"], "input": input });
    let response = cast.server.gql_as(&cast.editor, update, variables).await;
    data(&response)["updateTrainingEvent"].clone()
}

#[tokio::test]
async fn only_the_member_sees_the_url_and_an_unknown_one_is_404() {
    let cast = cast().await;
    let member = cast.server.sign_up("kalender@bottrop.de").await;
    let me = cast.server.gql_as(&member, "{ me { id } }", json!({})).await;
    let id = data(&me)["me"]["id"].clone();
    let as_admin = cast
        .server
        .gql_admin(
            "query ($id: ID!) { node(id: $id) { ... on Member { calendarUrl } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data(&as_admin)["node"]["calendarUrl"], Value::Null);
    let anonymous = cast.server.gql(CALENDAR_URL, json!({})).await;
    assert_eq!(data(&anonymous)["me"], Value::Null);
    for path in ["/calendar/unbekannt.ics", "/calendar/unbekannt", "/calendar/%00.ics"] {
        assert!(
            matches!(cast.server.get(path).await.status().as_u16(), 400 | 404),
            "{path}"
        );
    }
    let reset = cast.server.gql("mutation { resetCalendarUrl }", json!({})).await;
    assert_eq!(reset["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

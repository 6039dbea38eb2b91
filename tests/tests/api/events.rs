//! Training events: creating and finding them, registering with capacity and waiting list,
//! the organisers' tools, bad input, live availability, the iCalendar feed (the exports'
//! hardening and the participant lists are in `event_exports`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use dkbm_tests::ws::{Received, WsClient};
use dkbm_tests::{Session, TestServer, assert_bad_input, data, error_with_code, i64_at, str_at, strings_at};
use serde_json::{Value, json};

pub const CREATE: &str = "mutation ($input: CreateTrainingEventInput!) { createTrainingEvent(input: $input) {
  id slug version status capacity seatsTaken seatsFree waitlistLength isOnline onlineUrl timeZone
  venue { name city postalCode } topics { slug } organizer { slug } descriptionHtml registrationOpen } }";
pub const REGISTER: &str = "mutation ($id: ID!, $note: String) { registerForEvent(eventId: $id, note: $note) { id status waitlistPosition note event { seatsTaken } } }";
const CANCEL: &str = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { id status waitlistPosition } }";
const UPDATE: &str = "mutation ($id: ID!, $v: Int!, $input: UpdateTrainingEventInput!) { updateTrainingEvent(id: $id, expectedVersion: $v, input: $input) { version capacity seatsTaken seatsFree waitlistLength } }";
const EVENT: &str = "query ($slug: String!) { trainingEvent(slug: $slug) { id version status seatsTaken seatsFree waitlistLength isOnline onlineUrl registrationOpen cancellationReason
  myRegistration { id status waitlistPosition } } }";
const PARTICIPANTS: &str = "query ($id: ID!, $filter: ParticipantFilter) { participants(eventId: $id, first: 100, filter: $filter) { totalCount
  nodes { id status waitlistPosition note attendance registeredAt member { displayName } } } }";

fn at(offset: chrono::Duration) -> String {
    (Utc::now() + offset).to_rfc3339()
}

pub fn event_input(title: &str, capacity: Option<i32>, waitlist: bool) -> Value {
    json!({
        "organizerSlug": "transferagentur-nrw",
        "title": title,
        "description": "Wie **Bildungsmonitoring** Übergänge sichtbar macht.<script>alert(1)</script>",
        "format": "WORKSHOP",
        "topics": ["education-monitoring"],
        "startsAt": at(chrono::Duration::days(10)),
        "endsAt": at(chrono::Duration::days(10) + chrono::Duration::hours(3)),
        "venue": { "name": "Rathaus", "street": "Friedensplatz 1", "postalCode": "44135", "city": "Dortmund" },
        "onlineUrl": "https://konferenz.example.org/raum-7",
        "capacity": capacity,
        "waitlistEnabled": waitlist,
    })
}

pub struct Cast {
    pub server: TestServer,
    pub editor: Session,
}

pub async fn cast() -> Cast {
    let server = TestServer::start().await;
    // Without the demo's events: each test counts its own.
    server.seed_demo_without_events().await;
    let editor = server.event_planner().await;
    Cast { server, editor }
}

pub async fn create(cast: &Cast, input: Value) -> Value {
    cast.server.create_event(&cast.editor, CREATE, input).await
}

async fn event(server: &TestServer, session: Option<&Session>, slug: &str) -> Value {
    let token = session.map(|s| s.access_token.as_str());
    let response = server.gql_with(token, EVENT, json!({ "slug": slug })).await;
    data(&response)["trainingEvent"].clone()
}

/// Three events of the organiser: a workshop in Dortmund in ten days (20 seats, also
/// online), a webinar in three days (unlimited seats), and a past day conference.
struct ThreeEvents {
    cast: Cast,
    /// The `createTrainingEvent` answers.
    workshop: Value,
    webinar: Value,
}

async fn three_events() -> ThreeEvents {
    let cast = cast().await;
    let workshop = create(&cast, event_input("Werkstatt Bildungsmonitoring", Some(20), true)).await;
    let webinar = json!({
        "organizerSlug": "transferagentur-nrw", "title": "Webinar Datenschutz", "format": "WEBINAR",
        "startsAt": at(chrono::Duration::days(3)), "endsAt": at(chrono::Duration::days(3) + chrono::Duration::hours(1)),
        "onlineUrl": "https://webinar.example.org/x",
    });
    let webinar = create(&cast, webinar).await;
    let mut past = event_input("Rückblick Fachtag", None, false);
    past["startsAt"] = json!(at(-chrono::Duration::days(10)));
    past["endsAt"] = json!(at(-chrono::Duration::days(9)));
    create(&cast, past).await;
    ThreeEvents {
        cast,
        workshop,
        webinar,
    }
}

#[tokio::test]
async fn organisers_create_events_with_or_without_a_seat_limit() {
    let ThreeEvents {
        workshop: created,
        webinar,
        ..
    } = three_events().await;
    assert_eq!(created["version"], 1);
    assert_eq!(created["status"], "SCHEDULED");
    assert_eq!(created["seatsFree"], 20);
    assert_eq!(created["timeZone"], "Europe/Berlin");
    assert_eq!(created["topics"][0]["slug"], "education-monitoring");
    assert!(!str_at(&created, "/descriptionHtml").contains("<script"));
    assert_eq!(created["registrationOpen"], true);
    assert!(str_at(&created, "/slug").starts_with("werkstatt-bildungsmonitoring-"));
    assert_eq!(webinar["seatsFree"], Value::Null, "unlimited seats");
}

#[tokio::test]
async fn anonymous_readers_know_that_an_event_is_online_but_not_where() {
    let ThreeEvents {
        cast,
        workshop: created,
        ..
    } = three_events().await;
    let anonymous = event(&cast.server, None, str_at(&created, "/slug")).await;
    assert_eq!(anonymous["isOnline"], true);
    assert_eq!(anonymous["onlineUrl"], Value::Null);
    assert_eq!(anonymous["myRegistration"], Value::Null);
    let organiser = event(&cast.server, Some(&cast.editor), str_at(&created, "/slug")).await;
    assert_eq!(organiser["onlineUrl"], "https://konferenz.example.org/raum-7");
}

#[tokio::test]
async fn everyone_finds_events_by_date_place_format_topic_text_organiser_and_seats() {
    let ThreeEvents { cast, .. } = three_events().await;
    let list = |filter: Value| {
        let server = &cast.server;
        async move {
            let response = server
                .gql(
                    "query ($filter: TrainingEventFilter) { trainingEvents(first: 50, filter: $filter) { totalCount nodes { title } } }",
                    json!({ "filter": filter }),
                )
                .await;
            strings_at(data(&response), "/trainingEvents/nodes", "/title")
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    // Upcoming by default, soonest first; past events only when asked.
    assert_eq!(
        list(json!({})).await,
        ["Webinar Datenschutz", "Werkstatt Bildungsmonitoring"]
    );
    assert_eq!(
        list(json!({ "from": at(-chrono::Duration::days(30)) })).await,
        [
            "Rückblick Fachtag",
            "Webinar Datenschutz",
            "Werkstatt Bildungsmonitoring"
        ]
    );
    assert_eq!(
        list(json!({ "city": "DORTMUND" })).await,
        ["Werkstatt Bildungsmonitoring"]
    );
    assert_eq!(list(json!({ "formats": ["WEBINAR"] })).await, ["Webinar Datenschutz"]);
    assert_eq!(list(json!({ "online": true })).await.len(), 2);
    assert_eq!(
        list(json!({ "topics": ["education-monitoring"] })).await,
        ["Werkstatt Bildungsmonitoring"]
    );
    assert_eq!(
        list(json!({ "search": "übergang" })).await,
        ["Werkstatt Bildungsmonitoring"]
    );
    assert_eq!(list(json!({ "search": "Datenschutz" })).await, ["Webinar Datenschutz"]);
    assert_eq!(list(json!({ "organizer": "transferagentur-nrw" })).await.len(), 2);
    assert_eq!(list(json!({ "organizer": "ruhrfutur" })).await.len(), 0);
    assert_eq!(list(json!({ "hasFreeSeats": true })).await.len(), 2);
    let newest = cast
        .server
        .gql(
            "{ trainingEvents(first: 1, orderBy: { field: CREATED_AT }) { pageInfo { hasNextPage endCursor } nodes { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&newest)["trainingEvents"]["nodes"][0]["title"],
        "Webinar Datenschutz"
    );
    let bad = cast
        .server
        .gql(
            "{ trainingEvents(filter: { topics: [\"astrologie\"] }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_bad_input(&bad, "filter.topics");
}

#[tokio::test]
async fn bad_event_input_is_answered_precisely_and_writes_nothing() {
    let cast = cast().await;
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "input.endsAt",
            Box::new(|i| i["endsAt"] = json!(at(chrono::Duration::days(9)))),
        ),
        (
            "input.registrationClosesAt",
            Box::new(|i| i["registrationClosesAt"] = json!(at(chrono::Duration::days(11)))),
        ),
        ("input.capacity", Box::new(|i| i["capacity"] = json!(-5))),
        ("input.topics", Box::new(|i| i["topics"] = json!(["astrologie"]))),
        (
            "input.timeZone",
            Box::new(|i| i["timeZone"] = json!("Mitteleuropa/Bottrop")),
        ),
        ("input.title", Box::new(|i| i["title"] = json!("x".repeat(301)))),
        (
            "input.onlineUrl",
            Box::new(|i| i["onlineUrl"] = json!("javascript:alert(1)")),
        ),
        (
            "input.venue.postalCode",
            Box::new(|i| i["venue"]["postalCode"] = json!("4413")),
        ),
        (
            "input.venue",
            Box::new(|i| {
                i["venue"] = Value::Null;
                i["onlineUrl"] = Value::Null;
            }),
        ),
        (
            "input.organizerSlug",
            Box::new(|i| i["organizerSlug"] = json!("gibt-es-nicht")),
        ),
    ];
    for (field, change) in cases {
        let mut input = event_input("Fehlerhafte Veranstaltung", Some(10), true);
        change(&mut input);
        let response = cast
            .server
            .gql_as(&cast.editor, CREATE, json!({ "input": input }))
            .await;
        assert_bad_input(&response, field);
    }
    let member = cast.server.sign_up("neugierig@bottrop.de").await;
    let response = cast
        .server
        .gql_as(
            &member,
            CREATE,
            json!({ "input": event_input("Nicht erlaubt", None, false) }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    let count = cast
        .server
        .gql("{ trainingEvents(filter: { status: [SCHEDULED, CANCELLED, COMPLETED], from: \"2000-01-01T00:00:00Z\" }) { totalCount } }", json!({}))
        .await;
    assert_eq!(data(&count)["trainingEvents"]["totalCount"], 0, "nothing was written");
}

/// An event of two seats with a waiting list, and four members who registered in order (with
/// a note each): the first two have seats, the other two wait at positions 1 and 2.
struct TwoSeatsFourMembers {
    cast: Cast,
    id: Value,
    slug: String,
    version: i64,
    members: Vec<Session>,
    /// The `registerForEvent` answers, in the members' order.
    registrations: Vec<Value>,
}

async fn two_seats_four_members() -> TwoSeatsFourMembers {
    let cast = cast().await;
    let created = create(&cast, event_input("Fachtag Übergänge", Some(2), true)).await;
    let id = created["id"].clone();
    let members = cast.server.many_members("fachtag", 4).await;
    let mut registrations = Vec::new();
    for (n, member) in members.iter().enumerate() {
        let response = cast
            .server
            .gql_as(member, REGISTER, json!({ "id": id, "note": format!("Notiz {n}") }))
            .await;
        registrations.push(data(&response)["registerForEvent"].clone());
    }
    TwoSeatsFourMembers {
        slug: str_at(&created, "/slug").to_owned(),
        version: i64_at(&created, "/version"),
        cast,
        id,
        members,
        registrations,
    }
}

#[tokio::test]
async fn the_first_registrations_take_the_seats_and_the_rest_wait_in_order() {
    let TwoSeatsFourMembers {
        cast,
        id,
        slug,
        members,
        registrations,
        ..
    } = two_seats_four_members().await;
    let statuses: Vec<(&str, Value)> = registrations
        .iter()
        .map(|r| (str_at(r, "/status"), r["waitlistPosition"].clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("CONFIRMED", Value::Null),
            ("CONFIRMED", Value::Null),
            ("WAITLISTED", json!(1)),
            ("WAITLISTED", json!(2))
        ]
    );
    // Registering twice is a conflict.
    let twice = cast.server.gql_as(&members[0], REGISTER, json!({ "id": id })).await;
    assert_eq!(error_with_code(&twice, "CONFLICT")["extensions"]["field"], "eventId");
    // Only confirmed participants see the online URL.
    assert_eq!(
        event(&cast.server, Some(&members[0]), &slug).await["onlineUrl"],
        "https://konferenz.example.org/raum-7"
    );
    let waiting = event(&cast.server, Some(&members[3]), &slug).await;
    assert_eq!(waiting["onlineUrl"], Value::Null);
    assert_eq!(waiting["myRegistration"]["waitlistPosition"], 2);
    assert_eq!(waiting["seatsFree"], 0);
    assert_eq!(waiting["waitlistLength"], 2);
}

#[tokio::test]
async fn a_cancelled_seat_goes_to_the_head_of_the_waiting_list() {
    let TwoSeatsFourMembers {
        cast,
        id,
        slug,
        members,
        registrations,
        ..
    } = two_seats_four_members().await;
    // Another member cannot cancel someone else's registration (nor learn that it exists).
    let foreign = cast
        .server
        .gql_as(&members[3], CANCEL, json!({ "id": registrations[0]["id"] }))
        .await;
    error_with_code(&foreign, "NOT_FOUND");
    // A cancelled seat goes to the head of the list; the list closes up.
    let cancelled = cast
        .server
        .gql_as(&members[0], CANCEL, json!({ "id": registrations[0]["id"] }))
        .await;
    assert_eq!(data(&cancelled)["cancelRegistration"]["status"], "CANCELLED");
    let promoted = event(&cast.server, Some(&members[2]), &slug).await;
    assert_eq!(promoted["myRegistration"]["status"], "CONFIRMED");
    assert_eq!(promoted["onlineUrl"], "https://konferenz.example.org/raum-7");
    let moved_up = event(&cast.server, Some(&members[3]), &slug).await;
    assert_eq!(moved_up["myRegistration"]["waitlistPosition"], 1);
    assert_eq!(
        (moved_up["seatsTaken"].clone(), moved_up["waitlistLength"].clone()),
        (json!(2), json!(1))
    );
    // Registering again after cancelling puts the member at the end of the line.
    let again = cast.server.gql_as(&members[0], REGISTER, json!({ "id": id })).await;
    assert_eq!(data(&again)["registerForEvent"]["waitlistPosition"], 2);
}

#[tokio::test]
async fn raising_the_capacity_fills_the_new_seats_at_once_and_it_cannot_drop_below_the_seats_taken() {
    let TwoSeatsFourMembers {
        cast,
        id,
        slug,
        version,
        members,
        ..
    } = two_seats_four_members().await;
    let lowered = cast
        .server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": id, "v": version, "input": { "capacity": 1 } }),
        )
        .await;
    assert_bad_input(&lowered, "input.capacity");
    let stale = cast
        .server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": id, "v": version + 5, "input": { "capacity": 3 } }),
        )
        .await;
    assert_eq!(
        error_with_code(&stale, "CONFLICT")["extensions"]["currentVersion"],
        version
    );
    let raised = cast
        .server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": id, "v": version, "input": { "capacity": 3 } }),
        )
        .await;
    let raised = &data(&raised)["updateTrainingEvent"];
    assert_eq!(
        (
            raised["seatsTaken"].clone(),
            raised["waitlistLength"].clone(),
            raised["version"].clone()
        ),
        (json!(3), json!(1), json!(version + 1))
    );
    // The head of the list got the new seat; the one behind moved up.
    assert_eq!(
        event(&cast.server, Some(&members[2]), &slug).await["myRegistration"]["status"],
        "CONFIRMED"
    );
    assert_eq!(
        event(&cast.server, Some(&members[3]), &slug).await["myRegistration"]["waitlistPosition"],
        1
    );
}

#[tokio::test]
async fn an_event_without_a_waiting_list_answers_event_full() {
    let cast = cast().await;
    let members = cast.server.many_members("runde", 2).await;
    let small = create(&cast, event_input("Kleine Runde", Some(1), false)).await;
    data(
        &cast
            .server
            .gql_as(&members[0], REGISTER, json!({ "id": small["id"] }))
            .await,
    );
    let full = cast
        .server
        .gql_as(&members[1], REGISTER, json!({ "id": small["id"] }))
        .await;
    error_with_code(&full, "EVENT_FULL");
    let anonymous = cast.server.gql(REGISTER, json!({ "id": small["id"] })).await;
    error_with_code(&anonymous, "UNAUTHENTICATED");
}

#[tokio::test]
async fn cancelling_the_event_cancels_every_registration_and_refuses_new_ones() {
    let TwoSeatsFourMembers {
        cast,
        id,
        slug,
        members,
        ..
    } = two_seats_four_members().await;
    let cancel_event = cast
        .server
        .gql_as(
            &cast.editor,
            "mutation ($id: ID!) { cancelTrainingEvent(id: $id, reason: \"Referentin erkrankt\") { status seatsTaken waitlistLength cancellationReason } }",
            json!({ "id": id }),
        )
        .await;
    let cancel_event = &data(&cancel_event)["cancelTrainingEvent"];
    assert_eq!(cancel_event["status"], "CANCELLED");
    assert_eq!(
        (
            cancel_event["seatsTaken"].clone(),
            cancel_event["waitlistLength"].clone()
        ),
        (json!(0), json!(0))
    );
    for member in &members {
        let mine = event(&cast.server, Some(member), &slug).await;
        assert_eq!(mine["myRegistration"]["status"], "CANCELLED");
    }
    let late = cast.server.gql_as(&members[1], REGISTER, json!({ "id": id })).await;
    assert_bad_input(&late, "eventId");
}

#[tokio::test]
async fn registration_window_and_started_events_are_refused_with_the_reason() {
    let cast = cast().await;
    let mut later = event_input("Später offen", Some(5), true);
    later["registrationOpensAt"] = json!(at(chrono::Duration::days(2)));
    let later = create(&cast, later).await;
    assert_eq!(later["registrationOpen"], false);
    let member = cast.server.many_members("fenster", 1).await.remove(0);
    let response = cast
        .server
        .gql_as(&member, REGISTER, json!({ "id": later["id"] }))
        .await;
    assert_bad_input(&response, "eventId");
    assert!(str_at(&response, "/errors/0/message").contains("opens"));
    let mut closed = event_input("Schon geschlossen", Some(5), true);
    closed["registrationOpensAt"] = json!(at(-chrono::Duration::days(5)));
    closed["registrationClosesAt"] = json!(at(-chrono::Duration::days(1)));
    let closed = create(&cast, closed).await;
    let response = cast
        .server
        .gql_as(&member, REGISTER, json!({ "id": closed["id"] }))
        .await;
    assert!(str_at(&response, "/errors/0/message").contains("closed"));
    let mut running = event_input("Läuft schon", Some(5), true);
    running["startsAt"] = json!(at(-chrono::Duration::hours(1)));
    let running = create(&cast, running).await;
    let response = cast
        .server
        .gql_as(&member, REGISTER, json!({ "id": running["id"] }))
        .await;
    assert_bad_input(&response, "eventId");
    let note = cast
        .server
        .gql_as(
            &member,
            REGISTER,
            json!({ "id": later["id"], "note": "x".repeat(1001) }),
        )
        .await;
    assert_bad_input(&note, "note");
}

const MARK_ATTENDANCE: &str =
    "mutation ($id: ID!, $a: Boolean!) { markAttendance(registrationId: $id, attended: $a) { status attendance } }";
const PROMOTE: &str = "mutation ($id: ID!) { promoteFromWaitlist(registrationId: $id) { status waitlistPosition } }";

/// An event of two seats that starts in three seconds, and three members registered (a note
/// each): two with seats, the third waiting.
struct StartingSoon {
    cast: Cast,
    id: Value,
    members: Vec<Session>,
    /// The registrations' ids, in the members' order.
    registrations: Vec<Value>,
}

async fn starting_soon() -> StartingSoon {
    let cast = cast().await;
    let mut input = event_input("Peer-Austausch Dortmund", Some(2), true);
    input["startsAt"] = json!(at(chrono::Duration::seconds(3)));
    let created = create(&cast, input).await;
    let id = created["id"].clone();
    let members = cast.server.many_members("peer", 3).await;
    let mut registrations = Vec::new();
    for member in &members {
        let response = cast
            .server
            .gql_as(member, REGISTER, json!({ "id": id, "note": "vegetarisch" }))
            .await;
        registrations.push(data(&response)["registerForEvent"]["id"].clone());
    }
    StartingSoon {
        cast,
        id,
        members,
        registrations,
    }
}

#[tokio::test]
async fn before_the_start_organisers_see_participants_but_record_and_move_nobody() {
    let StartingSoon {
        cast,
        id,
        members,
        registrations,
    } = starting_soon().await;
    let list = cast
        .server
        .gql_as(&cast.editor, PARTICIPANTS, json!({ "id": id }))
        .await;
    let list = &data(&list)["participants"];
    assert_eq!(list["totalCount"], 3);
    assert_eq!(list["nodes"][0]["member"]["displayName"], "Jürgen Müller 0");
    assert_eq!(list["nodes"][0]["note"], "vegetarisch");
    assert_eq!(list["nodes"][2]["status"], "WAITLISTED");
    let outsider = cast.server.gql_as(&members[0], PARTICIPANTS, json!({ "id": id })).await;
    error_with_code(&outsider, "FORBIDDEN");
    // Before the start attendance cannot be recorded.
    let early = cast
        .server
        .gql_as(
            &cast.editor,
            MARK_ATTENDANCE,
            json!({ "id": registrations[0], "a": true }),
        )
        .await;
    assert_bad_input(&early, "registrationId");
    // A seat is not free, so nobody can be moved up by hand.
    let no_seat = cast
        .server
        .gql_as(&cast.editor, PROMOTE, json!({ "id": registrations[2] }))
        .await;
    error_with_code(&no_seat, "CONFLICT");
}

#[tokio::test]
async fn after_the_start_organisers_cancel_move_up_and_record_attendance() {
    let StartingSoon {
        cast,
        id,
        members,
        registrations,
    } = starting_soon().await;
    tokio::time::sleep(Duration::from_millis(3200)).await;
    // After the start a member can no longer cancel; the organiser can, and the seat stays free.
    let too_late = cast
        .server
        .gql_as(&members[1], CANCEL, json!({ "id": registrations[1] }))
        .await;
    assert_bad_input(&too_late, "registrationId");
    data(
        &cast
            .server
            .gql_as(&cast.editor, CANCEL, json!({ "id": registrations[1] }))
            .await,
    );
    let waiting = cast
        .server
        .gql_as(
            &cast.editor,
            PARTICIPANTS,
            json!({ "id": id, "filter": { "status": ["WAITLISTED"] } }),
        )
        .await;
    assert_eq!(data(&waiting)["participants"]["totalCount"], 1);
    let moved = cast
        .server
        .gql_as(&cast.editor, PROMOTE, json!({ "id": registrations[2] }))
        .await;
    assert_eq!(data(&moved)["promoteFromWaitlist"]["status"], "CONFIRMED");
    let attended = cast
        .server
        .gql_as(
            &cast.editor,
            MARK_ATTENDANCE,
            json!({ "id": registrations[0], "a": true }),
        )
        .await;
    assert_eq!(
        data(&attended)["markAttendance"],
        json!({ "status": "ATTENDED", "attendance": "ATTENDED" })
    );
    let no_show = cast
        .server
        .gql_as(
            &cast.editor,
            MARK_ATTENDANCE,
            json!({ "id": registrations[2], "a": false }),
        )
        .await;
    assert_eq!(
        data(&no_show)["markAttendance"],
        json!({ "status": "CONFIRMED", "attendance": "NO_SHOW" })
    );
    let cancelled = cast
        .server
        .gql_as(
            &cast.editor,
            MARK_ATTENDANCE,
            json!({ "id": registrations[1], "a": true }),
        )
        .await;
    assert_bad_input(&cancelled, "registrationId");
    let by_member = cast
        .server
        .gql_as(
            &members[0],
            MARK_ATTENDANCE,
            json!({ "id": registrations[0], "a": false }),
        )
        .await;
    error_with_code(&by_member, "FORBIDDEN");
}

#[tokio::test]
async fn deleting_an_account_frees_the_seat_for_the_waiting_list() {
    let cast = cast().await;
    let created = create(&cast, event_input("Werkstatt Datenschutz", Some(1), true)).await;
    let slug = str_at(&created, "/slug").to_owned();
    let members = cast.server.many_members("konto", 2).await;
    for member in &members {
        data(
            &cast
                .server
                .gql_as(member, REGISTER, json!({ "id": created["id"] }))
                .await,
        );
    }
    let deleted = cast
        .server
        .gql_as(
            &members[0],
            "mutation ($p: String!) { deleteMyAccount(password: $p) }",
            json!({ "p": dkbm_tests::PASSWORD }),
        )
        .await;
    data(&deleted);
    let next = event(&cast.server, Some(&members[1]), &slug).await;
    assert_eq!(next["myRegistration"]["status"], "CONFIRMED");
    assert_eq!(
        (next["seatsTaken"].clone(), next["waitlistLength"].clone()),
        (json!(1), json!(0))
    );
}

#[tokio::test]
async fn a_page_of_events_costs_a_constant_number_of_statements() {
    let cast = cast().await;
    for n in 0..12 {
        create(&cast, event_input(&format!("Reihe Teil {n}"), Some(10), true)).await;
    }
    let member = cast.server.many_members("seite", 1).await.remove(0);
    let query = "query ($n: Int!) { trainingEvents(first: $n) { nodes { title seatsTaken seatsFree waitlistLength registrationOpen onlineUrl
      organizer { name } topics { slug } myRegistration { status } } } }";
    let mut counts = Vec::new();
    for n in [2, 12] {
        let before = cast.server.statements();
        data(&cast.server.gql_as(&member, query, json!({ "n": n })).await);
        counts.push(cast.server.statements() - before);
    }
    assert_eq!(counts[0], counts[1], "statements for 2 and 12 events: {counts:?}");
}

#[tokio::test]
async fn availability_is_pushed_live() {
    let cast = cast().await;
    let created = create(&cast, event_input("Live-Werkstatt", Some(1), true)).await;
    let mut socket = WsClient::connect_and_init(&cast.server.base, None).await;
    socket
        .subscribe(
            "a",
            "subscription ($id: ID!) { eventAvailabilityChanged(eventId: $id) { eventId seatsFree waitlistLength } }",
            json!({ "id": created["id"] }),
        )
        .await;
    let first = socket.next_message().await;
    assert_eq!(first["payload"]["data"]["eventAvailabilityChanged"]["seatsFree"], 1);
    let members = cast.server.many_members("live", 2).await;
    for (n, member) in members.iter().enumerate() {
        data(
            &cast
                .server
                .gql_as(member, REGISTER, json!({ "id": created["id"] }))
                .await,
        );
        let next = socket.next_message().await;
        let availability = &next["payload"]["data"]["eventAvailabilityChanged"];
        assert_eq!(availability["seatsFree"], 0);
        assert_eq!(availability["waitlistLength"], n);
    }
    // A deleted account frees its seat: the waiting member moves up, and subscribers hear it.
    data(
        &cast
            .server
            .gql_as(
                &members[0],
                "mutation ($p: String!) { deleteMyAccount(password: $p) }",
                json!({ "p": dkbm_tests::PASSWORD }),
            )
            .await,
    );
    let next = socket.next_message().await;
    let availability = &next["payload"]["data"]["eventAvailabilityChanged"];
    assert_eq!(
        (
            availability["seatsFree"].clone(),
            availability["waitlistLength"].clone()
        ),
        (json!(0), json!(0)),
        "{next}"
    );
    let mut unknown = WsClient::connect_and_init(&cast.server.base, None).await;
    unknown
        .subscribe(
            "b",
            "subscription { eventAvailabilityChanged(eventId: \"bm90LWFuLWV2ZW50\") { seatsFree } }",
            json!({}),
        )
        .await;
    let error = unknown.next_message().await;
    assert_eq!(
        error["payload"]["errors"][0]["extensions"]["field"], "eventId",
        "{error}"
    );
    assert!(!matches!(
        socket.receive(Duration::from_millis(200)).await,
        Received::Closed(..)
    ));
}

/// GETs a path of the server, anonymously or as a member: the status, the content type (if
/// any) and the body.
pub async fn fetch(server: &TestServer, path: &str, viewer: Option<&Session>) -> (u16, Option<String>, Vec<u8>) {
    let response = match viewer {
        Some(session) => server.get_as(session, path).await,
        None => server.get(path).await,
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|value| value.to_str().expect("a textual content type").to_owned());
    (status, content_type, response.bytes().await.expect("body").to_vec())
}

fn vevents(text: &str) -> Vec<icalendar::Event> {
    let calendar: icalendar::Calendar = text.parse().expect("RFC 5545 parses");
    calendar
        .components
        .iter()
        .filter_map(|c| c.as_event().cloned())
        .collect()
}

#[tokio::test]
async fn calendars_follow_moves_and_cancellations() {
    use icalendar::Component;
    let cast = cast().await;
    let created = create(&cast, event_input("Fachtag Bildungsmonitoring", Some(10), true)).await;
    let slug = str_at(&created, "/slug").to_owned();
    let (status, content_type, body) = fetch(&cast.server, "/events.ics", None).await;
    assert_eq!(status, 200);
    assert!(
        content_type.as_deref().is_some_and(|t| t.starts_with("text/calendar")),
        "{content_type:?}"
    );
    let text = String::from_utf8(body).expect("UTF-8");
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"), "{text}");
    assert!(text.contains("DTSTART;TZID=Europe/Berlin:"), "{text}");
    let events = vevents(&text);
    assert_eq!(events.len(), 1);
    let uid = events[0].get_uid().expect("UID").to_owned();
    assert!(events[0].property_value("DTSTAMP").is_some());
    assert_eq!(events[0].get_sequence(), Some(0));
    assert_eq!(events[0].get_summary(), Some("Fachtag Bildungsmonitoring"));

    let starts: DateTime<Utc> = Utc::now() + chrono::Duration::days(20);
    let moved = cast
        .server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": created["id"], "v": 1, "input": { "startsAt": starts.to_rfc3339(), "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339() } }),
        )
        .await;
    data(&moved);
    data(
        &cast
            .server
            .gql_as(
                &cast.editor,
                "mutation ($id: ID!) { cancelTrainingEvent(id: $id, reason: \"Raum nicht verfügbar\") { status } }",
                json!({ "id": created["id"] }),
            )
            .await,
    );
    let (_, _, body) = fetch(&cast.server, &format!("/events/{slug}.ics"), None).await;
    let events = vevents(&String::from_utf8(body).expect("UTF-8"));
    assert_eq!(events[0].get_uid(), Some(uid.as_str()), "the UID is stable");
    assert_eq!(events[0].get_sequence(), Some(2));
    assert_eq!(events[0].get_status(), Some(icalendar::EventStatus::Cancelled));
    // The feed keeps cancelled events so that subscribed calendars see the cancellation.
    let (_, _, body) = fetch(
        &cast.server,
        "/events.ics?organizer=transferagentur-nrw&topic=education-monitoring",
        None,
    )
    .await;
    assert_eq!(vevents(&String::from_utf8(body).expect("UTF-8")).len(), 1);
    let (_, _, body) = fetch(&cast.server, "/events.ics?organizer=ruhrfutur", None).await;
    assert_eq!(vevents(&String::from_utf8(body).expect("UTF-8")).len(), 0);
    let (status, _, body) = fetch(&cast.server, "/events.ics?topic=astrologie", None).await;
    assert_eq!(status, 400);
    let body: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["field"], "topic");
    assert_eq!(fetch(&cast.server, "/events/gibt-es-nicht.ics", None).await.0, 404);
}

/// Everything a visitor sees of an event with its availability, in one answer.
const WHOLE_EVENT: &str = "query ($slug: String!) { trainingEvent(slug: $slug) {
  id slug title description descriptionHtml format topics { slug } organizer { slug name }
  startsAt endsAt timeZone venue { name street postalCode city } isOnline onlineUrl
  capacity waitlistEnabled registrationOpensAt registrationClosesAt registrationOpen status cancellationReason version
  seatsTaken seatsFree waitlistLength availability { eventId seatsTaken seatsFree waitlistLength }
  myRegistration { id status waitlistPosition note } icalUrl createdAt updatedAt } }";

#[tokio::test]
async fn a_full_event_with_its_availability_as_the_waitlisted_member_sees_it() {
    let cast = cast().await;
    let created = create(&cast, event_input("Werkstatt Bildungsmonitoring", Some(2), true)).await;
    let mut members = Vec::new();
    for email in ["eins@bottrop.de", "zwei@bottrop.de", "drei@bottrop.de"] {
        let member = cast.server.sign_up(email).await;
        data(
            &cast
                .server
                .gql_as(&member, REGISTER, json!({ "id": created["id"], "note": "Vegetarisch" }))
                .await,
        );
        members.push(member);
    }

    let response = cast
        .server
        .gql_as(&members[2], WHOLE_EVENT, json!({ "slug": created["slug"] }))
        .await;
    insta::assert_json_snapshot!(data(&response), {
        ".trainingEvent.id" => crate::redact::id(),
        ".trainingEvent.availability.eventId" => crate::redact::id(),
        ".trainingEvent.myRegistration.id" => crate::redact::id(),
        ".trainingEvent.slug" => crate::redact::generated_after("werkstatt-bildungsmonitoring-"),
        ".trainingEvent.icalUrl" => crate::redact::generated_after("/events/werkstatt-bildungsmonitoring-"),
        ".trainingEvent.startsAt" => crate::redact::timestamp(),
        ".trainingEvent.endsAt" => crate::redact::timestamp(),
        ".trainingEvent.createdAt" => crate::redact::timestamp(),
        ".trainingEvent.updatedAt" => crate::redact::timestamp(),
    });
}

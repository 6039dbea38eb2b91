//! Seat quotas (Kontingente) through the public API: the organisers add, change and remove
//! them (bad input refused precisely, writing nothing); members take a seat of the best quota
//! they are entitled to, else of the general pool, else wait; a freed quota seat goes to the
//! first waiting member entitled to it and after `until` the unused seats are everyone's
//! (`quotas_waitlist`); the burst on two instances is in `quotas_concurrency`.

use dkbm_tests::{Session, TestServer, assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

use crate::events::{Cast, REGISTER, cast, create, event_input};

pub const ADD: &str = "mutation ($input: AddEventQuotaInput!) { addEventQuota(input: $input) {
  id name seatsTotal seatsTaken seatsFree until released entitlement municipalities { ags } programme { slug }
  accompaniedBy { slug } event { seatsFree } } }";
pub const UPDATE: &str =
    "mutation ($id: ID!, $input: UpdateEventQuotaInput!) { updateEventQuota(id: $id, input: $input) {
  name seatsTotal seatsTaken seatsFree released } }";
const REMOVE: &str = "mutation ($id: ID!) { removeEventQuota(id: $id) { seatsFree quotas { name } } }";
pub const QUOTAS: &str = "query ($slug: String!) { trainingEvent(slug: $slug) { seatsFree seatsTaken waitlistLength
  quotas { name seatsTotal seatsTaken seatsFree released appliesToViewer } } }";
pub const CANCEL: &str = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { status } }";
pub const MINE: &str = "query ($slug: String!) { trainingEvent(slug: $slug) { myRegistration { status waitlistPosition quota { name } } } }";

/// A programme with Essen taking part, and an agency accompanying Gelsenkirchen under a target
/// agreement (as the operator).
pub async fn programme_and_agreement(server: &TestServer) {
    for (query, input) in [
        (
            "mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { id } }",
            json!({ "slug": "begleitagentur-ruhr", "name": "Begleitagentur Ruhr", "kind": "TRANSFER_AGENCY" }),
        ),
        (
            "mutation ($input: CreateProgrammeInput!) { createProgramme(input: $input) { id } }",
            json!({ "slug": "bildungskommunen-ruhr", "name": "Bildungskommunen an der Ruhr", "funder": "BMBF" }),
        ),
        (
            "mutation ($input: AddProgrammeParticipationInput!) { addProgrammeParticipation(input: $input) { id } }",
            json!({ "programmeSlug": "bildungskommunen-ruhr", "municipalityAgs": "05113000", "fundingCode": "01JL2201" }),
        ),
        (
            "mutation ($input: CreateAgreementInput!) { createAgreement(input: $input) { id } }",
            json!({ "kind": "TARGET_AGREEMENT", "title": "Zielvereinbarung Gelsenkirchen",
                    "agencySlug": "begleitagentur-ruhr", "municipalityAgs": "05513000" }),
        ),
    ] {
        data(&server.gql_admin(query, json!({ "input": input })).await);
    }
}

/// Adds a quota as the organiser; the payload.
pub async fn add(cast: &Cast, input: Value) -> Value {
    let response = cast.server.gql_as(&cast.editor, ADD, json!({ "input": input })).await;
    data(&response)["addEventQuota"].clone()
}

/// Registers; the `registerForEvent` payload.
pub async fn register(server: &TestServer, member: &Session, event: &Value) -> Value {
    let response = server.gql_as(member, REGISTER, json!({ "id": event["id"] })).await;
    data(&response)["registerForEvent"].clone()
}

/// The member's registration for the event: (status, position, quota name).
pub async fn mine(server: &TestServer, member: &Session, event: &Value) -> (String, Value, Value) {
    let response = server.gql_as(member, MINE, json!({ "slug": event["slug"] })).await;
    let mine = &data(&response)["trainingEvent"]["myRegistration"];
    (
        str_at(mine, "/status").to_owned(),
        mine["waitlistPosition"].clone(),
        mine["quota"]["name"].clone(),
    )
}

pub async fn quotas(server: &TestServer, viewer: Option<&Session>, event: &Value) -> Value {
    let token = viewer.map(|s| s.access_token.as_str());
    let response = server.gql_with(token, QUOTAS, json!({ "slug": event["slug"] })).await;
    data(&response)["trainingEvent"].clone()
}

/// A member working for the municipality with this AGS (or none).
pub async fn member(server: &TestServer, email: &str, ags: Option<&str>) -> Session {
    let prefix = email.split('@').next().unwrap_or(email);
    server.many_members_in(prefix, 1, ags).await.remove(0)
}

#[tokio::test]
async fn bad_quota_input_is_answered_precisely_and_writes_nothing() {
    let cast = cast().await;
    programme_and_agreement(&cast.server).await;
    let event = create(&cast, event_input("Werkstatt Kontingente", Some(10), true)).await;
    let unlimited = create(&cast, event_input("Ohne Grenze", None, true)).await;
    let valid =
        || json!({ "eventId": event["id"], "name": "Ruhrgebiet", "seatsTotal": 4, "municipalityAgs": ["05512000"] });
    let starts_at =
        chrono::DateTime::parse_from_rfc3339(str_at(&event_input("x", None, true), "/startsAt")).expect("a start");
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        ("input.seatsTotal", Box::new(|i| i["seatsTotal"] = json!(0))),
        ("input.seatsTotal", Box::new(|i| i["seatsTotal"] = json!(-3))),
        ("input.seatsTotal", Box::new(|i| i["seatsTotal"] = json!(11))),
        // Released at once, it would still divide more seats than there are.
        (
            "input.seatsTotal",
            Box::new(|i| {
                i["seatsTotal"] = json!(11);
                i["until"] = json!((chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339());
            }),
        ),
        ("input.seatsTotal", Box::new(|i| i["seatsTotal"] = json!(2_000_000_000))),
        ("input.name", Box::new(|i| i["name"] = json!("x".repeat(121)))),
        ("input.name", Box::new(|i| i["name"] = json!("   "))),
        (
            "input.municipalityAgs",
            Box::new(|i| i["municipalityAgs"] = Value::Null),
        ),
        ("input.municipalityAgs", Box::new(|i| i["municipalityAgs"] = json!([]))),
        (
            "input.municipalityAgs",
            Box::new(|i| i["municipalityAgs"] = json!(["05512000", "99999999"])),
        ),
        (
            "input.municipalityAgs",
            Box::new(|i| i["municipalityAgs"] = json!(["'; DROP TABLE event_quota; --"])),
        ),
        (
            "input.municipalityAgs",
            Box::new(|i| i["municipalityAgs"] = json!(vec!["05512000"; 501])),
        ),
        (
            "input.programmeSlug",
            Box::new(|i| i["programmeSlug"] = json!("bildungskommunen-ruhr")),
        ),
        (
            "input.accompaniedByAgencySlug",
            Box::new(|i| {
                i["municipalityAgs"] = Value::Null;
                i["accompaniedByAgencySlug"] = json!("gibt-es-nicht");
            }),
        ),
        (
            "input.programmeSlug",
            Box::new(|i| {
                i["municipalityAgs"] = Value::Null;
                i["programmeSlug"] = json!("gibt-es-nicht");
            }),
        ),
        (
            "input.until",
            Box::new(move |i| i["until"] = json!((starts_at + chrono::Duration::days(1)).to_rfc3339())),
        ),
        ("input.eventId", Box::new(|i| i["eventId"] = json!("not a global id"))),
        (
            "input.eventId",
            Box::new(move |i| i["eventId"] = unlimited["id"].clone()),
        ),
    ];
    for (field, change) in cases {
        let mut input = valid();
        change(&mut input);
        let response = cast.server.gql_as(&cast.editor, ADD, json!({ "input": input })).await;
        assert_bad_input(&response, field);
    }
    // Someone else's event, and nobody's.
    let outsider = cast.server.sign_up("neugierig@bottrop.de").await;
    let response = cast.server.gql_as(&outsider, ADD, json!({ "input": valid() })).await;
    error_with_code(&response, "FORBIDDEN");
    error_with_code(
        &cast.server.gql(ADD, json!({ "input": valid() })).await,
        "UNAUTHENTICATED",
    );
    let mut gone = valid();
    gone["eventId"] = json!(dkbm_hub::graphql::node::encode("TrainingEvent", uuid::Uuid::now_v7()).0);
    error_with_code(
        &cast.server.gql_as(&cast.editor, ADD, json!({ "input": gone })).await,
        "NOT_FOUND",
    );
    let state = quotas(&cast.server, None, &event).await;
    assert_eq!(state["quotas"], json!([]), "nothing was written");
    assert_eq!(state["seatsFree"], 10);

    // Valid ones: the reserved seats leave the general pool; a 5-digit district key finds its city.
    let first = add(&cast, json!({ "eventId": event["id"], "name": "Ruhrgebiet", "seatsTotal": 4, "municipalityAgs": ["05512000", "05913", "05512000"] })).await;
    assert_eq!(
        first["municipalities"],
        json!([{ "ags": "05512000" }, { "ags": "05913000" }])
    );
    assert_eq!(
        (first["entitlement"].as_str(), &first["event"]["seatsFree"]),
        (Some("MUNICIPALITIES"), &json!(6))
    );
    let second = add(&cast, json!({ "eventId": event["id"], "name": "Bildungskommunen", "seatsTotal": 6, "programmeSlug": "bildungskommunen-ruhr" })).await;
    assert_eq!(
        (second["programme"]["slug"].as_str(), &second["event"]["seatsFree"]),
        (Some("bildungskommunen-ruhr"), &json!(0))
    );
    let over = cast.server.gql_as(&cast.editor, ADD, json!({ "input": { "eventId": event["id"], "name": "Zu viel", "seatsTotal": 1, "accompaniedByAgencySlug": "transferagentur-nrw" } })).await;
    assert_bad_input(&over, "input.seatsTotal");
    // The capacity holds the quotas: not below them, not unlimited.
    let update_event = "mutation ($id: ID!, $input: UpdateTrainingEventInput!) { updateTrainingEvent(id: $id, expectedVersion: 1, input: $input) { capacity } }";
    for capacity in [json!(9), Value::Null] {
        let response = cast
            .server
            .gql_as(
                &cast.editor,
                update_event,
                json!({ "id": event["id"], "input": { "capacity": capacity } }),
            )
            .await;
        assert_bad_input(&response, "input.capacity");
    }
    // Changing and removing.
    let response = cast
        .server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": first["id"], "input": { "seatsTotal": 5 } }),
        )
        .await;
    assert_bad_input(&response, "input.seatsTotal");
    let response = cast
        .server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": second["id"], "input": { "name": "Programm", "seatsTotal": 2 } }),
        )
        .await;
    assert_eq!(
        data(&response)["updateEventQuota"],
        json!({ "name": "Programm", "seatsTotal": 2, "seatsTaken": 0, "seatsFree": 2, "released": false })
    );
    let response = cast
        .server
        .gql_as(
            &outsider,
            UPDATE,
            json!({ "id": second["id"], "input": { "seatsTotal": 1 } }),
        )
        .await;
    error_with_code(&response, "FORBIDDEN");
    let response = cast
        .server
        .gql_as(&cast.editor, REMOVE, json!({ "id": first["id"] }))
        .await;
    assert_eq!(
        data(&response)["removeEventQuota"],
        json!({ "seatsFree": 8, "quotas": [{ "name": "Programm" }] })
    );
    let node = cast
        .server
        .gql(
            "query ($id: ID!) { node(id: $id) { ... on EventQuota { name } } }",
            json!({ "id": second["id"] }),
        )
        .await;
    assert_eq!(data(&node)["node"]["name"], "Programm");
}

#[tokio::test]
async fn members_take_a_seat_of_their_best_quota_then_of_the_general_pool_then_wait() {
    let cast = cast().await;
    programme_and_agreement(&cast.server).await;
    let event = create(&cast, event_input("Fachtag Kontingente", Some(6), true)).await;
    let id = &event["id"];
    add(
        &cast,
        json!({ "eventId": id, "name": "Bottrop", "seatsTotal": 1, "municipalityAgs": ["05512000"] }),
    )
    .await;
    add(
        &cast,
        json!({ "eventId": id, "name": "Programm", "seatsTotal": 1, "programmeSlug": "bildungskommunen-ruhr" }),
    )
    .await;
    add(&cast, json!({ "eventId": id, "name": "Begleitet", "seatsTotal": 1, "accompaniedByAgencySlug": "begleitagentur-ruhr" })).await;
    let server = &cast.server;
    let bottrop = [
        member(server, "b1@bottrop.de", Some("05512000")).await,
        member(server, "b2@bottrop.de", Some("05512000")).await,
    ];
    let essen = member(server, "e1@essen.de", Some("05113000")).await;
    let gelsenkirchen = member(server, "g1@gelsenkirchen.de", Some("05513000")).await;
    let others = [
        member(server, "o1@example.org", None).await,
        member(server, "o2@example.org", None).await,
        member(server, "o3@example.org", None).await,
    ];

    let applies = |state: Value| {
        state["quotas"]
            .as_array()
            .expect("quotas")
            .iter()
            .map(|q| q["appliesToViewer"].as_bool())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        applies(quotas(server, Some(&bottrop[0]), &event).await),
        [Some(true), Some(false), Some(false)]
    );
    assert_eq!(
        applies(quotas(server, Some(&essen), &event).await),
        [Some(false), Some(true), Some(false)]
    );
    assert_eq!(
        applies(quotas(server, Some(&gelsenkirchen), &event).await),
        [Some(false), Some(false), Some(true)]
    );
    assert_eq!(
        applies(quotas(server, None, &event).await),
        [Some(false), Some(false), Some(false)]
    );
    assert_eq!(
        quotas(server, None, &event).await["seatsFree"],
        3,
        "three seats are reserved"
    );

    for (who, quota) in [
        (&bottrop[0], json!("Bottrop")),
        (&bottrop[1], Value::Null),
        (&essen, json!("Programm")),
        (&gelsenkirchen, json!("Begleitet")),
        (&others[0], Value::Null),
        (&others[1], Value::Null),
    ] {
        assert_eq!(register(server, who, &event).await["status"], "CONFIRMED");
        assert_eq!(
            mine(server, who, &event).await,
            ("CONFIRMED".to_owned(), Value::Null, quota)
        );
    }
    let last = register(server, &others[2], &event).await;
    assert_eq!(
        (&last["status"], &last["waitlistPosition"]),
        (&json!("WAITLISTED"), &json!(1))
    );
    let state = quotas(server, None, &event).await;
    assert_eq!(
        (&state["seatsFree"], &state["seatsTaken"], &state["waitlistLength"]),
        (&json!(0), &json!(6), &json!(1))
    );
    assert!(
        state["quotas"]
            .as_array()
            .expect("quotas")
            .iter()
            .all(|q| q["seatsFree"] == 0 && q["seatsTaken"] == 1)
    );
}

//! Seat quotas and the one waiting list: a freed quota seat goes to the first waiting member
//! entitled to it, a seat of the general pool to the first in line; after `until` a quota's
//! unused seats are everyone's, for those waiting (at once when the organisers release them, by
//! the periodic round when time does) and for new registrations.

use dkbm_tests::{TestServer, data, error_with_code};
use serde_json::{Value, json};

use crate::events::{Cast, REGISTER, cast, create, event_input};
use crate::quotas::{CANCEL, UPDATE, add, mine, quotas, register};

#[tokio::test]
async fn a_freed_quota_seat_goes_to_the_first_waiting_member_entitled_to_it() {
    let cast = cast().await;
    let event = create(&cast, event_input("Werkstatt Nachrücken", Some(3), true)).await;
    add(
        &cast,
        json!({ "eventId": event["id"], "name": "Bottrop", "seatsTotal": 1, "municipalityAgs": ["05512000"] }),
    )
    .await;
    let server = &cast.server;
    let others = server.many_members_in("andere", 4, None).await;
    let bottrop = server.many_members_in("bottrop", 2, Some("05512000")).await;
    let mut registrations = Vec::new();
    for who in [&others[0], &others[1], &bottrop[0], &others[2], &bottrop[1], &others[3]] {
        registrations.push(register(server, who, &event).await);
    }
    let waiting: Vec<&Value> = registrations.iter().map(|r| &r["waitlistPosition"]).collect();
    assert_eq!(
        waiting,
        [
            &Value::Null,
            &Value::Null,
            &Value::Null,
            &json!(1),
            &json!(2),
            &json!(3)
        ]
    );

    // Bottrop's seat is freed: it goes past the first in line to the first member from Bottrop.
    data(
        &server
            .gql_as(&bottrop[0], CANCEL, json!({ "id": registrations[2]["id"] }))
            .await,
    );
    assert_eq!(
        mine(server, &bottrop[1], &event).await,
        ("CONFIRMED".to_owned(), Value::Null, json!("Bottrop"))
    );
    assert_eq!(mine(server, &others[2], &event).await.1, json!(1));
    assert_eq!(
        mine(server, &others[3], &event).await.1,
        json!(2),
        "the list closed up behind"
    );
    // A seat of the general pool goes to the first in line, whoever it is.
    data(
        &server
            .gql_as(&others[0], CANCEL, json!({ "id": registrations[0]["id"] }))
            .await,
    );
    assert_eq!(
        mine(server, &others[2], &event).await,
        ("CONFIRMED".to_owned(), Value::Null, Value::Null)
    );
    assert_eq!(mine(server, &others[3], &event).await.1, json!(1));
    // Bottrop's seat freed again, with nobody from Bottrop waiting: it stays Bottrop's.
    data(
        &server
            .gql_as(&bottrop[1], CANCEL, json!({ "id": registrations[4]["id"] }))
            .await,
    );
    assert_eq!(mine(server, &others[3], &event).await.1, json!(1));
    let state = quotas(server, None, &event).await;
    assert_eq!(
        (&state["seatsFree"], &state["quotas"][0]["seatsFree"]),
        (&json!(0), &json!(1))
    );
}

#[tokio::test]
async fn after_until_the_unused_seats_of_a_quota_are_everyones() {
    let cast = cast().await;
    let event = create(&cast, event_input("Fachtag Rückfall", Some(4), true)).await;
    let until = (chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339();
    let quota = add(&cast, json!({ "eventId": event["id"], "name": "Bottrop", "seatsTotal": 2, "municipalityAgs": ["05512000"], "until": until })).await;
    let server = &cast.server;
    let others = server.many_members_in("andere", 5, None).await;
    let bottrop = server.many_members_in("bottrop", 1, Some("05512000")).await;
    let mut registrations = Vec::new();
    for who in [&others[0], &others[1], &others[2], &others[3], &bottrop[0]] {
        registrations.push(register(server, who, &event).await);
    }
    assert_eq!(mine(server, &bottrop[0], &event).await.2, json!("Bottrop"));
    assert_eq!(quotas(server, None, &event).await["quotas"][0]["seatsFree"], 1);

    // The organisers release the quota now: its unused seat goes to the first in line.
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let response = server
        .gql_as(
            &cast.editor,
            UPDATE,
            json!({ "id": quota["id"], "input": { "until": past } }),
        )
        .await;
    assert_eq!(data(&response)["updateEventQuota"]["released"], true);
    assert_eq!(mine(server, &others[2], &event).await.0, "CONFIRMED");
    assert_eq!(mine(server, &others[3], &event).await.1, json!(1));
    // A seat given back to a released quota is everyone's.
    data(
        &server
            .gql_as(&bottrop[0], CANCEL, json!({ "id": registrations[4]["id"] }))
            .await,
    );
    assert_eq!(
        mine(server, &others[3], &event).await,
        ("CONFIRMED".to_owned(), Value::Null, Value::Null)
    );
    let state = quotas(server, None, &event).await;
    assert_eq!(
        (&state["seatsTaken"], &state["quotas"][0]["seatsTaken"]),
        (&json!(4), &json!(0))
    );

    // A quota whose `until` has passed reserves nothing for new registrations either.
    let second = create(&cast, event_input("Fachtag Rückfall 2", Some(2), false)).await;
    add(&cast, json!({ "eventId": second["id"], "name": "Bottrop", "seatsTotal": 2, "municipalityAgs": ["05512000"], "until": past })).await;
    assert_eq!(quotas(server, None, &second).await["seatsFree"], 2);
    for who in &others[..2] {
        assert_eq!(register(server, who, &second).await["status"], "CONFIRMED");
    }
    let full = server.gql_as(&others[4], REGISTER, json!({ "id": second["id"] })).await;
    error_with_code(&full, "EVENT_FULL");
}

#[tokio::test]
async fn a_seat_released_by_time_reaches_the_waiting_list_without_a_registration() {
    // An instance whose periodic round comes every second.
    let server = TestServer::start_with(|config| config.maintenance_secs = 1).await;
    server.seed_demo_without_events().await;
    let editor = server.event_planner().await;
    let cast = Cast { server, editor };
    let event = create(&cast, event_input("Fachtag Fristablauf", Some(2), true)).await;
    let until = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    add(&cast, json!({ "eventId": event["id"], "name": "Bottrop", "seatsTotal": 1, "municipalityAgs": ["05512000"], "until": until })).await;
    let others = cast.server.many_members_in("andere", 2, None).await;
    assert_eq!(register(&cast.server, &others[0], &event).await["status"], "CONFIRMED");
    assert_eq!(register(&cast.server, &others[1], &event).await["waitlistPosition"], 1);
    // Nobody registers or cancels: a round gives Bottrop's unused seat to the first in line
    // once `until` has passed.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while mine(&cast.server, &others[1], &event).await.0 != "CONFIRMED" {
        assert!(
            std::time::Instant::now() < deadline,
            "the released seat never reached the waiting list"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let state = quotas(&cast.server, None, &event).await;
    assert_eq!(
        (
            &state["seatsTaken"],
            &state["waitlistLength"],
            &state["quotas"][0]["released"]
        ),
        (&json!(2), &json!(0), &json!(true))
    );
}

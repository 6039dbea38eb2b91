//! Never overbook: 500 members register for 50 seats at the same moment (on PostgreSQL through
//! two server instances on one database), then confirmed seats are cancelled concurrently. The
//! database holds the invariant (the event row's lock); no lock in process memory could, across
//! instances.

use std::collections::HashMap;
use std::sync::Arc;

use dkbm_entity::{RegistrationStatus, registration, training_event};
use dkbm_tests::{Session, TestServer, data, str_at};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::events::{CREATE, REGISTER, event_input};

const CANCEL: &str = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { status } }";

fn member_uuid(session: &Session) -> Uuid {
    dkbm_hub::graphql::node::decode(&session.member_id)
        .expect("member id")
        .1
}

/// (member → (status, waitlist position)) as stored, and the event's counters.
async fn stored(server: &TestServer, event_id: Uuid) -> (HashMap<Uuid, (RegistrationStatus, Option<i32>)>, (i32, i32)) {
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .all(server.state.conn())
        .await
        .expect("registrations");
    let event = training_event::Entity::find_by_id(event_id)
        .one(server.state.conn())
        .await
        .expect("event")
        .expect("exists");
    (
        rows.into_iter()
            .map(|r| (r.member_id, (r.status, r.waitlist_position)))
            .collect(),
        (event.seats_taken, event.waitlist_length),
    )
}

/// The members on the waiting list, in the order of their positions (checked 1..=n, no gaps).
fn waiting_list(rows: &HashMap<Uuid, (RegistrationStatus, Option<i32>)>) -> Vec<Uuid> {
    let mut waiting: Vec<(i32, Uuid)> = rows
        .iter()
        .filter(|(_, (status, _))| *status == RegistrationStatus::Waitlisted)
        .map(|(member, (_, position))| (position.expect("a waitlisted registration has a position"), *member))
        .collect();
    waiting.sort();
    let positions: Vec<i32> = waiting.iter().map(|(p, _)| *p).collect();
    let expected: Vec<i32> = (1..=i32::try_from(waiting.len()).expect("fits")).collect();
    assert_eq!(positions, expected, "positions 1..n without gaps or duplicates");
    waiting.into_iter().map(|(_, member)| member).collect()
}

fn confirmed(rows: &HashMap<Uuid, (RegistrationStatus, Option<i32>)>) -> Vec<Uuid> {
    let mut members: Vec<Uuid> = rows
        .iter()
        .filter(|(_, (status, _))| *status == RegistrationStatus::Confirmed)
        .map(|(member, _)| *member)
        .collect();
    members.sort();
    members
}

/// Cancels the registrations of these members at once, spread over the servers.
async fn cancel_all(servers: &[Arc<TestServer>], sessions: &[Session], registrations: &HashMap<Uuid, String>) {
    let tasks: Vec<_> = sessions
        .iter()
        .enumerate()
        .map(|(n, session)| {
            let server = servers[n % servers.len()].clone();
            let session = session.clone();
            let id = registrations[&member_uuid(&session)].clone();
            tokio::spawn(async move {
                let response = server.gql_as(&session, CANCEL, json!({ "id": id })).await;
                assert_eq!(data(&response)["cancelRegistration"]["status"], "CANCELLED");
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("cancellation task");
    }
}

/// The demo data on one server instance (two on PostgreSQL, sharing the database: a lock in
/// process memory would not hold across them), and an event with `seats` seats and a waiting
/// list.
struct Rush {
    servers: Vec<Arc<TestServer>>,
    /// The `createTrainingEvent` payload.
    created: Value,
    event_id: Uuid,
}

async fn an_event_with_seats(title: &str, seats: i32) -> Rush {
    let first = Arc::new(TestServer::start().await);
    first.seed_demo().await;
    let mut servers = vec![first.clone()];
    servers.extend(first.replica_on_postgres().await.map(Arc::new));
    let editor = first.event_planner().await;
    let created = first
        .create_event(&editor, CREATE, event_input(title, Some(seats), true))
        .await;
    let event_id = dkbm_hub::graphql::node::decode(str_at(&created, "/id"))
        .expect("event id")
        .1;
    Rush {
        servers,
        created,
        event_id,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_500_registrations_never_overbooks_50_seats() {
    let Rush {
        servers,
        created,
        event_id,
    } = an_event_with_seats("Jahreskonferenz", 50).await;
    let first = &servers[0];
    let members = first.many_members("burst", 500).await;

    let tasks: Vec<_> = members
        .iter()
        .enumerate()
        .map(|(n, session)| {
            let server = servers[n % servers.len()].clone();
            let session = session.clone();
            let id = created["id"].clone();
            tokio::spawn(async move {
                let response = server.gql_as(&session, REGISTER, json!({ "id": id })).await;
                let registration = data(&response)["registerForEvent"].clone();
                (
                    member_uuid(&session),
                    registration["id"].as_str().expect("id").to_owned(),
                    registration,
                )
            })
        })
        .collect();
    let mut registrations = HashMap::new();
    let mut answered = HashMap::new();
    for task in tasks {
        let (member, id, registration) = task.await.expect("registration task");
        registrations.insert(member, id);
        answered.insert(member, registration);
    }
    let (rows, counters) = stored(first, event_id).await;
    assert_eq!(confirmed(&rows).len(), 50, "exactly the capacity is confirmed");
    let list = waiting_list(&rows);
    assert_eq!(list.len(), 450);
    assert_eq!(counters, (50, 450));
    // Every member was told what is stored.
    for (member, (status, position)) in &rows {
        let told = &answered[member];
        let status_name = match status {
            RegistrationStatus::Confirmed => "CONFIRMED",
            RegistrationStatus::Waitlisted => "WAITLISTED",
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(told["status"], status_name);
        assert_eq!(told["waitlistPosition"], json!(position));
    }

    // Twice 50 concurrent cancellations of confirmed seats: the seats go to the first 100 on
    // the list, in order; the rest of the list closes up.
    let by_member: HashMap<Uuid, Session> = members.iter().map(|s| (member_uuid(s), s.clone())).collect();
    let originally_confirmed: Vec<Session> = confirmed(&rows).iter().map(|m| by_member[m].clone()).collect();
    cancel_all(&servers, &originally_confirmed, &registrations).await;
    let (rows, counters) = stored(first, event_id).await;
    let mut first_50: Vec<Uuid> = list[..50].to_vec();
    first_50.sort();
    assert_eq!(confirmed(&rows), first_50, "the first 50 on the list got the seats");
    assert_eq!(waiting_list(&rows), list[50..].to_vec(), "the rest closed up in order");
    assert_eq!(counters, (50, 400));

    let promoted: Vec<Session> = list[..50].iter().map(|m| by_member[m].clone()).collect();
    cancel_all(&servers, &promoted, &registrations).await;
    let (rows, counters) = stored(first, event_id).await;
    let mut next_50: Vec<Uuid> = list[50..100].to_vec();
    next_50.sort();
    assert_eq!(confirmed(&rows), next_50, "then the next 50, nobody jumped the list");
    assert_eq!(waiting_list(&rows), list[100..].to_vec());
    assert_eq!(counters, (50, 350));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_member_registering_many_times_at_once_gets_one_seat() {
    let Rush {
        servers,
        created,
        event_id,
    } = an_event_with_seats("Doppelt hält nicht", 5).await;
    let first = &servers[0];
    let member = first.many_members("doppelt", 1).await.remove(0);
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let server = servers[n % servers.len()].clone();
            let (member, id) = (member.clone(), created["id"].clone());
            tokio::spawn(async move { server.gql_as(&member, REGISTER, json!({ "id": id })).await })
        })
        .collect();
    let mut confirmed = 0;
    for task in tasks {
        let response = task.await.expect("task");
        match response["errors"][0]["extensions"]["code"].as_str() {
            None => confirmed += 1,
            Some(code) => assert_eq!(code, "CONFLICT", "{response}"),
        }
    }
    assert_eq!(confirmed, 1, "one registration, the others CONFLICT");
    let (rows, counters) = stored(first, event_id).await;
    assert_eq!((rows.len(), counters), (1, (1, 0)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn registrations_arriving_together_are_placed_in_fewer_transactions() {
    let Rush {
        servers,
        created,
        event_id,
    } = an_event_with_seats("Gemeinsam gebucht", 10).await;
    let first = servers[0].clone();
    let members = first.many_members("gemeinsam", 40).await;
    let commits = first.state.bus.commits();
    let tasks: Vec<_> = members
        .iter()
        .map(|session| {
            let (server, session, id) = (first.clone(), session.clone(), created["id"].clone());
            tokio::spawn(async move { server.gql_as(&session, REGISTER, json!({ "id": id })).await })
        })
        .collect();
    for task in tasks {
        let response = task.await.expect("task");
        assert!(response.get("errors").is_none(), "{response}");
    }
    let transactions = first.state.bus.commits() - commits;
    // One at a time they would take 40 commits; arriving while earlier ones are placed, they
    // wait and are placed together.
    assert!(transactions < 40, "40 registrations in {transactions} transactions");
    let (rows, counters) = stored(&first, event_id).await;
    assert_eq!((rows.len(), counters), (40, (10, 30)));
    let mut positions: Vec<i32> = waiting_list(&rows)
        .iter()
        .map(|m| rows[m].1.expect("a position"))
        .collect();
    positions.sort();
    assert_eq!(positions, (1..=30).collect::<Vec<_>>());
}

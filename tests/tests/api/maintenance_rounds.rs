//! The periodic round every instance runs (`maintenance::run`, every `--maintenance-secs`), on
//! its real schedule: two instances on one database, each with a round a second, queue a due
//! event reminder once between them, and it is sent once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dkbm_hub::Config;
use dkbm_tests::{Session, TestDb, TestServer, data};
use serde_json::json;

use crate::events::{CREATE, event_input};

const SUBJECT: &str = "Erinnerung: Fachtag im Takt";

/// An instance whose round comes every second and does nothing else by itself (its portal
/// timers are an hour off), so that its statements are its rounds.
fn on_schedule(config: &mut Config) {
    quiet(config);
    config.maintenance_secs = 1;
}

/// An instance that answers the test's requests and runs no round while the test runs.
fn quiet(config: &mut Config) {
    config.maintenance_secs = 3600;
    config.portal_origins_refresh_secs = 3600;
    config.portal_reach_flush_secs = 3600;
}

/// Registers `member` for the event through `front` and waits for the reminder a round of the
/// scheduled instances queues (the event starts within the reminder window).
async fn register_and_get_reminded(front: &TestServer, event: &serde_json::Value, member: &Session) {
    let register = "mutation ($id: ID!) { registerForEvent(eventId: $id) { status } }";
    let response = front.gql_as(member, register, json!({ "id": event["id"] })).await;
    assert_eq!(data(&response)["registerForEvent"]["status"], "CONFIRMED");
    front.mail_to(&member.email, SUBJECT).await;
}

/// Waits (up to 10 s) until `server` has run statements past `since`: another round.
async fn another_round(server: &TestServer, since: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.statements() <= since {
        assert!(Instant::now() < deadline, "no round in 10 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_a_one_second_schedule_remind_once() {
    let db = Arc::new(TestDb::fresh().await);
    let front = TestServer::start_on(db.clone(), quiet).await;
    front.seed_demo_without_events().await;
    let editor = front.event_planner().await;
    let mut input = event_input("Fachtag im Takt", Some(20), false);
    input["startsAt"] = json!((chrono::Utc::now() + chrono::Duration::hours(10)).to_rfc3339());
    input["endsAt"] = json!((chrono::Utc::now() + chrono::Duration::hours(13)).to_rfc3339());
    let event = front.create_event(&editor, CREATE, input).await;
    let members = front.many_members("takt", 4).await;

    let scheduled = [
        TestServer::start_on(db.clone(), on_schedule).await,
        TestServer::start_on(db.clone(), on_schedule).await,
    ];
    // One after the other: each reminder arrives from a round, while both instances go on
    // with theirs; the last member's reminder shows rounds ran after the others' were sent.
    for member in &members {
        register_and_get_reminded(&front, &event, member).await;
    }
    // And both go on (their statements are their rounds): twice more each.
    for server in &scheduled {
        for _ in 0..2 {
            another_round(server, server.statements()).await;
        }
    }
    for member in &members {
        let reminders: Vec<String> = front
            .mails()
            .into_iter()
            .filter(|m| m.to == member.email && m.subject.starts_with("Erinnerung:"))
            .map(|m| m.subject)
            .collect();
        assert_eq!(reminders.len(), 1, "one reminder to {}: {reminders:?}", member.email);
    }
    let reminders = front
        .mails()
        .into_iter()
        .filter(|m| m.subject.starts_with("Erinnerung:"))
        .count();
    assert_eq!(reminders, members.len(), "no reminder to anyone else");
}

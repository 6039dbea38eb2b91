//! The reminder before an event: queued once per participant and start, however many instances
//! make the round, again when the event moves, never to those who switched reminders off or
//! hold no seat.

use dkbm_tests::{TestServer, data};
use serde_json::json;

use crate::events::{CREATE, event_input};

const REGISTER: &str = "mutation ($id: ID!) { registerForEvent(eventId: $id) { status } }";

fn hours_from_now(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

async fn round(server: &TestServer, other: &TestServer) {
    let (a, b) = tokio::join!(
        dkbm_hub::events::service::queue_reminders(&server.state.writer, server.state.config.mail.event_reminder_hours),
        dkbm_hub::events::service::queue_reminders(&other.state.writer, other.state.config.mail.event_reminder_hours)
    );
    a.expect("reminder round");
    b.expect("reminder round");
}

#[tokio::test]
async fn a_reminder_goes_once_per_start_to_participants_who_want_it() {
    let server = TestServer::start().await;
    let replica = server.replica_on_postgres().await;
    let other = replica.as_ref().unwrap_or(&server);
    server.seed_demo_without_events().await;
    let editor = server.event_planner().await;
    let mut input = event_input("Fachtag Übergänge", Some(1), true);
    input["startsAt"] = json!(hours_from_now(10));
    input["endsAt"] = json!(hours_from_now(13));
    let event = server.create_event(&editor, CREATE, input).await;
    let members = server.many_members("erinnerung", 3).await;
    for member in &members {
        data(&server.gql_as(member, REGISTER, json!({ "id": event["id"] })).await);
    }
    // Only the first holds a seat (capacity 1), and switches reminders off.
    let off = server
        .gql_as(
            &members[0],
            "mutation { updateNotificationSettings(input: { eventReminders: false }) { id } }",
            json!({}),
        )
        .await;
    data(&off);

    round(&server, other).await;
    round(&server, other).await;
    let reminders: Vec<_> = server
        .mails()
        .into_iter()
        .filter(|m| m.subject.starts_with("Erinnerung:"))
        .collect();
    assert!(
        reminders.is_empty(),
        "the seat holder switched reminders off; the others hold none: {reminders:?}"
    );

    // A member with a seat and reminders on: one reminder, and one more when the event moves.
    let seat_holder = &members[0];
    data(
        &server
            .gql_as(
                seat_holder,
                "mutation { updateNotificationSettings(input: { eventReminders: true }) { id } }",
                json!({}),
            )
            .await,
    );
    let moved_start = hours_from_now(12);
    round(&server, other).await;
    assert!(
        server.mails().iter().all(|m| !m.subject.starts_with("Erinnerung:")),
        "reminded of this start already (switched off then)"
    );
    let moved = server
        .gql_as(
            &editor,
            "mutation ($id: ID!, $input: UpdateTrainingEventInput!) { updateTrainingEvent(id: $id, expectedVersion: 1, input: $input) { version } }",
            json!({ "id": event["id"], "input": { "startsAt": moved_start, "endsAt": hours_from_now(14) } }),
        )
        .await;
    data(&moved);
    round(&server, other).await;
    round(&server, other).await;
    let reminders = server.mails_to(&seat_holder.email, "Erinnerung: Fachtag").await;
    assert_eq!(reminders.len(), 1, "once for the new start");
    assert!(
        reminders[0].text.contains("konferenz.example.org/raum-7"),
        "the seat holder gets the online link"
    );
    assert!(
        server
            .mails()
            .iter()
            .filter(|m| m.subject.starts_with("Erinnerung:"))
            .all(|m| m.to == seat_holder.email)
    );
}

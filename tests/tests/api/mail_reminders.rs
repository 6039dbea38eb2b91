//! The reminder before an event: queued once per participant and start, however many instances
//! make the round, again when the event moves, never to those who switched reminders off or
//! hold no seat.

use dkbm_tests::{ReceivedMail, Session, TestServer, data};
use serde_json::json;

use crate::events::{CREATE, event_input};

const REGISTER: &str = "mutation ($id: ID!) { registerForEvent(eventId: $id) { status } }";

fn hours_from_now(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

/// One reminder round on each instance at once; how many registrations they took care of
/// together (those who switched reminders off are taken care of without a mail).
async fn round(server: &TestServer, other: &TestServer) -> usize {
    let (a, b) = tokio::join!(
        dkbm_hub::events::service::queue_reminders(&server.state.writer, server.state.config.mail.event_reminder_hours),
        dkbm_hub::events::service::queue_reminders(&other.state.writer, other.state.config.mail.event_reminder_hours)
    );
    a.expect("reminder round") + b.expect("reminder round")
}

/// The reminders in the mail folder, once the sender has caught up: a password-reset mail to
/// `witness`, queued now, has arrived (the sender takes the outbox oldest first, so any
/// reminder queued before would have gone with it or before it).
async fn reminders_sent(server: &TestServer, witness: &Session) -> Vec<ReceivedMail> {
    let request = "mutation ($e: String!) { requestPasswordReset(email: $e) }";
    data(&server.gql(request, json!({ "e": witness.email })).await);
    server.mail_to(&witness.email, "Neues Passwort").await;
    server
        .mails()
        .into_iter()
        .filter(|m| m.subject.starts_with("Erinnerung:"))
        .collect()
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
    let witnesses = server.many_members("zeuge", 3).await;
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

    assert_eq!(round(&server, other).await, 1, "the seat holder's registration is due");
    assert_eq!(round(&server, other).await, 0, "and taken care of");
    let reminders = reminders_sent(&server, &witnesses[0]).await;
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
    assert_eq!(round(&server, other).await, 0, "this start was taken care of");
    let reminders = reminders_sent(&server, &witnesses[1]).await;
    assert!(
        reminders.is_empty(),
        "reminded of this start already (switched off then): {reminders:?}"
    );
    let moved = server
        .gql_as(
            &editor,
            "mutation ($id: ID!, $input: UpdateTrainingEventInput!) { updateTrainingEvent(id: $id, expectedVersion: 1, input: $input) { version } }",
            json!({ "id": event["id"], "input": { "startsAt": moved_start, "endsAt": hours_from_now(14) } }),
        )
        .await;
    data(&moved);
    assert_eq!(round(&server, other).await, 1, "the new start is due");
    assert_eq!(round(&server, other).await, 0, "once");
    let reminders = reminders_sent(&server, &witnesses[2]).await;
    assert_eq!(reminders.len(), 1, "once for the new start: {reminders:?}");
    assert_eq!(reminders[0].to, seat_holder.email);
    assert!(
        reminders[0].subject.contains("Fachtag Übergänge"),
        "{}",
        reminders[0].subject
    );
    assert!(
        reminders[0].text.contains("konferenz.example.org/raum-7"),
        "the seat holder gets the online link"
    );
}

//! What registrants and participants are told, read from a real SMTP server in the test
//! process: a confirmed seat with its invitation (METHOD:REQUEST, the online link), a place on the
//! waiting list, moving up when a seat is freed, a cancelled registration (METHOD:CANCEL), a moved
//! event (the invitation again, SEQUENCE raised) and a cancelled event with its reason; nothing
//! for a registration that failed.

use std::time::Duration;

use dkbm_tests::{ReceivedMail, SmtpServer, TestServer, data, error_with_code, str_at};
use serde_json::{Value, json};

use crate::events::{CREATE, event_input};

const REGISTER: &str = "mutation ($id: ID!) { registerForEvent(eventId: $id) { id status waitlistPosition } }";
const CANCEL: &str = "mutation ($id: ID!) { cancelRegistration(registrationId: $id) { status } }";

fn one_to<'a>(mails: &'a [ReceivedMail], to: &str, subject: &str) -> &'a ReceivedMail {
    let found: Vec<_> = mails
        .iter()
        .filter(|m| m.to == to && m.subject.starts_with(subject))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one mail to {to} starting {subject:?}; all: {:?}",
        mails.iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
    );
    found[0]
}

/// The invitation attached to `mail`, its content lines unfolded.
fn invitation(mail: &ReceivedMail, method: &str) -> String {
    let (name, content_type, body) = mail.attachments.first().expect("an invitation attached");
    assert_eq!(name, "einladung.ics");
    assert_eq!(content_type, &format!("text/calendar; method={method}"));
    assert!(body.contains(&format!("METHOD:{method}\r\n")), "{body}");
    assert!(body.contains("ORGANIZER:mailto:noreply@dkbm.example"), "{body}");
    body.replace("\r\n ", "")
}

#[tokio::test]
async fn registrants_are_told_every_step_with_invitations() {
    let smtp = SmtpServer::start();
    let url = smtp.url.clone();
    let server = TestServer::start_with(move |config| config.mail.smtp_url = Some(url)).await;
    server.seed_demo_without_events().await;
    let editor = server.many_members("planung", 1).await.remove(0);
    server
        .grant(&editor.member_id, dkbm_tests::Role::Editor, Some(dkbm_tests::ORGANISER))
        .await;
    let event = server
        .create_event(
            &editor,
            CREATE,
            event_input("Werkstatt <b>Übergänge</b>", Some(1), true),
        )
        .await;
    let (event_id, slug) = (str_at(&event, "/id").to_owned(), str_at(&event, "/slug").to_owned());
    let members = server.many_members("teilnahme", 3).await;
    let (anna, bernd) = (&members[0], &members[1]);

    let first = server.gql_as(anna, REGISTER, json!({ "id": event_id })).await;
    assert_eq!(data(&first)["registerForEvent"]["status"], json!("CONFIRMED"));
    let second = server.gql_as(bernd, REGISTER, json!({ "id": event_id })).await;
    assert_eq!(data(&second)["registerForEvent"]["waitlistPosition"], json!(1));
    let mails = smtp.wait_for(2, Duration::from_secs(10)).await;

    let confirmed = one_to(&mails, &anna.email, "Anmeldung bestätigt: Werkstatt <b>Übergänge</b>");
    assert!(
        confirmed
            .text
            .contains("Online-Zugang: <https://konferenz.example.org/raum-7>"),
        "{}",
        confirmed.text
    );
    assert!(
        confirmed.text.contains(&format!("<https://dkbm.test/events/{slug}>")),
        "{}",
        confirmed.text
    );
    assert!(
        confirmed.html.contains("Werkstatt &lt;b&gt;Übergänge&lt;/b&gt;"),
        "the title is text: {}",
        confirmed.html
    );
    assert!(!confirmed.html.contains("<b>Übergänge"), "{}", confirmed.html);
    let ics = invitation(confirmed, "REQUEST");
    assert!(
        ics.contains("SUMMARY:Werkstatt <b>Übergänge</b>") && ics.contains("SEQUENCE:0"),
        "{ics}"
    );
    assert!(ics.contains(&format!("mailto:{}", anna.email)), "{ics}");
    let waitlisted = one_to(&mails, &bernd.email, "Warteliste:");
    assert!(
        waitlisted.text.contains("Platz 1 der Warteliste"),
        "{}",
        waitlisted.text
    );
    assert!(
        !waitlisted.text.contains("konferenz.example.org"),
        "no online link without a seat"
    );
    assert!(waitlisted.attachments.is_empty());

    // Anna cancels: her invitation is withdrawn, Bernd moves up in the same transaction.
    let cancelled = server
        .gql_as(
            anna,
            CANCEL,
            json!({ "id": str_at(data(&first), "/registerForEvent/id") }),
        )
        .await;
    data(&cancelled);
    let mails = smtp.wait_for(4, Duration::from_secs(10)).await;
    let withdrawn = one_to(&mails, &anna.email, "Anmeldung storniert:");
    invitation(withdrawn, "CANCEL");
    assert!(!withdrawn.text.contains("konferenz.example.org"));
    let promoted = one_to(&mails, &bernd.email, "Sie sind nachgerückt:");
    invitation(promoted, "REQUEST");
    assert!(promoted.text.contains("konferenz.example.org/raum-7"));

    // The event moves: Bernd (a seat) gets the invitation again with a higher SEQUENCE.
    let version = i64::from(1);
    let moved = server
        .gql_as(
            &editor,
            "mutation ($id: ID!, $v: Int!, $input: UpdateTrainingEventInput!) { updateTrainingEvent(id: $id, expectedVersion: $v, input: $input) { version } }",
            json!({ "id": event_id, "v": version, "input": { "startsAt": later(11, 0), "endsAt": later(11, 3) } }),
        )
        .await;
    data(&moved);
    let mails = smtp.wait_for(5, Duration::from_secs(10)).await;
    let changed = one_to(&mails, &bernd.email, "Geändert:");
    assert!(changed.text.contains("(neu)"), "{}", changed.text);
    assert!(invitation(changed, "REQUEST").contains("SEQUENCE:1"));

    // The event is cancelled: Bernd's invitation is withdrawn, with the reason.
    let cancel = server
        .gql_as(
            &editor,
            "mutation ($id: ID!) { cancelTrainingEvent(id: $id, reason: \"Referentin erkrankt\") { status } }",
            json!({ "id": event_id }),
        )
        .await;
    data(&cancel);
    let mails = smtp.wait_for(6, Duration::from_secs(10)).await;
    let called_off = one_to(&mails, &bernd.email, "Abgesagt:");
    assert!(
        called_off.text.contains("Grund: Referentin erkrankt"),
        "{}",
        called_off.text
    );
    assert!(invitation(called_off, "CANCEL").contains("STATUS:CANCELLED"));
    assert_eq!(mails.len(), 6, "nobody else was written to");
}

fn later(days: i64, hours: i64) -> String {
    let day = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    let at = day.and_hms_opt(8, 0, 0).expect("time").and_utc() + chrono::Duration::hours(hours);
    at.to_rfc3339()
}

#[tokio::test]
async fn a_registration_that_fails_sends_nothing() {
    let server = TestServer::start().await;
    server.seed_demo_without_events().await;
    let editor = server.event_planner().await;
    let event = server
        .create_event(&editor, CREATE, event_input("Voll", Some(1), false))
        .await;
    let members = server.many_members("voll", 2).await;
    data(&server.gql_as(&members[0], REGISTER, json!({ "id": event["id"] })).await);
    let full = server.gql_as(&members[1], REGISTER, json!({ "id": event["id"] })).await;
    error_with_code(&full, "EVENT_FULL");
    server.mail_to(&members[0].email, "Anmeldung bestätigt").await;
    let outbox = server
        .gql_admin(
            "{ outboxMessages(first: 100) { totalCount nodes { recipient kind status } } }",
            json!({}),
        )
        .await;
    let nodes: &Vec<Value> = data(&outbox)["outboxMessages"]["nodes"].as_array().expect("nodes");
    assert!(
        nodes.iter().all(|n| n["recipient"] != json!(members[1].email)),
        "{outbox}"
    );
    assert!(server.mails().iter().all(|m| m.to != members[1].email));
}

#[tokio::test]
async fn an_invitation_names_the_organising_agencys_contact_address() {
    let smtp = SmtpServer::start();
    let url = smtp.url.clone();
    let server = TestServer::start_with(move |config| config.mail.smtp_url = Some(url)).await;
    server.seed_demo_without_events().await;
    let agency = server
        .gql(
            "query ($slug: String!) { agency(slug: $slug) { id } }",
            json!({ "slug": dkbm_tests::ORGANISER }),
        )
        .await;
    let agency_id = str_at(&agency, "/data/agency/id").to_owned();
    let update = "mutation ($id: ID!, $email: String) { updateAgency(id: $id, input: { contactEmail: $email }) \
                  { contactEmail } }";
    let refused = server
        .gql_admin(update, json!({ "id": agency_id, "email": "bildung@" }))
        .await;
    dkbm_tests::assert_bad_input(&refused, "input.contactEmail");
    let updated = server
        .gql_admin(update, json!({ "id": agency_id, "email": " Bildung@Bottrop.example " }))
        .await;
    assert_eq!(
        data(&updated)["updateAgency"]["contactEmail"],
        "bildung@bottrop.example"
    );

    let editor = server.many_members("planung", 1).await.remove(0);
    server
        .grant(&editor.member_id, dkbm_tests::Role::Editor, Some(dkbm_tests::ORGANISER))
        .await;
    let event = server
        .create_event(&editor, CREATE, event_input("Werkstatt Übergänge", Some(5), true))
        .await;
    let member = server.many_members("teilnahme", 1).await.remove(0);
    let registered = server
        .gql_as(&member, REGISTER, json!({ "id": str_at(&event, "/id") }))
        .await;
    assert_eq!(data(&registered)["registerForEvent"]["status"], json!("CONFIRMED"));
    let mails = smtp.wait_for(1, Duration::from_secs(10)).await;
    let confirmed = one_to(&mails, &member.email, "Anmeldung bestätigt");
    let (_, _, body) = confirmed.attachments.first().expect("an invitation attached");
    assert!(
        body.contains("ORGANIZER:mailto:bildung@bottrop.example\r\n"),
        "replies reach the agency: {body}"
    );
    assert!(!body.contains("noreply@"), "{body}");
}

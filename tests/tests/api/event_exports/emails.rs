//! Participants' emails: the organisers of an event see them (to reach the participants), in
//! GraphQL (`Registration.email`) and in the participant lists alike; another member, or an
//! editor of another agency, does not. `Member.email` stays the member's and the
//! administrators' business.

use dkbm_tests::{Role, data, error_with_code, str_at};
use serde_json::{Value, json};

use crate::events::{REGISTER, cast, create, event_input, fetch};

const PARTICIPANTS: &str =
    "query ($id: ID!) { participants(eventId: $id) { nodes { id email member { displayName email } } } }";
const NODE: &str = "query ($id: ID!) { node(id: $id) { ... on Registration { email } } }";
const MINE: &str = "query ($slug: String!) { trainingEvent(slug: $slug) { myRegistration { email } } }";

#[tokio::test]
async fn organisers_see_their_participants_emails_and_nobody_else_does() {
    let cast = cast().await;
    let created = create(&cast, event_input("Werkstatt Kontakte", Some(10), true)).await;
    let (id, slug) = (&created["id"], str_at(&created, "/slug"));
    let members = cast.server.many_members("kontakt", 2).await;
    let (participant, other) = (&members[0], &members[1]);
    let registered = cast
        .server
        .gql_as(participant, REGISTER, json!({ "id": id, "note": null }))
        .await;
    let registration_id = data(&registered)["registerForEvent"]["id"].clone();

    // The organiser (and an administrator) see the participant's email on the registration;
    // the member's own email field stays hidden from them as before.
    let organiser = cast
        .server
        .gql_as(&cast.editor, PARTICIPANTS, json!({ "id": id }))
        .await;
    let node = &data(&organiser)["participants"]["nodes"][0];
    assert_eq!(node["email"], participant.email);
    assert_eq!(node["member"]["email"], Value::Null);
    let admin = cast.server.gql_admin(PARTICIPANTS, json!({ "id": id })).await;
    assert_eq!(data(&admin)["participants"]["nodes"][0]["email"], participant.email);
    let by_id = cast
        .server
        .gql_as(&cast.editor, NODE, json!({ "id": registration_id }))
        .await;
    assert_eq!(data(&by_id)["node"]["email"], participant.email);

    // The member sees their own.
    let mine = cast.server.gql_as(participant, MINE, json!({ "slug": slug })).await;
    assert_eq!(
        data(&mine)["trainingEvent"]["myRegistration"]["email"],
        participant.email
    );

    // Another member and an editor of another agency see neither the list nor the registration.
    let stranger = cast
        .server
        .member_with_role("fremd@ruhrfutur.de", Role::Editor, Some("ruhrfutur"))
        .await;
    for viewer in [other, &stranger] {
        error_with_code(
            &cast.server.gql_as(viewer, PARTICIPANTS, json!({ "id": id })).await,
            "FORBIDDEN",
        );
        let by_id = cast.server.gql_as(viewer, NODE, json!({ "id": registration_id })).await;
        assert_eq!(data(&by_id)["node"], Value::Null);
        for file in ["csv", "xlsx"] {
            let path = format!("/events/{slug}/participants.{file}");
            assert_eq!(fetch(&cast.server, &path, Some(viewer)).await.0, 403);
        }
    }

    // The organiser's CSV shows the same email in its E-Mail column.
    let path = format!("/events/{slug}/participants.csv");
    let (status, _, body) = fetch(&cast.server, &path, Some(&cast.editor)).await;
    assert_eq!(status, 200);
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&body[3..]);
    let headers = reader.headers().expect("headers").clone();
    let email_column = headers.iter().position(|h| h == "E-Mail").expect("E-Mail column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][email_column], participant.email);
}

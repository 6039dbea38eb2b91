//! Attendance certificates: once the organisers recorded the attendance, the member and the
//! organisers get a German PDF (read here by an independent PDF library) with a verification
//! code that `verifyCertificate` and `/certificates/{code}` confirm (and, when the event is
//! completed, by mail); a forged code is refused.

use std::time::Duration;

use dkbm_tests::{Session, assert_bad_input, data, header};
use serde_json::{Value, json};

use super::events::{Cast, REGISTER, cast, create, event_input};

const MARK: &str = "mutation ($id: ID!) { markAttendance(registrationId: $id, attended: true) { status } }";
const MINE: &str = "query ($slug: String!) { trainingEvent(slug: $slug) { myRegistration { certificateUrl } } }";
const VERIFY: &str = "query ($code: String!) { verifyCertificate(code: $code) { valid memberName eventTitle eventDate hours organizer } }";

/// An event that began a moment ago (2.5 hours long), with one member registered; the
/// registration's id.
async fn held_event(cast: &Cast, member: &Session) -> (Value, Value) {
    let mut input = event_input("Werkstatt Übergänge gestalten", Some(5), true);
    let starts = chrono::Utc::now() + chrono::Duration::seconds(2);
    input["startsAt"] = json!(starts.to_rfc3339());
    input["endsAt"] = json!((starts + chrono::Duration::minutes(150)).to_rfc3339());
    let event = create(cast, input).await;
    let registered = cast.server.gql_as(member, REGISTER, json!({ "id": event["id"] })).await;
    let registration = data(&registered)["registerForEvent"]["id"].clone();
    (event, registration)
}

async fn pdf(cast: &Cast, session: Option<&Session>, path: &str) -> reqwest::Response {
    match session {
        Some(session) => cast.server.get_as(session, path).await,
        None => cast.server.get(path).await,
    }
}

fn certificate_path(registration: &Value) -> String {
    format!("/registrations/{}/certificate.pdf", registration.as_str().expect("id"))
}

#[tokio::test]
async fn a_recorded_attendance_gives_a_certificate_whose_code_is_verified() {
    let cast = cast().await;
    let member = cast.server.sign_up("teilnehmerin@bottrop.de").await;
    let (event, registration) = held_event(&cast, &member).await;
    let path = certificate_path(&registration);
    let early = pdf(&cast, Some(&member), &path).await;
    assert_eq!(
        early.status().as_u16(),
        409,
        "no certificate before the attendance is recorded"
    );
    tokio::time::sleep(Duration::from_millis(2200)).await;
    data(
        &cast
            .server
            .gql_as(&cast.editor, MARK, json!({ "id": registration }))
            .await,
    );

    let mine = cast
        .server
        .gql_as(&member, MINE, json!({ "slug": event["slug"] }))
        .await;
    let url = data(&mine)["trainingEvent"]["myRegistration"]["certificateUrl"]
        .as_str()
        .expect("url")
        .to_owned();
    assert!(url.ends_with(&path), "{url}");
    let response = pdf(&cast, Some(&member), &path).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(header(&response, "content-type"), "application/pdf");
    let disposition = header(&response, "content-disposition");
    let code = disposition
        .split("Teilnahmebescheinigung-")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(".pdf\""))
        .expect("the code in the file name")
        .to_owned();
    let bytes = response.bytes().await.expect("body");
    let document = lopdf::Document::load_mem(&bytes).expect("a PDF a PDF library reads");
    assert_eq!(document.get_pages().len(), 1);
    assert!(dkbm_tests::pdf::embeds_fonts(&bytes), "fonts embedded");
    let text = dkbm_tests::pdf::text(&bytes);
    for expected in [
        "Teilnahmebescheinigung",
        "teilnehmerin",
        "Werkstatt",
        "2,5 Zeitstunden",
        &code,
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let again = pdf(&cast, Some(&cast.editor), &path).await;
    assert_eq!(again.status().as_u16(), 200, "the organisers get it too");
    assert!(header(&again, "content-disposition").contains(&code), "the same code");

    let verified = cast
        .server
        .gql(VERIFY, json!({ "code": code.to_lowercase().replace('-', "") }))
        .await;
    let verified = &data(&verified)["verifyCertificate"];
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["memberName"], "teilnehmerin");
    assert_eq!(verified["eventTitle"], "Werkstatt Übergänge gestalten");
    assert_eq!(verified["hours"], 2.5);
    assert!(verified["organizer"].as_str().is_some_and(|name| !name.is_empty()));
    assert!(verified["eventDate"].as_str().is_some_and(|date| date.len() == 10));

    let page = cast.server.get(&format!("/certificates/{code}")).await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Gültige Teilnahmebescheinigung") && html.contains("teilnehmerin"));

    // Completing the event mails the certificate, with the same code.
    let complete = "mutation ($id: ID!) { completeTrainingEvent(id: $id) { status } }";
    data(
        &cast
            .server
            .gql_as(&cast.editor, complete, json!({ "id": event["id"] }))
            .await,
    );
    let mail = cast
        .server
        .mail_to("teilnehmerin@bottrop.de", "Teilnahmebescheinigung")
        .await;
    assert!(mail.text.contains(&code), "{}", mail.text);
    let (name, attached) = mail.files.first().expect("the certificate attached");
    assert_eq!(name, &format!("Teilnahmebescheinigung-{code}.pdf"));
    assert!(dkbm_tests::pdf::text(attached).contains("teilnehmerin"));
}

#[tokio::test]
async fn forged_codes_and_other_viewers_get_nothing() {
    let cast = cast().await;
    let member = cast.server.sign_up("echt@bottrop.de").await;
    let stranger = cast.server.sign_up("fremd@bottrop.de").await;
    let (_, registration) = held_event(&cast, &member).await;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    data(
        &cast
            .server
            .gql_as(&cast.editor, MARK, json!({ "id": registration }))
            .await,
    );
    let path = certificate_path(&registration);
    assert_eq!(pdf(&cast, Some(&stranger), &path).await.status().as_u16(), 404);
    assert_eq!(pdf(&cast, None, &path).await.status().as_u16(), 401);
    assert_eq!(
        pdf(&cast, Some(&member), "/registrations/bm90LWFuLWlk/certificate.pdf")
            .await
            .status()
            .as_u16(),
        400
    );

    for forged in ["AAAA-BBBB-CCCC", "K7QX2MPA9RTZ", "kurz", ""] {
        let answer = cast.server.gql(VERIFY, json!({ "code": forged })).await;
        let answer = &data(&answer)["verifyCertificate"];
        assert_eq!(answer["valid"], false, "{forged}");
        assert_eq!(answer["memberName"], Value::Null);
        assert_eq!(answer["eventTitle"], Value::Null);
    }
    assert_eq!(
        cast.server.get("/certificates/AAAA-BBBB-CCCC").await.status().as_u16(),
        404
    );
    let hostile = cast.server.gql(VERIFY, json!({ "code": "AAAA\u{0}BBBB" })).await;
    assert_bad_input(&hostile, "code");
}

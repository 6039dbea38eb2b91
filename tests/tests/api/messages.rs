//! Errors a client can act on: Int literals beyond 32 bits fail validation, and what the API
//! says to a person comes in German when the client's `Accept-Language` prefers German, in
//! English otherwise — over HTTP and over WebSocket.

use dkbm_tests::ws::WsClient;
use dkbm_tests::{PASSWORD, TestServer, data, error_with_code};
use serde_json::{Value, json};

use crate::events::{REGISTER, cast, create, event_input};

const GERMAN: &str = "de-DE,de;q=0.9,en;q=0.8";
const ENGLISH_FIRST: &str = "en-US,de;q=0.5";

const SIGN_UP: &str = "mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }";

/// The one error of a response: its message and extensions.
fn only_error(response: &Value) -> (&str, &Value) {
    let errors = response["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors: {response}"));
    assert_eq!(errors.len(), 1, "{response}");
    (
        errors[0]["message"].as_str().expect("a message"),
        &errors[0]["extensions"],
    )
}

#[tokio::test]
async fn int_literals_beyond_32_bits_fail_validation() {
    let server = TestServer::start().await;
    let response = server
        .gql("{ goodPractices(first: 99999999999) { totalCount } }", json!({}))
        .await;
    let (message, extensions) = only_error(&response);
    assert_eq!(extensions["code"], "GRAPHQL_VALIDATION_FAILED", "{response}");
    assert_eq!(extensions["field"], "first", "{response}");
    assert!(
        message.contains("99999999999") && message.contains("32-bit"),
        "{message}"
    );
    assert!(
        response.get("data").is_none_or(Value::is_null),
        "nothing ran: {response}"
    );

    // Below the range, and nested in an input object of a mutation (refused before it runs:
    // no token needed to get this answer).
    let nested = server
        .gql(
            "mutation { createTrainingEvent(input: { organizerSlug: \"a\", title: \"t\", format: WORKSHOP, \
             topics: [], startsAt: \"2030-01-01T10:00:00Z\", endsAt: \"2030-01-01T12:00:00Z\", \
             capacity: -2147483649 }) { id } }",
            json!({}),
        )
        .await;
    let (_, extensions) = only_error(&nested);
    assert_eq!(extensions["code"], "GRAPHQL_VALIDATION_FAILED", "{nested}");
    assert_eq!(extensions["field"], "input.capacity", "{nested}");

    // The edges of the range are fine; so is a large number where the schema wants a String.
    let edge = server
        .gql("{ goodPractices(first: 2147483647) { totalCount } }", json!({}))
        .await;
    assert_eq!(
        only_error(&edge).1["code"],
        "BAD_USER_INPUT",
        "the page size rule: {edge}"
    );
    let text = server
        .gql("{ goodPractice(slug: \"99999999999\") { id } }", json!({}))
        .await;
    assert_eq!(data(&text)["goodPractice"], Value::Null);

    // A variable's value out of range is refused naming the variable.
    let variable = server
        .gql(
            "query ($n: Int) { goodPractices(first: $n) { totalCount } }",
            json!({ "n": 99999999999_i64 }),
        )
        .await;
    let (_, extensions) = only_error(&variable);
    assert_eq!(extensions["code"], "GRAPHQL_VALIDATION_FAILED", "{variable}");
    assert_eq!(extensions["field"], "variables.n", "{variable}");

    // In German, too.
    let german = server
        .gql_in(
            GERMAN,
            None,
            "{ goodPractices(first: 99999999999) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(only_error(&german).0.contains("außerhalb"), "{german}");
}

#[tokio::test]
async fn input_errors_follow_accept_language() {
    let server = TestServer::start().await;
    let query = "{ goodPractices(first: -1) { totalCount } }";
    let cases = [
        (Some(GERMAN), "first darf nicht negativ sein"),
        (Some("de"), "first darf nicht negativ sein"),
        (Some(ENGLISH_FIRST), "first must not be negative"),
        (Some("fr-FR, *;q=0.5"), "first must not be negative"),
        (None, "first must not be negative"),
    ];
    for (languages, expected) in cases {
        let response = match languages {
            Some(languages) => server.gql_in(languages, None, query, json!({})).await,
            None => server.gql(query, json!({})).await,
        };
        let (message, extensions) = only_error(&response);
        assert_eq!(message, expected, "{languages:?}");
        assert_eq!(extensions["code"], "BAD_USER_INPUT");
        assert_eq!(extensions["field"], "first");
    }
    // A rule of the boundary (control characters) speaks German too.
    let control = server
        .gql_in(GERMAN, None, "{ forum(slug: \"a\\u0000b\") { id } }", json!({}))
        .await;
    assert!(only_error(&control).0.contains("Steuerzeichen"), "{control}");
}

#[tokio::test]
async fn password_advice_follows_accept_language() {
    let server = TestServer::start().await;
    let input =
        json!({ "input": { "email": "schwach@bottrop.de", "password": "passwort123456", "displayName": "Schwach" } });
    let german = server.gql_in(GERMAN, None, SIGN_UP, input.clone()).await;
    let (message, extensions) = only_error(&german);
    assert_eq!(extensions["code"], "BAD_USER_INPUT");
    assert!(
        message.starts_with("das Passwort ist zu leicht zu erraten"),
        "{message}"
    );
    assert!(
        !message.contains("easy") && !message.contains("word"),
        "no English left: {message}"
    );

    let english = server.gql_in(ENGLISH_FIRST, None, SIGN_UP, input.clone()).await;
    assert!(
        only_error(&english).0.starts_with("the password is too easy to guess"),
        "{english}"
    );

    let short = json!({ "input": { "email": "kurz@bottrop.de", "password": "kurz", "displayName": "Kurz" } });
    let german = server.gql_in(GERMAN, None, SIGN_UP, short).await;
    assert_eq!(
        only_error(&german).0,
        "das Passwort hat 4 Zeichen; es braucht mindestens 12"
    );
}

#[tokio::test]
async fn too_many_failed_logins_are_refused_in_german() {
    let server = TestServer::start().await;
    server.sign_up("ziel@bottrop.de").await;
    for _ in 0..5 {
        server.log_in("ziel@bottrop.de", "wrong wrong wrong").await;
    }
    let log_in = "mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken } }";
    let variables = json!({ "e": "ziel@bottrop.de", "p": PASSWORD });
    let german = server.gql_in(GERMAN, None, log_in, variables.clone()).await;
    let error = error_with_code(&german, "RATE_LIMITED");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("zu viele fehlgeschlagene Anmeldungen")),
        "{error}"
    );
    let english = server.gql(log_in, variables).await;
    let error = error_with_code(&english, "RATE_LIMITED");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("too many failed logins")),
        "{error}"
    );
}

#[tokio::test]
async fn event_full_follows_accept_language_over_http_and_websocket() {
    let cast = cast().await;
    let members = cast.server.many_members("voll", 2).await;
    let small = create(&cast, event_input("Kleine Runde", Some(1), false)).await;
    data(
        &cast
            .server
            .gql_as(&members[0], REGISTER, json!({ "id": small["id"] }))
            .await,
    );

    let token = Some(members[1].access_token.as_str());
    let german = cast
        .server
        .gql_in(GERMAN, token, REGISTER, json!({ "id": small["id"] }))
        .await;
    let error = error_with_code(&german, "EVENT_FULL");
    assert_eq!(
        error["message"],
        "die Veranstaltung ist ausgebucht und hat keine Warteliste"
    );
    let english = cast
        .server
        .gql_as(&members[1], REGISTER, json!({ "id": small["id"] }))
        .await;
    let error = error_with_code(&english, "EVENT_FULL");
    assert_eq!(error["message"], "the event is fully booked and has no waiting list");

    // Over WebSocket, the upgrade request's Accept-Language holds for the connection.
    let mut socket = WsClient::connect_with(&cast.server.base, &[("accept-language", GERMAN)]).await;
    socket.init(token).await;
    assert_eq!(socket.next_message().await["type"], "connection_ack");
    socket.subscribe("1", REGISTER, json!({ "id": small["id"] })).await;
    let next = socket.next_message().await;
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(
        next["payload"]["errors"][0]["extensions"]["code"], "EVENT_FULL",
        "{next}"
    );
    assert_eq!(
        next["payload"]["errors"][0]["message"],
        "die Veranstaltung ist ausgebucht und hat keine Warteliste"
    );
    assert_eq!(socket.next_message().await, json!({ "id": "1", "type": "complete" }));
    socket
        .subscribe("2", "{ goodPractices(first: 99999999999) { totalCount } }", json!({}))
        .await;
    let refused = socket.next_message().await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED");
    assert!(
        refused["payload"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("außerhalb")),
        "{refused}"
    );
}

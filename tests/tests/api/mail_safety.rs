//! Names and titles go into mail headers: a line break in one must neither break a mail nor
//! block everyone who causes one (issue 29). Names and titles are one line at the boundary,
//! what was stored before is folded, and a mail that cannot be built is recorded FAILED while
//! the change that caused it commits. Older password-reset links end.

use dkbm_tests::{TestServer, assert_bad_input, data};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::json;

const SIGN_UP: &str = "mutation ($input: SignUpInput!) { signUp(input: $input) { member { id } } }";
const REQUEST: &str = "mutation ($e: String!) { requestPasswordReset(email: $e) }";
const RESET: &str = "mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
const HEADER_INJECTION: &str = "Eve\r\nBcc: x@evil.example";

#[tokio::test]
async fn a_display_name_is_one_line() {
    let server = TestServer::start().await;
    let input = json!({ "input": { "email": "eve@example.org", "password": "Zwei Kraniche über dem See",
        "displayName": HEADER_INJECTION } });
    assert_bad_input(&server.gql(SIGN_UP, input).await, "input.displayName");
    let session = server.sign_up("eve@example.org").await;
    let update = "mutation ($n: String!) { updateProfile(input: { displayName: $n }) { displayName } }";
    let answer = server.gql_as(&session, update, json!({ "n": HEADER_INJECTION })).await;
    assert_bad_input(&answer, "input.displayName");
    let answer = server.gql_as(&session, update, json!({ "n": "Eve\tTab" })).await;
    assert_bad_input(&answer, "input.displayName");
}

#[tokio::test]
async fn a_stored_name_with_a_line_break_is_folded_into_one_header_line() {
    let server = TestServer::start().await;
    server.sign_up("eve@example.org").await;
    // A name stored before the rule (the migration folds them; here one is put back).
    let db = server.db.connect().await;
    db.execute_unprepared("UPDATE member SET display_name = 'Eve' || char(13) || char(10) || 'Bcc: x@evil.example' WHERE email = 'eve@example.org'")
        .await
        .or(db
            .execute_unprepared("UPDATE member SET display_name = 'Eve' || chr(13) || chr(10) || 'Bcc: x@evil.example' WHERE email = 'eve@example.org'")
            .await)
        .expect("store a name with a line break");
    let answer = server.gql(REQUEST, json!({ "e": "eve@example.org" })).await;
    assert_eq!(data(&answer)["requestPasswordReset"], true, "{answer}");
    let mail = server.mail_to("eve@example.org", "Neues Passwort").await;
    let raw = String::from_utf8_lossy(&mail.raw).into_owned();
    assert!(!raw.lines().any(|line| line.starts_with("Bcc:")), "{raw}");
    let to = mail.header("To").expect("a To header");
    assert!(to.contains("eve@example.org"), "{to}");
}

#[tokio::test]
async fn a_mail_that_cannot_be_built_is_recorded_failed_and_the_change_commits() {
    let server = TestServer::start().await;
    server.sign_up("kaputt@example.org").await;
    // An address no mail can go to (stored by hand: the API checks addresses).
    let db = server.db.connect().await;
    db.execute_unprepared("UPDATE member SET email = 'kaputt@@example' WHERE email = 'kaputt@example.org'")
        .await
        .expect("break the address");
    let answer = server.gql(REQUEST, json!({ "e": "kaputt@@example" })).await;
    assert_eq!(
        data(&answer)["requestPasswordReset"],
        true,
        "the request is answered: {answer}"
    );
    let failed: Vec<_> = dkbm_entity::outbox_message::Entity::find()
        .all(&db)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|message| message.recipient == "kaputt@@example")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].status, dkbm_entity::OutboxStatus::Failed);
    assert!(failed[0].last_error.as_deref().is_some_and(|reason| !reason.is_empty()));
    // The change committed: the reset link's token exists.
    let tokens = dkbm_entity::account_token::Entity::find()
        .all(&db)
        .await
        .expect("tokens");
    assert_eq!(tokens.len(), 2, "the sign-up's verification and the reset link");
}

#[tokio::test]
async fn an_event_title_is_one_line() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let update = "mutation ($id: ID!, $v: Int!, $input: UpdateTrainingEventInput!) {
        updateTrainingEvent(id: $id, expectedVersion: $v, input: $input) { title } }";
    let events = data(
        &server
            .gql("{ trainingEvents(first: 1) { nodes { id version } } }", json!({}))
            .await,
    )["trainingEvents"]["nodes"][0]
        .clone();
    let input = json!({ "id": events["id"], "v": events["version"],
        "input": { "title": "Werkstatt\r\nBcc: x@evil.example\r\nX-Injected: 1" } });
    assert_bad_input(&server.gql_admin(update, input).await, "input.title");
}

#[tokio::test]
async fn only_the_newest_reset_link_works_and_a_reset_ends_the_others() {
    let server = TestServer::start().await;
    server.sign_up("anna.berg@bottrop.de").await;
    for _ in 0..3 {
        data(&server.gql(REQUEST, json!({ "e": "anna.berg@bottrop.de" })).await);
    }
    let mails = server.mails_to("anna.berg@bottrop.de", "Neues Passwort").await;
    let mut tokens: Vec<String> = mails.iter().map(|mail| mail.token("/reset-password")).collect();
    for _ in 0..50 {
        if tokens.len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        tokens = server
            .mails_to("anna.berg@bottrop.de", "Neues Passwort")
            .await
            .iter()
            .map(|mail| mail.token("/reset-password"))
            .collect();
    }
    assert_eq!(tokens.len(), 3);
    // An older link no longer works once a newer one was sent.
    let older = server
        .gql(RESET, json!({ "t": tokens[0], "p": "Ein ganz neues Passwort 1" }))
        .await;
    assert_bad_input(&older, "token");
    let newest = server
        .gql(RESET, json!({ "t": tokens[2], "p": "Ein ganz neues Passwort 2" }))
        .await;
    assert_eq!(data(&newest)["resetPassword"], true);
    let middle = server
        .gql(RESET, json!({ "t": tokens[1], "p": "Ein ganz neues Passwort 3" }))
        .await;
    assert_bad_input(&middle, "token");
}

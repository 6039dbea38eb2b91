//! Not only input errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND and CONFLICT speak the
//! client's language too (all from the one catalogue), in GraphQL answers and in the HTTP 401.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dkbm_tests::{Role, TestServer, data, str_at};
use serde_json::{Value, json};

const GERMAN: &str = "de-DE,de;q=0.9,en;q=0.8";
const ENGLISH: &str = "en-US,en;q=0.9";

const CREATE_AGENCY: &str =
    "mutation ($slug: String!) { createAgency(input: { slug: $slug, name: $slug, kind: OTHER }) { id } }";
const ARCHIVE: &str = "mutation ($id: ID!) { archiveGoodPractice(id: $id) { id } }";
const UPDATE: &str = "mutation ($id: ID!, $v: Int!) { updateGoodPractice(id: $id, expectedVersion: $v, \
                      input: { summary: \"Neu\" }) { id } }";

/// The code and message of a response's one error.
fn error_of(response: &Value) -> (&str, &str) {
    (
        str_at(response, "/errors/0/extensions/code"),
        str_at(response, "/errors/0/message"),
    )
}

/// Asks in both languages and checks the code and both texts.
async fn in_both(server: &TestServer, token: Option<&str>, query: &str, variables: Value, expected: [&str; 3]) {
    let [code, english, german] = expected;
    for (languages, text) in [(ENGLISH, english), (GERMAN, german)] {
        let response = server.gql_in(languages, token, query, variables.clone()).await;
        assert_eq!(error_of(&response), (code, text), "{languages}: {response}");
    }
}

#[tokio::test]
async fn access_errors_follow_accept_language() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let member = server.sign_up("leserin@example.org").await;
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some("bildungsbuero-bottrop"))
        .await;

    // Anonymous where a member is needed.
    let profile = "mutation { updateProfile(input: { displayName: \"Neu\" }) { id } }";
    in_both(
        &server,
        None,
        profile,
        json!({}),
        ["UNAUTHENTICATED", "sign in first", "melden Sie sich zuerst an"],
    )
    .await;
    // A member where an administrator is needed.
    in_both(
        &server,
        Some(&member.access_token),
        CREATE_AGENCY,
        json!({ "slug": "neu" }),
        [
            "FORBIDDEN",
            "this needs a platform administrator",
            "dafür braucht es eine Administratorin oder einen Administrator der Plattform",
        ],
    )
    .await;
    // A duplicate.
    data(&server.gql_admin(CREATE_AGENCY, json!({ "slug": "doppelt" })).await);
    in_both(
        &server,
        Some(dkbm_tests::ADMIN_TOKEN),
        CREATE_AGENCY,
        json!({ "slug": "doppelt" }),
        [
            "CONFLICT",
            "the slug \"doppelt\" is taken by another agency",
            "der Slug „doppelt“ ist an eine andere Einrichtung vergeben",
        ],
    )
    .await;

    // A stale version, and an id of nothing.
    let input = crate::practices::practice_input("bildungsbuero-bottrop", "Sprachen lernen");
    let created = server
        .gql_as(&editor, crate::practices::CREATE, json!({ "input": input }))
        .await;
    let id = str_at(&created, "/data/createGoodPractice/id").to_owned();
    in_both(
        &server,
        Some(&editor.access_token),
        UPDATE,
        json!({ "id": id, "v": 7 }),
        [
            "CONFLICT",
            "the practice was changed meanwhile: it is at version 1, not 7; reload and apply your change again",
            "das Praxisbeispiel wurde inzwischen geändert: es ist bei Version 1, nicht 7; laden Sie neu und \
             wenden Sie Ihre Änderung noch einmal an",
        ],
    )
    .await;
    let nothing = URL_SAFE_NO_PAD.encode(format!("GoodPractice:{}", uuid::Uuid::now_v7()));
    in_both(
        &server,
        Some(dkbm_tests::ADMIN_TOKEN),
        ARCHIVE,
        json!({ "id": nothing }),
        ["NOT_FOUND", "no such good practice", "kein solches Praxisbeispiel"],
    )
    .await;
}

#[tokio::test]
async fn a_refused_token_is_answered_in_the_clients_language() {
    let server = TestServer::start().await;
    for (languages, text) in [
        (ENGLISH, "invalid or expired credentials"),
        (GERMAN, "ungültige oder abgelaufene Anmeldedaten"),
    ] {
        let response = server
            .client
            .post(server.graphql_url())
            .bearer_auth("kein.gültiges.token")
            .header("accept-language", languages)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(error_of(&body), ("UNAUTHENTICATED", text), "{body}");
    }
}

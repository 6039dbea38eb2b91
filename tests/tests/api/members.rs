//! Accounts and sessions: sign-up rules, log-in, refresh-token rotation with theft detection,
//! log-out, profile, password change, brute-force limit, email visibility.

use dkbm_tests::{PASSWORD, Role, TestServer, assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

const ME: &str = "{ me { id displayName email municipality { ags } agency { slug } roles { role agency { slug } } } }";
const REFRESH: &str =
    "mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken member { id } } }";
const LOG_OUT: &str = "mutation ($t: String!) { logOut(refreshToken: $t) }";

fn sign_up_input(email: &str, password: &str) -> Value {
    json!({ "input": { "email": email, "password": password, "displayName": "Elisa Czernik" } })
}
const SIGN_UP: &str = "mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken expiresAt member { id email displayName } } }";

#[tokio::test]
async fn sign_up_log_in_and_me() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let response = server
        .gql(
            SIGN_UP,
            json!({ "input": { "email": "  Elisa.Czernik@Bottrop.DE ", "password": PASSWORD, "displayName": "Elisa Czernik", "municipalityAgs": "05512000" } }),
        )
        .await;
    let payload = &data(&response)["signUp"];
    assert_eq!(
        payload["member"]["email"], "elisa.czernik@bottrop.de",
        "emails are normalised"
    );
    let token = payload["accessToken"].as_str().expect("token").to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT");

    let me = server.gql_with(Some(&token), ME, json!({})).await;
    let me = &data(&me)["me"];
    assert_eq!(me["displayName"], "Elisa Czernik");
    assert_eq!(me["municipality"]["ags"], "05512000");
    assert_eq!(me["roles"], json!([{ "role": "MEMBER", "agency": null }]));
    assert_eq!(
        data(&server.gql(ME, json!({})).await)["me"],
        json!(null),
        "anonymous: no me"
    );

    // Log in with any capitalisation of the email.
    let response = server.log_in("ELISA.czernik@bottrop.de", PASSWORD).await;
    assert!(data(&response)["logIn"]["accessToken"].is_string());
    let response = server
        .log_in("elisa.czernik@bottrop.de", "wrong password entirely")
        .await;
    let error = error_with_code(&response, "UNAUTHENTICATED");
    assert_eq!(error["message"], "the email or the password is wrong");
    let response = server.log_in("nobody@bottrop.de", PASSWORD).await;
    assert_eq!(
        error_with_code(&response, "UNAUTHENTICATED")["message"],
        "the email or the password is wrong",
        "the same answer"
    );
}

#[tokio::test]
async fn sign_up_is_validated() {
    let server = TestServer::start().await;
    let response = server
        .gql(SIGN_UP, sign_up_input("a@bottrop.de", "passwort123456"))
        .await;
    assert_bad_input(&response, "input.password");
    let message = str_at(&response, "/errors/0/message").to_owned();
    assert!(message.contains("too easy to guess"), "{message}");
    assert!(message.len() > 40, "a helpful message: {message}");
    assert_bad_input(
        &server.gql(SIGN_UP, sign_up_input("a@bottrop.de", "kurz")).await,
        "input.password",
    );
    assert_bad_input(
        &server.gql(SIGN_UP, sign_up_input("not-an-email", PASSWORD)).await,
        "input.email",
    );
    let response = server
        .gql(SIGN_UP, json!({ "input": { "email": "b@bottrop.de", "password": PASSWORD, "displayName": "B", "municipalityAgs": "99999999" } }))
        .await;
    assert_bad_input(&response, "input.municipalityAgs");
    let response = server
        .gql(
            SIGN_UP,
            json!({ "input": { "email": "b@bottrop.de", "password": PASSWORD, "displayName": " " } }),
        )
        .await;
    assert_bad_input(&response, "input.displayName");

    data(&server.gql(SIGN_UP, sign_up_input("taken@bottrop.de", PASSWORD)).await);
    let response = server.gql(SIGN_UP, sign_up_input(" TAKEN@bottrop.de", PASSWORD)).await;
    assert_eq!(
        error_with_code(&response, "CONFLICT")["extensions"]["field"],
        "input.email"
    );
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_session() {
    let server = TestServer::start().await;
    let first = server.sign_up("rotation@bottrop.de").await;

    let response = server.gql(REFRESH, json!({ "t": first.refresh_token })).await;
    let second = data(&response)["refreshSession"].clone();
    let second_refresh = second["refreshToken"].as_str().expect("token").to_owned();
    let second_access = second["accessToken"].as_str().expect("token").to_owned();
    assert_ne!(second_refresh, first.refresh_token);
    data(&server.gql_with(Some(&second_access), ME, json!({})).await);

    // The first refresh token again: theft. The whole session ends.
    let response = server.gql(REFRESH, json!({ "t": first.refresh_token })).await;
    error_with_code(&response, "UNAUTHENTICATED");
    let response = server.gql(REFRESH, json!({ "t": second_refresh })).await;
    error_with_code(&response, "UNAUTHENTICATED");
    let response = server
        .client
        .post(server.graphql_url())
        .bearer_auth(&second_access)
        .json(&json!({ "query": ME }))
        .send()
        .await
        .expect("send");
    assert_eq!(
        response.status(),
        reqwest::StatusCode::UNAUTHORIZED,
        "the session's access tokens stop working"
    );

    // Another session of the same member is unaffected.
    let other = server.log_in_session("rotation@bottrop.de", PASSWORD).await;
    data(&server.gql_as(&other, ME, json!({})).await);
    error_with_code(&server.gql(REFRESH, json!({ "t": "garbage" })).await, "UNAUTHENTICATED");
}

#[tokio::test]
async fn log_out_ends_the_session() {
    let server = TestServer::start().await;
    let session = server.sign_up("logout@bottrop.de").await;
    let response = server.gql(LOG_OUT, json!({ "t": session.refresh_token })).await;
    assert_eq!(data(&response)["logOut"], true);
    error_with_code(
        &server.gql(REFRESH, json!({ "t": session.refresh_token })).await,
        "UNAUTHENTICATED",
    );
    error_with_code(&server.gql_as(&session, ME, json!({})).await, "UNAUTHENTICATED");
}

#[tokio::test]
async fn profile_and_password() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let session = server.sign_up("profil@bottrop.de").await;
    let update = "mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { displayName municipality { ags } agency { slug } } }";
    let response = server
        .gql_as(&session, update, json!({ "input": { "displayName": "Britta Sicking", "municipalityAgs": "05512000", "agencySlug": "bildungsbuero-bottrop" } }))
        .await;
    let member = &data(&response)["updateProfile"];
    assert_eq!(member["displayName"], "Britta Sicking");
    assert_eq!(member["agency"]["slug"], "bildungsbuero-bottrop");
    let response = server
        .gql_as(&session, update, json!({ "input": { "municipalityAgs": null } }))
        .await;
    assert_eq!(data(&response)["updateProfile"]["municipality"], json!(null));
    assert_eq!(
        data(&response)["updateProfile"]["agency"]["slug"],
        "bildungsbuero-bottrop",
        "left as it was"
    );
    assert_bad_input(
        &server
            .gql_as(&session, update, json!({ "input": { "agencySlug": "nope" } }))
            .await,
        "input.agencySlug",
    );
    error_with_code(
        &server.gql(update, json!({ "input": { "displayName": "X" } })).await,
        "UNAUTHENTICATED",
    );

    let other_session = server.log_in_session("profil@bottrop.de", PASSWORD).await;
    let change = "mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }";
    let new_password = "Neues Passwort für das Bildungsmonitoring";
    let response = server
        .gql_as(
            &session,
            change,
            json!({ "input": { "currentPassword": "falsch falsch falsch", "newPassword": new_password } }),
        )
        .await;
    assert_bad_input(&response, "currentPassword");
    let response = server
        .gql_as(
            &session,
            change,
            json!({ "input": { "currentPassword": PASSWORD, "newPassword": "passwort123456" } }),
        )
        .await;
    assert_bad_input(&response, "newPassword");
    let response = server
        .gql_as(
            &session,
            change,
            json!({ "input": { "currentPassword": PASSWORD, "newPassword": new_password } }),
        )
        .await;
    assert_eq!(data(&response)["changePassword"], true);
    error_with_code(&server.log_in("profil@bottrop.de", PASSWORD).await, "UNAUTHENTICATED");
    data(&server.log_in("profil@bottrop.de", new_password).await);
    data(&server.gql_as(&session, ME, json!({})).await);
    error_with_code(&server.gql_as(&other_session, ME, json!({})).await, "UNAUTHENTICATED");
}

#[tokio::test]
async fn brute_force_is_limited_per_email() {
    let server = TestServer::start_with(|config| config.auth.login_window_secs = 3).await;
    server.sign_up("ziel@bottrop.de").await;
    server.sign_up("andere@bottrop.de").await;
    for _ in 0..5 {
        error_with_code(
            &server.log_in("ziel@bottrop.de", "wrong wrong wrong").await,
            "UNAUTHENTICATED",
        );
    }
    // Even the right password is refused for the rest of the window.
    let response = server.log_in("ziel@bottrop.de", PASSWORD).await;
    let error = error_with_code(&response, "RATE_LIMITED");
    assert!(
        error["extensions"]["retryAfterSeconds"]
            .as_u64()
            .is_some_and(|s| (1..=3).contains(&s)),
        "{error}"
    );
    // Another email is not affected; an unknown email is counted like a known one.
    data(&server.log_in("andere@bottrop.de", PASSWORD).await);
    for _ in 0..5 {
        error_with_code(
            &server.log_in("unbekannt@bottrop.de", "wrong wrong wrong").await,
            "UNAUTHENTICATED",
        );
    }
    error_with_code(
        &server.log_in("unbekannt@bottrop.de", "wrong wrong wrong").await,
        "RATE_LIMITED",
    );
    // After the window, logging in works again.
    tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
    data(&server.log_in("ziel@bottrop.de", PASSWORD).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_attempts_cannot_slip_past_the_limit() {
    let server = std::sync::Arc::new(TestServer::start().await);
    server.sign_up("parallel@bottrop.de").await;
    let attempts: Vec<_> = (0..12)
        .map(|_| {
            let server = server.clone();
            tokio::spawn(async move { server.log_in("parallel@bottrop.de", "wrong wrong wrong").await })
        })
        .collect();
    let mut codes = Vec::new();
    for attempt in attempts {
        let response = attempt.await.expect("join");
        codes.push(str_at(&response, "/errors/0/extensions/code").to_owned());
    }
    assert_eq!(codes.iter().filter(|c| *c == "UNAUTHENTICATED").count(), 5, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| *c == "RATE_LIMITED").count(), 7, "{codes:?}");
}

#[tokio::test]
async fn emails_are_private() {
    let server = TestServer::start().await;
    let alice = server.sign_up("alice@bottrop.de").await;
    let bob = server.sign_up("bob@bottrop.de").await;
    let admin = server.member_with_role("admin@bottrop.de", Role::Admin, None).await;
    let query = "query ($id: ID!) { node(id: $id) { ... on Member { displayName email roles { role } } } }";
    let seen_by_bob = server.gql_as(&bob, query, json!({ "id": alice.member_id })).await;
    assert_eq!(data(&seen_by_bob)["node"]["displayName"], "alice");
    assert_eq!(data(&seen_by_bob)["node"]["email"], json!(null));
    assert_eq!(data(&seen_by_bob)["node"]["roles"], json!(null));
    let anonymous = server.gql(query, json!({ "id": alice.member_id })).await;
    assert_eq!(data(&anonymous)["node"]["email"], json!(null));
    let seen_by_alice = server.gql_as(&alice, query, json!({ "id": alice.member_id })).await;
    assert_eq!(data(&seen_by_alice)["node"]["email"], "alice@bottrop.de");
    let seen_by_admin = server.gql_as(&admin, query, json!({ "id": alice.member_id })).await;
    assert_eq!(data(&seen_by_admin)["node"]["email"], "alice@bottrop.de");
    // The member list is for administrators.
    let list = "{ members(first: 10) { totalCount nodes { email } } }";
    assert_eq!(
        data(&server.gql_as(&admin, list, json!({})).await)["members"]["totalCount"],
        3
    );
    error_with_code(&server.gql_as(&bob, list, json!({})).await, "FORBIDDEN");
}

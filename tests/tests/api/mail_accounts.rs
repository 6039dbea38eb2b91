//! Mail for accounts, read from the folder transport: the verification link of a sign-up (once,
//! and what an unverified member may not do), English for members who chose it, a forgotten
//! password (the same answer for unknown addresses, the sessions ending, the throttle) and a
//! change of address.

use dkbm_tests::{PASSWORD, TestServer, assert_bad_input, data, error_with_code, str_at};
use serde_json::{Value, json};

const SIGN_UP: &str =
    "mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken member { id } } }";
const ME: &str = "{ me { email emailVerified language notificationSettings { forumMail eventReminders } } }";
const VERIFY: &str = "mutation ($t: String!) { verifyEmail(token: $t) { email emailVerified } }";

/// Signs up without the harness's automatic verification; the access token.
async fn sign_up_raw(server: &TestServer, email: &str, language: Option<&str>) -> Value {
    let input = json!({ "email": email, "password": PASSWORD, "displayName": "Jana Schulte", "language": language });
    let response = server.gql(SIGN_UP, json!({ "input": input })).await;
    data(&response)["signUp"].clone()
}

#[tokio::test]
async fn a_sign_up_is_verified_by_its_link_once_and_unverified_members_cannot_register() {
    let server = TestServer::start().await;
    server.seed_demo().await;
    let payload = sign_up_raw(&server, "jana.schulte@bottrop.de", None).await;
    let token = str_at(&payload, "/accessToken").to_owned();

    let mail = server.mail_to("jana.schulte@bottrop.de", "Bitte bestätigen").await;
    assert_eq!(mail.subject, "Bitte bestätigen Sie Ihre E-Mail-Adresse");
    assert!(mail.from.starts_with("noreply@"), "{}", mail.from);
    assert!(mail.message_id.ends_with("@dkbm.test"), "{}", mail.message_id);
    assert!(mail.text.contains("Hallo Jana Schulte"), "{}", mail.text);
    assert!(
        mail.text.contains("<https://dkbm.test/verify-email?token="),
        "{}",
        mail.text
    );
    assert!(
        mail.html.contains("<a href=\"https://dkbm.test/verify-email?token="),
        "{}",
        mail.html
    );
    assert!(mail.html.contains("lang=\"de\""));

    let me = server.gql_with(Some(&token), ME, json!({})).await;
    assert_eq!(data(&me)["me"]["emailVerified"], json!(false));
    assert_eq!(data(&me)["me"]["language"], json!("de"));
    assert_eq!(
        data(&me)["me"]["notificationSettings"],
        json!({ "forumMail": "IMMEDIATE", "eventReminders": true })
    );

    // Unverified: reading works, registering and posting do not.
    let events = server
        .gql_with(Some(&token), "{ trainingEvents(first: 1) { nodes { id } } }", json!({}))
        .await;
    let event_id = str_at(data(&events), "/trainingEvents/nodes/0/id").to_owned();
    let register = server
        .gql_with(
            Some(&token),
            "mutation ($id: ID!) { registerForEvent(eventId: $id) { id } }",
            json!({ "id": event_id }),
        )
        .await;
    let error = error_with_code(&register, "FORBIDDEN");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("confirm your email"),
        "{register}"
    );

    let link_token = mail.token("/verify-email");
    let verified = server.gql(VERIFY, json!({ "t": link_token })).await;
    assert_eq!(
        data(&verified)["verifyEmail"],
        json!({ "email": null, "emailVerified": null }),
        "anonymous sees no private fields"
    );
    let me = server.gql_with(Some(&token), ME, json!({})).await;
    assert_eq!(data(&me)["me"]["emailVerified"], json!(true));
    let register = server
        .gql_with(
            Some(&token),
            "mutation ($id: ID!) { registerForEvent(eventId: $id) { id } }",
            json!({ "id": event_id }),
        )
        .await;
    data(&register);

    // The link works once; a made-up one not at all.
    assert_bad_input(&server.gql(VERIFY, json!({ "t": link_token })).await, "token");
    assert_bad_input(&server.gql(VERIFY, json!({ "t": "\u{0}" })).await, "token");
    assert_bad_input(&server.gql(VERIFY, json!({ "t": "x".repeat(5000) })).await, "token");
}

#[tokio::test]
async fn members_who_chose_english_get_english_mail() {
    let server = TestServer::start().await;
    sign_up_raw(&server, "j.smith@ruhrfutur.de", Some("en")).await;
    let mail = server.mail_to("j.smith@ruhrfutur.de", "confirm").await;
    assert_eq!(mail.subject, "Please confirm your email address");
    assert!(mail.text.starts_with("Hello Jana Schulte"), "{}", mail.text);
    assert!(mail.html.contains("lang=\"en\""));

    let bad = server
        .gql(
            SIGN_UP,
            json!({ "input": { "email": "x@y.de", "password": PASSWORD, "displayName": "X", "language": "fr" } }),
        )
        .await;
    assert_bad_input(&bad, "input.language");
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_its_link_and_every_session_ends() {
    let server = TestServer::start().await;
    let session = server.sign_up("petra.wagner@dortmund.de").await;
    const REQUEST: &str = "mutation ($e: String!) { requestPasswordReset(email: $e) }";
    const RESET: &str = "mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";

    // The same answer whether an account has the address or not; mail only to the account.
    let known = server.gql(REQUEST, json!({ "e": "Petra.Wagner@dortmund.de " })).await;
    let unknown = server.gql(REQUEST, json!({ "e": "niemand@dortmund.de" })).await;
    assert_eq!(known, unknown);
    assert_eq!(data(&known)["requestPasswordReset"], json!(true));
    let mail = server.mail_to("petra.wagner@dortmund.de", "Neues Passwort").await;
    assert!(server.mails().iter().all(|m| m.to != "niemand@dortmund.de"));
    let token = mail.token("/reset-password");

    assert_bad_input(
        &server.gql(RESET, json!({ "t": token, "p": "kurz" })).await,
        "newPassword",
    );
    let new_password = "Zwei Kraniche über dem Phoenix-See";
    let reset = server.gql(RESET, json!({ "t": token, "p": new_password })).await;
    assert_eq!(data(&reset)["resetPassword"], json!(true));
    // Single use; the old sessions are over; the new password works, the old one does not.
    assert_bad_input(
        &server.gql(RESET, json!({ "t": token, "p": new_password })).await,
        "token",
    );
    let refresh = server
        .gql(
            "mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": session.refresh_token }),
        )
        .await;
    error_with_code(&refresh, "UNAUTHENTICATED");
    error_with_code(
        &server.log_in("petra.wagner@dortmund.de", PASSWORD).await,
        "UNAUTHENTICATED",
    );
    data(&server.log_in("petra.wagner@dortmund.de", new_password).await);

    // Throttled per address: the fourth request within the hour.
    data(&server.gql(REQUEST, json!({ "e": "petra.wagner@dortmund.de" })).await);
    data(&server.gql(REQUEST, json!({ "e": "petra.wagner@dortmund.de" })).await);
    let limited = server.gql(REQUEST, json!({ "e": "petra.wagner@dortmund.de" })).await;
    assert!(error_with_code(&limited, "RATE_LIMITED")["extensions"]["retryAfterSeconds"].is_number());
}

#[tokio::test]
async fn a_new_address_is_verified_before_it_counts_and_the_old_one_is_told() {
    let server = TestServer::start().await;
    let session = server.sign_up("a.meyer@boerde.de").await;
    const CHANGE: &str = "mutation ($e: String!, $p: String!) { changeEmail(newEmail: $e, password: $p) { email } }";
    assert_bad_input(
        &server
            .gql_as(&session, CHANGE, json!({ "e": "neu@boerde.de", "p": "falsch" }))
            .await,
        "password",
    );
    assert_bad_input(
        &server
            .gql_as(&session, CHANGE, json!({ "e": "kein at", "p": PASSWORD }))
            .await,
        "newEmail",
    );
    let changed = server
        .gql_as(&session, CHANGE, json!({ "e": "Neu@Boerde.de", "p": PASSWORD }))
        .await;
    assert_eq!(
        data(&changed)["changeEmail"]["email"],
        json!("a.meyer@boerde.de"),
        "not before it is verified"
    );

    let notice = server.mail_to("a.meyer@boerde.de", "wird geändert").await;
    assert!(notice.text.contains("neu@boerde.de"), "{}", notice.text);
    let link = server.mail_to("neu@boerde.de", "bestätigen").await;
    let verified = server.gql(VERIFY, json!({ "t": link.token("/verify-email") })).await;
    data(&verified);
    let me = server.gql_as(&session, ME, json!({})).await;
    assert_eq!(data(&me)["me"]["email"], json!("neu@boerde.de"));
    data(&server.log_in("neu@boerde.de", PASSWORD).await);
}

#[tokio::test]
async fn notification_settings_and_language_are_the_members_own() {
    let server = TestServer::start().await;
    let session = server.sign_up("k.berg@bottrop.de").await;
    let updated = server
        .gql_as(
            &session,
            "mutation { updateNotificationSettings(input: { forumMail: DAILY, eventReminders: false }) { notificationSettings { forumMail eventReminders } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data(&updated)["updateNotificationSettings"]["notificationSettings"],
        json!({ "forumMail": "DAILY", "eventReminders": false })
    );
    let profile = server
        .gql_as(
            &session,
            "mutation { updateProfile(input: { language: \"en\" }) { language } }",
            json!({}),
        )
        .await;
    assert_eq!(data(&profile)["updateProfile"]["language"], json!("en"));
    let export = server.gql_as(&session, "{ exportMyData }", json!({})).await;
    let text = data(&export)["exportMyData"].to_string();
    assert!(text.contains("\"language\":\"en\"") && text.contains("DAILY"), "{text}");
    let bad = server
        .gql_as(
            &session,
            "mutation { updateProfile(input: { language: \"\\u0000\" }) { language } }",
            json!({}),
        )
        .await;
    assert_bad_input(&bad, "input.language");
}

#[tokio::test]
async fn the_pages_behind_the_links_act_on_post_only() {
    let server = TestServer::start().await;
    sign_up_raw(&server, "seite@bottrop.de", None).await;
    let token = server
        .mail_to("seite@bottrop.de", "bestätigen")
        .await
        .token("/verify-email");
    let path = format!("/verify-email?token={token}");
    let german = |request: reqwest::RequestBuilder| request.header("accept-language", "de-DE,de;q=0.9");

    // A link scanner's GET uses nothing up.
    let shown = german(server.get_request(&path)).send().await.expect("get");
    assert_eq!(shown.status(), 200);
    assert_eq!(dkbm_tests::header(&shown, "cache-control"), "no-store");
    let page = shown.text().await.expect("page");
    assert!(
        page.contains("<form method=\"post\">") && page.contains("Adresse bestätigen"),
        "{page}"
    );
    let confirmed = german(server.client.post(server.url(&path)))
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed.text().await.expect("page").contains("Adresse bestätigt"));
    let again = german(server.client.post(server.url(&path)))
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 400);
    assert!(again.text().await.expect("page").contains("Link ist ungültig"));

    let request = "mutation { requestPasswordReset(email: \"seite@bottrop.de\") }";
    data(&server.gql(request, json!({})).await);
    let token = server
        .mail_to("seite@bottrop.de", "Neues Passwort")
        .await
        .token("/reset-password");
    let path = format!("/reset-password?token={token}");
    let form = server.get(&path).await.text().await.expect("page");
    assert!(
        form.contains("type=\"password\"") && form.contains("Set a new password"),
        "English without Accept-Language: {form}"
    );
    let weak = server
        .client
        .post(server.url(&path))
        .form(&[("password", "passwort")])
        .send()
        .await
        .expect("post");
    assert_eq!(weak.status(), 400);
    let strong = server
        .client
        .post(server.url(&path))
        .form(&[("password", "Drei Eulen auf dem Förderturm")])
        .send()
        .await
        .expect("post");
    assert_eq!(strong.status(), 200);
    data(&server.log_in("seite@bottrop.de", "Drei Eulen auf dem Förderturm").await);
}

#[tokio::test]
async fn a_new_verification_link_is_limited_and_a_taken_address_cannot_be_claimed() {
    let server = TestServer::start().await;
    let payload = sign_up_raw(&server, "noch.offen@bottrop.de", None).await;
    let token = str_at(&payload, "/accessToken").to_owned();
    const RESEND: &str = "mutation { resendVerification }";
    // Five new links within the hour, then RATE_LIMITED.
    for _ in 0..5 {
        assert_eq!(
            data(&server.gql_with(Some(&token), RESEND, json!({})).await)["resendVerification"],
            json!(true)
        );
    }
    error_with_code(&server.gql_with(Some(&token), RESEND, json!({})).await, "RATE_LIMITED");
    let mut sent = 0;
    for _ in 0..250 {
        sent = server.mails_to("noch.offen@bottrop.de", "bestätigen").await.len();
        if sent == 6 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(sent, 6, "the sign-up's link and five more");

    let verified = server.sign_up("schon.da@bottrop.de").await;
    assert_eq!(
        data(&server.gql_as(&verified, RESEND, json!({})).await)["resendVerification"],
        json!(false)
    );
    let taken = server
        .gql_as(
            &verified,
            "mutation ($e: String!, $p: String!) { changeEmail(newEmail: $e, password: $p) { email } }",
            json!({ "e": "Noch.Offen@bottrop.de", "p": PASSWORD }),
        )
        .await;
    assert_eq!(
        error_with_code(&taken, "CONFLICT")["extensions"]["field"],
        json!("newEmail")
    );
}

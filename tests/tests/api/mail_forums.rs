//! Forum mail, read from the folder transport: a watcher gets each new post at once with a
//! one-click unsubscribe link (RFC 8058) that works without sign-in; a member who chose the daily
//! digest gets one a day, without hidden posts, however many instances make it.

use dkbm_tests::{Role, Session, TestServer, data, str_at};
use serde_json::{Value, json};

const START: &str = "mutation ($input: StartThreadInput!) { startThread(input: $input) { id } }";
const REPLY: &str = "mutation ($input: ReplyInput!) { replyToThread(input: $input) { id } }";
const SETTINGS: &str = "{ me { notificationSettings { forumMail } } }";

struct Forum {
    server: TestServer,
    alice: Session,
    bob: Session,
    thread: String,
}

async fn forum_with_thread(adjust: impl FnOnce(&mut dkbm_hub::Config)) -> Forum {
    let server = TestServer::start_with(adjust).await;
    server.seed_demo().await;
    let mut members = server.many_members("forum", 2).await;
    let (bob, alice) = (members.remove(1), members.remove(0));
    let forum = server.gql("{ forum(slug: \"austausch\") { id } }", json!({})).await;
    let started = server
        .gql_as(
            &alice,
            START,
            json!({ "input": { "forumId": data(&forum)["forum"]["id"], "title": "Kita-Daten <i>kleinräumig</i>", "body": "Wie macht ihr das?" } }),
        )
        .await;
    let thread = str_at(data(&started), "/startThread/id").to_owned();
    Forum {
        server,
        alice,
        bob,
        thread,
    }
}

async fn reply(forum: &Forum, body: &str) -> Value {
    let response = forum
        .server
        .gql_as(
            &forum.bob,
            REPLY,
            json!({ "input": { "threadId": forum.thread, "body": body } }),
        )
        .await;
    data(&response)["replyToThread"].clone()
}

#[tokio::test]
async fn watchers_get_each_post_at_once_and_unsubscribe_with_one_click() {
    let forum = forum_with_thread(|_| {}).await;
    reply(&forum, "Wir nutzen **Schuleingangsuntersuchungen**.").await;
    let mail = forum.server.mail_to(&forum.alice.email, "in „Kita-Daten").await;
    assert_eq!(mail.subject, "Jürgen Müller 1 in „Kita-Daten <i>kleinräumig</i>“");
    assert!(
        mail.text.contains("Wir nutzen Schuleingangsuntersuchungen."),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains("<https://dkbm.test/forums/austausch/threads/"),
        "{}",
        mail.text
    );
    assert!(!mail.html.contains("<i>kleinräumig"), "{}", mail.html);
    assert_eq!(
        mail.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let unsubscribe = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    assert!(url.starts_with("https://dkbm.test/mail/unsubscribe?token="), "{url}");
    assert!(mail.text.contains(url), "the link is in the body too");

    // The mail client's one-click POST, to this server, without any sign-in.
    let path = url.trim_start_matches("https://dkbm.test");
    let forged = forum
        .server
        .client
        .post(forum.server.url("/mail/unsubscribe?token=eyJhbGciOiJub25lIn0.e30."))
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 400);
    let clicked = forum
        .server
        .client
        .post(forum.server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(clicked.status(), 200);
    let settings = forum.server.gql_as(&forum.alice, SETTINGS, json!({})).await;
    assert_eq!(data(&settings)["me"]["notificationSettings"]["forumMail"], json!("OFF"));

    let before = forum.server.mails().len();
    reply(&forum, "Noch eine Antwort.").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(forum.server.mails().len(), before, "no mail after unsubscribing");
}

#[tokio::test]
async fn the_daily_digest_goes_once_without_hidden_posts() {
    let forum = forum_with_thread(|config| config.mail.forum_digest_hour = 0).await;
    let daily = forum
        .server
        .gql_as(
            &forum.alice,
            "mutation { updateNotificationSettings(input: { forumMail: DAILY }) { id } }",
            json!({}),
        )
        .await;
    data(&daily);
    reply(&forum, "Erste Antwort").await;
    let spam = reply(&forum, "Werbung").await;
    let moderator = forum
        .server
        .member_with_role("moderation@dkbm.de", Role::Moderator, None)
        .await;
    let hidden = forum
        .server
        .gql_as(
            &moderator,
            "mutation ($id: ID!) { hidePost(postId: $id, reason: \"Werbung\") { hidden } }",
            json!({ "id": spam["id"] }),
        )
        .await;
    data(&hidden);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        forum.server.mails().iter().all(|m| m.to != forum.alice.email),
        "nothing at once for DAILY"
    );

    // Two instances make the round at the same time (on SQLite, one twice).
    let replica = forum.server.replica_on_postgres().await;
    let other = replica.as_ref().unwrap_or(&forum.server);
    let (a, b) = tokio::join!(queue_digests(&forum.server), queue_digests(other));
    a.expect("digest round");
    b.expect("digest round");
    data(&forum.server.gql_as(&forum.alice, SETTINGS, json!({})).await);
    let digests = forum.server.mails_to(&forum.alice.email, "Neu in Ihren Foren").await;
    assert_eq!(digests.len(), 1);
    let digest = &digests[0];
    assert_eq!(digest.subject, "Neu in Ihren Foren: 1 Beitrag");
    assert!(digest.text.contains("Kita-Daten <i>kleinräumig</i>"), "{}", digest.text);
    assert!(digest.header("List-Unsubscribe").is_some());
    queue_digests(&forum.server).await.expect("again");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        forum
            .server
            .mails_to(&forum.alice.email, "Neu in Ihren Foren")
            .await
            .len(),
        1,
        "once a day"
    );
}

/// The digest round of one instance, as its periodic job runs it.
async fn queue_digests(server: &TestServer) -> Result<usize, dkbm_hub::AppError> {
    let state = &server.state;
    dkbm_hub::forums::service::queue_digests(&state.writer, &state.auth, state.config.mail.forum_digest_hour).await
}

//! Delivery that loses nothing, against a real SMTP server in the test process: a temporary
//! refusal (451) is retried until the message goes, a permanent one (554) leaves it FAILED with
//! the server's answer until an administrator sends it again; two instances send 200 queued
//! messages exactly once; a worker that dies mid-batch loses nothing and repeats at most the
//! message in flight; a deleted account takes its queued mail with it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use dkbm_entity::{OutboxStatus, outbox_message};
use dkbm_hub::mail::{Language, Mail, Recipient};
use dkbm_tests::{PASSWORD, SmtpServer, TestDb, TestServer, data, str_at};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

const OUTBOX: &str = "query ($s: OutboxMessageStatus) { outboxMessages(status: $s, first: 100) { totalCount nodes { id recipient kind status attempts lastError sentAt } } }";

/// Writes `count` messages into the outbox at once (as one change would).
async fn queue(server: &TestServer, count: usize) {
    let at = chrono::Utc::now();
    let rows: Vec<_> = (0..count)
        .map(|n| {
            let to = Recipient {
                member_id: None,
                address: format!("empfang-{n}@example.org"),
                name: format!("Empfang {n}"),
                language: Language::De,
            };
            let link = server.state.mail.link(&format!("/verify-email?token=t{n}"));
            server
                .state
                .mail
                .compose(Mail::new("verify_email", to, minijinja::context! { link }), at)
        })
        .collect();
    for chunk in rows.chunks(100) {
        outbox_message::Entity::insert_many(chunk.to_vec())
            .exec(server.state.conn())
            .await
            .expect("queue");
    }
}

async fn with_smtp(db: Arc<TestDb>, smtp: &SmtpServer, lease_secs: u64) -> TestServer {
    let url = smtp.url.clone();
    TestServer::start_on(db, move |config| {
        config.mail.smtp_url = Some(url);
        config.mail.mail_poll_secs = 1;
        config.mail.mail_lease_secs = lease_secs;
    })
    .await
}

async fn count_with(server: &TestServer, status: OutboxStatus) -> u64 {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(status))
        .count(server.state.conn())
        .await
        .expect("count")
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_until_the_message_goes() {
    let smtp = SmtpServer::start_with(vec![451], Duration::ZERO);
    let server = with_smtp(Arc::new(TestDb::fresh().await), &smtp, 300).await;
    queue(&server, 1).await;
    server.state.mail.wake.notify_one();
    let accepted = smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(smtp.attempts(), 2, "refused once, then accepted");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let outbox = server.gql_admin(OUTBOX, json!({ "s": "SENT" })).await;
    let sent = &data(&outbox)["outboxMessages"]["nodes"][0];
    assert_eq!(sent["attempts"], json!(2));
    assert_eq!(sent["lastError"], json!(null));
    assert!(sent["sentAt"].is_string());
}

#[tokio::test]
async fn a_permanent_refusal_leaves_the_message_failed_until_an_administrator_retries() {
    let smtp = SmtpServer::start_with(vec![554], Duration::ZERO);
    let server = with_smtp(Arc::new(TestDb::fresh().await), &smtp, 300).await;
    queue(&server, 1).await;
    server.state.mail.wake.notify_one();
    let mut failed = json!(null);
    for _ in 0..200 {
        let outbox = server.gql_admin(OUTBOX, json!({ "s": "FAILED" })).await;
        failed = data(&outbox)["outboxMessages"]["nodes"][0].clone();
        if !failed.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        failed["attempts"],
        json!(1),
        "no retry after a permanent refusal: {failed}"
    );
    assert!(str_at(&failed, "/lastError").contains("554"), "{failed}");
    assert!(smtp.accepted().is_empty());

    let member = server.many_members("kein-admin", 1).await.remove(0);
    let retry = "mutation ($id: UUID!) { retryMessage(id: $id) { status attempts } }";
    let forbidden = server.gql_as(&member, retry, json!({ "id": failed["id"] })).await;
    dkbm_tests::error_with_code(&forbidden, "FORBIDDEN");
    let retried = server.gql_admin(retry, json!({ "id": failed["id"] })).await;
    assert_eq!(
        data(&retried)["retryMessage"],
        json!({ "status": "PENDING", "attempts": 0 })
    );
    assert_eq!(smtp.wait_for(1, Duration::from_secs(10)).await.len(), 1);
    let again = server.gql_admin(retry, json!({ "id": failed["id"] })).await;
    dkbm_tests::error_with_code(&again, "CONFLICT");
}

#[tokio::test]
async fn two_instances_send_two_hundred_queued_messages_exactly_once() {
    let smtp = SmtpServer::start();
    let db = Arc::new(TestDb::fresh().await);
    let first = with_smtp(db.clone(), &smtp, 300).await;
    // On SQLite one process is the only writer: one instance, still exactly once.
    let second = match dkbm_tests::on_postgres() {
        true => Some(with_smtp(db.clone(), &smtp, 300).await),
        false => None,
    };
    queue(&first, 200).await;
    first.state.mail.wake.notify_one();
    if let Some(second) = &second {
        second.state.mail.wake.notify_one();
    }
    let accepted = smtp.wait_for(200, Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let accepted_later = smtp.accepted();
    assert_eq!(accepted.len(), 200);
    assert_eq!(accepted_later.len(), 200, "nothing sent twice");
    let ids: HashSet<_> = accepted_later.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 200);
    assert_eq!(count_with(&first, OutboxStatus::Sent).await, 200);
    if let Some(second) = &second {
        let sent_by_each = (
            first.state.metrics().mail_sent.get(),
            second.state.metrics().mail_sent.get(),
        );
        assert_eq!(sent_by_each.0 + sent_by_each.1, 200, "{sent_by_each:?}");
    }
}

#[tokio::test]
async fn a_worker_that_dies_mid_batch_loses_nothing_and_repeats_at_most_the_one_in_flight() {
    let smtp = SmtpServer::start_with(Vec::new(), Duration::from_millis(100));
    let db = Arc::new(TestDb::fresh().await);
    let dying = with_smtp(db.clone(), &smtp, 2).await;
    queue(&dying, 30).await;
    dying.state.mail.wake.notify_one();
    smtp.wait_for(5, Duration::from_secs(20)).await;
    drop(dying); // aborts the instance's tasks, the delivery worker mid-batch among them
    let before = smtp.accepted().len();
    assert!(before < 30, "the batch was cut short ({before} sent)");

    let survivor = with_smtp(db, &smtp, 2).await;
    let accepted = smtp.wait_for(31, Duration::from_secs(30)).await;
    let ids: HashSet<_> = accepted.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 30, "every message arrived");
    assert!(
        accepted.len() <= 31,
        "at most the one in flight twice: {}",
        accepted.len()
    );
    // The server marks a message sent just after the SMTP server accepted it: wait for the mark.
    let started = std::time::Instant::now();
    while count_with(&survivor, OutboxStatus::Sent).await < 30 && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count_with(&survivor, OutboxStatus::Sent).await, 30);
}

#[tokio::test]
async fn a_deleted_account_takes_its_queued_mail_with_it() {
    // The server refuses for now: the verification mail stays queued.
    let smtp = SmtpServer::start_with(vec![451; 20], Duration::ZERO);
    let url = smtp.url.clone();
    let server = TestServer::start_with(move |config| {
        config.mail.smtp_url = Some(url);
        config.mail.mail_retry_secs = 3600;
    })
    .await;
    let signed_up = server
        .gql(
            "mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
            json!({ "i": { "email": "weg@bottrop.de", "password": PASSWORD, "displayName": "Weg" } }),
        )
        .await;
    let token = str_at(data(&signed_up), "/signUp/accessToken").to_owned();
    smtp.wait_for_attempts(1, Duration::from_secs(10)).await;
    for _ in 0..100 {
        if count_with(&server, OutboxStatus::Pending).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        count_with(&server, OutboxStatus::Pending).await,
        1,
        "queued for a retry"
    );
    let deleted = server
        .gql_with(
            Some(&token),
            "mutation ($p: String!) { deleteMyAccount(password: $p) }",
            json!({ "p": PASSWORD }),
        )
        .await;
    data(&deleted);
    let left = outbox_message::Entity::find()
        .count(server.state.conn())
        .await
        .expect("count");
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_verification_mail_arrives_over_smtp_with_both_bodies() {
    let smtp = SmtpServer::start();
    let server = with_smtp(Arc::new(TestDb::fresh().await), &smtp, 300).await;
    let signed_up = server
        .gql(
            "mutation ($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
            json!({ "i": { "email": "smtp@bottrop.de", "password": PASSWORD, "displayName": "Ümit Öztürk", "language": "en" } }),
        )
        .await;
    data(&signed_up);
    let mail = smtp.wait_for(1, Duration::from_secs(10)).await.remove(0);
    assert_eq!(mail.to, "smtp@bottrop.de");
    assert_eq!(mail.subject, "Please confirm your email address");
    assert!(mail.text.contains("Hello Ümit Öztürk"), "{}", mail.text);
    assert!(
        mail.html.contains("Hello Ümit Öztürk")
            && mail.html.contains("<a href=\"https://dkbm.test/verify-email?token="),
        "{}",
        mail.html
    );
    assert!(mail.header("Date").is_some() && mail.header("MIME-Version").is_some());
    assert!(server.mails().is_empty(), "the folder is not used with an SMTP server");
}

//! How webhook deliveries travel: a receiver that is down gets every delivery afterwards, in
//! order and none twice (on PostgreSQL with two instances delivering); `Retry-After` is
//! honoured; a refused delivery is FAILED and sent again with its `webhook-id`; a rotated
//! secret signs beside the new one until the overlap ends; an endpoint failing for too long is
//! switched off and its agency's administrators are mailed; an address that turns internal is
//! refused at connection.

use std::collections::HashSet;
use std::time::Duration;

use dkbm_tests::webhooks::Receiver;
use dkbm_tests::{Role, Session, TestServer, data, error_with_code, str_at};
use serde_json::{Value, json};

use super::practices::practice_input;
use super::webhooks::{AGENCY, CREATE, Hooked, hooked_with, local_receivers};

const CREATE_PRACTICE: &str =
    "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }";

async fn editor(server: &TestServer) -> Session {
    server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some(AGENCY))
        .await
}

async fn draft(server: &TestServer, editor: &Session, title: &str) -> Value {
    let input = json!({ "input": practice_input(AGENCY, title) });
    data(&server.gql_as(editor, CREATE_PRACTICE, input).await)["createGoodPractice"]["id"].clone()
}

fn fast_polls(config: &mut dkbm_hub::Config) {
    config.webhooks.webhook_poll_secs = 1;
}

#[tokio::test]
async fn a_receiver_down_for_a_while_gets_every_delivery_in_order_and_none_twice() {
    let hooked = hooked_with(&["PRACTICE_CHANGED"], fast_polls).await;
    let second = if dkbm_tests::on_postgres() {
        Some(
            TestServer::start_on(hooked.server.db.clone(), |config| {
                local_receivers(config);
                fast_polls(config);
            })
            .await,
        )
    } else {
        None
    };
    let editor = editor(&hooked.server).await;
    hooked.receiver.fail_with(503);
    let mut written = Vec::new();
    for n in 0..12 {
        // Through both instances where there are two.
        let server = match (&second, n % 2) {
            (Some(second), 1) => second,
            _ => &hooked.server,
        };
        written.push(draft(server, &editor, &format!("Praxisbeispiel Nummer {n}")).await);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let refused = hooked.receiver.received();
    assert!(!refused.is_empty() && refused.iter().all(|r| r.status == 503));
    assert_eq!(hooked.deliveries(Some("PENDING")).await["totalCount"], 12);

    hooked.receiver.recover();
    let accepted = hooked.receiver.wait_for_accepted(12, Duration::from_secs(60)).await;
    assert_eq!(accepted.len(), 12, "every delivery came");
    let ids: Vec<Value> = accepted.iter().map(|r| r.json()["data"]["id"].clone()).collect();
    assert_eq!(ids, written, "in the order of the changes");
    let message_ids: HashSet<String> = accepted.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(message_ids.len(), 12, "none twice");
    // The attempts that were refused carried the same ids as the accepted ones.
    let tried: HashSet<String> = refused.iter().map(|r| r.header("webhook-id")).collect();
    assert!(tried.is_subset(&message_ids));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(hooked.receiver.accepted().len(), 12, "nothing more came");
    let delivered = hooked.deliveries(Some("DELIVERED")).await;
    assert_eq!(delivered["totalCount"], 12);
    let first = &delivered["nodes"][11];
    assert!(first["attempts"].as_i64().unwrap_or_default() >= 2, "{first}");
    if let Some(second) = second {
        second.stop().await;
    }
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_refused_delivery_is_failed_and_sent_again_with_its_id() {
    let hooked = hooked_with(&["PRACTICE_CHANGED"], |_| {}).await;
    let editor = editor(&hooked.server).await;
    hooked.receiver.fail_once(429, Some(2));
    let first = draft(&hooked.server, &editor, "Erstes Praxisbeispiel").await;
    let accepted = hooked.receiver.wait_for_accepted(1, Duration::from_secs(20)).await;
    let received = hooked.receiver.received();
    assert_eq!(received.len(), 2, "one 429, then accepted");
    assert!(
        received[1].at - received[0].at >= Duration::from_millis(1900),
        "waited as asked"
    );
    assert_eq!(accepted[0].json()["data"]["id"], first);

    // A 404 is the endpoint's final word: FAILED at once, and the next one goes. So is a
    // redirect, which is not followed.
    hooked.receiver.fail_once(404, None);
    draft(&hooked.server, &editor, "Zweites Praxisbeispiel").await;
    let third = draft(&hooked.server, &editor, "Drittes Praxisbeispiel").await;
    let accepted = hooked.receiver.wait_for_accepted(2, Duration::from_secs(20)).await;
    assert_eq!(accepted[1].json()["data"]["id"], third);
    let failed = hooked.deliveries(Some("FAILED")).await;
    assert_eq!(failed["totalCount"], 1);
    let failed = &failed["nodes"][0];
    assert_eq!(failed["responseStatus"], 404);
    assert_eq!(failed["attempts"], 1);
    assert!(str_at(failed, "/lastError").contains("404"));

    let redeliver = "mutation ($id: ID!) { redeliverWebhook(deliveryId: $id) { status messageId } }";
    let token = hooked.client.token();
    let again = data(
        &hooked
            .server
            .gql_with(Some(&token), redeliver, json!({ "id": failed["id"] }))
            .await,
    )["redeliverWebhook"]
        .clone();
    assert_eq!(again["status"], "PENDING");
    assert_eq!(again["messageId"], failed["messageId"]);
    let accepted = hooked.receiver.wait_for_accepted(3, Duration::from_secs(20)).await;
    assert_eq!(
        accepted[2].header("webhook-id"),
        str_at(failed, "/messageId"),
        "the same webhook-id"
    );
    assert!(accepted[2].verifies_with(&hooked.secret));

    // A redirect is not followed: the delivery fails where it was sent.
    hooked.receiver.fail_once(302, None);
    draft(&hooked.server, &editor, "Umgeleitet").await;
    let fourth = draft(&hooked.server, &editor, "Viertes Praxisbeispiel").await;
    let accepted = hooked.receiver.wait_for_accepted(4, Duration::from_secs(20)).await;
    assert_eq!(accepted[3].json()["data"]["id"], fourth);
    let failed = hooked.deliveries(Some("FAILED")).await;
    assert_eq!(failed["totalCount"], 2);
    assert_eq!(failed["nodes"][0]["responseStatus"], 302);
    assert_eq!(
        hooked.receiver.received().len(),
        7,
        "429, 200, 404, 200, 200, 302, 200: nothing followed"
    );
}

#[tokio::test]
async fn a_delivery_failing_past_the_give_up_time_is_failed_and_the_next_goes() {
    let hooked = hooked_with(&["PRACTICE_CHANGED"], |config| {
        config.webhooks.webhook_give_up_secs = 2;
    })
    .await;
    let editor = editor(&hooked.server).await;
    hooked.receiver.fail_with(503);
    draft(&hooked.server, &editor, "Aufgegeben").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    hooked.receiver.recover();
    let next = draft(&hooked.server, &editor, "Danach").await;
    let accepted = hooked.receiver.wait_for_accepted(1, Duration::from_secs(20)).await;
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].json()["data"]["id"], next);
    let failed = hooked.deliveries(Some("FAILED")).await;
    assert_eq!(failed["totalCount"], 1);
    assert!(str_at(&failed["nodes"][0], "/lastError").contains("503"));
}

#[tokio::test]
async fn the_old_secret_signs_beside_the_new_one_until_the_overlap_ends() {
    let hooked: Hooked = hooked_with(&["PRACTICE_CHANGED"], |config| {
        config.webhooks.webhook_secret_overlap_secs = 2;
    })
    .await;
    let editor = editor(&hooked.server).await;
    let rotate = "mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { previousSecretExpiresAt } } }";
    let rotated = data(
        &hooked
            .server
            .gql_with(
                Some(&hooked.client.token()),
                rotate,
                json!({ "id": hooked.webhook["id"] }),
            )
            .await,
    )["rotateWebhookSecret"]
        .clone();
    let new = str_at(&rotated, "/secret").to_owned();
    assert_ne!(new, hooked.secret);
    assert!(rotated["webhook"]["previousSecretExpiresAt"].is_string());

    draft(&hooked.server, &editor, "Während der Überlappung").await;
    let during = hooked.receiver.wait_for_accepted(1, Duration::from_secs(20)).await;
    assert_eq!(
        during[0].header("webhook-signature").split(' ').count(),
        2,
        "both signatures"
    );
    assert!(during[0].verifies_with(&new) && during[0].verifies_with(&hooked.secret));

    tokio::time::sleep(Duration::from_millis(2500)).await;
    draft(&hooked.server, &editor, "Nach der Überlappung").await;
    let after = hooked.receiver.wait_for_accepted(2, Duration::from_secs(20)).await;
    assert_eq!(after[1].header("webhook-signature").split(' ').count(), 1);
    assert!(after[1].verifies_with(&new));
    assert!(
        !after[1].verifies_with(&hooked.secret),
        "the old secret no longer signs"
    );
}

#[tokio::test]
async fn an_endpoint_failing_for_too_long_is_switched_off_and_its_administrators_are_mailed() {
    let hooked = hooked_with(&["PRACTICE_CHANGED"], |config| {
        config.webhooks.webhook_disable_after_secs = 2;
    })
    .await;
    let editor = editor(&hooked.server).await;
    hooked.receiver.fail_with(500);
    let written = vec![
        draft(&hooked.server, &editor, "Vor dem Ausfall").await,
        draft(&hooked.server, &editor, "Während des Ausfalls").await,
    ];
    let list = "query ($slug: String!) { webhooks(agencySlug: $slug) { id enabled disabledReason failingSince } }";
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let endpoint = loop {
        let response = hooked
            .server
            .gql_with(Some(&hooked.client.token()), list, json!({ "slug": AGENCY }))
            .await;
        let endpoint = data(&response)["webhooks"][0].clone();
        if endpoint["enabled"] == false {
            break endpoint;
        }
        assert!(tokio::time::Instant::now() < deadline, "never switched off: {endpoint}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(str_at(&endpoint, "/disabledReason").contains("HTTP 500"));
    let mail = hooked
        .server
        .mail_to(&format!("client-admin@{AGENCY}.test"), "Webhook abgeschaltet")
        .await;
    assert!(mail.text.contains(&hooked.receiver.url), "{}", mail.text);

    // Switched on again once the receiver answers: the kept deliveries go out in order.
    hooked.receiver.recover();
    let enable = "mutation ($input: UpdateWebhookInput!) { updateWebhook(input: $input) { enabled failingSince } }";
    let input = json!({ "input": { "id": endpoint["id"], "enabled": true } });
    let enabled = data(
        &hooked
            .server
            .gql_with(Some(&hooked.client.token()), enable, input)
            .await,
    )["updateWebhook"]
        .clone();
    assert_eq!(enabled, json!({ "enabled": true, "failingSince": null }));
    let accepted = hooked.receiver.wait_for_accepted(2, Duration::from_secs(20)).await;
    let ids: Vec<Value> = accepted.iter().map(|r| r.json()["data"]["id"].clone()).collect();
    assert_eq!(ids, written);
}

#[tokio::test]
async fn an_address_that_turns_internal_is_refused_at_connection() {
    let receiver = Receiver::start().await;
    let by_name = receiver.url.replace("127.0.0.1", "localhost");
    let allow_localhost = |config: &mut dkbm_hub::Config| {
        local_receivers(config);
        config.webhooks.webhook_allow_http_hosts.push("localhost".into());
    };
    let first = TestServer::start_with(allow_localhost).await;
    first.seed_demo().await;
    let client = first.api_client(AGENCY).await;
    for url in [&receiver.url, &by_name] {
        let input = json!({ "input": { "agencySlug": AGENCY, "url": url, "events": ["PRACTICE_CHANGED"] } });
        data(&first.gql_with(Some(&client.token()), CREATE, input).await);
    }
    let db = first.db.clone();
    first.stop().await;

    // The operator no longer allows internal addresses: both endpoints are now refused when a
    // delivery connects (the name as it resolves, the literal address before it).
    let server = TestServer::start_on(db, |config| {
        allow_localhost(config);
        config.webhooks.webhook_allow_private = false;
    })
    .await;
    let editor = editor(&server).await;
    draft(&server, &editor, "Nach dem Umzug").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(receiver.received().is_empty(), "nothing reached the internal address");
    let list = "query ($slug: String!) { webhooks(agencySlug: $slug) { id url } }";
    let response = server
        .gql_with(Some(&client.token()), list, json!({ "slug": AGENCY }))
        .await;
    for endpoint in data(&response)["webhooks"].as_array().expect("a list") {
        let deliveries = server
            .gql_with(
                Some(&client.token()),
                super::webhooks::DELIVERIES,
                json!({ "id": endpoint["id"] }),
            )
            .await;
        let delivery = &data(&deliveries)["webhookDeliveries"]["nodes"][0];
        let error = str_at(delivery, "/lastError");
        assert!(
            error.contains("internal") || error.contains("no public address"),
            "{}: {error}",
            endpoint["url"]
        );
    }
    error_with_code(
        &server
            .gql_with(
                Some(&client.token()),
                CREATE,
                json!({ "input": { "agencySlug": AGENCY, "url": by_name, "events": ["PRACTICE_CHANGED"] } }),
            )
            .await,
        "BAD_USER_INPUT",
    );
}

#[tokio::test]
async fn an_endpoint_slower_than_the_timeout_is_tried_again() {
    let hooked = hooked_with(&["PRACTICE_CHANGED"], |config| {
        config.webhooks.webhook_timeout_secs = 1;
    })
    .await;
    let editor = editor(&hooked.server).await;
    hooked.receiver.delay_once(Duration::from_secs(3));
    let id = draft(&hooked.server, &editor, "Langsam empfangen").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let delivered = loop {
        let delivered = hooked.deliveries(Some("DELIVERED")).await;
        if delivered["totalCount"] == 1 {
            break delivered;
        }
        assert!(tokio::time::Instant::now() < deadline, "never delivered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // The first attempt timed out after a second (the receiver kept it); the retry went through.
    assert_eq!(delivered["nodes"][0]["attempts"], 2);
    assert!(str_at(&delivered["nodes"][0], "/payload").contains(id.as_str().unwrap_or_default()));
}

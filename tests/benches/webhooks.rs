//! Benchmark of webhook delivery: signed deliveries per second to a local receiver (one in the
//! same process, answering 200 at once), for one endpoint (its deliveries go one after another,
//! in order) and for four endpoints (served side by side). The backlog is built while the
//! receiver answers 503 (the first attempt fails and pauses the queue), then the receiver
//! recovers and the time from its first accepted delivery to the last is measured: the worker's
//! own pace (claim, sign, POST, record), not the writes that caused them.
//!
//! Run: `cargo bench -p dkbm-tests --bench webhooks` (add DKBM_TEST_DATABASE_URL for PostgreSQL).

use std::sync::Arc;
use std::time::Duration;

use dkbm_tests::bench::load;
use dkbm_tests::webhooks::Receiver;
use dkbm_tests::{Role, TestDb, TestServer, data};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AGENCY: &str = "bildungsbuero-bottrop";
const CHANGES: usize = 1_000;

async fn run(db: TestDb, endpoints: usize) {
    let backend = db.backend();
    let server = Arc::new(
        TestServer::start_on(Arc::new(db), |config| {
            config.webhooks.webhook_allow_private = true;
            config.webhooks.webhook_allow_http_hosts = vec!["127.0.0.1".into()];
            config.webhooks.webhook_retry_base_secs = 2;
        })
        .await,
    );
    server.seed_demo().await;
    let client = server.api_client(AGENCY).await;
    let receiver = Receiver::start().await;
    receiver.fail_with(503);
    let create = "mutation ($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }";
    for _ in 0..endpoints {
        let input = json!({ "agencySlug": AGENCY, "url": receiver.url, "events": ["PRACTICE_CHANGED"] });
        data(
            &server
                .gql_with(Some(&client.token()), create, json!({ "input": input }))
                .await,
        );
    }
    let editor = server
        .member_with_role("redaktion@bottrop.de", Role::Editor, Some(AGENCY))
        .await;
    let create_practice = "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }";
    let writer = server.clone();
    load(4, CHANGES / 4, move |client, i| {
        let (server, editor) = (writer.clone(), editor.clone());
        async move {
            let input = json!({ "input": {
                "agencySlug": AGENCY, "title": format!("Praxisbeispiel {client}-{i}"),
                "summary": "Kurz.", "body": "Text.", "topics": ["education-monitoring"],
            } });
            data(&server.gql_as(&editor, create_practice, input).await);
        }
    })
    .await;
    receiver.recover();
    let expected = CHANGES * endpoints;
    let accepted = receiver.wait_for_accepted(expected, Duration::from_secs(600)).await;
    assert_eq!(accepted.len(), expected, "every delivery arrived");
    let (first, last) = (accepted[0].at, accepted[expected - 1].at);
    let seconds = last.duration_since(first).as_secs_f64().max(f64::EPSILON);
    println!(
        "{backend}: {expected} deliveries to {endpoints} endpoint(s): {:.0} deliveries/s ({:.2} s)",
        (expected - 1) as f64 / seconds,
        seconds
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    for endpoints in [1, 4] {
        run(TestDb::fresh_sqlite().await, endpoints).await;
    }
    if let Some(url) = std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        for endpoints in [1, 4] {
            run(TestDb::fresh_postgres(&url).await, endpoints).await;
        }
    } else {
        println!("(set DKBM_TEST_DATABASE_URL to measure PostgreSQL as well)");
    }
}

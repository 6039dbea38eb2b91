//! Benchmark of live forum posts: 1,000 WebSocket subscribers on one thread on one instance,
//! 100 posts written through the other instance (on PostgreSQL with DKBM_TEST_DATABASE_URL:
//! two instances on one database, events via LISTEN/NOTIFY; on SQLite both on one instance).
//! Reports the delivery latency (from sending the post's request to its arrival at each
//! subscriber, p50/p99 over all 100,000 deliveries; target p99 < 250 ms) and the memory per
//! subscriber (this process's resident set before and after subscribing, divided by 1,000: the
//! server's and the clients' sockets, an upper bound of the server's share).
//!
//! Run: `cargo bench -p dkbm-tests --bench forums`

use std::sync::Arc;
use std::time::{Duration, Instant};

use dkbm_tests::bench::figures;
use dkbm_tests::ws::{Received, WsClient};
use dkbm_tests::{Role, TestDb, TestServer, data};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SUBSCRIBERS: usize = 1000;
const POSTS: usize = 100;

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

async fn run(db: TestDb) {
    let backend = db.backend();
    let db = Arc::new(db);
    let relaxed = |config: &mut dkbm_hub::config::Config| config.forum_posts_per_minute = 100_000;
    let writer = Arc::new(TestServer::start_on(db.clone(), relaxed).await);
    let listener = if backend == "SQLite" {
        writer.clone()
    } else {
        Arc::new(TestServer::start_on(db.clone(), relaxed).await)
    };
    let moderator = writer
        .member_with_role("moderation@dkbm.de", Role::Moderator, None)
        .await;
    let author = writer.many_members("bench", 1).await.remove(0);
    let forum = data(
        &writer
            .gql_as(
                &moderator,
                "mutation { createForum(input: {slug: \"austausch\", title: \"Austausch\", visibility: PUBLIC}) { id } }",
                json!({}),
            )
            .await,
    )["createForum"]["id"]
        .clone();
    let thread = data(
        &writer
            .gql_as(
                &author,
                "mutation ($f: ID!) { startThread(input: {forumId: $f, title: \"Live\", body: \"Los geht's\"}) { id } }",
                json!({ "f": forum }),
            )
            .await,
    )["startThread"]["id"]
        .clone();

    let before = resident_kib();
    let mut clients = Vec::with_capacity(SUBSCRIBERS);
    for n in 0..SUBSCRIBERS {
        let mut client = WsClient::connect_and_init(&listener.base, None).await;
        client
            .subscribe(
                &format!("s{n}"),
                "subscription ($id: ID!) { postAdded(threadId: $id) { body } }",
                json!({ "id": thread }),
            )
            .await;
        clients.push(client);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = resident_kib();

    let receivers: Vec<_> = clients
        .into_iter()
        .map(|mut client| {
            tokio::spawn(async move {
                let mut arrivals = Vec::with_capacity(POSTS);
                while arrivals.len() < POSTS {
                    match client.receive(Duration::from_secs(30)).await {
                        Received::Message(message) => {
                            let body = message["payload"]["data"]["postAdded"]["body"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned();
                            if let Some(n) = body.strip_prefix("post ").and_then(|n| n.parse::<usize>().ok()) {
                                arrivals.push((n, Instant::now()));
                            }
                        }
                        _ => break,
                    }
                }
                arrivals
            })
        })
        .collect();
    let started = Instant::now();
    let mut sent = Vec::with_capacity(POSTS);
    for n in 0..POSTS {
        sent.push(Instant::now());
        let response = writer
            .gql_as(
                &author,
                "mutation ($t: ID!, $b: String!) { replyToThread(input: {threadId: $t, body: $b}) { id } }",
                json!({ "t": thread, "b": format!("post {n}") }),
            )
            .await;
        data(&response);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut latencies = Vec::with_capacity(SUBSCRIBERS * POSTS);
    for receiver in receivers {
        for (n, at) in receiver.await.expect("receiver") {
            latencies.push(at - sent[n]);
        }
    }
    let delivered = latencies.len();
    let figures = figures(latencies, started.elapsed());
    println!(
        "{backend} ({} instance(s)): {SUBSCRIBERS} subscribers, {POSTS} posts: delivered {delivered}/{}   p50 {:.1} ms   p99 {:.1} ms   max {:.1} ms (target p99 < 250)",
        if Arc::ptr_eq(&writer, &listener) { 1 } else { 2 },
        SUBSCRIBERS * POSTS,
        figures.p50.as_secs_f64() * 1000.0,
        figures.p99.as_secs_f64() * 1000.0,
        figures.max.as_secs_f64() * 1000.0,
    );
    println!(
        "{backend}: memory per subscriber (server and client side together): {:.1} KiB ({} KiB for {SUBSCRIBERS})",
        (after.saturating_sub(before)) as f64 / SUBSCRIBERS as f64,
        after.saturating_sub(before)
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if std::env::var("DKBM_BENCH_ONLY").as_deref() != Ok("postgres") {
        run(TestDb::fresh_sqlite().await).await;
    }
    if let Some(url) = std::env::var("DKBM_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    {
        run(TestDb::fresh_postgres(&url).await).await;
    } else {
        println!("(set DKBM_TEST_DATABASE_URL to measure PostgreSQL as well)");
    }
}

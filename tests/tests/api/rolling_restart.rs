//! Rolling restarts: on SIGTERM an instance fails `/readyz` but keeps serving for
//! `--shutdown-delay-secs`, then closes its listener, finishes the requests in flight, closes
//! WebSockets with 1001 (the client resumes elsewhere behind its cursor) and exits 0.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dkbm_tests::ws::{Received, WsClient};
use dkbm_tests::{ADMIN_TOKEN, ServerProcess, TestDb, data, on_postgres, status_of};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHANGED: &str = "subscription ($after: String) { goodPracticeChanged(after: $after) { cursor } }";

/// Sends a GraphQL request whose body arrives in two parts; returns the connection after the
/// first part.
async fn half_sent_request(base: &str) -> (tokio::net::TcpStream, &'static [u8]) {
    let body: &'static [u8] = br#"{"query":"{ __typename }"}"#;
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    stream.write_all(&body[..10]).await.expect("part");
    (stream, &body[10..])
}

#[tokio::test]
async fn sigterm_drains_then_finishes_what_is_in_flight_and_exits_0() {
    let db = TestDb::fresh().await;
    let env = [("DKBM_SHUTDOWN_DELAY_SECS", "2"), ("DKBM_NO_BASE_PLACES", "true")];
    let mut server = ServerProcess::start(&db.url, &env).await;
    let client = reqwest::Client::new();
    let mut subscriber = WsClient::connect_and_init(&server.base, None).await;
    subscriber.subscribe("feed", CHANGED, json!({ "after": null })).await;
    subscriber.send(json!({ "type": "ping" })).await;
    assert_eq!(subscriber.next_message().await["type"], "pong");
    let (mut in_flight, rest) = half_sent_request(&server.base).await;

    let signalled = Instant::now();
    server.terminate().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.status("/readyz").await, 503, "draining");
    assert_eq!(server.status("/healthz").await, 200, "alive");
    let answer = client
        .post(server.graphql_url())
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("still served during the delay");
    assert_eq!(answer.status().as_u16(), 200);

    // After the delay: the socket is closed with 1001 …
    match subscriber.receive(Duration::from_secs(5)).await {
        Received::Closed(code, _) => assert_eq!(code, 1001),
        other => panic!("expected the close frame, got {other:?}"),
    }
    assert!(signalled.elapsed() >= Duration::from_secs(2), "not before the delay");
    // … new connections are refused, and the request in flight still gets its answer.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.status("/healthz").await, 0, "the listener is closed");
    in_flight.write_all(rest).await.expect("the rest of the body");
    let mut response = String::new();
    in_flight.read_to_string(&mut response).await.expect("read");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""__typename":"Query""#), "{response}");
    assert_eq!(server.exit_code(Duration::from_secs(10)).await, Some(0));
}

/// What a load balancer does: it sends requests only to instances whose `/readyz` answered 200
/// at its last look (every 100 ms).
#[derive(Clone)]
struct Balancer {
    ready: Arc<std::sync::Mutex<Vec<String>>>,
    next: Arc<AtomicUsize>,
}

impl Balancer {
    fn start(bases: Vec<String>, stop: Arc<AtomicBool>) -> Balancer {
        let balancer = Balancer {
            ready: Arc::new(std::sync::Mutex::new(bases.clone())),
            next: Arc::default(),
        };
        let ready = balancer.ready.clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let mut now_ready = Vec::new();
                for base in &bases {
                    if status_of(&format!("{base}/readyz")).await == 200 {
                        now_ready.push(base.clone());
                    }
                }
                *ready.lock().expect("lock") = now_ready;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        balancer
    }

    fn pick(&self) -> String {
        let ready = self.ready.lock().expect("lock");
        assert!(!ready.is_empty(), "no instance ready");
        ready[self.next.fetch_add(1, Ordering::Relaxed) % ready.len()].clone()
    }
}

/// Reads through the balancer until told to stop; returns (requests, failures with reasons).
fn keep_reading(balancer: Balancer, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<(usize, Vec<String>)> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let (mut requests, mut failures) = (0, Vec::new());
        while !stop.load(Ordering::SeqCst) {
            let base = balancer.pick();
            requests += 1;
            let query = json!({ "query": "{ goodPractices(first: 5) { nodes { title } } }" });
            match client.post(format!("{base}/graphql")).json(&query).send().await {
                Ok(response) if response.status().is_success() => match response.json::<Value>().await {
                    Ok(body) if body.get("errors").is_none() => {}
                    other => failures.push(format!("{base}: {other:?}")),
                },
                other => failures.push(format!("{base}: {other:?}")),
            }
        }
        (requests, failures)
    })
}

/// Creates and publishes practices on `graphql` until told to stop.
fn keep_publishing(graphql: String, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<usize> {
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let send = |query: &'static str, variables: Value| {
            client
                .post(&graphql)
                .bearer_auth(ADMIN_TOKEN)
                .json(&json!({ "query": query, "variables": variables }))
                .send()
        };
        let mut published = 0;
        while !stop.load(Ordering::SeqCst) {
            let input = json!({ "agencySlug": "ta", "title": format!("Praxis {published}"), "summary": "Kurz.", "body": "Text." });
            let created: Value = send(
                "mutation ($i: CreateGoodPracticeInput!) { createGoodPractice(input: $i) { id } }",
                json!({ "i": input }),
            )
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
            let id = data(&created)["createGoodPractice"]["id"].clone();
            let done: Value = send(
                "mutation ($id: ID!) { publishGoodPractice(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
            data(&done);
            published += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        published
    })
}

/// A live subscriber of the change feed: when its instance goes (1001), it reconnects through
/// the balancer behind its last cursor. Returns every cursor received and how often it moved.
async fn subscribe_live(base: &str) -> WsClient {
    let mut socket = WsClient::connect_and_init(base, None).await;
    socket.subscribe("feed", CHANGED, json!({ "after": null })).await;
    socket.send(json!({ "type": "ping" })).await;
    assert_eq!(socket.next_message().await["type"], "pong");
    socket
}

fn follow(
    mut socket: WsClient,
    balancer: Balancer,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<(Vec<String>, usize)> {
    tokio::spawn(async move {
        let (mut cursors, mut moves) = (Vec::<String>::new(), 0);
        loop {
            match socket.receive(Duration::from_secs(2)).await {
                Received::Message(message) if message["type"] == "next" => {
                    let cursor = message["payload"]["data"]["goodPracticeChanged"]["cursor"]
                        .as_str()
                        .expect("cursor");
                    cursors.push(cursor.to_owned());
                }
                Received::Nothing if stop.load(Ordering::SeqCst) => return (cursors, moves),
                Received::Nothing => {}
                Received::Closed(1001, _) => {
                    moves += 1;
                    socket = WsClient::connect_and_init(&balancer.pick(), None).await;
                    socket
                        .subscribe("feed", CHANGED, json!({ "after": cursors.last() }))
                        .await;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    })
}

/// Every cursor of the change feed, in order.
async fn feed(graphql: &str) -> Vec<String> {
    let client = reqwest::Client::new();
    let (mut cursors, mut after) = (Vec::new(), Value::Null);
    loop {
        let query = "query ($after: String) { goodPracticeChanges(after: $after, first: 1000) { entries { cursor } endCursor hasMore } }";
        let page: Value = client
            .post(graphql)
            .json(&json!({ "query": query, "variables": { "after": after } }))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let page = &data(&page)["goodPracticeChanges"];
        for entry in page["entries"].as_array().expect("entries") {
            cursors.push(entry["cursor"].as_str().expect("cursor").to_owned());
        }
        if page["hasMore"] != true {
            return cursors;
        }
        after = page["endCursor"].clone();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rolling_restart_under_load_fails_no_request_and_loses_no_live_event() {
    if !on_postgres() {
        eprintln!("skipped: instances share live events through PostgreSQL");
        return;
    }
    let db = TestDb::fresh().await;
    let env = [
        ("DKBM_SHUTDOWN_DELAY_SECS", "2"),
        ("DKBM_NO_BASE_PLACES", "true"),
        ("DKBM_ADMIN_TOKEN", ADMIN_TOKEN),
        ("DKBM_RESPONSE_CACHE_MB", "0"),
    ];
    let mut going = ServerProcess::start(&db.url, &env).await;
    let staying = ServerProcess::start(&db.url, &env).await;
    let agency =
        "mutation { createAgency(input: { slug: \"ta\", name: \"Transferagentur\", kind: TRANSFER_AGENCY }) { slug } }";
    data(&staying.gql(Some(ADMIN_TOKEN), agency, json!({})).await);

    let stop = Arc::new(AtomicBool::new(false));
    let balancer = Balancer::start(vec![going.base.clone(), staying.base.clone()], stop.clone());
    let mut followers = Vec::new();
    for base in [&going.base, &going.base, &staying.base] {
        followers.push(follow(subscribe_live(base).await, balancer.clone(), stop.clone()));
    }
    let readers: Vec<_> = (0..4).map(|_| keep_reading(balancer.clone(), stop.clone())).collect();
    let writer = keep_publishing(staying.graphql_url(), stop.clone());

    // 20 seconds of load; one instance gets SIGTERM after 8.
    let load = Instant::now();
    tokio::time::sleep(Duration::from_secs(8)).await;
    going.terminate().await;
    assert_eq!(
        going.exit_code(Duration::from_secs(12)).await,
        Some(0),
        "exit code after SIGTERM"
    );
    tokio::time::sleep(Duration::from_secs(20).saturating_sub(load.elapsed())).await;
    stop.store(true, Ordering::SeqCst);

    let mut requests = 0;
    for reader in readers {
        let (sent, failures) = reader.await.expect("reader");
        assert!(failures.is_empty(), "{} failed: {failures:?}", failures.len());
        requests += sent;
    }
    let published = writer.await.expect("writer");
    let feed = feed(&staying.graphql_url()).await;
    assert_eq!(feed.len(), published);
    for (n, follower) in followers.into_iter().enumerate() {
        let (cursors, moves) = follower.await.expect("follower");
        assert_eq!(moves, usize::from(n < 2), "subscriber {n} moved");
        assert_eq!(cursors, feed, "subscriber {n} saw every change once, in order");
    }
    eprintln!("{requests} reads, {published} practices published, none failed");
    staying.stop().await;
}

//! Connections that hold a file descriptor without using it are closed: one that sends nothing,
//! one that sends half a request head, one idle after a request; and no more than
//! `--http-max-connections` are open at once. A request in flight is not cut.

use std::time::{Duration, Instant};

use dkbm_tests::TestServer;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server whose idle and header timeouts are as given (in seconds).
async fn server_with(idle_secs: u64, header_secs: u64) -> TestServer {
    TestServer::start_with(|config| {
        config.limits.http_idle_timeout_secs = idle_secs;
        config.limits.http_header_timeout_secs = header_secs;
    })
    .await
}

async fn connect(server: &TestServer) -> TcpStream {
    TcpStream::connect(server.base.trim_start_matches("http://"))
        .await
        .expect("connect")
}

/// How long until the server closes `stream` (reads end or fail), reading and dropping what it
/// sends; `None` if it is still open after `limit`.
async fn closed_after(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout_at((started + limit).into(), stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

fn assert_closed_in_time(closed: Option<Duration>, timeout: Duration, what: &str) {
    let closed = closed.unwrap_or_else(|| panic!("{what}: still open"));
    assert!(
        closed >= timeout.mul_f32(0.8),
        "{what}: closed after {closed:?}, before the timeout of {timeout:?}"
    );
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() {
    let server = server_with(1, 30).await;
    let mut stream = connect(&server).await;
    let closed = closed_after(&mut stream, Duration::from_secs(6)).await;
    assert_closed_in_time(closed, Duration::from_secs(1), "a silent connection");
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_after_the_header_timeout() {
    let server = server_with(30, 1).await;
    let mut stream = connect(&server).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .expect("write");
    let closed = closed_after(&mut stream, Duration::from_secs(6)).await;
    assert_closed_in_time(closed, Duration::from_secs(1), "a half-sent head");
}

#[tokio::test]
async fn a_head_begun_during_a_long_idle_wait_gets_the_header_timeout() {
    // Idle allows 30 s; after a first request the next head starts after 1.5 s and then
    // stalls: closed by the header timeout (1 s after its first byte), not by the idle one.
    let server = server_with(30, 1).await;
    let mut stream = connect(&server).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("write");
    let mut response = Vec::new();
    let mut buffer = [0u8; 1024];
    while !response.ends_with(b"ok\n") {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("a response")
            .expect("read");
        assert!(read > 0, "the connection stays open after the response");
        response.extend_from_slice(&buffer[..read]);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stream.write_all(b"GET /heal").await.expect("write");
    let closed = closed_after(&mut stream, Duration::from_secs(6)).await;
    assert_closed_in_time(closed, Duration::from_secs(1), "a stalled head after an idle wait");
}

#[tokio::test]
async fn a_keep_alive_connection_is_closed_when_idle_after_a_request() {
    let server = server_with(1, 30).await;
    let mut stream = connect(&server).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("write");
    let mut response = Vec::new();
    let mut buffer = [0u8; 1024];
    while !response.ends_with(b"ok\n") {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("the response in time")
            .expect("read");
        assert!(read > 0, "closed before answering");
        response.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&response).to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("connection: close"), "kept alive: {head}");
    let closed = closed_after(&mut stream, Duration::from_secs(6)).await;
    assert_closed_in_time(closed, Duration::from_secs(1), "an idle keep-alive connection");
}

#[tokio::test]
async fn a_request_in_flight_outlives_both_timeouts() {
    let server = server_with(1, 1).await;
    // Hold the write lock so the mutation stays in flight for longer than either timeout.
    let blocker = server.hold_write_lock().await;
    let request = server
        .client
        .post(server.graphql_url())
        .bearer_auth(dkbm_tests::ADMIN_TOKEN)
        .json(&json!({ "query": "mutation { createAgency(input: {slug: \"slow\", name: \"Slow\", kind: OTHER}) { slug } }" }))
        .send();
    let in_flight = tokio::spawn(request);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    blocker.release().await;
    let response = in_flight.await.expect("join").expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"]["createAgency"]["slug"], "slow");
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_until_a_busy_one_closes() {
    let server = TestServer::start_with(|config| config.limits.http_max_connections = 1).await;
    let health = format!("{}/healthz", server.base);
    let client = || {
        reqwest::Client::builder()
            .timeout(Duration::from_millis(700))
            .build()
            .expect("client")
    };
    // The first connection is busy: its request head has begun (an idle one would make room).
    let mut holder = connect(&server).await;
    holder
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("half a head");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = client().get(&health).send().await;
    assert!(
        refused.is_err(),
        "a second connection is not served while the first is busy: {refused:?}"
    );
    drop(holder);
    let mut answered = None;
    for _ in 0..20 {
        if let Ok(response) = client().get(&health).send().await {
            answered = Some(response.status());
            break;
        }
    }
    assert_eq!(
        answered,
        Some(StatusCode::OK),
        "served once the first connection closed"
    );
}

#[tokio::test]
async fn a_new_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let server = server_with(30, 1).await;
    let mut stream = connect(&server).await;
    let closed = closed_after(&mut stream, Duration::from_secs(6)).await;
    assert_closed_in_time(closed, Duration::from_secs(1), "a silent new connection");
    let closed = closed.expect("closed");
    assert!(
        closed < Duration::from_secs(5),
        "not kept for the idle timeout: {closed:?}"
    );
}

/// Silent connections up to the limit (an attacker's) do not lock clients out: at the limit
/// the longest idle one makes room, so /healthz answers at once, again and again.
#[tokio::test]
async fn at_the_limit_idle_connections_make_room_for_new_ones() {
    let server = TestServer::start_with(|config| {
        config.limits.http_max_connections = 10;
        config.limits.http_header_timeout_secs = 30;
        config.limits.http_idle_timeout_secs = 75;
    })
    .await;
    let mut silent = Vec::new();
    for _ in 0..15 {
        silent.push(connect(&server).await);
    }
    let health = format!("{}/healthz", server.base);
    for _ in 0..5 {
        let started = Instant::now();
        let response = reqwest::Client::builder()
            .timeout(Duration::from_secs(3))
            .build()
            .expect("client")
            .get(&health)
            .send()
            .await
            .expect("answered while idle connections fill the limit");
        assert_eq!(response.status(), StatusCode::OK);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        silent.push(connect(&server).await);
    }
}

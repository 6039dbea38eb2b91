//! A webhook receiver in the test process: an HTTP server on an ephemeral port that records
//! every request (headers and body) and answers what the test tells it to (200 by default; a
//! status for a while, to play an endpoint that is down). Deliveries are verified with the
//! `standardwebhooks` crate — the specification's own implementation, not the server's code.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::Value;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
    /// What the receiver answered.
    pub status: u16,
    /// When it came.
    pub at: std::time::Instant,
}

impl Received {
    /// A header's value ("" when missing).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    /// Whether the delivery verifies under `secret` (Standard Webhooks, the reference crate).
    pub fn verifies_with(&self, secret: &str) -> bool {
        let webhook = standardwebhooks::Webhook::new(secret).expect("a valid secret");
        webhook.verify(&self.body, &self.headers).is_ok()
    }
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Answers to give before answering 200: (status, Retry-After).
    failures: Vec<(u16, Option<u64>)>,
    /// Answer this status to everything while set.
    always: Option<u16>,
    /// Wait this long before answering the next request.
    delay: Option<Duration>,
}

/// The receiver; clones share it.
#[derive(Clone)]
pub struct Receiver {
    inner: Arc<Mutex<Inner>>,
    /// `http://127.0.0.1:PORT/hook`
    pub url: String,
}

async fn receive(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    let delay = inner.lock().expect("receiver state").delay.take();
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut inner = inner.lock().expect("receiver state");
    let (status, retry_after) = match inner.always {
        Some(status) => (status, None),
        None if !inner.failures.is_empty() => inner.failures.remove(0),
        None => (200, None),
    };
    inner.received.push(Received {
        headers,
        body,
        status,
        at: std::time::Instant::now(),
    });
    let mut response = (StatusCode::from_u16(status).expect("a status"), "received").into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", seconds.to_string().parse().expect("a header value"));
    }
    response
}

impl Receiver {
    /// A receiver on an ephemeral port of 127.0.0.1.
    pub async fn start() -> Receiver {
        let inner: Arc<Mutex<Inner>> = Arc::default();
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { inner, url }
    }

    /// Answers `status` to everything until [`Receiver::recover`].
    pub fn fail_with(&self, status: u16) {
        self.inner.lock().expect("receiver state").always = Some(status);
    }

    /// Answers the next request only after `delay`.
    pub fn delay_once(&self, delay: Duration) {
        self.inner.lock().expect("receiver state").delay = Some(delay);
    }

    /// Answers 200 again.
    pub fn recover(&self) {
        self.inner.lock().expect("receiver state").always = None;
    }

    /// Answers the next request `status` (with `Retry-After: seconds`), then 200 again.
    pub fn fail_once(&self, status: u16, retry_after: Option<u64>) {
        self.inner
            .lock()
            .expect("receiver state")
            .failures
            .push((status, retry_after));
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("receiver state").received.clone()
    }

    /// The requests answered 200, in the order they came.
    pub fn accepted(&self) -> Vec<Received> {
        self.received().into_iter().filter(|r| r.status == 200).collect()
    }

    /// Waits (up to `within`) until `count` requests were answered 200; answers them.
    pub async fn wait_for_accepted(&self, count: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let accepted = self.accepted();
            if accepted.len() >= count || tokio::time::Instant::now() >= deadline {
                return accepted;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The accepted messages' `type`s, in order.
    pub fn accepted_types(&self) -> Vec<String> {
        self.accepted()
            .iter()
            .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

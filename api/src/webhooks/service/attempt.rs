//! One attempt of one delivery: the signed POST, what the endpoint answered (at most 64 KB of
//! it read), and what follows from it — delivered (2xx), retried (a timeout, no connection, 5xx,
//! 429; `Retry-After` honoured on 429 and 503) or refused (anything else: redirects are not
//! followed, other 4xx are the endpoint's final word).

use std::time::Duration;

use chrono::{DateTime, Utc};
use dkbm_entity::{webhook, webhook_delivery};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use url::Url;

use super::address::{GuardedResolver, literal_allowed};
use super::signing::{message_id, signature_header};
use crate::config::WebhookConfig;

/// Bytes of an answer kept (and read) at most.
const MOST_READ: usize = 64 * 1024;
/// Characters of an answer kept for the delivery's record.
const MOST_KEPT: usize = 500;

/// What an attempt came to.
#[derive(Debug)]
pub enum Verdict {
    Delivered,
    /// Worth trying again; after this long if the endpoint said so.
    Retry(Option<Duration>),
    /// The endpoint's final word (or an address that must not be reached).
    Refused,
}

/// An attempt's outcome: the verdict, the HTTP status and what went wrong.
#[derive(Debug)]
pub struct Outcome {
    pub verdict: Verdict,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// The client deliveries go through: no redirects, the timeout, the guarded resolver.
pub fn client(config: &WebhookConfig) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout())
        .connect_timeout(config.timeout())
        .dns_resolver(GuardedResolver::shared(config))
        .user_agent(concat!("dkbm-hub-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// POSTs `delivery` to `endpoint`, signed at `at`.
pub async fn attempt(
    client: &reqwest::Client,
    config: &WebhookConfig,
    endpoint: &webhook::Model,
    delivery: &webhook_delivery::Model,
    at: DateTime<Utc>,
) -> Outcome {
    let Ok(url) = Url::parse(&endpoint.url) else {
        return refused(None, "the endpoint's URL does not parse".into());
    };
    if !literal_allowed(config, &url) {
        return refused(None, "the endpoint's address is internal".into());
    }
    let id = message_id(delivery.message_id);
    let timestamp = at.timestamp();
    let mut request = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signature_header(endpoint, &id, timestamp, &delivery.payload, at),
        );
    if let Some(traceparent) = crate::telemetry::traceparent(&tracing::Span::current()) {
        request = request.header("traceparent", traceparent);
    }
    match request.body(delivery.payload.clone()).send().await {
        Ok(response) => answered(response).await,
        Err(error) => Outcome {
            verdict: Verdict::Retry(None),
            status: None,
            error: Some(describe(&error)),
        },
    }
}

fn refused(status: Option<u16>, error: String) -> Outcome {
    Outcome {
        verdict: Verdict::Refused,
        status,
        error: Some(error),
    }
}

/// The verdict on an answer, with the start of its body as the error of a failure.
async fn answered(mut response: reqwest::Response) -> Outcome {
    let status = response.status();
    let retry_after = retry_after(status, response.headers());
    let mut body = Vec::new();
    while body.len() < MOST_READ {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(MOST_READ - body.len())]),
            Ok(None) | Err(_) => break,
        }
    }
    let code = Some(status.as_u16());
    if status.is_success() {
        return Outcome {
            verdict: Verdict::Delivered,
            status: code,
            error: None,
        };
    }
    let text: String = String::from_utf8_lossy(&body).chars().take(MOST_KEPT).collect();
    let error = format!("HTTP {status}: {}", text.trim());
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::REQUEST_TIMEOUT {
        Outcome {
            verdict: Verdict::Retry(retry_after),
            status: code,
            error: Some(error),
        }
    } else {
        refused(code, error)
    }
}

/// `Retry-After` of a 429 or 503 answer: seconds, or an HTTP date.
fn retry_after(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    if status != StatusCode::TOO_MANY_REQUESTS && status != StatusCode::SERVICE_UNAVAILABLE {
        return None;
    }
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    (date.with_timezone(&Utc) - Utc::now()).to_std().ok()
}

/// A failed request in a few words (never the URL's query: it may hold a token).
fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut cause = std::error::Error::source(error);
    let mut detail = String::new();
    while let Some(inner) = cause {
        detail = inner.to_string();
        cause = inner.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

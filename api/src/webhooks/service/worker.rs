//! The webhook delivery worker every instance runs. It claims endpoints with due deliveries
//! (each endpoint by one worker of all replicas, see [`crate::db::webhook_outbox`]) and sends
//! each one's queue in order, recording every attempt at once: a worker that dies mid-queue
//! repeats at most the delivery in flight (with the same `webhook-id`, which receivers
//! deduplicate on). A delivery that must be retried stops its endpoint's queue until its retry
//! (so a later one never overtakes it); endpoints are served side by side.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use dkbm_entity::{webhook, webhook_delivery};
use futures::future::join_all;
use sea_orm::DatabaseConnection;

use super::attempt::{Outcome, Verdict, attempt, client};
use super::outcomes::{Next, disable, failing_too_long, record};
use crate::config::{DatabaseConfig, WebhookConfig};
use crate::db::webhook_outbox::{claim_endpoints, queue, release, renew};
use crate::db::{Writer, now};
use crate::error::AppResult;
use crate::metrics::Metrics;
use crate::server::Lifecycle;

/// What delivering webhooks needs.
#[derive(Clone)]
pub struct Dispatch {
    /// For switching off an endpoint (with mail) and the bell changes ring.
    pub writer: Writer,
    pub config: WebhookConfig,
    pub database: DatabaseConfig,
    pub metrics: Arc<Metrics>,
    /// Once the instance closes, the worker finishes the delivery in hand and lets go of its
    /// endpoints.
    pub lifecycle: Arc<Lifecycle>,
}

/// Endpoints one claim takes (and serves side by side).
const ENDPOINTS_PER_CLAIM: u64 = 8;
/// Deliveries of one endpoint read at a time.
const QUEUE_READ: u64 = 100;
/// How long a worker holds an endpoint before it must renew its claim.
const LEASE_SECS: i64 = 120;

/// Runs until the instance closes, on connections of its own.
pub async fn run(dispatch: Dispatch) {
    let config = DatabaseConfig {
        max_connections: 4,
        ..dispatch.database.clone()
    };
    let db = match crate::db::connect_with_metrics(&config, Arc::default()).await {
        Ok(db) => db.connection,
        Err(error) => {
            tracing::error!(%error, "the webhook worker cannot connect to the database; webhooks are not sent");
            return;
        }
    };
    let client = match client(&dispatch.config) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "the webhook worker cannot build its HTTP client; webhooks are not sent");
            return;
        }
    };
    let poll = Duration::from_secs(dispatch.config.webhook_poll_secs.max(1));
    let bell = dispatch.writer.webhook_bell().clone();
    // The earliest retry this worker scheduled that is still to come.
    let mut scheduled: Option<DateTime<Utc>> = None;
    while !dispatch.lifecycle.is_closed() {
        let round = now();
        let retry = match deliver_due(&dispatch, &db, &client).await {
            Ok(retry) => retry,
            Err(error) => {
                tracing::warn!(%error, "delivering webhooks failed; trying again later");
                None
            }
        };
        // A retry whose time had come when the round began was seen to by it.
        scheduled = scheduled.filter(|earlier| *earlier > round);
        if let Some(retry) = retry {
            scheduled = Some(scheduled.map_or(retry, |earlier| earlier.min(retry)));
        }
        let at = now();
        // Until the next look: the poll, or sooner the first retry scheduled.
        let wait = scheduled.map_or(poll, |retry| (retry - at).to_std().unwrap_or_default().min(poll));
        tokio::select! {
            () = dispatch.lifecycle.closed() => {}
            () = bell.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Sends what is due now; answers the earliest retry it scheduled (or found scheduled).
pub async fn deliver_due(
    dispatch: &Dispatch,
    db: &DatabaseConnection,
    client: &reqwest::Client,
) -> AppResult<Option<DateTime<Utc>>> {
    let mut next_retry: Option<DateTime<Utc>> = None;
    while !dispatch.lifecycle.is_closed() {
        let at = now();
        let lease_until = at + chrono::Duration::seconds(LEASE_SECS);
        let claimed = claim_endpoints(db, at, lease_until, ENDPOINTS_PER_CLAIM).await?;
        if claimed.is_empty() {
            break;
        }
        let served = join_all(
            claimed
                .into_iter()
                .map(|endpoint| serve(dispatch, db, client, endpoint)),
        )
        .await;
        for paused in served {
            if let Some(until) = paused? {
                next_retry = Some(next_retry.map_or(until, |earliest| earliest.min(until)));
            }
        }
    }
    Ok(next_retry)
}

/// Sends `endpoint`'s queue in order until it is empty, must wait for a retry, or the instance
/// closes; then lets go of the endpoint. Answers until when it waits for a retry, if it does.
async fn serve(
    dispatch: &Dispatch,
    db: &DatabaseConnection,
    client: &reqwest::Client,
    mut endpoint: webhook::Model,
) -> AppResult<Option<DateTime<Utc>>> {
    let mut held_since = now();
    loop {
        let deliveries = queue(db, endpoint.id, QUEUE_READ).await?;
        if deliveries.is_empty() {
            release(db, &endpoint, None).await?;
            return Ok(None);
        }
        for delivery in deliveries {
            let at = now();
            if dispatch.lifecycle.is_closed() {
                release(db, &endpoint, None).await?;
                return Ok(None);
            }
            if delivery.next_attempt_at > at {
                release(db, &endpoint, Some(delivery.next_attempt_at)).await?;
                return Ok(Some(delivery.next_attempt_at));
            }
            if at - held_since > chrono::Duration::seconds(LEASE_SECS / 2) {
                renew(db, endpoint.id, at + chrono::Duration::seconds(LEASE_SECS)).await?;
                held_since = at;
            }
            // An instance that closes does not wait for a slow endpoint: the delivery stays due
            // (the receiver may have it; the retry carries the same webhook-id).
            let outcome = tokio::select! {
                outcome = send(dispatch, client, &endpoint, &delivery, at) => outcome,
                () = dispatch.lifecycle.closed() => {
                    release(db, &endpoint, None).await?;
                    return Ok(None);
                }
            };
            let next = record(db, &dispatch.config, &delivery, &outcome, at).await?;
            if matches!(outcome.verdict, Verdict::Delivered) {
                endpoint.failing_since = None;
            } else {
                endpoint.failing_since.get_or_insert(at);
                if failing_too_long(&dispatch.config, &endpoint, at) {
                    let error = outcome.error.as_deref().unwrap_or_default();
                    disable(&dispatch.writer, &endpoint, error, at).await?;
                    return Ok(None);
                }
            }
            if let Next::Pause(until) = next {
                release(db, &endpoint, Some(until)).await?;
                return Ok(Some(until));
            }
        }
    }
}

/// One attempt, in a span of its own (whose context the request carries as `traceparent`).
async fn send(
    dispatch: &Dispatch,
    client: &reqwest::Client,
    endpoint: &webhook::Model,
    delivery: &webhook_delivery::Model,
    at: DateTime<Utc>,
) -> Outcome {
    let span = tracing::debug_span!(
        "webhook.deliver",
        otel.kind = "producer",
        messaging.system = "webhook",
        event_type = %delivery.event_type,
        attempt = delivery.attempts + 1,
        http.response.status_code = tracing::field::Empty,
    );
    let outcome =
        tracing::Instrument::instrument(attempt(client, &dispatch.config, endpoint, delivery, at), span.clone()).await;
    if let Some(status) = outcome.status {
        span.record("http.response.status_code", status);
    }
    match outcome.verdict {
        Verdict::Delivered => dispatch.metrics.webhooks_delivered.inc(),
        _ => {
            tracing::info!(webhook = %endpoint.id, delivery = %delivery.id, error = outcome.error.as_deref().unwrap_or_default(), "a webhook delivery failed");
            dispatch.metrics.webhooks_failed.inc()
        }
    };
    outcome
}

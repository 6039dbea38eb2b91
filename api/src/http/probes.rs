//! Liveness (`/healthz`), readiness (`/readyz`) and Prometheus metrics (`/metrics`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::HttpState;
use crate::db;
use crate::metrics::{OPENMETRICS_CONTENT_TYPE, PROMETHEUS_TEXT_CONTENT_TYPE};

/// The process is up and serving.
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

/// The instance can take traffic: it is not going (SIGTERM) and the database answers. (An
/// instance waiting for migrations answers 503 from its own router, see `crate::server::startup`.)
pub async fn readyz(State(state): State<HttpState>) -> Response {
    if state.app.lifecycle.is_draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "draining: shutting down\n").into_response()
    } else if db::ping(state.app.conn()).await {
        let replica = state.app.replica.as_ref().map(|replica| match replica.trouble() {
            None => "read replica: in use\n".to_owned(),
            Some(why) => format!("read replica: not used ({why}); reads go to the primary\n"),
        });
        (StatusCode::OK, format!("ready\n{}", replica.unwrap_or_default())).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
    }
}

/// The metrics, as OpenMetrics when the scraper accepts it (Prometheus asks for it first),
/// else as Prometheus text 0.0.4, each under its own content type.
pub async fn metrics(State(state): State<HttpState>, headers: HeaderMap) -> Response {
    db::record_pool_metrics(&state.app.db);
    let metrics = state.app.metrics();
    metrics
        .response_cache_bytes
        .set(i64::try_from(state.cache.weighted_bytes()).unwrap_or(i64::MAX));
    let rendered = if accepts_openmetrics(&headers) {
        metrics.render().map(|text| (OPENMETRICS_CONTENT_TYPE, text))
    } else {
        metrics
            .render_prometheus_text()
            .map(|text| (PROMETHEUS_TEXT_CONTENT_TYPE, text))
    };
    match rendered {
        Ok((content_type, text)) => ([(header::CONTENT_TYPE, content_type)], text).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Whether `Accept` lists `application/openmetrics-text` (with a quality above zero).
fn accepts_openmetrics(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|range| {
            let mut parts = range.split(';').map(str::trim);
            let media_type = parts.next().unwrap_or_default();
            let refused = parts.any(|parameter| {
                parameter
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            media_type.eq_ignore_ascii_case("application/openmetrics-text") && !refused
        })
}

//! Prometheus metrics of one server instance: HTTP requests and latency, GraphQL errors by code,
//! SQL statements and the database pool. Each instance owns its registry (no global recorder), so
//! several instances in one process — as in the tests — keep separate figures.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of an HTTP request metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub method: String,
    /// The matched route (`/graphql`), never the raw path, to keep cardinality small.
    pub route: String,
    pub status: u16,
}

/// Labels of a GraphQL error metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ErrorLabels {
    pub code: String,
}

/// The metrics of one instance.
pub struct Metrics {
    registry: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub http_duration: Family<HttpLabels, Histogram>,
    pub graphql_errors: Family<ErrorLabels, Counter>,
    pub db_statements: Counter,
    pub db_statement_errors: Counter,
    pub db_statement_duration: Histogram,
    pub db_pool_size: Gauge,
    pub db_pool_idle: Gauge,
    pub mail_sent: Counter,
    pub mail_failed: Counter,
    pub webhooks_delivered: Counter,
    pub webhooks_failed: Counter,
    pub response_cache_hits: Counter,
    pub response_cache_misses: Counter,
    pub response_cache_bytes: Gauge,
    pub replica_reads: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// A counter registered under `name`.
fn counter(registry: &mut Registry, name: &str, help: &str) -> Counter {
    let counter = Counter::default();
    registry.register(name, help, counter.clone());
    counter
}

/// A gauge registered under `name`.
fn gauge(registry: &mut Registry, name: &str, help: &str) -> Gauge {
    let gauge = Gauge::default();
    registry.register(name, help, gauge.clone());
    gauge
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("dkbm");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", http_requests.clone());
        let http_duration = Family::<HttpLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(exponential_buckets(0.001, 2.0, 16))) as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency",
            http_duration.clone(),
        );
        let graphql_errors = Family::<ErrorLabels, Counter>::default();
        registry.register(
            "graphql_errors",
            "GraphQL errors by extensions.code",
            graphql_errors.clone(),
        );
        let db_statements = counter(&mut registry, "db_statements", "SQL statements executed");
        let db_statement_errors = counter(&mut registry, "db_statement_errors", "SQL statements that failed");
        let db_statement_duration = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        registry.register(
            "db_statement_duration_seconds",
            "SQL statement latency",
            db_statement_duration.clone(),
        );
        let db_pool_size = gauge(&mut registry, "db_pool_connections", "Open database connections");
        let db_pool_idle = gauge(&mut registry, "db_pool_idle_connections", "Idle database connections");
        let mail_sent = counter(&mut registry, "mail_sent", "Mails delivered by this instance");
        let mail_failed = counter(
            &mut registry,
            "mail_failed",
            "Mails given up (permanent failure or too many attempts)",
        );
        let webhooks_delivered = counter(&mut registry, "webhook_deliveries", "Webhook deliveries accepted (2xx)");
        let webhooks_failed = counter(
            &mut registry,
            "webhook_delivery_failures",
            "Webhook attempts that failed",
        );
        let response_cache_hits = counter(
            &mut registry,
            "response_cache_hits",
            "Anonymous GraphQL requests answered from the response cache",
        );
        let response_cache_misses = counter(
            &mut registry,
            "response_cache_misses",
            "Anonymous GraphQL requests the response cache could not answer",
        );
        let replica_reads = counter(
            &mut registry,
            "replica_reads",
            "GraphQL requests whose queries ran on the read replica",
        );
        let response_cache_bytes = gauge(
            &mut registry,
            "response_cache_bytes",
            "Bytes the response cache holds (responses and their keys)",
        );
        Metrics {
            registry,
            http_requests,
            http_duration,
            graphql_errors,
            db_statements,
            db_statement_errors,
            db_statement_duration,
            db_pool_size,
            db_pool_idle,
            mail_sent,
            mail_failed,
            webhooks_delivered,
            webhooks_failed,
            response_cache_hits,
            response_cache_misses,
            response_cache_bytes,
            replica_reads,
        }
    }

    /// Counts one GraphQL error by its code.
    pub fn count_error(&self, code: &str) {
        self.graphql_errors
            .get_or_create(&ErrorLabels { code: code.to_owned() })
            .inc();
    }

    /// The OpenMetrics text exposition (what prometheus-client writes).
    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }

    /// The Prometheus text format 0.0.4, for scrapers that do not ask for OpenMetrics.
    pub fn render_prometheus_text(&self) -> Result<String, std::fmt::Error> {
        Ok(openmetrics_to_prometheus_text(&self.render()?))
    }
}

/// The content type of [`Metrics::render`].
pub const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The content type of [`Metrics::render_prometheus_text`].
pub const PROMETHEUS_TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Rewrites the OpenMetrics text of our registry as Prometheus text 0.0.4. The two differ, for
/// what we export, in three points: a counter family is named without `_total` in OpenMetrics
/// (its samples carry the suffix) but with it in 0.0.4, where `# HELP`/`# TYPE` must name the
/// samples; `# UNIT` and the closing `# EOF` do not exist in 0.0.4. Samples, labels and
/// histograms are written alike.
fn openmetrics_to_prometheus_text(openmetrics: &str) -> String {
    let counters: std::collections::HashSet<&str> = openmetrics
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let metadata = ["# HELP ", "# TYPE "]
            .into_iter()
            .find_map(|prefix| line.strip_prefix(prefix).map(|rest| (prefix, rest)));
        match metadata {
            Some((prefix, rest)) => {
                let (name, tail) = rest.split_once(' ').unwrap_or((rest, ""));
                let suffix = if counters.contains(name) { "_total" } else { "" };
                out.push_str(&format!("{prefix}{name}{suffix} {tail}"));
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_by_their_samples_in_prometheus_text() {
        let metrics = Metrics::new();
        metrics.db_statements.inc();
        let text = metrics.render_prometheus_text().expect("render");
        assert!(text.contains("# TYPE dkbm_db_statements_total counter\n"), "{text}");
        assert!(
            text.contains("# HELP dkbm_db_statements_total SQL statements executed"),
            "{text}"
        );
        assert!(text.contains("\ndkbm_db_statements_total 1\n"), "{text}");
        assert!(text.contains("# TYPE dkbm_db_pool_connections gauge\n"), "{text}");
        assert!(!text.contains("# EOF"), "{text}");
    }
}

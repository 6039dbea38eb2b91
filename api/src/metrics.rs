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
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
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
        let db_statements = Counter::default();
        registry.register("db_statements", "SQL statements executed", db_statements.clone());
        let db_statement_errors = Counter::default();
        registry.register(
            "db_statement_errors",
            "SQL statements that failed",
            db_statement_errors.clone(),
        );
        let db_statement_duration = Histogram::new(exponential_buckets(0.0001, 2.0, 16));
        registry.register(
            "db_statement_duration_seconds",
            "SQL statement latency",
            db_statement_duration.clone(),
        );
        let db_pool_size = Gauge::default();
        registry.register("db_pool_connections", "Open database connections", db_pool_size.clone());
        let db_pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            db_pool_idle.clone(),
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
        }
    }

    /// Counts one GraphQL error by its code.
    pub fn count_error(&self, code: &str) {
        self.graphql_errors
            .get_or_create(&ErrorLabels { code: code.to_owned() })
            .inc();
    }

    /// The text exposition format for `GET /metrics`.
    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

//! Structured logs with `tracing`: human-readable by default, JSON lines with `--log-json`; and
//! OpenTelemetry traces when the environment asks for them ([`crate::telemetry`]).

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::Registry;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Installs the global log subscriber (once per process; later calls are ignored). The log
/// filter applies to the log lines only; traces take this crate's spans down to DEBUG.
pub fn init(filter: &str, json: bool) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let log: Box<dyn Layer<Registry> + Send + Sync> = if json {
        tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_target(false)
            .with_filter(filter)
            .boxed()
    } else {
        tracing_subscriber::fmt::layer()
            .with_target(false)
            .with_filter(filter)
            .boxed()
    };
    let mut layers = vec![log];
    layers.extend(crate::telemetry::layer());
    let _ = tracing_subscriber::registry().with(layers).try_init();
}

//! OpenTelemetry traces over OTLP (HTTP/protobuf), on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, configured by the standard variables
//! (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_BSP_*`) as the SDK reads them.
//!
//! The spans: the HTTP request (its parent taken from the W3C `traceparent` header), the GraphQL
//! operation (name, type, complexity), each SQL statement (its text with placeholders, never
//! values, as `db.query.text`), each outbox delivery, each WebSocket subscription. The request's
//! span carries `trace_id` beside `request_id`, so every log line of the request names both
//! (from `traceparent` also when tracing is off).
//!
//! Off, nothing of this runs: the operation and delivery spans are at DEBUG level, which the
//! log filter leaves disabled, and no statement span is built.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use axum::http::HeaderMap;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{Span as _, SpanKind, TraceContextExt, Tracer as _, TracerProvider as _};
use opentelemetry::{Context, KeyValue};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracerProvider, Tracer};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::registry::Registry;

/// The tracer, once tracing is on.
static TRACING: OnceLock<(SdkTracerProvider, Tracer)> = OnceLock::new();

/// The name of the spans' instrumentation scope.
const SCOPE: &str = "dkbm-hub";

/// Whether traces are exported.
pub fn enabled() -> bool {
    TRACING.get().is_some()
}

/// Whether the environment asks for traces.
fn configured() -> bool {
    ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|value| !value.trim().is_empty()))
}

/// The layer that turns this crate's spans into OpenTelemetry spans, if the environment asks
/// for traces (and the exporter can be built; else a warning on standard error).
pub fn layer() -> Option<Box<dyn Layer<Registry> + Send + Sync>> {
    if !configured() {
        return None;
    }
    let exporter = match opentelemetry_otlp::SpanExporter::builder().with_http().build() {
        Ok(exporter) => exporter,
        Err(error) => {
            eprintln!("OpenTelemetry traces are off: {error}");
            return None;
        }
    };
    let provider = SdkTracerProvider::builder().with_batch_exporter(exporter).build();
    let tracer = provider.tracer(SCOPE);
    let layer = tracing_opentelemetry::layer().with_tracer(tracer.clone()).with_filter(
        Targets::new()
            .with_target("dkbm_hub", tracing::Level::DEBUG)
            // Statements are spans of their own (`record_statement`), not events.
            .with_target("dkbm_hub::sql", tracing::level_filters::LevelFilter::OFF),
    );
    let _ = TRACING.set((provider, tracer));
    Some(Box::new(layer))
}

/// Sends the spans still buffered (at exit).
pub fn flush() {
    if let Some((provider, _)) = TRACING.get()
        && let Err(error) = provider.shutdown()
    {
        tracing::warn!(%error, "sending the last traces failed");
    }
}

/// Header access for the W3C propagator.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|value| value.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(axum::http::HeaderName::as_str).collect()
    }
}

/// Makes `span` (a request's) a child of the trace the request's `traceparent` names, and
/// records its trace id in the span's `trace_id` field.
pub fn adopt_request(span: &tracing::Span, headers: &HeaderMap) {
    let parent = TraceContextPropagator::new().extract(&Headers(headers));
    if enabled() {
        let _ = span.set_parent(parent);
        let trace_id = span.context().span().span_context().trace_id();
        span.record("trace_id", tracing::field::display(trace_id));
    } else {
        let remote = parent.span().span_context().clone();
        if remote.is_valid() {
            span.record("trace_id", tracing::field::display(remote.trace_id()));
        }
    }
}

/// The W3C `traceparent` of `span`, for an outgoing request (a webhook delivery) that continues
/// its trace; none while tracing is off.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    if !enabled() {
        return None;
    }
    let mut headers = std::collections::HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut headers);
    headers.remove("traceparent")
}

/// Names `span`'s OpenTelemetry span `name` (`otel.name` only applies before the span started,
/// and a statement inside starts it).
pub fn rename(span: &tracing::Span, name: String) {
    if enabled() {
        span.context().span().update_name(name);
    }
}

/// Records one SQL statement that ran in the current span for `elapsed`, as a client span with
/// its text (placeholders, no values).
pub fn record_statement(system: &'static str, sql: &str, elapsed: Duration, failed: bool) {
    let Some((_, tracer)) = TRACING.get() else { return };
    let parent: Context = tracing::Span::current().context();
    if !parent.span().span_context().is_valid() {
        return;
    }
    let end = SystemTime::now();
    let operation = sql.split_whitespace().next().unwrap_or("SQL").to_ascii_uppercase();
    let mut span = tracer
        .span_builder(operation)
        .with_kind(SpanKind::Client)
        .with_start_time(end.checked_sub(elapsed).unwrap_or(end))
        .with_attributes([
            KeyValue::new("db.system.name", system),
            KeyValue::new("db.query.text", sql.to_owned()),
        ])
        .start_with_context(tracer, &parent);
    if failed {
        span.set_status(opentelemetry::trace::Status::error("the statement failed"));
    }
    span.end_with_timestamp(end);
}

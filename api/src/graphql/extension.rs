//! The one schema extension: limits after parsing, error codes and metrics for every response,
//! the request id on internal errors. One extension, not one per concern: async-graphql wraps
//! every field's resolution in every extension, so each costs allocations on every field.

use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest, NextRequest,
    NextSubscribe, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};
use futures::StreamExt;
use futures::stream::BoxStream;

use super::document::Analysis;
use super::errors::{RequestId, attach_request_id, parse_failed, report, translate, validation_failed};
use super::limits::LimitValues;
use crate::messages::Locale;
use crate::metrics::Metrics;

/// Whether [`GuardExtension`] hooks into the resolution of fields. It does not: the direct
/// objects and lists (`direct.rs`) then resolve fields and list items without asking it,
/// as async-graphql does in a schema without extensions. Set this to `true` when adding a
/// `resolve` hook.
pub const HOOKS_RESOLVE: bool = false;

/// How many bytes of query text the parsed documents kept for reuse may stand for.
const PARSED_DOCUMENTS_BYTES: u64 = 4 << 20;

/// A document as parsed, with what the one walk over it found.
struct Parsed {
    document: ExecutableDocument,
    analysis: Analysis,
    /// What it weighs in the cache: four times its text's length, a bound of what its syntax
    /// tree and analysis hold.
    weight: u32,
}

/// Documents parsed (and walked) before, by the SHA-256 of their text (the text itself is not
/// kept: a megabyte of comments would be held once more per document): front-ends send the
/// same few queries again and again, and parsing one cost more than all the checks after it.
type ParsedDocuments = moka::sync::Cache<[u8; 32], Arc<Parsed>>;

/// A document's key in [`ParsedDocuments`].
fn digest(query: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(query.as_bytes()).into()
}

/// Factory of [`GuardExtension`], one per request.
pub struct Guard {
    limits: Arc<LimitValues>,
    metrics: Arc<Metrics>,
    parsed: ParsedDocuments,
}

impl Guard {
    pub fn new(limits: LimitValues, metrics: Arc<Metrics>) -> Self {
        Guard {
            limits: Arc::new(limits),
            metrics,
            parsed: moka::sync::Cache::builder()
                .max_capacity(PARSED_DOCUMENTS_BYTES)
                .weigher(|_, parsed: &Arc<Parsed>| parsed.weight)
                .build(),
        }
    }
}

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardExtension {
            limits: self.limits.clone(),
            metrics: self.metrics.clone(),
            parsed: self.parsed.clone(),
            document: Arc::default(),
            asked: Arc::default(),
        })
    }
}

/// The request's parsed document, kept to put the response into the requested field order.
type ParsedDocument = Arc<Mutex<Option<Arc<Parsed>>>>;

/// What the request brought that the responses need: its id and language. Taken from the
/// request's data when it is prepared, because a stream's hooks never see that data.
#[derive(Default, Clone)]
struct Asked {
    request_id: String,
    locale: Locale,
}

struct GuardExtension {
    limits: Arc<LimitValues>,
    metrics: Arc<Metrics>,
    parsed: ParsedDocuments,
    document: ParsedDocument,
    asked: Arc<Mutex<Asked>>,
}

impl GuardExtension {
    fn asked(&self) -> Asked {
        self.asked.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// Request data of type `T`, if the request carries it.
fn request_data<T: Clone + Send + Sync + 'static>(request: &Request) -> Option<T> {
    request
        .data
        .get(&std::any::TypeId::of::<T>())
        .and_then(|data| data.downcast_ref::<T>())
        .cloned()
}

/// Puts the response's data into the order the document asked for (see `field_order`).
fn in_requested_order(response: &mut Response, document: &ParsedDocument, operation_name: Option<&str>) {
    let parsed = document.lock().unwrap_or_else(PoisonError::into_inner).clone();
    if let Some(plan) = parsed
        .as_ref()
        .and_then(|parsed| parsed.analysis.operation(operation_name))
    {
        plan.order.reorder(&mut response.data);
    }
}

/// Names the current (operation) span after the operation the request executes.
fn name_operation_span(document: &ParsedDocument, operation_name: Option<&str>) {
    let span = tracing::Span::current();
    if span.is_disabled() {
        return;
    }
    let parsed = document.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let kind = parsed.as_ref().and_then(|parsed| {
        parsed
            .document
            .operations
            .iter()
            .find(|(name, _)| operation_name.is_none() || name.map(|name| name.as_str()) == operation_name)
            .map(|(_, operation)| operation.node.ty.to_string())
    });
    let kind = kind.unwrap_or_else(|| "query".to_owned());
    span.record("graphql.operation.type", kind.as_str());
    if let Some(name) = operation_name {
        span.record("graphql.operation.name", name);
    }
    let otel_name = operation_name.map_or_else(|| kind.clone(), |name| format!("{kind} {name}"));
    crate::telemetry::rename(&span, otel_name);
}

#[async_trait::async_trait]
impl Extension for GuardExtension {
    /// Every error of the request (also parse and validation errors) gets a code and is counted.
    /// The request runs in the operation's span (traces; its fields are filled in on the way).
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        use tracing::Instrument;
        let span = tracing::debug_span!(
            "graphql.operation",
            graphql.operation.name = tracing::field::Empty,
            graphql.operation.type = tracing::field::Empty,
            graphql.document.complexity = tracing::field::Empty,
            graphql.document.depth = tracing::field::Empty,
        );
        let mut response = next.run(ctx).instrument(span).await;
        report(&mut response, &self.metrics);
        translate(&mut response, self.asked().locale);
        response
    }

    /// Keeps the request's id and language for the responses.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let asked = Asked {
            request_id: request_data::<RequestId>(&request).map(|id| id.0).unwrap_or_default(),
            locale: request_data::<Locale>(&request).unwrap_or_default(),
        };
        *self.asked.lock().unwrap_or_else(PoisonError::into_inner) = asked;
        next.run(ctx, request).await
    }

    /// Streams (WebSocket operations) do not pass `request`: their responses get the same treatment.
    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        let metrics = self.metrics.clone();
        let document = self.document.clone();
        // Read when a response comes: the request is prepared after this hook ran.
        let asked = self.asked.clone();
        next.run(ctx, stream)
            .map(move |mut response| {
                let asked = asked.lock().unwrap_or_else(PoisonError::into_inner).clone();
                in_requested_order(&mut response, &document, None);
                report(&mut response, &metrics);
                attach_request_id(&mut response, &asked.request_id);
                translate(&mut response, asked.locale);
                response
            })
            .boxed()
    }

    /// The document, parsed and walked once per text ([`Analysis`]), then (every time: they
    /// depend on the variables) Int values within 32 bits (a validation rule the engine leaves to
    /// execution), the limits and the rule for control characters in text, before validation
    /// and execution.
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let registry = &ctx.schema_env.registry;
        let key = digest(query);
        let parsed = match self.parsed.get(&key) {
            Some(parsed) => parsed,
            None => {
                let document = next.run(ctx, query, variables).await.map_err(parse_failed)?;
                let analysis = Analysis::of(&document, registry, &self.limits);
                let weight = u32::try_from(query.len()).unwrap_or(u32::MAX).saturating_mul(4);
                let parsed = Arc::new(Parsed {
                    document,
                    analysis,
                    weight,
                });
                self.parsed.insert(key, parsed.clone());
                // Evictions are applied now, not when the cache is next used (which, when
                // traffic stops, is never): it holds what it may, also when idle.
                self.parsed.run_pending_tasks();
                parsed
            }
        };
        parsed.analysis.verdict(variables, registry, &self.limits)?;
        let document = parsed.document.clone();
        *self.document.lock().unwrap_or_else(PoisonError::into_inner) = Some(parsed);
        Ok(document)
    }

    /// Errors of validation get their code and name the variable they are about.
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let parsed = self.document.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let validated = next.run(ctx).await;
        if let Ok(result) = &validated {
            let span = tracing::Span::current();
            span.record("graphql.document.complexity", result.complexity);
            span.record("graphql.document.depth", result.depth);
        }
        validated.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| validation_failed(error, parsed.as_ref().map(|parsed| &parsed.analysis)))
                .collect()
        })
    }

    /// Internal errors (which only execution raises) show the request id; the request's data
    /// is at hand here, not yet in `request`.
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        name_operation_span(&self.document, operation_name);
        let mut response = next.run(ctx, operation_name).await;
        in_requested_order(&mut response, &self.document, operation_name);
        let request_id = ctx.data_opt::<RequestId>().map(|id| id.0.as_str()).unwrap_or_default();
        attach_request_id(&mut response, request_id);
        response
    }
}

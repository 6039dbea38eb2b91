//! The one schema extension: limits after parsing, error codes and metrics for every response,
//! the request id on internal errors. One extension, not one per concern: async-graphql wraps
//! every field's resolution in every extension, so each costs allocations on every field.

use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest, NextSubscribe,
    NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};
use futures::StreamExt;
use futures::stream::BoxStream;

use super::errors::{RequestId, attach_request_id, parse_failed, report, validation_failed};
use super::field_order;
use super::limits::{LimitValues, check};
use crate::metrics::Metrics;

/// Factory of [`GuardExtension`], one per request.
pub struct Guard {
    limits: Arc<LimitValues>,
    metrics: Arc<Metrics>,
}

impl Guard {
    pub fn new(limits: LimitValues, metrics: Arc<Metrics>) -> Self {
        Guard {
            limits: Arc::new(limits),
            metrics,
        }
    }
}

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(GuardExtension {
            limits: self.limits.clone(),
            metrics: self.metrics.clone(),
            document: Arc::default(),
        })
    }
}

/// The request's parsed document, kept to put the response into the requested field order.
type ParsedDocument = Arc<Mutex<Option<Arc<ExecutableDocument>>>>;

struct GuardExtension {
    limits: Arc<LimitValues>,
    metrics: Arc<Metrics>,
    document: ParsedDocument,
}

/// Puts the response's data into the order the document asked for (see [`field_order`]).
fn in_requested_order(response: &mut Response, document: &ParsedDocument, operation_name: Option<&str>) {
    let document = document.lock().unwrap_or_else(PoisonError::into_inner).clone();
    if let Some(document) = document {
        field_order::reorder(&mut response.data, &document, operation_name);
    }
}

#[async_trait::async_trait]
impl Extension for GuardExtension {
    /// Every error of the request (also parse and validation errors) gets a code and is counted.
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        report(&mut response, &self.metrics);
        response
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
        let request_id = ctx.data_opt::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
        next.run(ctx, stream)
            .map(move |mut response| {
                in_requested_order(&mut response, &document, None);
                report(&mut response, &metrics);
                attach_request_id(&mut response, &request_id);
                response
            })
            .boxed()
    }

    /// The limits and the rule for control characters in text, before validation and execution.
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await.map_err(parse_failed)?;
        check(&document, variables, &self.limits)?;
        super::text_input::check(&document, variables)?;
        *self.document.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(document.clone()));
        Ok(document)
    }

    /// Errors of validation get their code and name the variable they are about.
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let document = self.document.lock().unwrap_or_else(PoisonError::into_inner).clone();
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| validation_failed(error, document.as_deref()))
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
        let mut response = next.run(ctx, operation_name).await;
        in_requested_order(&mut response, &self.document, operation_name);
        let request_id = ctx.data_opt::<RequestId>().map(|id| id.0.as_str()).unwrap_or_default();
        attach_request_id(&mut response, request_id);
        response
    }
}

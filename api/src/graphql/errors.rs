//! Error reporting for every response: each error gets an `extensions.code` (errors raised by
//! the GraphQL engine itself — parse, validation, argument coercion — become BAD_USER_INPUT),
//! is counted in the metrics by code, and internal errors show the request id instead of detail.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextRequest};
use async_graphql::{Response, ServerError, Value};

use crate::metrics::Metrics;

/// The id of the HTTP request (or WebSocket connection) an operation belongs to.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Extension factory for [`ErrorReportingExtension`].
pub struct ErrorReporting {
    metrics: Arc<Metrics>,
}

impl ErrorReporting {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        ErrorReporting { metrics }
    }
}

impl ExtensionFactory for ErrorReporting {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorReportingExtension {
            metrics: self.metrics.clone(),
        })
    }
}

struct ErrorReportingExtension {
    metrics: Arc<Metrics>,
}

/// Gives an error without code the code BAD_USER_INPUT (the engine rejected the document,
/// the variables or an argument), and returns its code.
pub fn ensure_code(error: &mut ServerError) -> String {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if let Some(Value::String(code)) = extensions.get("code") {
        return code.clone();
    }
    extensions.set("code", "BAD_USER_INPUT");
    if extensions.get("field").is_none() {
        let field = if error.message.contains("variable") {
            "variables"
        } else {
            "query"
        };
        extensions.set("field", field);
    }
    "BAD_USER_INPUT".to_owned()
}

#[async_trait::async_trait]
impl Extension for ErrorReportingExtension {
    /// Every error of the request (also parse and validation errors) gets a code and is counted.
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            let code = ensure_code(error);
            self.metrics.count_error(&code);
        }
        response
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
        let request_id = ctx.data_opt::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
        for error in &mut response.errors {
            let Some(extensions) = &mut error.extensions else {
                continue;
            };
            if extensions.get("code") == Some(&Value::String("INTERNAL_SERVER_ERROR".into())) {
                extensions.set("requestId", request_id.as_str());
                error.message = format!("internal server error (request id {request_id})");
            }
        }
        response
    }
}

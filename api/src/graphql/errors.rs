//! Error reporting for every response (applied by [`super::extension::Guard`]): each error gets
//! an `extensions.code` (errors raised by the GraphQL engine itself — parse, validation,
//! argument coercion — become BAD_USER_INPUT), is counted in the metrics by code, and internal
//! errors show the request id instead of detail.

use async_graphql::{Response, ServerError, Value};

use crate::metrics::Metrics;

/// The id of the HTTP request (or WebSocket connection) an operation belongs to.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Gives an error without code the code BAD_USER_INPUT (the engine rejected the document,
/// the variables or an argument), and returns its code.
pub fn ensure_code(error: &mut ServerError) -> String {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if let Some(Value::String(code)) = extensions.get("code") {
        return code.clone();
    }
    extensions.set("code", "BAD_USER_INPUT");
    if extensions.get("field").is_none() {
        let field = if error.message.to_lowercase().contains("variable") {
            "variables"
        } else {
            "query"
        };
        extensions.set("field", field);
    }
    "BAD_USER_INPUT".to_owned()
}

/// Counts the errors of a response by code, giving engine errors their code first.
pub fn report(response: &mut Response, metrics: &Metrics) {
    for error in &mut response.errors {
        let code = ensure_code(error);
        metrics.count_error(&code);
    }
}

/// Replaces the message of internal errors by the request id (their detail is in the log).
pub fn attach_request_id(response: &mut Response, request_id: &str) {
    for error in &mut response.errors {
        let Some(extensions) = &mut error.extensions else {
            continue;
        };
        if extensions.get("code") == Some(&Value::String("INTERNAL_SERVER_ERROR".into())) {
            extensions.set("requestId", request_id);
            error.message = format!("internal server error (request id {request_id})");
        }
    }
}

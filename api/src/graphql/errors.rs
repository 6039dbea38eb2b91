//! Error reporting for every response (applied by [`super::extension::Guard`]): each error gets
//! an `extensions.code` (a document that does not parse is GRAPHQL_PARSE_FAILED, one the schema
//! refuses GRAPHQL_VALIDATION_FAILED, other errors of the engine itself — argument coercion —
//! BAD_USER_INPUT), is counted in the metrics by code, and internal errors show the request id
//! instead of detail.

use async_graphql::{Response, ServerError, Value};

use super::document::Analysis;
use crate::messages::{Locale, Message};
use crate::metrics::Metrics;

/// The id of the HTTP request (or WebSocket connection) an operation belongs to.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The network address of the client an operation came from (for throttles per client), if known.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl ClientAddress {
    /// The address of the connection the server recorded.
    pub fn of(connection: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>) -> Self {
        ClientAddress(connection.map(|axum::Extension(axum::extract::ConnectInfo(remote))| remote.ip()))
    }
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
        let field = match variable_named(&error.message) {
            Some(name) => format!("variables.{name}"),
            None if error.message.to_lowercase().contains("variable") => "variables".to_owned(),
            None => "query".to_owned(),
        };
        extensions.set("field", field);
    }
    "BAD_USER_INPUT".to_owned()
}

/// A document that does not parse: GRAPHQL_PARSE_FAILED (the code Apollo clients expect) on
/// `query`, with a message of one line.
pub fn parse_failed(mut error: ServerError) -> ServerError {
    error.message = error.message.split_whitespace().collect::<Vec<_>>().join(" ");
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", "GRAPHQL_PARSE_FAILED");
    extensions.set("field", "query");
    error
}

/// A document the schema refuses: GRAPHQL_VALIDATION_FAILED, on the variable it is about
/// (`variables.first`: named in the message, or passed to the argument the error points at), or
/// else on `query`.
pub fn validation_failed(mut error: ServerError, analysis: Option<&Analysis>) -> ServerError {
    let variable = variable_named(&error.message)
        .map(str::to_owned)
        .or_else(|| analysis.and_then(|analysis| analysis.variable_at(error.locations.first()?)));
    let field = variable.map_or_else(|| "query".to_owned(), |name| format!("variables.{name}"));
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", "GRAPHQL_VALIDATION_FAILED");
        extensions.set("field", field);
    }
    error
}

/// The variable an engine message is about (`Variable "$first" …`, `Variable first is not
/// defined.`).
fn variable_named(message: &str) -> Option<&str> {
    let (start, end) = match message.find("\"$") {
        Some(quote) => (quote + 2, '"'),
        None => (message.strip_prefix("Variable ").map(|_| "Variable ".len())?, ' '),
    };
    let length = message[start..].find(end)?;
    Some(&message[start..start + length]).filter(|name| !name.is_empty())
}

/// Counts the errors of a response by code, giving engine errors their code first.
pub fn report(response: &mut Response, metrics: &Metrics) {
    for error in &mut response.errors {
        let code = ensure_code(error);
        metrics.count_error(&code);
    }
}

/// Renders the errors that carry a catalogue message (see `AppError`'s conversion) in `locale`.
pub fn translate(response: &mut Response, locale: Locale) {
    if locale == Locale::En {
        return;
    }
    for error in &mut response.errors {
        if let Some(message) = error.source::<Message>() {
            error.message = message.render(locale);
        }
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

#[cfg(test)]
mod tests {
    use super::variable_named;

    #[test]
    fn the_variable_of_an_engine_message_is_found_in_both_forms() {
        assert_eq!(
            variable_named("Variable \"$first\" of required type \"Int!\" was not provided."),
            Some("first")
        );
        assert_eq!(variable_named("Variable n is not defined."), Some("n"));
        assert_eq!(variable_named("Unknown field \"x\" on type \"Query\"."), None);
    }
}

//! Reading a GraphQL-over-HTTP request: the request object (`query`, `operationName`,
//! `variables`, `extensions`), a POST body holding one or a batch of them, and the operation
//! type a document would run (GET may not run mutations).

use async_graphql::Variables;
use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use serde_json::{Map, Value};

/// Parses one GraphQL-over-HTTP request object: `query` (a string, required unless the
/// extensions name a persisted query), `operationName`,
/// `variables` and `extensions` (each absent, null or of the right type).
pub(super) fn parse_params(object: Map<String, Value>) -> Result<async_graphql::Request, (&'static str, String)> {
    let query = match object.get("query") {
        Some(Value::String(query)) => query.clone(),
        Some(_) => return Err(("query", "query must be a string".into())),
        // A persisted query's document is looked up by its hash (`persisted`).
        None if has_persisted_query(&object) => String::new(),
        None => return Err(("query", "the request has no query".into())),
    };
    let mut request = async_graphql::Request::new(query);
    match object.get("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name.clone()),
        Some(_) => {
            return Err(("operationName", "operationName must be a string or null".into()));
        }
    }
    match object.get("variables") {
        None | Some(Value::Null) => {}
        Some(variables @ Value::Object(_)) => request = request.variables(Variables::from_json(variables.clone())),
        Some(_) => return Err(("variables", "variables must be an object or null".into())),
    }
    match object.get("extensions") {
        None | Some(Value::Null) => {}
        Some(Value::Object(extensions)) => {
            for (key, value) in extensions {
                if let Ok(value) = async_graphql::Value::from_json(value.clone()) {
                    request.extensions.insert(key.clone(), value);
                }
            }
        }
        Some(_) => return Err(("extensions", "extensions must be an object or null".into())),
    }
    Ok(request)
}

fn has_persisted_query(object: &Map<String, Value>) -> bool {
    matches!(object.get("extensions"), Some(Value::Object(extensions)) if extensions.contains_key("persistedQuery"))
}

/// Parses a POST body: a JSON request object, or an array of 1 to `max_batch` of them (a
/// batch). Answers the requests and whether they came as a batch, or the field at fault and why.
pub(super) fn parse_body(
    body: &[u8],
    max_batch: usize,
) -> Result<(Vec<async_graphql::Request>, bool), (&'static str, String)> {
    let parsed: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Err(("body", format!("the body is not valid JSON: {error}"))),
    };
    let (objects, is_batch) = match parsed {
        Value::Object(object) => (vec![object], false),
        Value::Array(items) => {
            if items.is_empty() || items.len() > max_batch {
                return Err((
                    "body",
                    format!("a batch holds 1 to {max_batch} operations (maxBatchOperations)"),
                ));
            }
            let mut objects = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Object(object) => objects.push(object),
                    _ => return Err(("body", "every operation of a batch must be a JSON object".into())),
                }
            }
            (objects, true)
        }
        _ => return Err(("body", "the body must be a JSON object (or an array of them)".into())),
    };
    let requests = objects.into_iter().map(parse_params).collect::<Result<_, _>>()?;
    Ok((requests, is_batch))
}

/// The type of the operation a request runs, and whether it reads data: an operation that
/// selects only introspection (`__typename`, `__schema`, `__type`) answers the same whatever is
/// stored. `None` when the document does not parse or the operation is not determined.
pub(super) fn operation(query: &str, operation_name: Option<&str>) -> Option<(OperationType, bool)> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name)?,
        // One named operation and no operationName: that operation runs.
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations.values().next()?,
        (DocumentOperations::Multiple(_), None) => return None,
    };
    let reads_data = operation
        .node
        .selection_set
        .node
        .items
        .iter()
        .any(|item| match &item.node {
            Selection::Field(field) => !field.node.name.node.starts_with("__"),
            Selection::FragmentSpread(_) | Selection::InlineFragment(_) => true,
        });
    Some((operation.node.ty, reads_data))
}

/// The type of the operation a request runs (`None` when the document does not parse or the
/// operation is not determined).
pub(super) fn operation_type(query: &str, operation_name: Option<&str>) -> Option<OperationType> {
    operation(query, operation_name).map(|(ty, _)| ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_introspection_reads_no_data() {
        assert_eq!(operation("{ __typename }", None), Some((OperationType::Query, false)));
        assert_eq!(
            operation("{ __schema { types { name } } t: __typename }", None),
            Some((OperationType::Query, false))
        );
        assert_eq!(
            operation("{ __typename agencies { totalCount } }", None),
            Some((OperationType::Query, true))
        );
        assert_eq!(
            operation("{ ...F } fragment F on Query { __typename }", None),
            Some((OperationType::Query, true))
        );
    }

    #[test]
    fn mutations_are_recognised_before_execution() {
        assert_eq!(operation_type("mutation { a }", None), Some(OperationType::Mutation));
        assert_eq!(operation_type("mutation M { a }", None), Some(OperationType::Mutation));
        assert_eq!(
            operation_type("query Q { a } mutation M { a }", Some("M")),
            Some(OperationType::Mutation)
        );
        assert_eq!(
            operation_type("query Q { a } mutation M { a }", Some("Q")),
            Some(OperationType::Query)
        );
        assert_eq!(operation_type("{ a }", None), Some(OperationType::Query));
    }
}

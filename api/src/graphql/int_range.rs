//! Int literals beyond 32 bits are refused in validation. GraphQL's `Int` is a signed 32-bit
//! integer, but async-graphql's validation only asks whether a literal is an integer at all and
//! leaves the range to the resolver's argument coercion, which fails during execution as bad
//! input. A document such as `goodPractices(first: 99999999999)` is wrong as written, so it is
//! GRAPHQL_VALIDATION_FAILED like any other document the schema refuses, naming the argument
//! (`first`, `input.capacity`, `ids.2`). A variable's value beyond 32 bits is refused alike,
//! naming the variable (`variables.n`).
//!
//! Runs right after parsing, before the limits (which would count such a `first` as the
//! query's complexity) and before the engine's validation: fields and arguments the schema does
//! not know, and values of the wrong shape, are skipped here and left to that validation.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{ErrorExtensions, Pos, ServerError, ServerResult, Value, Variables};

use crate::messages::{Message, MessageKey};

/// Refuses a document with an Int literal, or a variable with an Int value, outside the 32-bit
/// range (GRAPHQL_VALIDATION_FAILED).
pub fn check(document: &ExecutableDocument, variables: &Variables, registry: &Registry) -> ServerResult<()> {
    let operations: Vec<&OperationDefinition> = match &document.operations {
        DocumentOperations::Single(operation) => vec![&operation.node],
        DocumentOperations::Multiple(map) => map.values().map(|operation| &operation.node).collect(),
    };
    check_variables(&operations, variables, registry)?;
    let root = |kind: OperationType| match kind {
        OperationType::Query => Some(registry.query_type.as_str()),
        OperationType::Mutation => registry.mutation_type.as_deref(),
        OperationType::Subscription => registry.subscription_type.as_deref(),
    };
    let mut sets: Vec<(&SelectionSet, &str)> = operations
        .iter()
        .filter_map(|operation| Some((&operation.selection_set.node, root(operation.ty)?)))
        .collect();
    for fragment in document.fragments.values() {
        let on = fragment.node.type_condition.node.on.node.as_str();
        sets.push((&fragment.node.selection_set.node, on));
    }
    while let Some((set, parent)) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let Some(meta) = registry
                        .types
                        .get(parent)
                        .and_then(|ty| ty.field_by_name(&field.node.name.node))
                    else {
                        continue;
                    };
                    for (name, value) in &field.node.arguments {
                        // Literals only: a variable stands in as null (its value is coerced by
                        // the engine).
                        let literal = value
                            .node
                            .clone()
                            .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null));
                        if let Some(argument) = meta.args.get(name.node.as_str())
                            && let Ok(literal) = literal
                            && let Some((path, number)) =
                                out_of_range(registry, &argument.ty, &literal, name.node.to_string())
                        {
                            return Err(error(path, &number, name.pos));
                        }
                    }
                    let child = MetaTypeName::concrete_typename(&meta.ty);
                    sets.push((&field.node.selection_set.node, child));
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref();
                    let ty = on.map_or(parent, |condition| condition.node.on.node.as_str());
                    sets.push((&fragment.node.selection_set.node, ty));
                }
                // Fragments are walked once, as definitions.
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    Ok(())
}

/// Variables are named as `variables.NAME` (and the path inside), like the engine's errors about
/// them. Checked against the variables' declared types in every operation of the document (the
/// one to run is not known yet; two operations that declare one name with different types are
/// not worth the doubt).
fn check_variables(
    operations: &[&OperationDefinition],
    variables: &Variables,
    registry: &Registry,
) -> ServerResult<()> {
    for definition in operations.iter().flat_map(|operation| &operation.variable_definitions) {
        let name = &definition.node.name.node;
        let Some(value) = variables.get(name) else {
            continue;
        };
        let ty = definition.node.var_type.node.to_string();
        if let Some((path, number)) = out_of_range(registry, &ty, value, format!("variables.{name}")) {
            return Err(error(path, &number, definition.pos));
        }
    }
    Ok(())
}

/// The path and text of the first Int literal in `value` (of input type `ty`) outside 32 bits.
fn out_of_range(registry: &Registry, ty: &str, value: &Value, path: String) -> Option<(String, String)> {
    match MetaTypeName::create(ty) {
        MetaTypeName::NonNull(inner) => out_of_range(registry, inner, value, path),
        MetaTypeName::List(inner) => match value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .find_map(|(index, item)| out_of_range(registry, inner, item, format!("{path}.{index}"))),
            // A single value where a list is expected is a list of one.
            single => out_of_range(registry, inner, single, path),
        },
        MetaTypeName::Named("Int") => match value {
            Value::Number(number) if number.as_i64().and_then(|n| i32::try_from(n).ok()).is_none() => {
                Some((path, number.to_string()))
            }
            _ => None,
        },
        MetaTypeName::Named(name) => match (registry.types.get(name), value) {
            (Some(MetaType::InputObject { input_fields, .. }), Value::Object(fields)) => {
                fields.iter().find_map(|(field, value)| {
                    let meta = input_fields.get(field.as_str())?;
                    out_of_range(registry, &meta.ty, value, format!("{path}.{field}"))
                })
            }
            _ => None,
        },
    }
}

/// The GRAPHQL_VALIDATION_FAILED of one literal, on the argument path.
fn error(path: String, number: &str, at: Pos) -> ServerError {
    let message = Message::new(MessageKey::IntOutOfRange)
        .with("field", &path)
        .with("value", number);
    let mut error = async_graphql::Error::new(message.to_string()).extend_with(|_, extensions| {
        extensions.set("code", "GRAPHQL_VALIDATION_FAILED");
        extensions.set("field", path);
    });
    error.source = Some(std::sync::Arc::new(message));
    error.into_server_error(at)
}

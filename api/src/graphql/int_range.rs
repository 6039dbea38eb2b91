//! Int literals beyond 32 bits are refused in validation. GraphQL's `Int` is a signed 32-bit
//! integer, but async-graphql's validation only asks whether a literal is an integer at all and
//! leaves the range to the resolver's argument coercion, which fails during execution as bad
//! input. A document such as `goodPractices(first: 99999999999)` is wrong as written, so it is
//! GRAPHQL_VALIDATION_FAILED like any other document the schema refuses, naming the argument
//! (`first`, `input.capacity`, `ids.2`). A variable's value beyond 32 bits is refused alike,
//! naming the variable (`variables.n`).
//!
//! The literals are checked in the one walk over a new document ([`super::document`]), the
//! variables per request; both right after parsing, before the limits (which would count such
//! a `first` as the query's complexity) and before the engine's validation: fields and
//! arguments the schema does not know, and values of the wrong shape, are skipped here and left
//! to that validation.

use async_graphql::registry::{MetaType, MetaTypeName, Registry};
use async_graphql::{ErrorExtensions, Pos, ServerError, ServerResult, Value, Variables};

use super::document::{Analysis, FieldSite};

use crate::messages::{Message, MessageKey};

/// The error of the first Int literal beyond 32 bits among a field's arguments, if any (a
/// variable stands in as null: its value is checked per request by [`check_variables`]).
pub fn literal_error(registry: &Registry, site: &FieldSite) -> Option<ServerError> {
    site.arguments.iter().find_map(|argument| {
        let ty = argument.ty.as_deref()?;
        let literal = argument
            .value
            .node
            .clone()
            .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null))
            .ok()?;
        let (path, number) = out_of_range(registry, ty, &literal, argument.name.node.to_string())?;
        Some(error(path, &number, argument.name.pos))
    })
}

/// Refuses a request whose variables hold an Int beyond 32 bits (GRAPHQL_VALIDATION_FAILED),
/// naming the variable as `variables.NAME` (and the path inside), like the engine's errors
/// about them. Checked against the variables' declared types in every operation of the
/// document (the one to run is not known yet; two operations that declare one name with
/// different types are not worth the doubt).
pub fn check_variables(analysis: &Analysis, variables: &Variables, registry: &Registry) -> ServerResult<()> {
    for (name, ty, at) in &analysis.variables {
        let Some(value) = variables.get(name) else {
            continue;
        };
        if let Some((path, number)) = out_of_range(registry, ty, value, format!("variables.{name}")) {
            return Err(error(path, &number, *at));
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

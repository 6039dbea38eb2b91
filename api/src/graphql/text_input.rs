//! The rule for control characters in text input, applied at the boundary (right after parsing,
//! before validation or execution, over HTTP and WebSocket alike): a string argument or variable
//! holding NUL or another C0 control character (tab, line feed and carriage return excepted) is
//! BAD_USER_INPUT naming the argument and the path inside it (`slug`, `input.title`,
//! `input.links.0.url`; a variable's value is named by the argument it stands for), and nothing
//! runs. Lookups included: such a value can never name anything stored.
//!
//! One argument is left to its service: the items of `syncGoodPractices`, where each item is
//! answered on its own (a bad item is REJECTED, the others are written), so the sync checks
//! every item's texts itself.

use async_graphql::{ServerError, ServerResult, Value, Variables};

use super::document::{Analysis, ArgumentSite, FieldSite};
use crate::validate::{control_character, has_forbidden_control};

/// Arguments whose texts their service checks item by item: (field, argument).
const CHECKED_PER_ITEM: &[(&str, &str)] = &[("syncGoodPractices", "items")];

/// The error of the first literal text with a forbidden control character among a field's
/// arguments (those naming variables are checked per request by [`check`]).
pub fn literal_error(site: &FieldSite) -> Option<ServerError> {
    let literals = site.arguments.iter().filter(|argument| !argument.has_variables);
    first_forbidden(site, literals, &Variables::default())
}

/// Refuses a request whose variables put a forbidden control character into an argument.
pub fn check(analysis: &Analysis, variables: &Variables) -> ServerResult<()> {
    for site in &analysis.sites {
        let named = site.arguments.iter().filter(|argument| argument.has_variables);
        if let Some(error) = first_forbidden(site, named, variables) {
            return Err(error);
        }
    }
    Ok(())
}

/// The error of the first forbidden text in these arguments of a field.
fn first_forbidden<'a>(
    site: &FieldSite,
    arguments: impl Iterator<Item = &'a ArgumentSite>,
    variables: &Variables,
) -> Option<ServerError> {
    for argument in arguments {
        let per_item = CHECKED_PER_ITEM
            .iter()
            .any(|(field, name)| site.field == *field && argument.name.node == *name);
        if per_item {
            continue;
        }
        // Variables resolved in place, so that the path names the argument.
        let resolved = argument
            .value
            .node
            .clone()
            .into_const_with(|variable| variables.get(&variable).cloned().ok_or(()));
        if let Ok(value) = resolved
            && let Err(path) = const_value(&value, argument.name.node.to_string())
        {
            let error = async_graphql::Error::from(control_character(&path));
            return Some(error.into_server_error(argument.name.pos));
        }
    }
    None
}

/// Err(path) of the first forbidden text inside `value`.
fn const_value(value: &Value, path: String) -> Result<(), String> {
    match value {
        Value::String(text) if has_forbidden_control(text) => Err(path),
        Value::List(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| const_value(item, format!("{path}.{index}"))),
        Value::Object(fields) => fields
            .iter()
            .try_for_each(|(name, field)| const_value(field, format!("{path}.{name}"))),
        _ => Ok(()),
    }
}

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

use async_graphql::parser::types::{ExecutableDocument, Field};
use async_graphql::{ServerResult, Value, Variables};

use crate::validate::{control_character, has_forbidden_control};

/// Arguments whose texts their service checks item by item: (field, argument).
const CHECKED_PER_ITEM: &[(&str, &str)] = &[("syncGoodPractices", "items")];

/// Refuses a document whose arguments carry a forbidden control character.
pub fn check(document: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    for field in super::document::fields(document) {
        if let Err(path) = check_arguments(field, variables) {
            let error = async_graphql::Error::from(control_character(&path));
            return Err(error.into_server_error(Default::default()));
        }
    }
    Ok(())
}

/// Err(path) of the first forbidden text in a field's arguments.
fn check_arguments(field: &Field, variables: &Variables) -> Result<(), String> {
    for (name, value) in &field.arguments {
        let per_item = CHECKED_PER_ITEM
            .iter()
            .any(|(f, a)| field.name.node == *f && name.node == *a);
        if per_item {
            continue;
        }
        // Variables resolved in place, so that the path names the argument.
        let resolved = value
            .node
            .clone()
            .into_const_with(|variable| variables.get(&variable).cloned().ok_or(()));
        if let Ok(value) = resolved {
            const_value(&value, name.node.to_string())?;
        }
    }
    Ok(())
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

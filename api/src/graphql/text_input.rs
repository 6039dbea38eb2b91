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

use std::collections::HashSet;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, ServerResult, Value, Variables};

use crate::validate::{control_character, has_forbidden_control};

/// Arguments whose texts their service checks item by item: (field, argument).
const CHECKED_PER_ITEM: &[(&str, &str)] = &[("syncGoodPractices", "items")];

/// Refuses a document whose arguments carry a forbidden control character.
pub fn check(document: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
    let mut walker = Walker {
        document,
        variables,
        visiting: HashSet::new(),
    };
    let sets: Vec<&SelectionSet> = match &document.operations {
        DocumentOperations::Single(operation) => vec![&operation.node.selection_set.node],
        DocumentOperations::Multiple(map) => map.values().map(|op| &op.node.selection_set.node).collect(),
    };
    for set in sets {
        if let Err(field) = walker.selection_set(set) {
            let error = async_graphql::Error::from(control_character(&field));
            return Err(error.into_server_error(Default::default()));
        }
    }
    Ok(())
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    visiting: HashSet<&'a Name>,
}

impl<'a> Walker<'a> {
    /// Err(path) of the first forbidden text.
    fn selection_set(&mut self, set: &'a SelectionSet) -> Result<(), String> {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    for (name, value) in &field.arguments {
                        let skip = CHECKED_PER_ITEM
                            .iter()
                            .any(|(f, a)| field.name.node == *f && name.node == *a);
                        if skip {
                            continue;
                        }
                        // Variables resolved in place, so that the path names the argument.
                        let resolved = value
                            .node
                            .clone()
                            .into_const_with(|variable| self.variables.get(&variable).cloned().ok_or(()));
                        if let Ok(value) = resolved {
                            const_value(&value, name.node.to_string())?;
                        }
                    }
                    self.selection_set(&field.selection_set.node)?;
                }
                Selection::InlineFragment(fragment) => self.selection_set(&fragment.node.selection_set.node)?,
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if let Some(fragment) = self.document.fragments.get(name)
                        && self.visiting.insert(name)
                    {
                        self.selection_set(&fragment.node.selection_set.node)?;
                        self.visiting.remove(name);
                    }
                }
            }
        }
        Ok(())
    }
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

//! Walking a parsed document: every field it selects, in its operations and its fragment
//! definitions (each once), for the checks that look at arguments.

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, Field, Selection, SelectionSet};

/// Every field of the document's operations and fragment definitions, nested ones included.
pub fn fields(document: &ExecutableDocument) -> Vec<&Field> {
    let mut sets: Vec<&SelectionSet> = match &document.operations {
        DocumentOperations::Single(operation) => vec![&operation.node.selection_set.node],
        DocumentOperations::Multiple(map) => map.values().map(|op| &op.node.selection_set.node).collect(),
    };
    sets.extend(
        document
            .fragments
            .values()
            .map(|fragment| &fragment.node.selection_set.node),
    );
    let mut fields = Vec::new();
    while let Some(set) = sets.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    fields.push(&field.node);
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                // Fragments are walked once, as definitions.
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    fields
}

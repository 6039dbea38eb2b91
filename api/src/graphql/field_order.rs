//! Responses in the order the query asked for the fields (GraphQL spec, "serialized maps keep
//! the requested order"). async-graphql 7.2 resolves the fields of a query in parallel and puts
//! each into the response map when it completes, so a field that waits for the database can
//! land after one asked for later. This puts every object of a response back into the order of
//! its selection set (aliases, fragments and inline fragments included) before it is sent.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Value};

/// How deep fragments may nest while ordering (validation refuses cycles; this only bounds work).
const MAX_FRAGMENT_DEPTH: usize = 32;

/// Reorders `data` as the operation `operation_name` of `document` asked for its fields.
pub fn reorder(data: &mut Value, document: &ExecutableDocument, operation_name: Option<&str>) {
    if let Some(operation) = operation(document, operation_name) {
        order_value(data, &[&operation.selection_set.node], document);
    }
}

fn operation<'a>(document: &'a ExecutableDocument, name: Option<&str>) -> Option<&'a OperationDefinition> {
    match &document.operations {
        DocumentOperations::Single(operation) => Some(&operation.node),
        DocumentOperations::Multiple(operations) => match name {
            Some(name) => operations.get(name).map(|operation| &operation.node),
            None => operations.values().next().map(|operation| &operation.node),
        },
    }
}

/// The response keys an object was asked for, in order, each with the shape of its value: the
/// selection sets of the document resolved once per request, not once per object of a list.
struct Shape<'a> {
    keys: Vec<(&'a Name, Shape<'a>)>,
}

impl<'a> Shape<'a> {
    /// The shape of the objects that `sets` (several where fragments or repeated fields meet)
    /// asked for.
    fn of(sets: &[&'a SelectionSet], document: &'a ExecutableDocument) -> Shape<'a> {
        let mut keys: Keys<'a> = Vec::new();
        for set in sets {
            collect(set, document, &mut keys, 0);
        }
        Shape {
            keys: keys
                .into_iter()
                .map(|(key, subsets)| (key, Shape::of(&subsets, document)))
                .collect(),
        }
    }
}

/// Orders an object (or every object of a list) by the selection sets that asked for it.
fn order_value(value: &mut Value, sets: &[&SelectionSet], document: &ExecutableDocument) {
    if matches!(value, Value::Object(_) | Value::List(_)) {
        order_with(value, &Shape::of(sets, document));
    }
}

/// Response keys in the requested order, each with the selection sets below it.
type Keys<'a> = Vec<(&'a Name, Vec<&'a SelectionSet>)>;

fn order_with(value: &mut Value, shape: &Shape<'_>) {
    if shape.keys.is_empty() {
        return;
    }
    match value {
        Value::Object(map) => order_object(map, shape),
        Value::List(items) => items.iter_mut().for_each(|item| order_with(item, shape)),
        _ => {}
    }
}

fn order_object(map: &mut IndexMap<Name, Value>, shape: &Shape<'_>) {
    // Fields mostly come in the order they were asked for: then nothing moves.
    let in_order = map.len() == shape.keys.len() && map.keys().zip(&shape.keys).all(|(have, (want, _))| have == *want);
    if !in_order {
        let mut ordered = IndexMap::with_capacity(map.len());
        for (key, _) in &shape.keys {
            if let Some(value) = map.shift_remove(*key) {
                ordered.insert((*key).clone(), value);
            }
        }
        // Anything the selection did not name (there should be nothing) keeps its place at the end.
        ordered.extend(map.drain(..));
        *map = ordered;
    }
    for (key, below) in &shape.keys {
        if below.keys.is_empty() {
            continue;
        }
        if let Some(value) = map.get_mut(*key) {
            order_with(value, below);
        }
    }
}

/// The response keys of a selection set in order, each with the selection sets below it.
fn collect<'a>(set: &'a SelectionSet, document: &'a ExecutableDocument, keys: &mut Keys<'a>, depth: usize) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                let key = &field.response_key().node;
                let below = &field.selection_set.node;
                match keys.iter_mut().find(|(known, _)| *known == key) {
                    Some((_, subsets)) => subsets.push(below),
                    None => keys.push((key, vec![below])),
                }
            }
            Selection::InlineFragment(fragment) => collect(&fragment.node.selection_set.node, document, keys, depth),
            Selection::FragmentSpread(spread) if depth < MAX_FRAGMENT_DEPTH => {
                let fragment: Option<&Positioned<_>> = document.fragments.get(&spread.node.fragment_name.node);
                if let Some(fragment) = fragment {
                    collect(&fragment.node.selection_set.node, document, keys, depth + 1);
                }
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

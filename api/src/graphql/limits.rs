//! Query limits, checked right after parsing and before validation or execution (by
//! [`super::extension::Guard`]), so an abusive document costs the server almost nothing:
//! depth, complexity, aliases and root fields.
//! Introspection (`__schema`, `__type`) is not counted: tools like GraphiQL must always work.

use std::collections::HashSet;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, ServerError, ServerResult, Value, Variables};

use crate::config::Limits;

/// The limits checked after parsing.
#[derive(Debug, Clone)]
pub struct LimitValues {
    max_depth: usize,
    max_complexity: usize,
    max_aliases: usize,
    max_root_fields: usize,
}

impl From<&Limits> for LimitValues {
    fn from(limits: &Limits) -> Self {
        LimitValues {
            max_depth: limits.max_depth,
            max_complexity: limits.max_complexity,
            max_aliases: limits.max_aliases,
            max_root_fields: limits.max_root_fields,
        }
    }
}

/// Page size assumed for a list field that does not say `first`.
const DEFAULT_LIST_SIZE: usize = 20;

/// What a document costs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub depth: usize,
    pub complexity: usize,
    pub aliases: usize,
    pub root_fields: usize,
}

fn limit_error(name: &str, actual: usize, limit: usize) -> ServerError {
    let mut error = ServerError::new(
        format!("the query exceeds the {name} limit: it has {actual}, at most {limit} are allowed"),
        None,
    );
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "BAD_USER_INPUT");
    extensions.set("field", "query");
    extensions.set("limit", name);
    extensions.set("limitValue", limit as u64);
    error.extensions = Some(extensions);
    error
}

/// Refuses a document over one of the limits, with an error naming the limit.
pub fn check(document: &ExecutableDocument, variables: &Variables, limits: &LimitValues) -> ServerResult<()> {
    let operations: Vec<&SelectionSet> = match &document.operations {
        DocumentOperations::Single(operation) => vec![&operation.node.selection_set.node],
        DocumentOperations::Multiple(map) => map.values().map(|op| &op.node.selection_set.node).collect(),
    };
    let mut aliases = 0;
    for selection_set in operations {
        let mut walker = Walker {
            document,
            variables,
            visiting: HashSet::new(),
            aliases: 0,
            max_depth: limits.max_depth,
        };
        let cost = walker.selection_set(selection_set, 0);
        let root_fields = walker.count_root_fields(selection_set);
        aliases += walker.aliases;
        if cost.depth > limits.max_depth {
            return Err(limit_error("maxDepth", cost.depth, limits.max_depth));
        }
        if root_fields > limits.max_root_fields {
            return Err(limit_error("maxRootFields", root_fields, limits.max_root_fields));
        }
        if cost.complexity > limits.max_complexity {
            return Err(limit_error("maxComplexity", cost.complexity, limits.max_complexity));
        }
    }
    if aliases > limits.max_aliases {
        return Err(limit_error("maxAliases", aliases, limits.max_aliases));
    }
    Ok(())
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    /// Fragments on the current path (a cycle is invalid; validation reports it later).
    visiting: HashSet<&'a str>,
    aliases: usize,
    /// Walking stops below this depth: the verdict is already known.
    max_depth: usize,
}

fn is_introspection(name: &str) -> bool {
    name == "__schema" || name == "__type"
}

impl<'a> Walker<'a> {
    fn fragment(&self, name: &Name) -> Option<&'a Positioned<FragmentDefinition>> {
        self.document.fragments.get(name)
    }

    /// Depth and complexity of a selection set whose parent sits at `depth`.
    fn selection_set(&mut self, set: &'a SelectionSet, depth: usize) -> Cost {
        let mut cost = Cost::default();
        if depth > self.max_depth {
            // Deeper than allowed: report one more level, which is enough to refuse.
            return Cost {
                depth: 1,
                complexity: 0,
                ..Cost::default()
            };
        }
        for selection in &set.items {
            let inner = match &selection.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if is_introspection(field.name.node.as_str()) {
                        continue;
                    }
                    if field.alias.is_some() {
                        self.aliases += 1;
                    }
                    if field.name.node.as_str() == "__typename" {
                        continue;
                    }
                    let children = self.selection_set(&field.selection_set.node, depth + 1);
                    let multiplier = self.list_size(field);
                    Cost {
                        depth: children.depth + 1,
                        complexity: (1 + children.complexity).saturating_mul(multiplier),
                        ..Cost::default()
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    match self.fragment(name) {
                        Some(fragment) if self.visiting.insert(name.as_str()) => {
                            let cost = self.selection_set(&fragment.node.selection_set.node, depth);
                            self.visiting.remove(name.as_str());
                            cost
                        }
                        _ => Cost::default(),
                    }
                }
                Selection::InlineFragment(fragment) => self.selection_set(&fragment.node.selection_set.node, depth),
            };
            cost.depth = cost.depth.max(inner.depth);
            cost.complexity = cost.complexity.saturating_add(inner.complexity);
        }
        cost
    }

    /// How many items a field returns at most: its `first` (or `last`) argument, the default
    /// page size for a connection without one, else 1.
    fn list_size(&self, field: &async_graphql::parser::types::Field) -> usize {
        for name in ["first", "last"] {
            if let Some(value) = field.get_argument(name) {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|variable| self.variables.get(&variable).cloned().ok_or(()))
                    .ok();
                if let Some(Value::Number(number)) = value {
                    return number
                        .as_u64()
                        .map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX).max(1));
                }
            }
        }
        let is_connection = field.selection_set.node.items.iter().any(|selection| {
            matches!(&selection.node, Selection::Field(child)
                if matches!(child.node.name.node.as_str(), "edges" | "nodes"))
        });
        if is_connection { DEFAULT_LIST_SIZE } else { 1 }
    }

    /// Root fields of an operation, fragments expanded, introspection not counted.
    fn count_root_fields(&mut self, set: &'a SelectionSet) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => usize::from(!is_introspection(field.node.name.node.as_str())),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    match self.fragment(name) {
                        Some(fragment) if self.visiting.insert(name.as_str()) => {
                            let count = self.count_root_fields(&fragment.node.selection_set.node);
                            self.visiting.remove(name.as_str());
                            count
                        }
                        _ => 0,
                    }
                }
                Selection::InlineFragment(fragment) => self.count_root_fields(&fragment.node.selection_set.node),
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(query: &str) -> Cost {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        let DocumentOperations::Single(operation) = &document.operations else {
            panic!("one operation")
        };
        let mut walker = Walker {
            document: &document,
            variables: &Variables::default(),
            visiting: HashSet::new(),
            aliases: 0,
            max_depth: 100,
        };
        let mut cost = walker.selection_set(&operation.node.selection_set.node, 0);
        cost.root_fields = walker.count_root_fields(&operation.node.selection_set.node);
        cost.aliases = walker.aliases;
        cost
    }

    #[test]
    fn depth_counts_nested_fields_and_fragments() {
        assert_eq!(cost("{ a { b { c } } }").depth, 3);
        assert_eq!(cost("query { a { ...F } } fragment F on T { b { c } }").depth, 3);
        assert_eq!(cost("{ a { ... on T { b } } }").depth, 2);
    }

    #[test]
    fn introspection_is_free() {
        let c = cost("{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }");
        assert_eq!(c, Cost::default());
    }

    #[test]
    fn lists_multiply_by_their_page_size() {
        assert_eq!(cost("{ list(first: 50) { edges { node { id } } } }").complexity, 50 * 4);
        assert_eq!(cost("{ list { nodes { id } } }").complexity, 20 * 3);
    }

    #[test]
    fn aliases_and_root_fields() {
        let c = cost("{ a: x { id } b: x { id } c: y }");
        assert_eq!(c.aliases, 3);
        assert_eq!(c.root_fields, 3);
    }

    #[test]
    fn fragment_cycles_terminate() {
        let c = cost("{ a { ...F } } fragment F on T { b { ...F } }");
        assert!(c.depth >= 2);
    }
}

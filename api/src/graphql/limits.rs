//! Query limits, checked right after parsing and before validation or execution (by
//! [`super::extension::Guard`]), so an abusive document costs the server almost nothing:
//! depth, complexity, aliases and root fields. The walk over the document that finds its cost
//! is the one walk of [`super::document`]; here is what is counted and checked.
//! Introspection (`__schema`, `__type`) is not counted: tools like GraphiQL must always work.

use async_graphql::parser::types::{Field, Selection};
use async_graphql::{ServerError, ServerResult, Variables};

use crate::config::Limits;

/// The limits checked after parsing.
#[derive(Debug, Clone)]
pub struct LimitValues {
    pub(super) max_depth: usize,
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

/// How many items a field returns at most.
#[derive(Debug, Clone)]
pub enum Multiplier {
    /// Its `first` or `last` literal (at least 1), or 1 for a field that is no list.
    Fixed(usize),
    /// Its `first` or `last` is this variable: the request's value (1 without one).
    Variable(async_graphql::Name),
}

impl Multiplier {
    /// The page size of `field`: its `first` (or `last`), the default page size for a connection
    /// without one, else 1.
    pub fn of(field: &Field) -> Multiplier {
        for name in ["first", "last"] {
            if let Some(value) = field.get_argument(name) {
                return match &value.node {
                    async_graphql_value::Value::Variable(variable) => Multiplier::Variable(variable.clone()),
                    value => Multiplier::Fixed(page_size(value.clone().into_const())),
                };
            }
        }
        let is_connection = field.selection_set.node.items.iter().any(|selection| {
            matches!(&selection.node, Selection::Field(child)
                if matches!(child.node.name.node.as_str(), "edges" | "nodes"))
        });
        Multiplier::Fixed(if is_connection { DEFAULT_LIST_SIZE } else { 1 })
    }

    fn value(&self, variables: &Variables) -> usize {
        match self {
            Multiplier::Fixed(size) => *size,
            Multiplier::Variable(name) => page_size(variables.get(name).cloned()),
        }
    }
}

/// A page size as a number of items (at least 1; anything but a number counts as 1).
fn page_size(value: Option<async_graphql::Value>) -> usize {
    match value {
        Some(async_graphql::Value::Number(number)) => number
            .as_u64()
            .map_or(1, |n| usize::try_from(n).unwrap_or(usize::MAX).max(1)),
        _ => 1,
    }
}

/// What an operation costs, found in the one walk over its document
/// ([`super::document::Analysis`]): depth, aliases and root fields as numbers, the complexity
/// as a tree of page sizes, which variables may set.
#[derive(Debug, Default)]
pub struct CostTree {
    pub depth: usize,
    pub aliases: usize,
    pub root_fields: usize,
    /// Each counted field: its page size and its children's nodes.
    nodes: Vec<(Multiplier, Vec<usize>)>,
    /// The operation's top-level nodes.
    pub roots: Vec<usize>,
    /// The walk stopped before the end: more fields than any limit allows.
    pub truncated: bool,
}

impl CostTree {
    /// Adds a field's node; its index.
    pub fn push(&mut self, multiplier: Multiplier, children: Vec<usize>) -> usize {
        self.nodes.push((multiplier, children));
        self.nodes.len() - 1
    }

    /// The complexity with these variables: each field costs one and its children, times its
    /// page size.
    fn complexity(&self, variables: &Variables) -> usize {
        self.roots.iter().fold(0usize, |sum, root| {
            sum.saturating_add(self.complexity_of(*root, variables))
        })
    }

    fn complexity_of(&self, node: usize, variables: &Variables) -> usize {
        let Some((multiplier, children)) = self.nodes.get(node) else {
            return 0;
        };
        let below = children.iter().fold(0usize, |sum, child| {
            sum.saturating_add(self.complexity_of(*child, variables))
        });
        (1 + below).saturating_mul(multiplier.value(variables))
    }
}

/// Refuses a document with an operation over one of the limits, or with more aliases in all
/// than allowed, with an error naming the limit.
pub fn check_all<'a>(
    costs: impl IntoIterator<Item = &'a CostTree>,
    variables: &Variables,
    limits: &LimitValues,
) -> ServerResult<()> {
    let mut aliases = 0usize;
    for cost in costs {
        check(cost, variables, limits)?;
        aliases = aliases.saturating_add(cost.aliases);
    }
    if aliases > limits.max_aliases {
        return Err(limit_error("maxAliases", aliases, limits.max_aliases));
    }
    Ok(())
}

/// Refuses an operation over one of the limits, with an error naming the limit.
pub fn check(cost: &CostTree, variables: &Variables, limits: &LimitValues) -> ServerResult<()> {
    if cost.depth > limits.max_depth {
        return Err(limit_error("maxDepth", cost.depth, limits.max_depth));
    }
    if cost.root_fields > limits.max_root_fields {
        return Err(limit_error("maxRootFields", cost.root_fields, limits.max_root_fields));
    }
    let complexity = if cost.truncated {
        usize::MAX
    } else {
        cost.complexity(variables)
    };
    if complexity > limits.max_complexity {
        return Err(limit_error("maxComplexity", complexity, limits.max_complexity));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphql::document::Analysis;

    /// (depth, complexity, aliases, root fields) of a one-operation document.
    fn cost(query: &str) -> (usize, usize, usize, usize) {
        let document = async_graphql::parser::parse_query(query).expect("parses");
        let limits = LimitValues {
            max_depth: 100,
            max_complexity: usize::MAX,
            max_aliases: usize::MAX,
            max_root_fields: usize::MAX,
        };
        let analysis = Analysis::of(&document, &async_graphql::registry::Registry::default(), &limits);
        let cost = &analysis.operations[0].cost;
        (
            cost.depth,
            cost.complexity(&Variables::default()),
            cost.aliases,
            cost.root_fields,
        )
    }

    #[test]
    fn depth_counts_nested_fields_and_fragments() {
        assert_eq!(cost("{ a { b { c } } }").0, 3);
        assert_eq!(cost("query { a { ...F } } fragment F on T { b { c } }").0, 3);
        assert_eq!(cost("{ a { ... on T { b } } }").0, 2);
    }

    #[test]
    fn introspection_is_free() {
        let c = cost("{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }");
        assert_eq!(c, (0, 0, 0, 0));
    }

    #[test]
    fn lists_multiply_by_their_page_size() {
        assert_eq!(cost("{ list(first: 50) { edges { node { id } } } }").1, 50 * 4);
        assert_eq!(cost("{ list { nodes { id } } }").1, 20 * 3);
    }

    #[test]
    fn a_page_size_may_come_from_a_variable() {
        let document =
            async_graphql::parser::parse_query("query($n: Int) { list(first: $n) { nodes { id } } }").expect("parses");
        let limits = LimitValues {
            max_depth: 100,
            max_complexity: 100,
            max_aliases: 10,
            max_root_fields: 10,
        };
        let analysis = Analysis::of(&document, &async_graphql::registry::Registry::default(), &limits);
        let cost = &analysis.operations[0].cost;
        let variables = |n: i32| Variables::from_json(serde_json::json!({ "n": n }));
        assert!(check_all([cost], &variables(30), &limits).is_ok());
        assert!(check_all([cost], &variables(40), &limits).is_err());
    }

    #[test]
    fn aliases_and_root_fields() {
        let c = cost("{ a: x { id } b: x { id } c: y }");
        assert_eq!(c.2, 3);
        assert_eq!(c.3, 3);
    }

    #[test]
    fn fragment_cycles_terminate() {
        let c = cost("{ a { ...F } } fragment F on T { b { ...F } }");
        assert!(c.0 >= 2);
    }
}

//! One walk over a document, when its text is first parsed: what the checks after parsing, the
//! response's field order and the error reports need from it, kept with the parsed document
//! (the extension's cache) so that a request sending a known text walks nothing again.
//!
//! The walk visits every operation with its fragments expanded (depth first, a fragment at most
//! once per path, no deeper than the depth limit allows) and collects, in that one pass:
//! - each field's site (its parent type and arguments), once per field of the document, for
//!   the Int range ([`super::int_range`]) and the text-input rule ([`super::text_input`]); the
//!   literal arguments are checked right away (their verdict depends on nothing else), the
//!   arguments that name variables once per request;
//! - each operation's cost ([`super::limits`]): depth, aliases and root fields, and the
//!   complexity as a tree whose page sizes a variable may set;
//! - each operation's response shape ([`super::field_order`]).
//!
//! Validation errors are named after the variable they are about from the sites too.

use std::collections::HashSet;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationDefinition, OperationType};
use async_graphql::registry::Registry;
use async_graphql::{Name, Pos, Positioned, ServerError, ServerResult, Variables};

mod walk;

use walk::{MAX_WALKED_FIELDS, Walk};

use super::field_order::ResponseShape;
use super::limits::{CostTree, LimitValues, Multiplier};

/// An argument of a field as written in the document.
pub struct ArgumentSite {
    pub name: Positioned<Name>,
    pub value: Positioned<async_graphql_value::Value>,
    /// Its declared type (`Int!`, `CreateEventInput!`), if the schema knows the argument.
    pub ty: Option<String>,
    /// Whether it names a variable anywhere inside.
    pub has_variables: bool,
}

/// A field of the document with its arguments.
pub struct FieldSite {
    pub field: Name,
    pub arguments: Vec<ArgumentSite>,
}

/// One operation of the document.
pub struct OperationPlan {
    pub name: Option<Name>,
    pub cost: CostTree,
    pub order: ResponseShape,
}

/// What the walk found.
pub struct Analysis {
    /// Every field of the document (each once), with arguments.
    pub sites: Vec<FieldSite>,
    pub operations: Vec<OperationPlan>,
    /// The document's variables: name, declared type, where.
    pub variables: Vec<(Name, String, Pos)>,
    /// The first Int literal beyond 32 bits (GRAPHQL_VALIDATION_FAILED), if any.
    pub int_literal: Option<ServerError>,
    /// The first literal text with a forbidden control character (BAD_USER_INPUT), if any.
    pub text_literal: Option<ServerError>,
    /// The verdict of the checks after parsing, for a document that names no variable (most
    /// front-end documents with literals, `{__typename}`): the same for every request, so found
    /// once.
    fixed: Option<ServerResult<()>>,
}

impl Analysis {
    /// Walks `document` once.
    pub fn of(document: &ExecutableDocument, registry: &Registry, limits: &LimitValues) -> Analysis {
        let mut walk = Walk {
            document,
            budget: MAX_WALKED_FIELDS,
            registry,
            max_depth: limits.max_depth,
            sites: Vec::new(),
            fragments_seen: HashSet::new(),
            int_literal: None,
            text_literal: None,
        };
        let operations: Vec<(Option<&Name>, &OperationDefinition)> = match &document.operations {
            DocumentOperations::Single(operation) => vec![(None, &operation.node)],
            DocumentOperations::Multiple(map) => map.iter().map(|(name, op)| (Some(name), &op.node)).collect(),
        };
        let mut plans = Vec::with_capacity(operations.len());
        let mut variables = Vec::new();
        for (name, operation) in operations {
            for definition in &operation.variable_definitions {
                let definition = &definition.node;
                variables.push((
                    definition.name.node.clone(),
                    definition.var_type.node.to_string(),
                    definition.name.pos,
                ));
            }
            let root = root_type(registry, operation.ty);
            plans.push(walk.operation(name.cloned(), &operation.selection_set.node, root));
        }
        // Fragments no operation uses (validation refuses them) still have their texts checked.
        for (name, fragment) in &document.fragments {
            if walk.fragments_seen.insert(name.clone()) {
                let on = fragment.node.type_condition.node.on.node.to_string();
                walk.sites_of(&fragment.node.selection_set.node, Some(on));
            }
        }
        let mut analysis = Analysis {
            sites: walk.sites,
            operations: plans,
            variables,
            int_literal: walk.int_literal,
            text_literal: walk.text_literal,
            fixed: None,
        };
        let names_variables = !analysis.variables.is_empty()
            || analysis
                .sites
                .iter()
                .flat_map(|site| &site.arguments)
                .any(|argument| argument.has_variables);
        if !names_variables {
            analysis.fixed = Some(analysis.check(&Variables::default(), registry, limits));
        }
        analysis
    }

    /// The checks after parsing, in their order: Int ranges (variables, then literals; before
    /// the limits, which would count an out-of-range `first` as complexity), the limits, the
    /// control characters in text (literals, then variables).
    pub fn verdict(&self, variables: &Variables, registry: &Registry, limits: &LimitValues) -> ServerResult<()> {
        match &self.fixed {
            Some(verdict) => verdict.clone(),
            None => self.check(variables, registry, limits),
        }
    }

    fn check(&self, variables: &Variables, registry: &Registry, limits: &LimitValues) -> ServerResult<()> {
        super::int_range::check_variables(self, variables, registry)?;
        if let Some(error) = &self.int_literal {
            return Err(error.clone());
        }
        super::limits::check_all(self.operations.iter().map(|plan| &plan.cost), variables, limits)?;
        if let Some(error) = &self.text_literal {
            return Err(error.clone());
        }
        super::text_input::check(self, variables)
    }

    /// The plan of the operation to run (`name`, or the only one).
    pub fn operation(&self, name: Option<&str>) -> Option<&OperationPlan> {
        match name {
            Some(name) => self
                .operations
                .iter()
                .find(|plan| plan.name.as_deref() == Some(name))
                .or_else(|| self.operations.first().filter(|plan| plan.name.is_none())),
            None => self.operations.first(),
        }
    }

    /// The variable passed to the argument at `at` (where the engine points for a wrongly typed
    /// argument value).
    pub fn variable_at(&self, at: &Pos) -> Option<String> {
        let argument = self
            .sites
            .iter()
            .flat_map(|site| &site.arguments)
            .find(|argument| argument.name.pos == *at || argument.value.pos == *at)?;
        first_variable(&argument.value.node)
    }
}

/// The root type of an operation.
fn root_type(registry: &Registry, kind: OperationType) -> Option<String> {
    match kind {
        OperationType::Query => Some(registry.query_type.clone()),
        OperationType::Mutation => registry.mutation_type.clone(),
        OperationType::Subscription => registry.subscription_type.clone(),
    }
}

/// The first variable named inside `value`.
fn first_variable(value: &async_graphql_value::Value) -> Option<String> {
    let mut used = None;
    let _ = value.clone().into_const_with(|variable| {
        used.get_or_insert(variable);
        Err(())
    });
    used.map(|name| name.to_string())
}

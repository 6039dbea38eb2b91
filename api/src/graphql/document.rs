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

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::registry::{MetaTypeName, Registry};
use async_graphql::{Name, Pos, Positioned, ServerError, ServerResult, Variables};

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

/// How many fields the walk visits at most (fragments expanded): a document that expands to
/// more is over the complexity limit anyway (every counted field costs at least one).
const MAX_WALKED_FIELDS: usize = 100_000;

struct Walk<'a> {
    document: &'a ExecutableDocument,
    /// Fields the walk may still visit.
    budget: usize,
    registry: &'a Registry,
    max_depth: usize,
    sites: Vec<FieldSite>,
    /// Fragments whose fields have their sites already.
    fragments_seen: HashSet<Name>,
    int_literal: Option<ServerError>,
    text_literal: Option<ServerError>,
}

/// Where the expanded walk is.
struct Place<'p> {
    depth: usize,
    /// The type of the objects the selection set is on, if the schema knows it.
    parent: Option<String>,
    /// Fragments on the current path (a cycle is invalid; validation reports it later).
    visiting: &'p mut Vec<Name>,
    /// Whether the fields met here get their sites (their fragment is met for the first time).
    record: bool,
    /// Inside introspection: walked for the response's order only.
    free: bool,
}

impl<'a> Walk<'a> {
    fn operation(&mut self, name: Option<Name>, set: &'a SelectionSet, root: Option<String>) -> OperationPlan {
        let mut cost = CostTree::default();
        let mut order = ResponseShape::default();
        let mut visiting = Vec::new();
        let mut place = Place {
            depth: 0,
            parent: root,
            visiting: &mut visiting,
            record: true,
            free: false,
        };
        cost.root_fields = self.count_root_fields(set, &mut Vec::new());
        let top = self.selection_set(set, &mut place, &mut cost, &mut order);
        cost.roots = top;
        OperationPlan { name, cost, order }
    }

    /// Walks a selection set: its fields' cost nodes (returned), their shape in `order`.
    fn selection_set(
        &mut self,
        set: &'a SelectionSet,
        place: &mut Place<'_>,
        cost: &mut CostTree,
        order: &mut ResponseShape,
    ) -> Vec<usize> {
        let mut nodes = Vec::new();
        if place.depth > self.max_depth && !place.free {
            // Deeper than allowed: one more level is enough to refuse.
            cost.depth = cost.depth.max(place.depth + 1);
            return nodes;
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    if let Some(node) = self.field(&field.node, place, cost, order) {
                        nodes.push(node);
                    }
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref();
                    let parent = on.map_or(place.parent.clone(), |c| Some(c.node.on.node.to_string()));
                    let mut inner = Place {
                        depth: place.depth,
                        parent,
                        visiting: &mut *place.visiting,
                        record: place.record,
                        free: place.free,
                    };
                    nodes.extend(self.selection_set(&fragment.node.selection_set.node, &mut inner, cost, order));
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    let Some(fragment) = self.document.fragments.get(name) else {
                        continue;
                    };
                    if place.visiting.contains(name) {
                        continue;
                    }
                    let record = self.fragments_seen.insert(name.clone());
                    place.visiting.push(name.clone());
                    let mut inner = Place {
                        depth: place.depth,
                        parent: Some(fragment.node.type_condition.node.on.node.to_string()),
                        visiting: &mut *place.visiting,
                        record,
                        free: place.free,
                    };
                    nodes.extend(self.selection_set(&fragment.node.selection_set.node, &mut inner, cost, order));
                    place.visiting.pop();
                }
            }
        }
        nodes
    }

    /// Walks one field: its site (if recorded here), its cost node, its shape.
    fn field(
        &mut self,
        field: &'a Field,
        place: &mut Place<'_>,
        cost: &mut CostTree,
        order: &mut ResponseShape,
    ) -> Option<usize> {
        if self.budget == 0 {
            cost.truncated = true;
            return None;
        }
        self.budget -= 1;
        let name = field.name.node.as_str();
        let meta = place
            .parent
            .as_deref()
            .and_then(|parent| self.registry.types.get(parent))
            .and_then(|ty| ty.field_by_name(name));
        if place.record {
            self.record_site(field, meta);
        }
        let below = order.key(field.response_key().node.clone());
        let introspection = name == "__schema" || name == "__type";
        // Introspection costs nothing (tools like GraphiQL must always work); only its
        // response's order is taken.
        let free = place.free || introspection;
        if !free && field.alias.is_some() {
            cost.aliases += 1;
        }
        if free || name == "__typename" {
            if !field.selection_set.node.items.is_empty() {
                let mut inner = Place {
                    depth: place.depth + 1,
                    parent: meta.map(|meta| MetaTypeName::concrete_typename(&meta.ty).to_owned()),
                    visiting: &mut *place.visiting,
                    record: place.record,
                    free: true,
                };
                self.selection_set(&field.selection_set.node, &mut inner, cost, below);
            }
            return None;
        }
        cost.depth = cost.depth.max(place.depth + 1);
        let multiplier = Multiplier::of(field);
        let mut inner = Place {
            depth: place.depth + 1,
            parent: meta.map(|meta| MetaTypeName::concrete_typename(&meta.ty).to_owned()),
            visiting: &mut *place.visiting,
            record: place.record,
            free: false,
        };
        let children = self.selection_set(&field.selection_set.node, &mut inner, cost, below);
        Some(cost.push(multiplier, children))
    }

    /// Records a field's site and checks its literal arguments.
    fn record_site(&mut self, field: &Field, meta: Option<&async_graphql::registry::MetaField>) {
        let arguments: Vec<ArgumentSite> = field
            .arguments
            .iter()
            .map(|(name, value)| ArgumentSite {
                name: name.clone(),
                value: value.clone(),
                ty: meta
                    .and_then(|meta| meta.args.get(name.node.as_str()))
                    .map(|argument| argument.ty.clone()),
                has_variables: first_variable(&value.node).is_some(),
            })
            .collect();
        let site = FieldSite {
            field: field.name.node.clone(),
            arguments,
        };
        if self.int_literal.is_none() {
            self.int_literal = super::int_range::literal_error(self.registry, &site);
        }
        if self.text_literal.is_none() {
            self.text_literal = super::text_input::literal_error(&site);
        }
        self.sites.push(site);
    }

    /// Root fields of an operation, fragments expanded, introspection not counted.
    fn count_root_fields(&self, set: &'a SelectionSet, visiting: &mut Vec<&'a Name>) -> usize {
        set.items
            .iter()
            .map(|selection| match &selection.node {
                Selection::Field(field) => usize::from(!matches!(field.node.name.node.as_str(), "__schema" | "__type")),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    match self.document.fragments.get(name) {
                        Some(fragment) if !visiting.contains(&name) => {
                            visiting.push(name);
                            let count = self.count_root_fields(&fragment.node.selection_set.node, visiting);
                            visiting.pop();
                            count
                        }
                        _ => 0,
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.count_root_fields(&fragment.node.selection_set.node, visiting)
                }
            })
            .sum()
    }
}

/// The sites of a fragment no operation uses (its fields' arguments are checked all the same).
impl Walk<'_> {
    fn sites_of(&mut self, set: &SelectionSet, parent: Option<String>) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    let meta = parent
                        .as_deref()
                        .and_then(|parent| self.registry.types.get(parent))
                        .and_then(|ty| ty.field_by_name(field.node.name.node.as_str()));
                    let child = meta.map(|meta| MetaTypeName::concrete_typename(&meta.ty).to_owned());
                    self.record_site(&field.node, meta);
                    self.sites_of(&field.node.selection_set.node, child);
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment.node.type_condition.as_ref();
                    let parent = on.map_or(parent.clone(), |c| Some(c.node.on.node.to_string()));
                    self.sites_of(&fragment.node.selection_set.node, parent);
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }
}

//! The walk itself: every operation with its fragments expanded, collecting sites, costs and
//! response shapes in one pass (see the parent module).

use std::collections::HashSet;

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::registry::{MetaTypeName, Registry};
use async_graphql::{Name, ServerError};

use super::*;

/// How many fields the walk visits at most (fragments expanded): a document that expands to
/// more is over the complexity limit anyway (every counted field costs at least one).
pub(super) const MAX_WALKED_FIELDS: usize = 100_000;

pub(super) struct Walk<'a> {
    pub(super) document: &'a ExecutableDocument,
    /// Fields the walk may still visit.
    pub(super) budget: usize,
    pub(super) registry: &'a Registry,
    pub(super) max_depth: usize,
    pub(super) sites: Vec<FieldSite>,
    /// Fragments whose fields have their sites already.
    pub(super) fragments_seen: HashSet<Name>,
    pub(super) int_literal: Option<ServerError>,
    pub(super) text_literal: Option<ServerError>,
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
    pub(super) fn operation(
        &mut self,
        name: Option<Name>,
        set: &'a SelectionSet,
        root: Option<String>,
    ) -> OperationPlan {
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
            self.int_literal = crate::graphql::int_range::literal_error(self.registry, &site);
        }
        if self.text_literal.is_none() {
            self.text_literal = crate::graphql::text_input::literal_error(&site);
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
    pub(super) fn sites_of(&mut self, set: &SelectionSet, parent: Option<String>) {
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

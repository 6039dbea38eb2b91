//! Which columns of its rows a selection needs: a read that selects only those
//! ([`crate::db::rows::Shape`]) spares both servers the rest.

use async_graphql::SelectionField;

use crate::db::rows::{ByPosition, Shape};

/// The columns of its row that a field of a GraphQL object reads; `None` for a field that may
/// read any (every field the object does not name).
pub type ColumnsOf = fn(&str) -> Option<&'static [&'static str]>;

/// The columns of `M` that the fields selected on `objects` (fragments included) read by
/// `columns_of`, and `always`; every column if one of the fields may read any.
pub fn shape<M: ByPosition>(objects: &[SelectionField<'_>], columns_of: ColumnsOf, always: &[&str]) -> Shape {
    let mut shape = Shape::of::<M>(always.iter().copied());
    for field in objects.iter().flat_map(|object| object.selection_set()) {
        if field.name() == "__typename" {
            continue;
        }
        match columns_of(field.name()) {
            Some(columns) => shape = shape.with::<M>(columns.iter().copied()),
            None => return Shape::ALL,
        }
    }
    shape
}

/// The fields named `name` selected on `objects` (under any alias, fragments included).
pub fn fields<'a>(objects: &[SelectionField<'a>], name: &str) -> Vec<SelectionField<'a>> {
    objects
        .iter()
        .flat_map(|object| object.selection_set())
        .filter(|field| field.name() == name)
        .collect()
}

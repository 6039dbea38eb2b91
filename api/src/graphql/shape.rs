//! Which columns of its rows a selection needs, and rows read with only those.
//!
//! Each field of a shaped object (`GoodPractice`, `Agency`, `Municipality`) declares the
//! columns it reads, beside its resolver (`#[reads(…)]`, see `dkbm_macros::fields`). A list
//! turns its selection into a [`Shape`] ([`shape`]), reads only those columns
//! ([`crate::db::rows::shaped`]) and hands each object a [`Shaped`] row: a row that knows which
//! of its columns were read. A resolver sees the row only through [`Shaped::read`] with the
//! columns its field declares, which debug builds check; a test per shaped type checks that
//! the declared columns cover what each field reads.

use async_graphql::SelectionField;
use sea_orm::EntityTrait;

pub use crate::db::rows::Shaped;
use crate::db::rows::{ByPosition, Shape};

/// An object over a shaped row.
pub trait RowOf {
    type Model;

    fn shaped(&self) -> &Shaped<Self::Model>;
}

/// An object whose fields declare the columns they read (implemented by `#[fields]`).
pub trait ShapedObject {
    /// The table of its rows.
    type Entity: EntityTrait;

    /// The columns the field `field` (a GraphQL name) reads; `None` for a name the object does
    /// not have.
    fn columns_of(field: &str) -> Option<Shape>;
}

/// The columns of `O`'s rows that the fields selected on `objects` (fragments included) read,
/// and `always`; every column if a field is unknown (it cannot be: validation refused it).
pub fn shape<O: ShapedObject>(objects: &[SelectionField<'_>], always: Shape) -> Shape
where
    <O::Entity as EntityTrait>::Model: ByPosition,
{
    let mut shape = always.with_enumerations::<<O::Entity as EntityTrait>::Model>();
    for field in objects.iter().flat_map(|object| object.selection_set()) {
        if field.name() == "__typename" {
            continue;
        }
        match O::columns_of(field.name()) {
            Some(columns) => shape = shape.union(columns),
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

/// Makes `$outer(Shaped<$entity::Model>)`, a member of the `Node` interface, an object over a
/// shaped row: built from a whole row or a shaped one, its row for `#[fields]`, its id (a
/// column every shape has) and the `id` the interface calls.
macro_rules! shaped_node {
    ($outer:ident : $entity:ident) => {
        impl From<$entity::Model> for $outer {
            fn from(model: $entity::Model) -> Self {
                $outer($crate::db::rows::Shaped::whole(model))
            }
        }

        impl From<$crate::db::rows::Shaped<$entity::Model>> for $outer {
            fn from(row: $crate::db::rows::Shaped<$entity::Model>) -> Self {
                $outer(row)
            }
        }

        impl $crate::graphql::shape::RowOf for $outer {
            type Model = $entity::Model;

            fn shaped(&self) -> &$crate::db::rows::Shaped<$entity::Model> {
                &self.0
            }
        }

        impl $outer {
            /// The id column, which every read of the row selects.
            pub const ID_COLUMN: $crate::db::rows::Shape =
                $crate::db::rows::Shape::of_positions(&[$entity::Column::Id as usize]);

            /// The row's typed id.
            pub fn typed_id(&self) -> <Self as $crate::graphql::node::NodeKind>::Id {
                self.0.read(Self::ID_COLUMN).id.into()
            }

            /// The global id, for the `Node` interface.
            pub async fn id(&self, _: &async_graphql::Context<'_>) -> async_graphql::Result<async_graphql::ID> {
                Ok(<Self as $crate::graphql::node::NodeKind>::global_id(
                    self.typed_id(),
                ))
            }
        }
    };
}

pub(crate) use shaped_node;

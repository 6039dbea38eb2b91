//! Leaf values of direct fields (`graphql::direct`): what a `#[direct]` field's resolver
//! returns, written into the response as async-graphql would write it.

use async_graphql::Value;

/// A leaf value as async-graphql writes it: what a direct field's resolver returns, turned
/// into the response's value (`#[direct]` fields, see `dkbm_macros::fields`).
pub trait IntoLeaf {
    fn leaf(self) -> Value;
}

impl IntoLeaf for &str {
    fn leaf(self) -> Value {
        Value::String(self.to_owned())
    }
}

impl IntoLeaf for String {
    fn leaf(self) -> Value {
        Value::String(self)
    }
}

impl<T: IntoLeaf> IntoLeaf for Option<T> {
    fn leaf(self) -> Value {
        self.map_or(Value::Null, IntoLeaf::leaf)
    }
}

/// Scalars: written as their `ScalarType` writes them.
macro_rules! scalar_leaves {
    ($($ty:ty),*) => {$(
        impl IntoLeaf for $ty {
            fn leaf(self) -> Value {
                async_graphql::ScalarType::to_value(&self)
            }
        }
    )*};
}

scalar_leaves!(
    i32,
    i64,
    f64,
    bool,
    async_graphql::ID,
    chrono::DateTime<chrono::Utc>,
    super::Uuid,
    super::Date
);

/// Makes GraphQL enums direct leaves: `enum_leaves!(PracticeStatus, State)`.
macro_rules! enum_leaves {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::graphql::leaf::IntoLeaf for $ty {
            fn leaf(self) -> async_graphql::Value {
                async_graphql::resolver_utils::enum_value(self)
            }
        }
    )*};
}

pub(crate) use enum_leaves;

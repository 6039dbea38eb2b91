//! Objects that answer their plain fields straight from their row.
//!
//! async-graphql resolves every selected field of an object through a boxed future, a field
//! context and the schema's extensions, even a title that is only a copy of a column; a page of
//! 1,000 practices spends most of its time there. An object that implements [`DirectFields`]
//! names the leaves it can give without arguments or context (columns, their formatting), and
//! [`resolve`] puts those into the answer in place. Every other field (relations through
//! DataLoaders, fields with arguments or directives) takes the library's way: its own context,
//! the extensions' `resolve` hook, and all of them concurrently, so DataLoaders still batch
//! across a list. Fragments are followed as the library follows them; `__typename` is answered
//! in place. The answer is the same value, with the same errors, that the library would give.
//!
//! [`direct_object!`] makes a row's newtype such an object: the `#[Object]` of its fields is
//! written on a borrowing twin (`XFields<'a>(&'a Row)`, or `&'a X` where a field needs more
//! than the row) under the GraphQL name of the type, and the newtype resolves through
//! [`resolve`] and delegates every other field to the twin.

use async_graphql::extensions::ResolveInfo;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection};
use std::borrow::Cow;

use async_graphql::registry::Registry;
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value,
};
use futures::future::{BoxFuture, join_all};

/// An object whose plain leaves come straight from its row.
pub trait DirectFields: ContainerType {
    /// The value of the field `name` when it is a leaf that needs neither arguments nor the
    /// request (a column or its formatting); `None` sends the field through its resolver.
    fn direct(&self, name: &str) -> Option<Value>;
}

/// Where a response key's value comes from.
enum Slot {
    Ready(Value),
    /// The index of the field's future.
    Pending(usize),
}

/// The answer being collected: the response keys in the requested order, and the futures of
/// the fields that need their resolver.
struct Answer<'a> {
    slots: Vec<(Name, Slot)>,
    pending: Vec<BoxFuture<'a, ServerResult<Value>>>,
}

/// Resolves `root`'s selection set: direct leaves in place, the rest through the resolvers.
pub async fn resolve<'a, T: DirectFields + Sync>(ctx: &ContextSelectionSet<'a>, root: &'a T) -> ServerResult<Value> {
    let mut answer = Answer {
        slots: Vec::with_capacity(ctx.item.node.items.len()),
        pending: Vec::new(),
    };
    collect(ctx, root, &mut answer)?;
    let mut resolved: Vec<Option<ServerResult<Value>>> = if answer.pending.is_empty() {
        Vec::new()
    } else {
        join_all(answer.pending).await.into_iter().map(Some).collect()
    };
    let mut object = IndexMap::with_capacity(answer.slots.len());
    for (key, slot) in answer.slots {
        let value = match slot {
            Slot::Ready(value) => value,
            Slot::Pending(index) => match resolved[index].take() {
                Some(Ok(value)) => value,
                Some(Err(error)) => {
                    ctx.add_error(error);
                    continue;
                }
                None => continue,
            },
        };
        insert_value(&mut object, key, value);
    }
    Ok(if object.is_empty() {
        Value::Null
    } else {
        Value::Object(object)
    })
}

/// Adds the selections of one selection set (and of the fragments that apply) to `answer`.
fn collect<'a, T: DirectFields + Sync>(
    ctx: &ContextSelectionSet<'a>,
    root: &'a T,
    answer: &mut Answer<'a>,
) -> ServerResult<()> {
    for selection in &ctx.item.node.items {
        let (condition, selection_set) = match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.clone();
                let name = field.node.name.node.as_str();
                let direct = if name == "__typename" {
                    Some(Value::String(root.introspection_type_name().into_owned()))
                } else if field.node.directives.is_empty() {
                    root.direct(name)
                } else {
                    None
                };
                let slot = match direct {
                    Some(value) => Slot::Ready(value),
                    None => {
                        answer
                            .pending
                            .push(Box::pin(through_resolver(ctx.clone(), root, field)));
                        Slot::Pending(answer.pending.len() - 1)
                    }
                };
                answer.slots.push((key, slot));
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                let Some(fragment) = ctx.query_env.fragments.get(name) else {
                    return Err(ServerError::new(
                        format!(r#"Unknown fragment "{name}"."#),
                        Some(spread.pos),
                    ));
                };
                (Some(&fragment.node.type_condition), &fragment.node.selection_set)
            }
            Selection::InlineFragment(fragment) => {
                (fragment.node.type_condition.as_ref(), &fragment.node.selection_set)
            }
        };
        let applies = condition.is_none_or(|condition| {
            let condition = condition.node.on.node.as_str();
            let own = root.introspection_type_name();
            own == condition
                || ctx
                    .schema_env
                    .registry
                    .implements
                    .get(own.as_ref())
                    .is_some_and(|interfaces| interfaces.contains(condition))
        });
        if applies {
            collect(&ctx.with_selection_set(selection_set), root, answer)?;
        }
    }
    Ok(())
}

/// One field through its resolver, wrapped in the schema's extensions as async-graphql does when
/// an extension hooks into field resolution; the schema's one extension does not
/// ([`super::extension::HOOKS_RESOLVE`]), so the field goes straight to its resolver, as
/// async-graphql's own path without such hooks does.
async fn through_resolver<'a, T: DirectFields + Sync>(
    ctx: ContextSelectionSet<'a>,
    root: &'a T,
    field: &'a Positioned<Field>,
) -> ServerResult<Value> {
    let ctx_field = ctx.with_field(field);
    if !super::extension::HOOKS_RESOLVE {
        return match root.resolve_field(&ctx_field).await {
            Ok(value) => Ok(value.unwrap_or_default()),
            Err(error) => Err(ctx_field.set_error_path(error)),
        };
    }
    let type_name = T::type_name();
    let name = field.node.name.node.as_str();
    let return_type = ctx
        .schema_env
        .registry
        .types
        .get(type_name.as_ref())
        .and_then(|ty| ty.field_by_name(name))
        .map(|field| &field.ty)
        .ok_or_else(|| {
            ServerError::new(
                format!(r#"Cannot query field "{name}" on type "{type_name}"."#),
                Some(ctx_field.item.pos),
            )
        })?;
    // A field's context always has a path (`with_field` sets it).
    let Some(path_node) = ctx_field.path_node.as_ref() else {
        return Err(ServerError::new("a field without a path", Some(ctx_field.item.pos)));
    };
    let info = ResolveInfo {
        path_node,
        parent_type: &type_name,
        return_type,
        name,
        alias: field.node.alias.as_ref().map(|alias| alias.node.as_str()),
        is_for_introspection: false,
        field: &field.node,
    };
    let resolving = root.resolve_field(&ctx_field);
    futures::pin_mut!(resolving);
    Ok(ctx
        .query_env
        .extensions
        .resolve(info, &mut resolving)
        .await
        .map_err(|error| ctx_field.set_error_path(error))?
        .unwrap_or_default())
}

/// A list of objects, as GraphQL's `[T!]!`. async-graphql resolves each item of a `Vec`
/// through the extensions' resolve hook when the schema has any extension, and formats the
/// list's and the item's type names for every item to tell the hook; the schema's extension
/// has no such hook ([`super::extension::HOOKS_RESOLVE`]), so the items resolve directly, as
/// async-graphql resolves them in a schema without extensions.
pub struct List<T>(pub Vec<T>);

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        List(items.into_iter().collect())
    }
}

impl<T: OutputType> OutputType for List<T> {
    fn type_name() -> Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        if super::extension::HOOKS_RESOLVE {
            return async_graphql::resolver_utils::resolve_list(ctx, field, &self.0, Some(self.0.len())).await;
        }
        let items = self.0.iter().enumerate().map(|(index, item)| {
            let ctx_item = ctx.with_index(index);
            async move {
                item.resolve(&ctx_item, field)
                    .await
                    .map_err(|error| ctx_item.set_error_path(error))
            }
        });
        Ok(Value::List(futures::future::try_join_all(items).await?))
    }
}

/// Puts `value` under `key`, merging objects (and lists of objects) asked for twice, as
/// async-graphql does.
fn insert_value(target: &mut IndexMap<Name, Value>, key: Name, value: Value) {
    let Some(previous) = target.get_mut(&key) else {
        target.insert(key, value);
        return;
    };
    match (previous, value) {
        (Value::Object(previous), Value::Object(value)) => {
            for (key, value) in value {
                insert_value(previous, key, value);
            }
        }
        (Value::List(previous), Value::List(value)) => {
            for (previous, value) in previous.iter_mut().zip(value) {
                if let (Value::Object(previous), Value::Object(value)) = (previous, value) {
                    for (key, value) in value {
                        insert_value(previous, key, value);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Makes `$outer` (a row's newtype, which derefs to the row) the GraphQL object whose fields
/// `$inner<'a>(&'a …)` defines with `#[Object(name = …)]`: `$outer` answers its
/// [`DirectFields`] in place and every other field through `$inner`, built from `&$outer` (or,
/// by deref, from `&row`).
macro_rules! direct_object {
    // A member of the `Node` interface, which calls its members' `id` by name: the global id of
    // the row's `id`.
    (node $outer:ident $(: $row:ty)? => $inner:ident) => {
        $crate::graphql::direct::direct_object!($outer $(: $row)? => $inner);

        impl $outer {
            /// The global id, for the `Node` interface.
            pub async fn id(&self, _: &async_graphql::Context<'_>) -> async_graphql::Result<async_graphql::ID> {
                Ok(<Self as $crate::graphql::node::NodeKind>::global_id(self.id.into()))
            }
        }
    };
    // `$outer(row)`: derefs to `$row`.
    ($outer:ident : $row:ty => $inner:ident) => {
        impl std::ops::Deref for $outer {
            type Target = $row;

            fn deref(&self) -> &$row {
                &self.0
            }
        }

        $crate::graphql::direct::direct_object!($outer => $inner);
    };
    ($outer:ident => $inner:ident) => {
        impl async_graphql::OutputType for $outer {
            fn type_name() -> std::borrow::Cow<'static, str> {
                <$inner<'static> as async_graphql::OutputType>::type_name()
            }

            fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
                <$inner<'static> as async_graphql::OutputType>::create_type_info(registry)
            }

            async fn resolve(
                &self,
                ctx: &async_graphql::ContextSelectionSet<'_>,
                _field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
            ) -> async_graphql::ServerResult<async_graphql::Value> {
                $crate::graphql::direct::resolve(ctx, self).await
            }
        }

        impl async_graphql::ContainerType for $outer {
            async fn resolve_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::ServerResult<Option<async_graphql::Value>> {
                let fields = $inner(self);
                async_graphql::ContainerType::resolve_field(&fields, ctx).await
            }
        }

        impl async_graphql::ObjectType for $outer {}
    };
}

pub(crate) use direct_object;

//! Global object identification: opaque ids (`base64url("Kind:uuid")`) and [`NodeKind`], which
//! each area implements for its objects. The `Node` interface and the `node(id:)` dispatch over
//! every kind are the schema assembly's (`crate::schema::node`): only it knows every area.

use async_graphql::{Context, ID};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::ids::TypedId;
use crate::messages::{Message, MessageKey};

/// The global id of the object of type `kind` with the database id `id`.
pub fn encode(kind: &str, id: Uuid) -> ID {
    ID(crate::ids::encode_global(kind, id))
}

/// The global id of a typed id.
pub fn global_id<I: TypedId>(id: I) -> ID {
    encode(I::KIND, id.uuid())
}

/// Splits a global id into type name and database id.
pub fn decode(id: &str) -> Option<(String, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((kind.to_owned(), Uuid::parse_str(uuid).ok()?))
}

/// The typed id inside a global id that must name an object of `I`'s kind; BAD_USER_INPUT on
/// `field` otherwise.
pub fn decode_as<I: TypedId>(field: &str, id: &ID) -> AppResult<I> {
    match decode(id) {
        Some((actual, uuid)) if actual == I::KIND => Ok(I::from(uuid)),
        _ => Err(AppError::bad_input(
            field,
            Message::new(MessageKey::WrongIdKind)
                .with("field", field)
                .with("kind", I::KIND),
        )),
    }
}

/// A kind of object with a global id. Each area implements it for its objects, deciding in its
/// service who may see one; `node(id:)` only dispatches on the kind.
#[async_trait::async_trait]
pub trait NodeKind: Sized {
    /// The object's typed id.
    type Id: TypedId;

    /// The type name inside the object's global ids.
    const KIND: &'static str = <Self::Id as TypedId>::KIND;

    /// The object with this id, if it exists and the viewer may see it.
    async fn load(ctx: &Context<'_>, id: Self::Id) -> AppResult<Option<Self>>;

    /// The global id of the object with the id `id`.
    fn global_id(id: Self::Id) -> ID {
        global_id(id)
    }

    /// The typed id inside `id`, which must be a global id of this kind (BAD_USER_INPUT on
    /// `field` otherwise).
    fn decode(field: &str, id: &ID) -> AppResult<Self::Id> {
        decode_as(field, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{PostId, ThreadId};

    #[test]
    fn a_global_id_decodes_only_as_its_kind() {
        let thread = ThreadId::new();
        let id = global_id(thread);
        assert_eq!(decode_as::<ThreadId>("threadId", &id).ok(), Some(thread));
        assert!(decode_as::<PostId>("postId", &id).is_err());
        assert_eq!(decode(&id), Some(("ForumThread".to_owned(), thread.uuid())));
    }
}

//! Fields that a lower area's object shows and a higher area answers: the one way a type can
//! point up without its module naming the area above.
//!
//! `Municipality.indicators` is a field of the directory's `Municipality`, but its values and
//! their type (`IndicatorValue`, which itself shows the municipality) are the indicators
//! area's, which builds on the directory. The directory declares the field's type by name
//! ([`Declared`]: `[IndicatorValue!]!`, and what the answer needs, its key) and returns a
//! [`Later`] holding the key; the schema assembly registers the indicators area's [`Answer`]
//! for that declaration ([`Answers::insert`]) and the real `IndicatorValue` type
//! (`SchemaBuilder::register_output_type`). The SDL is the same as if the directory had named
//! the type; a missing answer is an internal error (and a test of the assembly).

use std::any::{Any, TypeId};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerError, ServerResult, Value};

/// A field type that a higher area defines: declared here by its name.
pub trait Declared: Send + Sync + 'static {
    /// The named type (`IndicatorValue`).
    const NAME: &'static str;
    /// The field's type as SDL writes it (`[IndicatorValue!]!`).
    const TYPE: &'static str;
    /// What the answering area needs to know.
    type Key: Send + Sync + 'static;
}

/// A higher area's answer to a [`Declared`] field: resolves the key's value on the field's
/// selection set, as the real type's `OutputType::resolve` would.
#[async_trait::async_trait]
pub trait Answer<D: Declared>: Send + Sync + 'static {
    async fn answer(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
        key: &D::Key,
    ) -> ServerResult<Value>;
}

/// The answers the assembly registered, by declaration; schema data.
#[derive(Default)]
pub struct Answers(HashMap<TypeId, Box<dyn Any + Send + Sync>>);

impl Answers {
    /// Registers the answer to `D`.
    pub fn insert<D: Declared>(&mut self, answer: impl Answer<D>) -> &mut Self {
        let answer: Arc<dyn Answer<D>> = Arc::new(answer);
        self.0.insert(TypeId::of::<D>(), Box::new(answer));
        self
    }

    /// The answer to `D`, if registered.
    pub fn get<D: Declared>(&self) -> Option<&Arc<dyn Answer<D>>> {
        self.0
            .get(&TypeId::of::<D>())
            .and_then(|answer| answer.downcast_ref::<Arc<dyn Answer<D>>>())
    }

    /// Whether `D` has an answer.
    pub fn answers<D: Declared>(&self) -> bool {
        self.get::<D>().is_some()
    }
}

/// The value of a [`Declared`] field: the key, answered when the field is resolved.
pub struct Later<D: Declared>(pub D::Key);

impl<D: Declared> OutputType for Later<D> {
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(D::NAME)
    }

    fn qualified_type_name() -> String {
        D::TYPE.to_owned()
    }

    /// The type itself is registered by the assembly (which knows it); the field names it.
    fn create_type_info(_registry: &mut Registry) -> String {
        D::TYPE.to_owned()
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        let answer = ctx.data_opt::<Answers>().and_then(Answers::get::<D>).ok_or_else(|| {
            let missing = anyhow::anyhow!("the declared field type {} has no answer registered", D::TYPE);
            field_error(ctx, field, crate::error::AppError::internal(missing))
        })?;
        answer.answer(ctx, field, &self.0).await
    }
}

/// An answer's error, placed on the field it answers (as a resolver's error would be).
pub fn field_error(
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
    error: impl Into<async_graphql::Error>,
) -> ServerError {
    ctx.set_error_path(error.into().into_server_error(field.pos))
}

/// `attachments` of an object whose files the documents area keeps (a practice, an event, a
/// post): declared by the object's area with its typed id as the key, answered by the
/// documents area, which builds on those areas.
pub struct AttachmentsOf<I>(std::marker::PhantomData<I>);

impl<I: crate::ids::TypedId> Declared for AttachmentsOf<I> {
    const NAME: &'static str = "Attachment";
    const TYPE: &'static str = "[Attachment!]!";
    type Key = I;
}

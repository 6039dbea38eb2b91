//! The `Upload` scalar of the GraphQL multipart request specification, read safely. A file
//! arrives as a part of a multipart request, and the variable that names it holds a reference
//! the server wrote (`#__graphql_file__:N`). async-graphql's own `Upload` trusts that reference:
//! a client that writes one itself into a JSON request (or a number past the files sent) would
//! make it panic. This one refuses such a value as an ordinary input error.

use std::borrow::Cow;
use std::sync::Arc;

use async_graphql::registry::{MetaType, MetaTypeId, Registry};
use async_graphql::{Context, InputType, InputValueError, InputValueResult, Value};
use axum::body::Bytes;

/// What the server writes into a variable for the file of part N.
const PREFIX: &str = "#__graphql_file__:";

/// A file sent with the request as a multipart part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileUpload(usize);

impl FileUpload {
    /// The file's bytes; none when the request carries no file at this place (a JSON request
    /// cannot carry files).
    pub fn content(&self, ctx: &Context<'_>) -> Option<Bytes> {
        let file = ctx.query_env.uploads.get(self.0)?;
        file.try_clone().ok().map(|file| file.content)
    }

    /// The file's name as the client sent it (untrusted: clean it before use).
    pub fn filename(&self, ctx: &Context<'_>) -> Option<String> {
        Some(ctx.query_env.uploads.get(self.0)?.filename.clone())
    }
}

impl InputType for FileUpload {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed("Upload")
    }

    fn create_type_info(registry: &mut Registry) -> String {
        registry.create_input_type::<Self, _>(MetaTypeId::Scalar, |_| MetaType::Scalar {
            name: Self::type_name().to_string(),
            description: Some(
                "A file sent as a part of a GraphQL multipart request (`multipart/form-data` with \
                 `operations`, `map` and the files), as Apollo Upload Client, urql and graphql-request send it."
                    .to_string(),
            ),
            is_valid: Some(Arc::new(|value| matches!(value, Value::String(_)))),
            visible: None,
            inaccessible: false,
            tags: Default::default(),
            specified_by_url: Some("https://github.com/jaydenseric/graphql-multipart-request-spec".to_string()),
            directive_invocations: Default::default(),
            requires_scopes: Default::default(),
        })
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        let value = value.unwrap_or_default();
        if let Value::String(text) = &value
            && let Some(Ok(index)) = text.strip_prefix(PREFIX).map(str::parse::<usize>)
        {
            return Ok(FileUpload(index));
        }
        Err(InputValueError::custom(
            "a file: send the request as multipart/form-data with the file as a part",
        ))
    }

    fn to_value(&self) -> Value {
        Value::Null
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

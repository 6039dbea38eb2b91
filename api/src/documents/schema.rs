//! GraphQL of documents: the `Attachment` object, attaching, changing and removing files, and
//! the answers to `attachments` of practices, events and posts (which those areas declare, see
//! [`crate::graphql::later`]).

mod attachment;
mod inputs;
mod nodes;

use async_graphql::parser::types::Field;
use async_graphql::{Context, ContextSelectionSet, ID, Object, OutputType, Positioned, ServerResult, Value};

pub use attachment::*;
pub use inputs::*;

use crate::documents::loaders::DocumentLoaders;
use crate::documents::service::{self, AttachmentChange, NewAttachment, Store, Target};
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::later::{Answer, AttachmentsOf, field_error};
use crate::graphql::node::{NodeKind, decode};
use crate::ids::{EventId, PostId, PracticeId, TypedId};
use crate::messages::{Message, MessageKey};

/// Mutations of documents.
#[derive(Default)]
pub struct DocumentsMutation;

/// The target a global id names: a practice, an event or a post.
fn target_of(field: &str, id: &ID) -> AppResult<Target> {
    let wrong = || {
        AppError::bad_input(
            field,
            Message::new(MessageKey::AttachmentTargetKind).with("field", field),
        )
    };
    let (kind, uuid) = decode(id).ok_or_else(wrong)?;
    Ok(match kind.as_str() {
        PracticeId::KIND => Target::Practice(uuid.into()),
        EventId::KIND => Target::Event(uuid.into()),
        PostId::KIND => Target::Post(uuid.into()),
        _ => return Err(wrong()),
    })
}

#[Object]
impl DocumentsMutation {
    /// Attaches a file to a good practice or a training event (their editors) or to a forum
    /// post (its author and moderators). Send it as a GraphQL multipart request with the header
    /// `Apollo-Require-Preflight: true`. A file of another type is BAD_USER_INPUT on
    /// `input.file`, one past the agency's storage quota QUOTA_EXCEEDED; nothing is stored then.
    async fn add_attachment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file and what it belongs to.")] input: AddAttachmentInput,
    ) -> async_graphql::Result<Attachment> {
        let state = ctx.state()?;
        let new = NewAttachment {
            target: target_of("input.targetId", &input.target_id)?,
            filename: input.file.filename(ctx),
            bytes: input.file.content(ctx),
            title: input.title,
            kind: input.kind.map(Into::into),
        };
        let store = Store {
            writer: &state.writer,
            storage: &state.storage,
            config: &state.config.storage,
        };
        let row = service::add_attachment(store, ctx.viewer()?, new).await?;
        let shown = service::attachment_for_viewer(state.conn(), ctx.viewer()?, row.id.into())
            .await?
            .ok_or_else(|| AppError::not_found(MessageKey::NoSuchAttachment))?;
        Ok(Attachment(shown))
    }

    /// Changes an attachment's title, kind or place (who may attach files to its item).
    async fn update_attachment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What changes.")] input: UpdateAttachmentInput,
    ) -> async_graphql::Result<Attachment> {
        let state = ctx.state()?;
        let change = AttachmentChange {
            id: Attachment::decode("input.id", &input.id)?,
            title: input.title.into(),
            kind: input.kind.map(Into::into),
            position: input.position,
        };
        let row = service::update_attachment(&state.writer, ctx.viewer()?, change).await?;
        let shown = service::attachment_for_viewer(state.conn(), ctx.viewer()?, row.id.into())
            .await?
            .ok_or_else(|| AppError::not_found(MessageKey::NoSuchAttachment))?;
        Ok(Attachment(shown))
    }

    /// Removes an attachment (who may attach files to its item); its bytes leave the store when
    /// nothing else refers to them. Answers its id.
    async fn remove_attachment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The attachment's global id.")] id: ID,
    ) -> async_graphql::Result<ID> {
        let state = ctx.state()?;
        let id = Attachment::decode("id", &id)?;
        let removed = service::remove_attachment(&state.writer, &state.storage, ctx.viewer()?, id).await?;
        Ok(Attachment::global_id(removed))
    }
}

/// The documents' answer to `attachments` of practices, events and posts: each response's
/// targets load together.
pub struct AttachmentsOfTarget;

async fn attachments(ctx: &ContextSelectionSet<'_>, target: Target) -> AppResult<Vec<Attachment>> {
    let shown = ctx.loaders::<DocumentLoaders>()?.attachments(target).await?;
    Ok(shown.into_iter().map(Attachment).collect())
}

macro_rules! answer {
    ($id:ty, $variant:ident) => {
        #[async_trait::async_trait]
        impl Answer<AttachmentsOf<$id>> for AttachmentsOfTarget {
            async fn answer(
                &self,
                ctx: &ContextSelectionSet<'_>,
                field: &Positioned<Field>,
                key: &$id,
            ) -> ServerResult<Value> {
                let list = attachments(ctx, Target::$variant(*key))
                    .await
                    .map_err(|error| field_error(ctx, field, error))?;
                list.resolve(ctx, field).await
            }
        }
    };
}

answer!(PracticeId, Practice);
answer!(EventId, Event);
answer!(PostId, Post);

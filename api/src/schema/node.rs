//! The `Node` interface over every kind of object with a global id, and the `node(id:)` /
//! `nodes(ids:)` root fields. The one list of kinds below makes both the interface's members
//! and the dispatch; each kind's loading (and who may see it) is its area's
//! ([`NodeKind::load`]).

use async_graphql::{Context, ID, Interface, Object};

use crate::accompaniment::schema::{AgreementActivity, AgreementGoal, AgreementReview};
use crate::curation::schema::{Portal, PortalCollection};
use crate::directory::schema::{Agency, Agreement, Municipality, Programme, ProgrammeParticipation, Topic};
use crate::documents::schema::Attachment;
use crate::error::{AppError, AppResult};
use crate::events::schema::{EventQuota, Registration, TrainingEvent};
use crate::forums::schema::{Forum, ForumPost, ForumThread};
use crate::graphql::node::{NodeKind, decode};
use crate::indicators::schema::Indicator;
use crate::members::schema::{ApiClient, ApiKey, Member};
use crate::messages::{Message, MessageKey};
use crate::practices::schema::GoodPractice;
use crate::webhooks::schema::{Webhook, WebhookDelivery};

/// Declares the `Node` interface with `$kind` as its members, and `load`, which loads the
/// object of a kind and id as a `Node`.
macro_rules! nodes {
    ($($kind:ident),* $(,)?) => {
        /// An object with a global id, fetchable with `node(id:)`.
        #[derive(Interface)]
        #[graphql(field(
            name = "id",
            ty = "ID",
            desc = "The object's global id: opaque, stable, the same on every server."
        ))]
        #[allow(
            clippy::large_enum_variant,
            reason = "async-graphql unions and interfaces hold their objects by value; one exists per resolved item"
        )]
        pub enum Node {
            $($kind($kind),)*
        }

        /// The object of kind `kind` with the database id `uuid`, if the viewer may see it.
        async fn load(ctx: &Context<'_>, kind: &str, uuid: uuid::Uuid) -> AppResult<Option<Node>> {
            Ok(match kind {
                $(k if k == <$kind as NodeKind>::KIND => {
                    <$kind as NodeKind>::load(ctx, uuid.into()).await?.map(Node::$kind)
                })*
                _ => None,
            })
        }
    };
}

nodes![
    Agency,
    Municipality,
    Topic,
    Programme,
    ProgrammeParticipation,
    Agreement,
    AgreementGoal,
    AgreementActivity,
    AgreementReview,
    Member,
    ApiClient,
    ApiKey,
    GoodPractice,
    TrainingEvent,
    EventQuota,
    Registration,
    Forum,
    ForumThread,
    ForumPost,
    Indicator,
    Portal,
    PortalCollection,
    Webhook,
    WebhookDelivery,
    Attachment,
];

/// The largest number of ids `nodes(ids:)` resolves at once.
const MAX_NODES: usize = 100;

/// Root fields resolving global ids.
#[derive(Default)]
pub struct NodeQuery;

async fn resolve(ctx: &Context<'_>, id: &str) -> AppResult<Option<Node>> {
    match decode(id) {
        Some((kind, uuid)) => load(ctx, &kind, uuid).await,
        None => Ok(None),
    }
}

/// Root fields resolving global ids.
#[Object]
impl NodeQuery {
    /// The object with this global id, or null if there is none (or the viewer may not see it).
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        Ok(resolve(ctx, &id).await?)
    }

    /// The objects with these global ids, in the same order; null where there is none.
    /// At most 100 ids.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids (at most 100).")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(AppError::bad_input("ids", Message::new(MessageKey::TooManyIds).with("max", MAX_NODES)).into());
        }
        let lookups = ids.iter().map(|id| resolve(ctx, id));
        let nodes = futures::future::try_join_all(lookups).await?;
        Ok(nodes)
    }
}

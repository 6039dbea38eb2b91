//! Global object identification: opaque ids (`base64url("Type:uuid")`), the `Node` interface and
//! the `node(id:)` / `nodes(ids:)` root fields.

use async_graphql::{Context, ID, Interface, Object};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::directory::schema::{Agency, Agreement, Municipality, Programme, ProgrammeParticipation, Topic};
use crate::error::{AppError, AppResult};
use crate::events::schema::{Registration, TrainingEvent};
use crate::forums::schema::{Forum, ForumPost, ForumThread};
use crate::indicators::schema::Indicator;
use crate::members::schema::{ApiClient, ApiKey, Member};
use crate::messages::{Message, MessageKey};
use crate::portals::schema::{Portal, PortalCollection};
use crate::practices::schema::GoodPractice;

/// The global id of the object of type `kind` with the database id `id`.
pub fn encode(kind: &str, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Splits a global id into type name and database id.
pub fn decode(id: &str) -> Option<(String, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((kind.to_owned(), Uuid::parse_str(uuid).ok()?))
}

/// The database id of a global id that must name an object of type `kind`; BAD_USER_INPUT on
/// `field` otherwise. For kinds without a [`NodeKind`] (notifications); the rest use
/// [`NodeKind::decode`].
pub fn decode_as(field: &str, id: &ID, kind: &str) -> AppResult<Uuid> {
    match decode(id) {
        Some((actual, uuid)) if actual == kind => Ok(uuid),
        _ => Err(AppError::bad_input(
            field,
            Message::new(MessageKey::WrongIdKind)
                .with("field", field)
                .with("kind", kind),
        )),
    }
}

/// A kind of object with a global id. Each area implements it for its objects, deciding in its
/// service who may see one; `node(id:)` only dispatches on the kind.
#[async_trait::async_trait]
pub trait NodeKind: Sized {
    /// The type name inside the object's global ids.
    const KIND: &'static str;

    /// The object with this database id, if it exists and the viewer may see it.
    async fn load(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Self>>;

    /// The global id of the object with the database id `id`.
    fn global_id(id: Uuid) -> ID {
        encode(Self::KIND, id)
    }

    /// The database id inside `id`, which must be a global id of this kind (BAD_USER_INPUT on
    /// `field` otherwise).
    fn decode(field: &str, id: &ID) -> AppResult<Uuid> {
        decode_as(field, id, Self::KIND)
    }
}

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global id: opaque, stable, the same on every server."
))]
#[expect(
    clippy::large_enum_variant,
    reason = "async-graphql unions and interfaces hold their objects by value; one exists per resolved item"
)]
pub enum Node {
    Agency(Agency),
    Municipality(Municipality),
    Topic(Topic),
    Programme(Programme),
    ProgrammeParticipation(ProgrammeParticipation),
    Agreement(Agreement),
    Member(Member),
    ApiClient(ApiClient),
    ApiKey(ApiKey),
    GoodPractice(GoodPractice),
    TrainingEvent(TrainingEvent),
    Registration(Registration),
    Forum(Forum),
    ForumThread(ForumThread),
    ForumPost(ForumPost),
    Indicator(Indicator),
    Portal(Portal),
    PortalCollection(PortalCollection),
}

/// The largest number of ids `nodes(ids:)` resolves at once.
const MAX_NODES: usize = 100;

/// Root fields resolving global ids.
#[derive(Default)]
pub struct NodeQuery;

/// Loads the object of the first listed kind whose name is `kind`, wrapped as a [`Node`].
macro_rules! dispatch {
    ($ctx:expr, $kind:expr, $uuid:expr, [$($variant:ident),* $(,)?]) => {
        match $kind {
            $(k if k == $variant::KIND => $variant::load($ctx, $uuid).await?.map(Node::$variant),)*
            _ => None,
        }
    };
}

async fn resolve(ctx: &Context<'_>, id: &str) -> AppResult<Option<Node>> {
    let Some((kind, uuid)) = decode(id) else {
        return Ok(None);
    };
    Ok(dispatch!(
        ctx,
        kind.as_str(),
        uuid,
        [
            Agency,
            Municipality,
            Topic,
            Programme,
            ProgrammeParticipation,
            Agreement,
            Member,
            ApiClient,
            ApiKey,
            GoodPractice,
            TrainingEvent,
            Registration,
            Forum,
            ForumThread,
            ForumPost,
            Indicator,
            Portal,
            PortalCollection,
        ]
    ))
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

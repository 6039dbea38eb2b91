//! Global object identification: opaque ids (`base64url("Type:uuid")`), the `Node` interface and
//! the `node(id:)` / `nodes(ids:)` root fields.

use async_graphql::{Context, ID, Interface, Object};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::ContextExt;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, Agreement, Municipality, Programme, ProgrammeParticipation, Topic};
use crate::error::{AppError, AppResult};
use crate::events::loaders::EventLoaders;
use crate::events::schema::{Registration, TrainingEvent};
use crate::forums::schema::{Forum, ForumPost, ForumThread};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::{ApiClient, ApiKey, Member};
use crate::practices::loaders::PracticeLoaders;
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
/// `field` otherwise.
pub fn decode_as(field: &str, id: &ID, kind: &str) -> AppResult<Uuid> {
    match decode(id) {
        Some((actual, uuid)) if actual == kind => Ok(uuid),
        _ => Err(AppError::bad_input(field, format!("{field} is not the id of a {kind}"))),
    }
}

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global id: opaque, stable, the same on every server."
))]
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
}

/// The largest number of ids `nodes(ids:)` resolves at once.
const MAX_NODES: usize = 100;

/// Root fields resolving global ids.
#[derive(Default)]
pub struct NodeQuery;

async fn resolve(ctx: &Context<'_>, id: &str) -> AppResult<Option<Node>> {
    let Some((kind, uuid)) = decode(id) else {
        return Ok(None);
    };
    let directory = ctx.get::<DirectoryLoaders>()?;
    let node = match kind.as_str() {
        Agency::KIND => directory.agency(uuid).await?.map(|m| Node::Agency(m.into())),
        Municipality::KIND => directory
            .municipality(uuid)
            .await?
            .map(|m| Node::Municipality(m.into())),
        Topic::KIND => directory.topic(uuid).await?.map(|m| Node::Topic(m.into())),
        Programme::KIND => directory.programme(uuid).await?.map(|m| Node::Programme(m.into())),
        ProgrammeParticipation::KIND => {
            let state = ctx.state()?;
            crate::directory::service::participation_by_id(state.conn(), uuid)
                .await?
                .map(|m| Node::ProgrammeParticipation(m.into()))
        }
        Agreement::KIND => {
            let state = ctx.state()?;
            crate::directory::service::agreement_by_id(state.conn(), uuid)
                .await?
                .map(|m| Node::Agreement(m.into()))
        }
        Member::KIND => ctx
            .get::<MemberLoaders>()?
            .member(uuid)
            .await?
            .map(|m| Node::Member(m.into())),
        // API clients and keys are an agency's business: only its administrators see them.
        ApiClient::KIND => {
            let state = ctx.state()?;
            crate::members::service::api_client_by_id(state.conn(), uuid)
                .await?
                .filter(|client| {
                    ctx.viewer()
                        .is_ok_and(|viewer| viewer.is_agency_admin(client.agency_id))
                })
                .map(|m| Node::ApiClient(m.into()))
        }
        ApiKey::KIND => {
            let state = ctx.state()?;
            let viewer = ctx.viewer()?;
            match crate::members::service::api_key_by_id(state.conn(), uuid).await? {
                Some(key) => crate::members::service::api_client_by_id(state.conn(), key.api_client_id)
                    .await?
                    .filter(|client| viewer.is_agency_admin(client.agency_id))
                    .map(|_| Node::ApiKey(key.into())),
                None => None,
            }
        }
        GoodPractice::KIND => {
            let viewer = ctx.viewer()?;
            ctx.get::<PracticeLoaders>()?
                .practice(uuid)
                .await?
                .filter(|practice| crate::practices::service::visible(viewer, practice))
                .map(|m| Node::GoodPractice(m.into()))
        }
        TrainingEvent::KIND => ctx
            .get::<EventLoaders>()?
            .event(uuid)
            .await?
            .map(|m| Node::TrainingEvent(m.into())),
        // A registration is the member's and the organisers' business.
        Registration::KIND => {
            let events = ctx.get::<EventLoaders>()?;
            match events.registration(uuid).await? {
                Some(registration) => events
                    .event(registration.event_id)
                    .await?
                    .filter(|event| {
                        ctx.viewer().is_ok_and(|viewer| {
                            crate::events::service::may_see_registration(viewer, &registration, event)
                        })
                    })
                    .map(|_| Node::Registration(registration.into())),
                None => None,
            }
        }
        // Forums, threads and posts the viewer may not read do not exist for them.
        Forum::KIND => {
            let (state, viewer) = (ctx.state()?, ctx.viewer()?);
            crate::forums::service::found(crate::forums::service::readable_forum(state.conn(), viewer, uuid).await)?
                .map(|(forum, _)| Node::Forum(forum.into()))
        }
        ForumThread::KIND => {
            let (state, viewer) = (ctx.state()?, ctx.viewer()?);
            crate::forums::service::found(crate::forums::service::readable_thread(state.conn(), viewer, uuid).await)?
                .map(|(thread, _, _)| Node::ForumThread(thread.into()))
        }
        ForumPost::KIND => {
            let (state, viewer) = (ctx.state()?, ctx.viewer()?);
            crate::forums::service::readable_post(state.conn(), viewer, uuid)
                .await?
                .map(|post| Node::ForumPost(post.into()))
        }
        _ => None,
    };
    Ok(node)
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
            return Err(AppError::bad_input("ids", format!("at most {MAX_NODES} ids at once")).into());
        }
        let lookups = ids.iter().map(|id| resolve(ctx, id));
        let nodes = futures::future::try_join_all(lookups).await?;
        Ok(nodes)
    }
}

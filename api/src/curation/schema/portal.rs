//! The `Portal` object: settings, scope, collections, hidden items and reach.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use dkbm_entity::portal;

use super::collection::PortalCollection;
use super::items::{CuratedItem, load_item};
use crate::curation::service::may_curate;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, State, Topic};
use crate::error::{AppError, AppResult};
use crate::events::schema::EventFormat;
use crate::forums::loaders::ForumLoaders;
use crate::forums::schema::Forum;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::ids::{AgencyId, PortalId};
use crate::messages::{Message, MessageKey};
use crate::portals::loaders::PortalLoaders;
use crate::portals::service::{self, Portals, Scope};

/// The most items `popular` returns.
const MAX_POPULAR: i32 = 100;

/// One agency's front-end over the shared knowledge base: its publishable key, browser
/// origins, default scope, hidden items, collections and reach.
pub struct Portal(pub portal::Model);

impl From<portal::Model> for Portal {
    fn from(model: portal::Model) -> Self {
        Portal(model)
    }
}

impl Portal {
    /// The portal's typed id.
    fn portal_id(&self) -> PortalId {
        self.0.id.into()
    }
}

/// A period of reach counts.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReachPeriod {
    /// Today.
    Today,
    /// The last 7 days, today included.
    Last7Days,
    /// The last 30 days, today included.
    Last30Days,
    /// The last 365 days, today included.
    Last365Days,
}

impl ReachPeriod {
    fn days(self) -> i64 {
        match self {
            ReachPeriod::Today => 1,
            ReachPeriod::Last7Days => 7,
            ReachPeriod::Last30Days => 30,
            ReachPeriod::Last365Days => 365,
        }
    }
}

/// An item and how often it was opened in the portal in a period.
#[derive(SimpleObject)]
pub struct PopularItem {
    /// How often it was opened (counted views, no personal data).
    pub views: i64,
    /// The practice or event.
    pub node: CuratedItem,
}

/// A portal's default scope over the shared lists (empty lists do not narrow).
pub struct PortalScope(Scope);

/// A portal's default scope over the shared lists (empty lists do not narrow).
#[Object]
impl PortalScope {
    /// Good practices in any of these states.
    async fn states(&self) -> Vec<State> {
        self.0.states.iter().map(|s| (*s).into()).collect()
    }

    /// Practices and events with any of these topics.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let topics = ctx
            .loaders::<DirectoryLoaders>()?
            .topics_in_order(&self.0.topic_ids)
            .await?;
        Ok(topics.into_iter().map(Topic::from).collect())
    }

    /// Practices owned by, and events organised by, any of these agencies.
    async fn agencies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agency>> {
        let found = ctx
            .loaders::<DirectoryLoaders>()?
            .agencies(self.0.agency_ids.clone())
            .await?;
        Ok(self
            .0
            .agency_ids
            .iter()
            .filter_map(|id| found.get(id).cloned().map(Agency::from))
            .collect())
    }

    /// Training events in any of these formats.
    async fn event_formats(&self) -> Vec<EventFormat> {
        self.0.formats.iter().map(|f| (*f).into()).collect()
    }

    /// Only these forums.
    async fn forums(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Forum>> {
        let loaders = ctx.loaders::<ForumLoaders>()?;
        let forums = futures::future::try_join_all(self.0.forum_ids.iter().map(|id| loaders.forum(*id))).await?;
        Ok(forums.into_iter().flatten().map(Forum).collect())
    }
}

fn ensure_curator(ctx: &Context<'_>, portal: &portal::Model) -> AppResult<bool> {
    Ok(may_curate(ctx.viewer()?, portal))
}

/// One agency's front-end over the shared knowledge base: its publishable key, browser
/// origins, default scope, hidden items, collections and reach.
#[Object]
impl Portal {
    /// The portal's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.portal_id())
    }

    /// URL-safe name, unique.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The portal's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The agency that owns the portal.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(AgencyId::from(self.0.owner_agency_id))
            .await?
            .map(Agency::from))
    }

    /// The browser origins its front-end runs on (CORS allows them for requests naming the portal).
    async fn origins(&self) -> Vec<String> {
        service::origins_of(&self.0)
    }

    /// The publishable key (send it as `X-Portal-Key`): public, safe in browser code; it names
    /// the portal and grants nothing. Shown to the owner agency's editors only (null for others).
    async fn key(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(ensure_curator(ctx, &self.0)?.then(|| self.0.portal_key.clone()))
    }

    /// Until when the key before the last rotation is still accepted (the owner agency's editors only).
    async fn previous_key_expires_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(ensure_curator(ctx, &self.0)?
            .then_some(self.0.previous_key_expires_at)
            .flatten())
    }

    /// The default scope over the shared lists.
    async fn scope(&self) -> PortalScope {
        PortalScope(Scope::of(&self.0))
    }

    /// The version, raised by every change of the settings (pass it as `expectedVersion`).
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// When the portal was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its settings last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The portal's collections, oldest first.
    async fn collections(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PortalCollection>> {
        let rows = ctx.loaders::<PortalLoaders>()?.collections(self.portal_id()).await?;
        Ok(rows.into_iter().map(PortalCollection).collect())
    }

    /// The collection with this slug (null if the portal has none).
    async fn collection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The collection's slug.")] slug: String,
    ) -> async_graphql::Result<Option<PortalCollection>> {
        let rows = ctx.loaders::<PortalLoaders>()?.collections(self.portal_id()).await?;
        Ok(rows.into_iter().find(|c| c.slug == slug.trim()).map(PortalCollection))
    }

    /// The items hidden in this portal, newest first (the owner agency's editors only; empty for others).
    async fn hidden_items(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CuratedItem>> {
        if !ensure_curator(ctx, &self.0)? {
            return Ok(Vec::new());
        }
        let hidden = service::hidden_items(ctx.state()?.conn(), self.portal_id()).await?;
        let items = futures::future::try_join_all(hidden.into_iter().map(|item| load_item(ctx, item))).await?;
        Ok(items.into_iter().flatten().collect())
    }

    /// The practices and events opened most often in this portal in a period, most views first.
    async fn popular(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period (default LAST_30_DAYS).")] period: Option<ReachPeriod>,
        #[graphql(desc = "How many items (default 10, at most 100).")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<PopularItem>> {
        let first = first.unwrap_or(10);
        if first < 0 {
            return Err(AppError::bad_input("first", MessageKey::FirstNegative).into());
        }
        if first > MAX_POPULAR {
            return Err(AppError::bad_input(
                "first",
                Message::new(MessageKey::FirstTooLarge).with("max", MAX_POPULAR),
            )
            .into());
        }
        let days = period.unwrap_or(ReachPeriod::Last30Days).days();
        let limit = u64::try_from(first).unwrap_or(10);
        let reach = &ctx.get::<Portals>()?.reach;
        let rows = service::popular(&ctx.state()?.writer, reach, self.portal_id(), days, limit).await?;
        let nodes = futures::future::try_join_all(rows.iter().map(|(item, _)| load_item(ctx, *item))).await?;
        Ok(rows
            .into_iter()
            .zip(nodes)
            .filter_map(|((_, views), node)| Some(PopularItem { views, node: node? }))
            .collect())
    }
}

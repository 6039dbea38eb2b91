//! GraphQL of good practices: the list with search and facets, the editorial mutations, and
//! the partner sync (push, change feed, live changes).

mod classification;
mod connection;
mod details;
mod facets;
mod inputs;
mod nodes;
mod practice;
mod sync;
mod sync_report;
mod synced;

use async_graphql::{Context, ID, Object};

pub use classification::*;
pub use connection::*;
pub use details::*;
pub use facets::*;
pub use inputs::*;
pub use practice::*;
pub use sync::*;
pub use sync_report::*;
pub use synced::SyncedGoodPractice;

use super::service;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::indicators::service::Indicators;
use crate::pagination::PageArgs;
use crate::portals::schema::{PortalScopeMode, list_portal};

/// Root query fields of good practices.
#[derive(Default)]
pub struct PracticesQuery;

#[Object]
impl PracticesQuery {
    /// Good practices: published ones for everyone, drafts and archived ones for the owner
    /// agency's editors (ask with `filter.status`).
    #[expect(
        clippy::too_many_arguments,
        reason = "a root list's GraphQL arguments: paging, filter, order, portal"
    )]
    async fn good_practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many practices to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return practices after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many practices to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return practices before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<GoodPracticeFilter>,
        #[graphql(desc = "Ordering (default: RELEVANCE with a search, else PUBLISHED_AT newest first).")]
        order_by: Option<GoodPracticeOrder>,
        #[graphql(desc = "A portal's key: read the list through that portal (default: the request's X-Portal-Key).")]
        portal_key: Option<String>,
        #[graphql(
            desc = "PORTAL (default): the portal's scope and hidden items apply; ALL: the whole knowledge base."
        )]
        scope: Option<PortalScopeMode>,
    ) -> async_graphql::Result<GoodPracticeConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let mut filter: service::PracticeFilter = filter.unwrap_or_default().into();
        service::resolve_like(ctx.state()?.conn(), &ctx.get::<Indicators>()?.matrices, &mut filter).await?;
        filter.portal = list_portal(ctx, portal_key, scope).await?;
        let order = order_by.map(|order| (order.field.into(), order.direction.map(Into::into)));
        let columns = GoodPracticeConnection::columns_for(ctx);
        let page = service::list_practices(ctx.state()?.conn(), ctx.viewer()?, &filter, order, &page, columns).await?;
        Ok(GoodPracticeConnection::from(page))
    }

    /// The good practice with this slug (null if there is none the viewer may see).
    async fn good_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice's slug.")] slug: String,
    ) -> async_graphql::Result<Option<GoodPractice>> {
        Ok(service::practice_by_slug(ctx.state()?.conn(), ctx.viewer()?, &slug)
            .await?
            .map(GoodPractice::from))
    }

    /// Counts per topic, state, agency, target group and stage for a filter: a front-end's
    /// whole filter panel in one request.
    async fn good_practice_facets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The same filter as for goodPractices.")] filter: Option<GoodPracticeFilter>,
        #[graphql(desc = "A portal's key: read the list through that portal (default: the request's X-Portal-Key).")]
        portal_key: Option<String>,
        #[graphql(
            desc = "PORTAL (default): the portal's scope and hidden items apply; ALL: the whole knowledge base."
        )]
        scope: Option<PortalScopeMode>,
    ) -> async_graphql::Result<GoodPracticeFacets> {
        let mut filter: service::PracticeFilter = filter.unwrap_or_default().into();
        service::resolve_like(ctx.state()?.conn(), &ctx.get::<Indicators>()?.matrices, &mut filter).await?;
        filter.portal = list_portal(ctx, portal_key, scope).await?;
        Ok(GoodPracticeFacets(
            service::facets(ctx.state()?.conn(), ctx.viewer()?, &filter).await?,
        ))
    }
}

/// Mutations of good practices (editors of the owner agency, and administrators).
#[derive(Default)]
pub struct PracticesMutation;

#[Object]
impl PracticesMutation {
    /// Creates a good practice (a DRAFT unless `status: PUBLISHED`).
    async fn create_good_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice.")] input: CreateGoodPracticeInput,
    ) -> async_graphql::Result<GoodPractice> {
        let writer = &ctx.state()?.writer;
        let practice = service::create_practice(writer, ctx.viewer()?, input.into()).await?;
        Ok(GoodPractice::from(practice))
    }

    /// Changes a good practice. A stale `expectedVersion` answers CONFLICT with the current
    /// version in `extensions.currentVersion`, and changes nothing.
    async fn update_good_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice's global id.")] id: ID,
        #[graphql(desc = "The version the change was made on.")] expected_version: i64,
        #[graphql(desc = "The changes.")] input: UpdateGoodPracticeInput,
    ) -> async_graphql::Result<GoodPractice> {
        let id = GoodPractice::decode("id", &id)?;
        let writer = &ctx.state()?.writer;
        let practice = service::update_practice(writer, ctx.viewer()?, id, expected_version, input.into()).await?;
        Ok(GoodPractice::from(practice))
    }

    /// Publishes a draft or archived practice.
    async fn publish_good_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice's global id.")] id: ID,
        #[graphql(desc = "The version the decision was made on (optional).")] expected_version: Option<i64>,
    ) -> async_graphql::Result<GoodPractice> {
        let id = GoodPractice::decode("id", &id)?;
        let writer = &ctx.state()?.writer;
        let status = dkbm_entity::PracticeStatus::Published;
        Ok(GoodPractice::from(
            service::change_status(writer, ctx.viewer()?, id, expected_version, status).await?,
        ))
    }

    /// Archives a practice: it leaves the public list (partners' mirrors get a tombstone).
    async fn archive_good_practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practice's global id.")] id: ID,
        #[graphql(desc = "The version the decision was made on (optional).")] expected_version: Option<i64>,
    ) -> async_graphql::Result<GoodPractice> {
        let id = GoodPractice::decode("id", &id)?;
        let writer = &ctx.state()?.writer;
        let status = dkbm_entity::PracticeStatus::Archived;
        Ok(GoodPractice::from(
            service::change_status(writer, ctx.viewer()?, id, expected_version, status).await?,
        ))
    }
}

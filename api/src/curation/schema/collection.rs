//! A portal's collection and its items.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{portal_collection, portal_collection_item};

use super::items::{CuratedItem, load_item};
use crate::curation::service;
use crate::db::now;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::graphql::shape::RowOf;
use crate::ids::PortalId;
use crate::portals::loaders::PortalLoaders;
use crate::portals::service::ItemId;
use crate::practices::service::LISTED;

/// An ordered collection a portal features ("Unsere Empfehlungen"): practices and events, each
/// with an optional teaser and an optional date until which it is featured.
pub struct PortalCollection(pub portal_collection::Model);

/// An ordered collection a portal features ("Unsere Empfehlungen"): practices and events, each
/// with an optional teaser and an optional date until which it is featured.
#[Object]
impl PortalCollection {
    /// The collection's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// URL-safe name, unique within the portal.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What the collection is about.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// When its items were last set.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The items in the curators' order: those still featured, that exist and that the viewer
    /// may see. The portal's curators may ask for the expired ones too.
    async fn items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Also items whose featured time is over (the portal's curators only; default false).")]
        include_expired: Option<bool>,
    ) -> async_graphql::Result<Vec<PortalCollectionItem>> {
        let loaders = ctx.loaders::<PortalLoaders>()?;
        let portal_id = PortalId::from(self.0.portal_id);
        let mut include_expired = include_expired.unwrap_or(false);
        if include_expired {
            let portal = loaders.portal(portal_id).await?;
            let viewer = ctx.viewer()?;
            include_expired = portal.is_some_and(|portal| service::may_curate(viewer, &portal));
        }
        let at = now();
        let rows: Vec<portal_collection_item::Model> = loaders
            .items(self.0.id.into())
            .await?
            .into_iter()
            .filter(|row| include_expired || service::featured(row, at))
            .collect();
        // All items at once, so that their loaders batch: one statement per kind.
        let nodes = futures::future::try_join_all(rows.iter().map(|row| async move {
            match ItemId::stored(&row.item_kind, row.item_id) {
                Some(item) => load_item(ctx, item).await,
                None => Ok(None),
            }
        }))
        .await?;
        let items = rows
            .into_iter()
            .zip(nodes)
            .filter_map(|(row, node)| {
                Some(PortalCollectionItem {
                    row,
                    node: node?,
                    portal_id,
                })
            })
            .collect();
        Ok(items)
    }
}

/// One item of a collection.
pub struct PortalCollectionItem {
    row: portal_collection_item::Model,
    node: CuratedItem,
    portal_id: PortalId,
}

/// One item of a collection.
#[Object]
impl PortalCollectionItem {
    /// Its place in the collection, from 0.
    async fn position(&self) -> i32 {
        self.row.position
    }

    /// The collection's own teaser for the item, else the portal's teaser override of the
    /// practice, else the practice's summary (events: null without the collection's teaser).
    async fn teaser(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if let Some(teaser) = &self.row.teaser {
            return Ok(Some(teaser.clone()));
        }
        let CuratedItem::GoodPractice(practice) = &self.node else {
            return Ok(None);
        };
        let overridden = ctx
            .loaders::<PortalLoaders>()?
            .teaser(self.portal_id, practice.practice_id())
            .await?;
        Ok(Some(
            overridden
                .and_then(|o| o.teaser)
                .unwrap_or_else(|| practice.shaped().read(LISTED).summary.clone()),
        ))
    }

    /// The portal's image for the practice (null: none).
    async fn image_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let CuratedItem::GoodPractice(practice) = &self.node else {
            return Ok(None);
        };
        let overridden = ctx
            .loaders::<PortalLoaders>()?
            .teaser(self.portal_id, practice.practice_id())
            .await?;
        Ok(overridden.and_then(|o| o.image_url))
    }

    /// Featured until then (null: without end).
    async fn featured_until(&self) -> Option<DateTime<Utc>> {
        self.row.featured_until
    }

    /// The practice or event.
    async fn node(&self) -> &CuratedItem {
        &self.node
    }
}

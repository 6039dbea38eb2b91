//! GraphQL of curation: finding a portal (by the request's key, a key, or its slug), managing it
//! (agency administrators), curating it (agency editors) and counting its reach.

mod collection;
mod inputs;
mod items;
mod nodes;
mod portal;

use async_graphql::{Context, ID, Object};

pub use collection::*;
pub use inputs::*;
pub use items::CuratedItem;
pub use portal::*;

use crate::curation::service;
use crate::error::AppError;
use crate::graphql::node::NodeKind;
use crate::graphql::{ClientAddress, ContextExt};
use crate::messages::{Message, MessageKey};
use crate::pagination::PageArgs;
use crate::portals::schema::{list_portal, request_portal};
use crate::portals::service::{self as portals, ItemId, ItemKind, Portals};
use crate::practices::schema::GoodPractice;

crate::graphql::connection_type!(
    PortalConnection,
    PortalEdge,
    Portal,
    dkbm_entity::portal::Model,
    "A page of portals (a Relay connection with keyset cursors).",
    "A portal with its cursor."
);

/// Root query fields of portals.
#[derive(Default)]
pub struct CurationQuery;

#[Object]
impl CurationQuery {
    /// A portal: the one `key` or `slug` names, else the one the request names with its
    /// `X-Portal-Key` header (null without either).
    async fn portal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A publishable portal key.")] key: Option<String>,
        #[graphql(desc = "The portal's slug.")] slug: Option<String>,
    ) -> async_graphql::Result<Option<Portal>> {
        let db = ctx.state()?.conn();
        if let Some(slug) = slug {
            return Ok(portals::portal_by_slug(db, &slug).await?.map(Portal));
        }
        if let Some(key) = key {
            return Ok(Some(Portal(
                portals::require_portal_by_key(db, "key", &key).await?.portal,
            )));
        }
        Ok(request_portal(ctx).map(|view| Portal(view.portal.clone())))
    }

    /// Every portal, by slug.
    async fn portals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many portals to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return portals after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many portals to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return portals before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<PortalConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        Ok(PortalConnection(
            portals::list_portals(ctx.state()?.conn(), &page).await?,
        ))
    }
}

/// The item a global id names: a practice, an event or (unless it is to be `collectable`) a
/// forum; BAD_USER_INPUT on `field` otherwise.
fn curated(field: &str, id: &ID, collectable: bool) -> Result<ItemId, AppError> {
    match items::item_of(id) {
        Some(item) if !collectable || item.kind() != ItemKind::Forum => Ok(item),
        _ => {
            let key = if collectable {
                MessageKey::NotCollectable
            } else {
                MessageKey::NotCuratable
            };
            Err(AppError::bad_input(field, Message::new(key).with("field", field)))
        }
    }
}

/// Mutations of portals: the owner agency's administrators manage a portal, its editors curate it.
#[derive(Default)]
pub struct CurationMutation;

#[Object]
impl CurationMutation {
    /// Creates a portal of an agency with a fresh publishable key (the agency's administrators).
    async fn create_portal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The portal.")] input: CreatePortalInput,
    ) -> async_graphql::Result<Portal> {
        let origins = &ctx.get::<Portals>()?.origins;
        Ok(Portal(
            service::create_portal(&ctx.state()?.writer, origins, ctx.viewer()?, input.into()).await?,
        ))
    }

    /// Changes a portal's name, origins or scope (the agency's administrators). A stale
    /// `expectedVersion` answers CONFLICT with the current version and changes nothing.
    async fn update_portal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The portal's global id.")] id: ID,
        #[graphql(desc = "The version the change was made on.")] expected_version: i64,
        #[graphql(desc = "The changes.")] input: UpdatePortalInput,
    ) -> async_graphql::Result<Portal> {
        let id = Portal::decode("id", &id)?;
        let (writer, origins) = (&ctx.state()?.writer, &ctx.get::<Portals>()?.origins);
        Ok(Portal(
            service::update_portal(writer, origins, ctx.viewer()?, id, expected_version, input.into()).await?,
        ))
    }

    /// Gives a portal a new publishable key (the agency's administrators); the old one keeps
    /// working for `graceHours`.
    async fn rotate_portal_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The portal's global id.")] id: ID,
        #[graphql(desc = "Hours the old key keeps working (default 24, 0 to 168).")] grace_hours: Option<i32>,
    ) -> async_graphql::Result<Portal> {
        let id = Portal::decode("id", &id)?;
        let (writer, origins) = (&ctx.state()?.writer, &ctx.get::<Portals>()?.origins);
        Ok(Portal(
            service::rotate_portal_key(writer, origins, ctx.viewer()?, id, grace_hours.unwrap_or(24)).await?,
        ))
    }

    /// Hides a good practice, training event or forum in the portal's lists and search (the
    /// agency's editors). The item itself does not change.
    async fn hide_in_portal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The portal's global id.")] portal_id: ID,
        #[graphql(desc = "The global id of a good practice, training event or forum.")] item_id: ID,
    ) -> async_graphql::Result<Portal> {
        let portal_id = Portal::decode("portalId", &portal_id)?;
        let item = curated("itemId", &item_id, false)?;
        Ok(Portal(
            service::hide_in_portal(&ctx.state()?.writer, ctx.viewer()?, portal_id, item).await?,
        ))
    }

    /// Shows a hidden item in the portal again (the agency's editors).
    async fn unhide_in_portal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The portal's global id.")] portal_id: ID,
        #[graphql(desc = "The global id of a good practice, training event or forum.")] item_id: ID,
    ) -> async_graphql::Result<Portal> {
        let portal_id = Portal::decode("portalId", &portal_id)?;
        let item = curated("itemId", &item_id, false)?;
        Ok(Portal(
            service::unhide_in_portal(&ctx.state()?.writer, ctx.viewer()?, portal_id, item).await?,
        ))
    }

    /// Creates an empty collection in a portal (the agency's editors).
    async fn create_collection(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The collection.")] input: CreateCollectionInput,
    ) -> async_graphql::Result<PortalCollection> {
        let portal_id = Portal::decode("input.portalId", &input.portal_id)?;
        let new = service::NewCollection {
            slug: input.slug,
            title: input.title,
            description: input.description,
        };
        Ok(PortalCollection(
            service::create_collection(&ctx.state()?.writer, ctx.viewer()?, portal_id, new).await?,
        ))
    }

    /// Sets a collection's items, the whole ordered list at once (the agency's editors).
    async fn set_collection_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The collection's global id.")] collection_id: ID,
        #[graphql(desc = "The items in order (at most 100; each once).")] items: Vec<CollectionItemInput>,
    ) -> async_graphql::Result<PortalCollection> {
        let collection_id = PortalCollection::decode("collectionId", &collection_id)?;
        let mut list = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            list.push(service::CollectionItemInput {
                item: curated(&format!("items.{index}.itemId"), &item.item_id, true)?,
                teaser: item.teaser,
                featured_until: item.featured_until,
            });
        }
        Ok(PortalCollection(
            service::set_collection_items(&ctx.state()?.writer, ctx.viewer()?, collection_id, list).await?,
        ))
    }

    /// Sets or removes the portal's own teaser text and image for a practice, shown only in
    /// that portal (the agency's editors). The practice itself does not change.
    async fn set_portal_teaser(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The portal, the practice and the override.")] input: SetPortalTeaserInput,
    ) -> async_graphql::Result<Portal> {
        let portal_id = Portal::decode("input.portalId", &input.portal_id)?;
        let practice_id = GoodPractice::decode("input.practiceId", &input.practice_id)?;
        let teaser = service::TeaserOverride {
            teaser: input.teaser,
            image_url: input.image_url,
        };
        let writer = &ctx.state()?.writer;
        Ok(Portal(
            service::set_portal_teaser(writer, ctx.viewer()?, portal_id, practice_id, teaser).await?,
        ))
    }

    /// Counts one view of a practice or event in a portal (the request's `X-Portal-Key`, or
    /// `portalKey`): anyone may call it, nothing about the caller is stored. False when not
    /// counted (this address counted too many views this minute).
    async fn record_portal_view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id of a good practice or training event.")] item_id: ID,
        #[graphql(desc = "The portal's key, when the request does not send X-Portal-Key.")] portal_key: Option<String>,
    ) -> async_graphql::Result<bool> {
        let Some(view) = list_portal(ctx, portal_key, None).await? else {
            return Err(AppError::bad_input("portalKey", MessageKey::NoPortal).into());
        };
        let item = curated("itemId", &item_id, true)?;
        if items::load_item(ctx, item).await?.is_none() {
            return Err(
                AppError::bad_input("itemId", Message::new(MessageKey::NoSuchItem).with("field", "itemId")).into(),
            );
        }
        let address = ctx.data_opt::<ClientAddress>().and_then(|address| address.0);
        Ok(ctx.get::<Portals>()?.reach.record(view.id(), item, address))
    }
}

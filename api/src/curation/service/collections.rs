//! A portal's ordered collections of practices and events ("Unsere Empfehlungen"), each item
//! with an optional teaser and an optional date until which it is featured. The items are
//! always set as a whole, in order.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use dkbm_entity::{portal_collection, portal_collection_item};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::curation::{count_existing, lock_for_curation};
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{CollectionId, PortalId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::portals::service::{ItemId, ItemKind};
use crate::validate;

/// The most items of one collection.
pub const MAX_COLLECTION_ITEMS: usize = 100;

/// A new collection.
#[derive(Debug, Clone, Default)]
pub struct NewCollection {
    pub slug: String,
    pub title: String,
    pub description: String,
}

/// One item of a collection as the curator sets it.
#[derive(Debug, Clone)]
pub struct CollectionItemInput {
    /// A practice or an event.
    pub item: ItemId,
    pub teaser: Option<String>,
    pub featured_until: Option<DateTime<Utc>>,
}

/// Creates an (empty) collection in a portal (its agency's editors).
pub async fn create_collection(
    writer: &Writer,
    viewer: &Viewer,
    portal_id: PortalId,
    input: NewCollection,
) -> AppResult<portal_collection::Model> {
    let slug = validate::slug("input.slug", &input.slug)?;
    let title = validate::required_text("input.title", &input.title, 200)?;
    validate::max_chars("input.description", &input.description, 2000)?;
    let work = UnitOfWork::begin(writer).await?;
    lock_for_curation(&work, viewer, portal_id).await?;
    let at = now();
    let collection = portal_collection::ActiveModel {
        id: Set(Uuid::now_v7()),
        portal_id: Set(portal_id.uuid()),
        slug: Set(slug),
        title: Set(title),
        description: Set(input.description.trim().to_owned()),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::CollectionSlugTaken))?;
    work.commit().await?;
    Ok(collection)
}

/// Checks the items: not too many, each once, each a practice or event that exists (one
/// statement per kind).
async fn check_items(work: &UnitOfWork, items: &[CollectionItemInput]) -> AppResult<()> {
    if items.len() > MAX_COLLECTION_ITEMS {
        return Err(AppError::bad_input(
            "items",
            Message::new(MessageKey::AtMostEntries).with("max", MAX_COLLECTION_ITEMS),
        ));
    }
    let mut seen = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let field = format!("items.{index}.itemId");
        if !seen.insert(item.item.uuid()) {
            return Err(AppError::bad_input(
                &field,
                Message::new(MessageKey::ItemTwice).with("field", &field),
            ));
        }
        validate::optional_text(&format!("items.{index}.teaser"), item.teaser.as_deref(), 1000)?;
    }
    let ids: Vec<ItemId> = items.iter().map(|item| item.item).collect();
    for kind in [ItemKind::Practice, ItemKind::Event] {
        let wanted = ids.iter().filter(|item| item.kind() == kind).count() as u64;
        if count_existing(work, kind, &ids).await? != wanted {
            return Err(AppError::bad_input(
                "items",
                Message::new(MessageKey::NoSuchItem).with("field", "items"),
            ));
        }
    }
    Ok(())
}

/// Replaces a collection's items by `items`, in that order (its portal's agency's editors).
pub async fn set_collection_items(
    writer: &Writer,
    viewer: &Viewer,
    collection_id: CollectionId,
    items: Vec<CollectionItemInput>,
) -> AppResult<portal_collection::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let collection = work
        .lock(portal_collection::Entity::find_by_id(collection_id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchCollection))?;
    lock_for_curation(&work, viewer, collection.portal_id.into()).await?;
    check_items(&work, &items).await?;
    portal_collection_item::Entity::delete_many()
        .filter(portal_collection_item::Column::CollectionId.eq(collection_id))
        .exec(&work)
        .await?;
    let rows: Vec<portal_collection_item::ActiveModel> = items
        .into_iter()
        .enumerate()
        .map(|(position, item)| portal_collection_item::ActiveModel {
            collection_id: Set(collection_id.uuid()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            item_kind: Set(item.item.kind().as_str().to_owned()),
            item_id: Set(item.item.uuid()),
            teaser: Set(item.teaser.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())),
            featured_until: Set(item.featured_until),
        })
        .collect();
    if !rows.is_empty() {
        portal_collection_item::Entity::insert_many(rows)
            .exec_without_returning(&work)
            .await?;
    }
    let mut draft: portal_collection::ActiveModel = collection.into();
    draft.updated_at = Set(now());
    let collection = draft.update(&work).await?;
    work.commit().await?;
    Ok(collection)
}

/// Whether an item is still featured at `at` (no date: always).
pub fn featured(item: &portal_collection_item::Model, at: DateTime<Utc>) -> bool {
    item.featured_until.is_none_or(|until| until > at)
}

//! Finding portals: by their publishable key (current, or the previous one within its grace
//! period), by slug, the list, a portal's hidden items and its collections.

use dkbm_entity::{portal, portal_collection, portal_hidden};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::model::{ItemId, PortalView};
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::ids::PortalId;
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};

/// The longest key accepted (longer ones are not looked up).
const MAX_KEY_CHARS: usize = 64;

/// The portal with this publishable key: its current key, or the previous one while that is
/// still accepted after a rotation. One indexed statement.
pub async fn portal_by_key(db: &impl ConnectionTrait, key: &str) -> AppResult<Option<portal::Model>> {
    let key = key.trim();
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return Ok(None);
    }
    let previous = Condition::all()
        .add(portal::Column::PreviousKey.eq(key))
        .add(portal::Column::PreviousKeyExpiresAt.gt(now()));
    Ok(portal::Entity::find()
        .filter(Condition::any().add(portal::Column::PortalKey.eq(key)).add(previous))
        .one(db)
        .await?)
}

/// The portal a key names, or BAD_USER_INPUT on `field` (an unknown or expired key: a
/// front-end must not silently show the unscoped lists).
pub async fn require_portal_by_key(db: &impl ConnectionTrait, field: &str, key: &str) -> AppResult<PortalView> {
    portal_by_key(db, key)
        .await?
        .map(PortalView::new)
        .ok_or_else(|| AppError::bad_input(field, MessageKey::NoSuchPortalKey))
}

/// A portal by slug.
pub async fn portal_by_slug(db: &impl ConnectionTrait, slug: &str) -> AppResult<Option<portal::Model>> {
    Ok(portal::Entity::find()
        .filter(portal::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

/// A portal by id.
pub async fn portal_by_id(db: &impl ConnectionTrait, id: PortalId) -> AppResult<Option<portal::Model>> {
    Ok(portal::Entity::find_by_id(id).one(db).await?)
}

/// Every portal, by slug (portals are public: their names, scopes and collections are what
/// their front-ends show anyway).
pub async fn list_portals(db: &sea_orm::DatabaseConnection, page: &PageArgs) -> AppResult<Page<portal::Model>> {
    let select = portal::Entity::find();
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "PORTALS_SLUG".into(),
        keys: vec![
            (Expr::col((portal::Entity, portal::Column::Slug)), KeyKind::Str),
            (Expr::col((portal::Entity, portal::Column::Id)), KeyKind::Uuid),
        ],
        descending: false,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |p| vec![Key::Str(p.slug.clone()), Key::Uuid(p.id)]))
}

/// The items hidden in a portal (its curators' view), newest first.
pub async fn hidden_items(db: &impl ConnectionTrait, portal_id: PortalId) -> AppResult<Vec<ItemId>> {
    Ok(portal_hidden::Entity::find()
        .filter(portal_hidden::Column::PortalId.eq(portal_id))
        .order_by_desc(portal_hidden::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| ItemId::stored(&row.item_kind, row.item_id))
        .collect())
}

/// A portal's collections, oldest first.
pub async fn collections_of(
    db: &impl ConnectionTrait,
    portal_id: PortalId,
) -> AppResult<Vec<portal_collection::Model>> {
    Ok(portal_collection::Entity::find()
        .filter(portal_collection::Column::PortalId.eq(portal_id))
        .order_by_asc(portal_collection::Column::CreatedAt)
        .order_by_asc(portal_collection::Column::Id)
        .all(db)
        .await?)
}

/// A portal's collection by slug.
pub async fn collection_by_slug(
    db: &impl ConnectionTrait,
    portal_id: PortalId,
    slug: &str,
) -> AppResult<Option<portal_collection::Model>> {
    Ok(portal_collection::Entity::find()
        .filter(portal_collection::Column::PortalId.eq(portal_id))
        .filter(portal_collection::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?)
}

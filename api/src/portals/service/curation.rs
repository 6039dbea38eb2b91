//! Curation without copies (the owner agency's editors): hiding items in a portal, and a
//! portal's own teaser text and image for a practice. Only the portal's tables change; the
//! canonical record, its version and the change feed stay as they are.

use dkbm_entity::{forum, good_practice, portal, portal_hidden, portal_teaser, training_event};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::model::ItemKind;
use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::messages::{Message, MessageKey};
use crate::state::AppState;
use crate::validate;

/// Locks the portal for a curation and checks that the viewer curates it.
pub(super) async fn lock_for_curation(work: &UnitOfWork, viewer: &Viewer, portal_id: Uuid) -> AppResult<portal::Model> {
    let portal = work
        .lock(portal::Entity::find_by_id(portal_id))
        .await?
        .ok_or_else(|| AppError::not_found("no such portal"))?;
    ensure_agency_editor(viewer, portal.owner_agency_id)?;
    Ok(portal)
}

/// How many of `ids` exist as items of `kind` (one statement).
pub(super) async fn count_existing(db: &impl ConnectionTrait, kind: ItemKind, ids: Vec<Uuid>) -> AppResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(match kind {
        ItemKind::Practice => {
            good_practice::Entity::find()
                .filter(good_practice::Column::Id.is_in(ids))
                .count(db)
                .await?
        }
        ItemKind::Event => {
            training_event::Entity::find()
                .filter(training_event::Column::Id.is_in(ids))
                .count(db)
                .await?
        }
        ItemKind::Forum => {
            forum::Entity::find()
                .filter(forum::Column::Id.is_in(ids))
                .count(db)
                .await?
        }
    })
}

fn no_such_item(field: &str) -> AppError {
    AppError::bad_input(field, Message::new(MessageKey::NoSuchItem).with("field", field))
}

/// Hides a practice, event or forum in a portal's lists and search (again: nothing changes).
pub async fn hide_in_portal(
    state: &AppState,
    viewer: &Viewer,
    portal_id: Uuid,
    (kind, item_id): (ItemKind, Uuid),
) -> AppResult<portal::Model> {
    let work = UnitOfWork::begin(state).await?;
    let portal = lock_for_curation(&work, viewer, portal_id).await?;
    if count_existing(&work, kind, vec![item_id]).await? == 0 {
        return Err(no_such_item("itemId"));
    }
    portal_hidden::Entity::insert(portal_hidden::ActiveModel {
        portal_id: Set(portal_id),
        item_id: Set(item_id),
        item_kind: Set(kind.as_str().to_owned()),
        created_at: Set(now()),
    })
    .on_conflict(
        OnConflict::columns([portal_hidden::Column::PortalId, portal_hidden::Column::ItemId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&work)
    .await?;
    work.commit().await?;
    Ok(portal)
}

/// Shows a hidden item in the portal again (an item not hidden: nothing changes).
pub async fn unhide_in_portal(
    state: &AppState,
    viewer: &Viewer,
    portal_id: Uuid,
    item_id: Uuid,
) -> AppResult<portal::Model> {
    let work = UnitOfWork::begin(state).await?;
    let portal = lock_for_curation(&work, viewer, portal_id).await?;
    portal_hidden::Entity::delete_by_id((portal_id, item_id))
        .exec(&work)
        .await?;
    work.commit().await?;
    Ok(portal)
}

/// The ids of the items hidden in a portal (its curators' view), newest first.
pub async fn hidden_items(db: &impl ConnectionTrait, portal_id: Uuid) -> AppResult<Vec<(ItemKind, Uuid)>> {
    use sea_orm::QueryOrder;
    Ok(portal_hidden::Entity::find()
        .filter(portal_hidden::Column::PortalId.eq(portal_id))
        .order_by_desc(portal_hidden::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| Some((ItemKind::parse(&row.item_kind)?, row.item_id)))
        .collect())
}

/// A portal's own teaser for a practice; both `None` removes it (the canonical summary shows).
#[derive(Debug, Clone, Default)]
pub struct TeaserOverride {
    pub teaser: Option<String>,
    pub image_url: Option<String>,
}

/// Sets or removes a portal's teaser text and image for a practice.
pub async fn set_portal_teaser(
    state: &AppState,
    viewer: &Viewer,
    portal_id: Uuid,
    practice_id: Uuid,
    input: TeaserOverride,
) -> AppResult<portal::Model> {
    let teaser = validate::optional_text("input.teaser", input.teaser.as_deref(), 1000)?;
    let image_url = validate::optional_url("input.imageUrl", input.image_url.as_deref())?;
    let work = UnitOfWork::begin(state).await?;
    let portal = lock_for_curation(&work, viewer, portal_id).await?;
    if count_existing(&work, ItemKind::Practice, vec![practice_id]).await? == 0 {
        return Err(no_such_item("input.practiceId"));
    }
    if teaser.is_none() && image_url.is_none() {
        portal_teaser::Entity::delete_by_id((portal_id, practice_id))
            .exec(&work)
            .await?;
    } else {
        portal_teaser::Entity::insert(portal_teaser::ActiveModel {
            portal_id: Set(portal_id),
            practice_id: Set(practice_id),
            teaser: Set(teaser),
            image_url: Set(image_url),
            updated_at: Set(now()),
        })
        .on_conflict(
            OnConflict::columns([portal_teaser::Column::PortalId, portal_teaser::Column::PracticeId])
                .update_columns([
                    portal_teaser::Column::Teaser,
                    portal_teaser::Column::ImageUrl,
                    portal_teaser::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&work)
        .await?;
    }
    work.commit().await?;
    Ok(portal)
}

//! Curation without copies (the owner agency's editors): hiding items in a portal, and a
//! portal's own teaser text and image for a practice. Only the portal's tables change; the
//! canonical record, its version and the change feed stay as they are.

use dkbm_entity::{forum, good_practice, portal, portal_hidden, portal_teaser, training_event};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_agency_editor};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{PortalId, PracticeId, TypedId};
use crate::messages::{Message, MessageKey};
use crate::portals::service::{ItemId, ItemKind};
use crate::validate;

/// Whether the viewer curates the portal (its agency's editors and administrators): they see
/// its key and the collection items whose featured time is over.
pub fn may_curate(viewer: &Viewer, portal: &portal::Model) -> bool {
    viewer.can_edit_for_agency(portal.owner_agency_id)
}

/// Locks the portal for a curation and checks that the viewer curates it.
pub(super) async fn lock_for_curation(
    work: &UnitOfWork,
    viewer: &Viewer,
    portal_id: PortalId,
) -> AppResult<portal::Model> {
    let portal = work
        .lock(portal::Entity::find_by_id(portal_id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchPortal))?;
    ensure_agency_editor(viewer, portal.owner_agency_id)?;
    Ok(portal)
}

/// How many of the `items` of `kind` exist (one statement; the items of other kinds are not
/// counted).
pub(super) async fn count_existing(db: &impl ConnectionTrait, kind: ItemKind, items: &[ItemId]) -> AppResult<u64> {
    let ids: Vec<Uuid> = items
        .iter()
        .filter(|item| item.kind() == kind)
        .map(|item| item.uuid())
        .collect();
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
    writer: &Writer,
    viewer: &Viewer,
    portal_id: PortalId,
    item: ItemId,
) -> AppResult<portal::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let portal = lock_for_curation(&work, viewer, portal_id).await?;
    if count_existing(&work, item.kind(), &[item]).await? == 0 {
        return Err(no_such_item("itemId"));
    }
    portal_hidden::Entity::insert(portal_hidden::ActiveModel {
        portal_id: Set(portal_id.uuid()),
        item_id: Set(item.uuid()),
        item_kind: Set(item.kind().as_str().to_owned()),
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
    writer: &Writer,
    viewer: &Viewer,
    portal_id: PortalId,
    item: ItemId,
) -> AppResult<portal::Model> {
    let work = UnitOfWork::begin(writer).await?;
    let portal = lock_for_curation(&work, viewer, portal_id).await?;
    portal_hidden::Entity::delete_by_id((portal_id.uuid(), item.uuid()))
        .exec(&work)
        .await?;
    work.commit().await?;
    Ok(portal)
}

/// A portal's own teaser for a practice; both `None` removes it (the canonical summary shows).
#[derive(Debug, Clone, Default)]
pub struct TeaserOverride {
    pub teaser: Option<String>,
    pub image_url: Option<String>,
}

/// Sets or removes a portal's teaser text and image for a practice.
pub async fn set_portal_teaser(
    writer: &Writer,
    viewer: &Viewer,
    portal_id: PortalId,
    practice_id: PracticeId,
    input: TeaserOverride,
) -> AppResult<portal::Model> {
    let teaser = validate::optional_text("input.teaser", input.teaser.as_deref(), 1000)?;
    let image_url = validate::optional_url("input.imageUrl", input.image_url.as_deref())?;
    let work = UnitOfWork::begin(writer).await?;
    let portal = lock_for_curation(&work, viewer, portal_id).await?;
    if count_existing(&work, ItemKind::Practice, &[ItemId::Practice(practice_id)]).await? == 0 {
        return Err(no_such_item("input.practiceId"));
    }
    if teaser.is_none() && image_url.is_none() {
        portal_teaser::Entity::delete_by_id((portal_id.uuid(), practice_id.uuid()))
            .exec(&work)
            .await?;
    } else {
        portal_teaser::Entity::insert(portal_teaser::ActiveModel {
            portal_id: Set(portal_id.uuid()),
            practice_id: Set(practice_id.uuid()),
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

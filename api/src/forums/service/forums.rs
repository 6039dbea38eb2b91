//! Forums themselves: creating one, its group and moderators, the list and the lookup by slug.

use dkbm_entity::{ForumRole, ForumVisibility, forum, forum_member, member};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::access::{access, ensure_moderate, readable_forum, readable_forums};
use crate::auth::{Viewer, ensure_moderator, ensure_signed_in};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{ForumId, MemberId, TypedId};
use crate::messages::MessageKey;
use crate::pagination::{Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::validate;

/// A new forum.
#[derive(Debug, Clone)]
pub struct NewForum {
    /// URL-safe name, unique.
    pub slug: String,
    /// Title.
    pub title: String,
    /// What the forum is for (may be empty).
    pub description: String,
    /// Who can see and write in it.
    pub visibility: ForumVisibility,
}

/// Creates a forum (platform moderators and administrators).
pub async fn create_forum(writer: &Writer, viewer: &Viewer, input: NewForum) -> AppResult<forum::Model> {
    ensure_moderator(viewer)?;
    let slug = validate::slug("input.slug", &input.slug)?;
    let title = validate::one_line("input.title", &input.title, 200)?;
    validate::max_chars("input.description", &input.description, 5000)?;
    let at = now();
    forum::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        title: Set(title),
        description: Set(input.description.trim().to_owned()),
        visibility: Set(input.visibility),
        thread_count: Set(0),
        last_activity_at: Set(at),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(writer.conn())
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.slug", MessageKey::ForumSlugTaken))
}

/// Adds a member to a forum's group, makes them a moderator of it (`Some`), or removes them
/// (`None`): platform moderators and the forum's own moderators.
pub async fn set_forum_role(
    writer: &Writer,
    viewer: &Viewer,
    forum_id: ForumId,
    member_id: MemberId,
    role: Option<ForumRole>,
) -> AppResult<forum::Model> {
    let db = writer.conn();
    let (forum, access) = readable_forum(db, viewer, forum_id).await?;
    ensure_signed_in(viewer)?;
    ensure_moderate(access)?;
    member::Entity::find_by_id(member_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("memberId", MessageKey::NoSuchMember))?;
    // Remove and add in one transaction, so that a changed role never leaves the member out.
    let work = UnitOfWork::begin(writer).await?;
    forum_member::Entity::delete_by_id((forum_id.uuid(), member_id.uuid()))
        .exec(&work)
        .await?;
    if let Some(role) = role {
        forum_member::ActiveModel {
            forum_id: Set(forum_id.uuid()),
            member_id: Set(member_id.uuid()),
            role: Set(role),
            created_at: Set(now()),
        }
        .insert(&work)
        .await?;
    }
    work.commit().await?;
    Ok(forum)
}

/// The forums the viewer may see, by title.
pub async fn list_forums(
    db: &DatabaseConnection,
    viewer: &Viewer,
    page: &PageArgs,
    portal: Option<&crate::portals::service::PortalView>,
) -> AppResult<Page<forum::Model>> {
    let mut select = forum::Entity::find();
    if let Some(portal) = portal {
        select = select.filter(crate::portals::service::forum_condition(portal));
    }
    if let Some(visible) = readable_forums(viewer) {
        select = select.filter(visible);
    }
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: "FORUMS_TITLE".into(),
        keys: vec![
            (Expr::col((forum::Entity, forum::Column::Title)), KeyKind::Str),
            (Expr::col((forum::Entity, forum::Column::Id)), KeyKind::Uuid),
        ],
        descending: false,
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    Ok(keyset.finish(rows, page, total, |f| vec![Key::Str(f.title.clone()), Key::Uuid(f.id)]))
}

/// A forum by slug, if the viewer may see it.
pub async fn forum_by_slug(db: &DatabaseConnection, viewer: &Viewer, slug: &str) -> AppResult<Option<forum::Model>> {
    let Some(forum) = forum::Entity::find()
        .filter(forum::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(access(db, viewer, &forum).await?.read.then_some(forum))
}

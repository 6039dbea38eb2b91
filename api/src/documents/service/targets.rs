//! What an attachment belongs to (a good practice, a training event, a forum post), and the
//! rules of those areas applied to it: who may attach and change files (the practice's and
//! event's editors — the same check as editing them —, a post's author and moderators), who
//! may see them (whoever sees the item), and whether they are public (a published practice, an
//! event that is not cancelled, a visible post of a public forum), which decides between a
//! plain and a signed download link.

use std::collections::HashSet;

use dkbm_entity::attachment::{self, AttachmentTarget};
use dkbm_entity::{
    EventStatus, ForumVisibility, PracticeStatus, forum, forum_post, forum_thread, good_practice, training_event,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_agency_editor, ensure_signed_in};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, EventId, PostId, PracticeId, TypedId};
use crate::messages::MessageKey;

/// What an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Practice(PracticeId),
    Event(EventId),
    Post(PostId),
}

impl Target {
    /// The target of an attachment's row.
    pub fn of(row: &attachment::Model) -> Target {
        let id = row.target_id;
        match row.target_kind {
            AttachmentTarget::Practice => Target::Practice(id.into()),
            AttachmentTarget::Event => Target::Event(id.into()),
            AttachmentTarget::Post => Target::Post(id.into()),
        }
    }

    /// The kind as stored.
    pub fn kind(self) -> AttachmentTarget {
        match self {
            Target::Practice(_) => AttachmentTarget::Practice,
            Target::Event(_) => AttachmentTarget::Event,
            Target::Post(_) => AttachmentTarget::Post,
        }
    }

    /// The id as stored.
    pub fn uuid(self) -> Uuid {
        match self {
            Target::Practice(id) => id.uuid(),
            Target::Event(id) => id.uuid(),
            Target::Post(id) => id.uuid(),
        }
    }
}

/// A target that a viewer may attach files to, and whose storage quota its files count against.
pub struct Editable {
    pub target: Target,
    pub agency_id: Option<AgencyId>,
}

/// The target if the viewer may attach files to it and change them: NOT_FOUND for a target
/// they cannot see, UNAUTHENTICATED or FORBIDDEN for one they may not change.
pub async fn ensure_can_attach(db: &impl ConnectionTrait, viewer: &Viewer, target: Target) -> AppResult<Editable> {
    match target {
        Target::Practice(id) => {
            let practice = good_practice::Entity::find_by_id(id)
                .one(db)
                .await?
                .filter(|practice| crate::practices::service::visible(viewer, practice))
                .ok_or_else(|| AppError::not_found(MessageKey::NoSuchPractice))?;
            ensure_agency_editor(viewer, practice.owner_agency_id)?;
            Ok(Editable {
                target,
                agency_id: Some(practice.owner_agency_id.into()),
            })
        }
        Target::Event(id) => {
            let event = crate::events::service::require_event(db, id).await?;
            ensure_agency_editor(viewer, event.organizer_agency_id)?;
            Ok(Editable {
                target,
                agency_id: Some(event.organizer_agency_id.into()),
            })
        }
        Target::Post(id) => {
            let post = crate::forums::service::readable_post(db, viewer, id)
                .await?
                .filter(|post| post.deleted_at.is_none())
                .ok_or_else(|| AppError::not_found(MessageKey::NoSuchPost))?;
            ensure_signed_in(viewer)?;
            let thread = forum_thread::Entity::find_by_id(post.thread_id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found(MessageKey::NoSuchPost))?;
            let (_, access) = crate::forums::service::readable_forum(db, viewer, thread.forum_id.into()).await?;
            if !(crate::forums::service::is_author(viewer, &post) || access.moderate) {
                return Err(AppError::forbidden(MessageKey::NeedsPostAuthorOrModerator));
            }
            Ok(Editable {
                target,
                agency_id: None,
            })
        }
    }
}

/// Whether the viewer may see the target (and so its files).
pub async fn visible_to(db: &impl ConnectionTrait, viewer: &Viewer, target: Target) -> AppResult<bool> {
    Ok(match target {
        Target::Practice(id) => good_practice::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|practice| crate::practices::service::visible(viewer, &practice)),
        Target::Event(id) => crate::events::service::event_by_id(db, id).await?.is_some(),
        Target::Post(id) => crate::forums::service::readable_post(db, viewer, id)
            .await?
            .is_some_and(|post| post.deleted_at.is_none()),
    })
}

/// Of these targets, the public ones: whose files anyone may download without a signed link,
/// and which caches may keep. One statement per kind of target.
pub async fn public_among(db: &impl ConnectionTrait, targets: &[Target]) -> AppResult<HashSet<Target>> {
    let mut public = HashSet::new();
    for kind in [
        AttachmentTarget::Practice,
        AttachmentTarget::Event,
        AttachmentTarget::Post,
    ] {
        let of_kind: Vec<Uuid> = targets
            .iter()
            .filter(|target| target.kind() == kind)
            .map(|target| target.uuid())
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let found = public_of_kind(db, kind, of_kind).await?;
        public.extend(found.into_iter().map(|id| match kind {
            AttachmentTarget::Practice => Target::Practice(id.into()),
            AttachmentTarget::Event => Target::Event(id.into()),
            AttachmentTarget::Post => Target::Post(id.into()),
        }));
    }
    Ok(public)
}

async fn public_of_kind(db: &impl ConnectionTrait, kind: AttachmentTarget, of_kind: Vec<Uuid>) -> AppResult<Vec<Uuid>> {
    let ids = of_kind.into_iter();
    Ok(match kind {
        AttachmentTarget::Practice => {
            good_practice::Entity::find()
                .select_only()
                .column(good_practice::Column::Id)
                .filter(good_practice::Column::Id.is_in(ids))
                .filter(good_practice::Column::Status.eq(PracticeStatus::Published))
                .into_tuple()
                .all(db)
                .await?
        }
        AttachmentTarget::Event => {
            training_event::Entity::find()
                .select_only()
                .column(training_event::Column::Id)
                .filter(training_event::Column::Id.is_in(ids))
                .filter(training_event::Column::Status.ne(EventStatus::Cancelled))
                .into_tuple()
                .all(db)
                .await?
        }
        AttachmentTarget::Post => {
            forum_post::Entity::find()
                .select_only()
                .column(forum_post::Column::Id)
                .join(JoinType::InnerJoin, thread_of_post())
                .join(JoinType::InnerJoin, forum_of_thread())
                .filter(forum_post::Column::Id.is_in(ids))
                .filter(forum_post::Column::HiddenAt.is_null())
                .filter(forum_post::Column::DeletedAt.is_null())
                .filter(forum::Column::Visibility.eq(ForumVisibility::Public))
                .into_tuple()
                .all(db)
                .await?
        }
    })
}

/// Of these posts, the deleted ones (their files are gone from view).
pub async fn deleted_posts(db: &impl ConnectionTrait, posts: &[PostId]) -> AppResult<HashSet<PostId>> {
    if posts.is_empty() {
        return Ok(HashSet::new());
    }
    let deleted: Vec<Uuid> = forum_post::Entity::find()
        .select_only()
        .column(forum_post::Column::Id)
        .filter(forum_post::Column::Id.is_in(crate::ids::uuids(posts.iter().copied())))
        .filter(forum_post::Column::DeletedAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(deleted.into_iter().map(PostId::from).collect())
}

fn thread_of_post() -> sea_orm::RelationDef {
    forum_post::Entity::belongs_to(forum_thread::Entity)
        .from(forum_post::Column::ThreadId)
        .to(forum_thread::Column::Id)
        .into()
}

fn forum_of_thread() -> sea_orm::RelationDef {
    forum_thread::Entity::belongs_to(forum::Entity)
        .from(forum_thread::Column::ForumId)
        .to(forum::Column::Id)
        .into()
}

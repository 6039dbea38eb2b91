//! Reading attachments: a page of targets' attachments at once (for the DataLoaders), one
//! attachment as the viewer may see it (`node(id:)`), and the decision a download takes.

use std::collections::HashMap;

use dkbm_entity::attachment::{self, AttachmentTarget};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::targets::{Target, deleted_posts, public_among, visible_to};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::ids::{AttachmentId, PostId};
use crate::storage::UrlSigner;

/// An attachment as it is shown: whether its target is public decides its link.
#[derive(Debug, Clone)]
pub struct Shown {
    pub row: attachment::Model,
    /// Anyone may download it without a signed link (and caches may keep it).
    pub public: bool,
}

/// The attachments of these targets, each target's in their order: two statements per kind of
/// target whatever their number (three for posts: deleted posts show none).
pub async fn attachments_of(db: &impl ConnectionTrait, targets: &[Target]) -> AppResult<HashMap<Target, Vec<Shown>>> {
    let mut by_target: HashMap<Target, Vec<Shown>> = HashMap::new();
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
        let rows = attachment::Entity::find()
            .filter(attachment::Column::TargetKind.eq(kind))
            .filter(attachment::Column::TargetId.is_in(of_kind))
            .order_by_asc(attachment::Column::TargetId)
            .order_by_asc(attachment::Column::Position)
            .order_by_asc(attachment::Column::Id)
            .all(db)
            .await?;
        let with_files: Vec<Target> = rows.iter().map(Target::of).collect();
        let public = public_among(db, &with_files).await?;
        let deleted = match kind {
            AttachmentTarget::Post => deleted_posts(db, &posts(&with_files)).await?,
            _ => Default::default(),
        };
        for row in rows {
            let target = Target::of(&row);
            if matches!(target, Target::Post(post) if deleted.contains(&post)) {
                continue;
            }
            let public = public.contains(&target);
            by_target.entry(target).or_default().push(Shown { row, public });
        }
    }
    Ok(by_target)
}

fn posts(targets: &[Target]) -> Vec<PostId> {
    targets
        .iter()
        .filter_map(|target| match target {
            Target::Post(post) => Some(*post),
            _ => None,
        })
        .collect()
}

/// The attachment `id`, if the viewer may see its target.
pub async fn attachment_for_viewer(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: AttachmentId,
) -> AppResult<Option<Shown>> {
    let Some(row) = attachment::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let target = Target::of(&row);
    if !visible_to(db, viewer, target).await? {
        return Ok(None);
    }
    let public = public_among(db, &[target]).await?.contains(&target);
    Ok(Some(Shown { row, public }))
}

/// What a download request shows: a signed link's subject and signature, and the viewer.
pub struct DownloadRequest<'a> {
    pub viewer: &'a Viewer,
    /// `(exp, sig)` of the link, if it carries them.
    pub signed: Option<(i64, &'a str)>,
    pub now: i64,
}

/// The attachment a download may serve: one of a public target to anyone, any other to a
/// valid signed link or to a viewer who may see its target; `None` (404, exactly like a
/// missing file) otherwise.
pub async fn downloadable(
    db: &impl ConnectionTrait,
    signer: &UrlSigner,
    id: AttachmentId,
    request: DownloadRequest<'_>,
) -> AppResult<Option<Shown>> {
    let Some(row) = attachment::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let target = Target::of(&row);
    if target_gone(db, target).await? {
        return Ok(None);
    }
    let public = public_among(db, &[target]).await?.contains(&target);
    let signed = request
        .signed
        .is_some_and(|(expires, signature)| signer.verify(&subject(id), expires, signature, request.now));
    if public || signed || visible_to(db, request.viewer, target).await? {
        return Ok(Some(Shown { row, public }));
    }
    Ok(None)
}

/// Whether the target is gone for everyone (a deleted post).
async fn target_gone(db: &impl ConnectionTrait, target: Target) -> AppResult<bool> {
    Ok(match target {
        Target::Post(post) => !deleted_posts(db, &[post]).await?.is_empty(),
        Target::Practice(_) | Target::Event(_) => false,
    })
}

/// What a signed link to the attachment signs.
pub fn subject(id: AttachmentId) -> String {
    format!("attachment:{id}")
}

//! Who may take part: the agreement locked for a change with the viewer's involvement, and
//! the agreement as a reader inside the accompaniment sees it.

use dkbm_entity::{AgreementStatus, agreement};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::auth::{Viewer, ensure_signed_in};
use crate::db::UnitOfWork;
use crate::directory::service::{Involvement, involvement};
use crate::error::{AppError, AppResult};
use crate::ids::AgreementId;
use crate::messages::MessageKey;

/// The agreement, locked for a change, and the viewer's involvement. UNAUTHENTICATED without
/// credentials, NOT_FOUND for an unknown agreement, FORBIDDEN outside the accompaniment (the
/// agreement itself is public).
pub async fn for_change(
    work: &UnitOfWork,
    viewer: &Viewer,
    id: AgreementId,
) -> AppResult<(agreement::Model, Involvement)> {
    ensure_signed_in(viewer)?;
    let agreement = work
        .lock(agreement::Entity::find_by_id(id))
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchAgreement))?;
    let involvement = involvement(viewer, &agreement);
    if !involvement.inside() {
        return Err(AppError::forbidden(MessageKey::NeedsAccompaniment));
    }
    Ok((agreement, involvement))
}

/// CONFLICT once the accompaniment is concluded: nothing more is added to it.
pub fn ensure_open(agreement: &agreement::Model) -> AppResult<()> {
    if agreement.status == AgreementStatus::Concluded {
        return Err(AppError::conflict("agreementId", MessageKey::AgreementConcluded));
    }
    Ok(())
}

/// The agreement if the viewer is inside its accompaniment (None otherwise, as for a missing one).
pub async fn visible_agreement(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: AgreementId,
) -> AppResult<Option<(agreement::Model, Involvement)>> {
    let Some(agreement) = agreement::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let involvement = involvement(viewer, &agreement);
    Ok(involvement.inside().then_some((agreement, involvement)))
}

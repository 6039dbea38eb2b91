//! Granting and revoking roles. An ADMIN grants anything; an AGENCY_ADMIN grants EDITOR and
//! AGENCY_ADMIN for their own agency.

use dkbm_entity::{Role, member, member_role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::lookup::member_by_id;
use crate::auth::{Viewer, ensure_admin, ensure_agency_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, MemberId, TypedId};
use crate::messages::{Message, MessageKey};

/// A role change: which member, which role, for which agency (per-agency roles only).
#[derive(Debug, Clone)]
pub struct RoleChange {
    pub member_id: MemberId,
    /// `None` stands for MEMBER, which every member holds and nobody grants.
    pub role: Option<Role>,
    pub agency_slug: Option<String>,
}

/// Checks the change and the viewer's right to make it; returns the role and agency.
async fn authorize(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    change: &RoleChange,
) -> AppResult<(Role, Option<AgencyId>)> {
    let Some(role) = change.role else {
        return Err(AppError::bad_input("input.role", MessageKey::NothingToGrant));
    };
    let agency_slug = change.agency_slug.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match (role.is_per_agency(), agency_slug) {
        (true, None) => Err(AppError::bad_input(
            "input.agencySlug",
            Message::new(MessageKey::RoleNeedsAgency).with("role", role.name()),
        )),
        (false, Some(_)) => Err(AppError::bad_input(
            "input.agencySlug",
            Message::new(MessageKey::RoleIsPlatformWide).with("role", role.name()),
        )),
        (true, Some(slug)) => {
            let agency = require_agency(db, "input.agencySlug", slug).await?;
            ensure_agency_admin(viewer, agency.id)?;
            Ok((role, Some(agency.id.into())))
        }
        (false, None) => {
            ensure_admin(viewer)?;
            Ok((role, None))
        }
    }
}

fn grant_filter(member_id: MemberId, role: Role, agency_id: Option<AgencyId>) -> sea_orm::Select<member_role::Entity> {
    let select = member_role::Entity::find()
        .filter(member_role::Column::MemberId.eq(member_id))
        .filter(member_role::Column::Role.eq(role));
    match agency_id {
        Some(agency) => select.filter(member_role::Column::AgencyId.eq(agency)),
        None => select.filter(member_role::Column::AgencyId.is_null()),
    }
}

/// Grants a role (granting one the member holds changes nothing).
pub async fn grant_role(writer: &Writer, viewer: &Viewer, change: RoleChange) -> AppResult<member::Model> {
    let (role, agency_id) = authorize(writer.conn(), viewer, &change).await?;
    let work = UnitOfWork::begin(writer).await?;
    let member = member_by_id(&work, change.member_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if grant_filter(member.id.into(), role, agency_id)
        .one(&work)
        .await?
        .is_none()
    {
        member_role::ActiveModel {
            id: Set(Uuid::now_v7()),
            member_id: Set(member.id),
            role: Set(role),
            agency_id: Set(agency_id.map(AgencyId::uuid)),
            granted_by: Set(viewer.member_id()),
            created_at: Set(now()),
        }
        .insert(&work)
        .await?;
    }
    work.commit().await?;
    Ok(member)
}

/// Revokes a role (revoking one the member does not hold changes nothing). The last
/// administrator cannot be revoked: someone must be left to grant.
pub async fn revoke_role(writer: &Writer, viewer: &Viewer, change: RoleChange) -> AppResult<member::Model> {
    let (role, agency_id) = authorize(writer.conn(), viewer, &change).await?;
    let work = UnitOfWork::begin(writer).await?;
    let member = member_by_id(&work, change.member_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if let Some(grant) = grant_filter(member.id.into(), role, agency_id).one(&work).await? {
        if role == Role::Admin {
            let admins = member_role::Entity::find()
                .filter(member_role::Column::Role.eq(Role::Admin))
                .count(&work)
                .await?;
            if admins <= 1 {
                return Err(AppError::conflict("input.memberId", MessageKey::LastAdmin));
            }
        }
        member_role::Entity::delete_by_id(grant.id).exec(&work).await?;
    }
    work.commit().await?;
    Ok(member)
}

/// The administrators of an agency (AGENCY_ADMIN for it), for mail about the agency's
/// integrations. Deleted members hold no roles.
pub async fn agency_admins(db: &impl ConnectionTrait, agency: AgencyId) -> AppResult<Vec<member::Model>> {
    use sea_orm::sea_query::Query;
    let admins = Query::select()
        .column(member_role::Column::MemberId)
        .from(member_role::Entity)
        .and_where(member_role::Column::Role.eq(Role::AgencyAdmin))
        .and_where(member_role::Column::AgencyId.eq(agency))
        .to_owned();
    Ok(member::Entity::find()
        .filter(member::Column::Id.in_subquery(admins))
        .all(db)
        .await?)
}

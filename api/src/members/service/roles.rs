//! Granting and revoking roles. An ADMIN grants anything; an AGENCY_ADMIN grants EDITOR and
//! AGENCY_ADMIN for their own agency, and MUNICIPAL_STAFF for a municipality their agency has a
//! Zielvereinbarung with.

use dkbm_entity::{Role, member, member_role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::lookup::member_by_id;
use crate::auth::{Viewer, ensure_admin, ensure_agency_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::{accompanies, require_agency, require_municipality};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, MemberId, MunicipalityId, TypedId};
use crate::messages::{Message, MessageKey};

/// A role change: which member, which role, for which agency (per-agency roles) or
/// municipality (MUNICIPAL_STAFF).
#[derive(Debug, Clone)]
pub struct RoleChange {
    pub member_id: MemberId,
    /// `None` stands for MEMBER, which every member holds and nobody grants.
    pub role: Option<Role>,
    pub agency_slug: Option<String>,
    pub municipality_ags: Option<String>,
}

/// What a grant is held for: an agency, a municipality, or the platform.
#[derive(Debug, Clone, Copy, Default)]
struct Scope {
    agency: Option<AgencyId>,
    municipality: Option<MunicipalityId>,
}

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|s| !s.is_empty())
}

/// Checks the change and the viewer's right to make it; returns the role and what it is held for.
async fn authorize(db: &impl ConnectionTrait, viewer: &Viewer, change: &RoleChange) -> AppResult<(Role, Scope)> {
    let Some(role) = change.role else {
        return Err(AppError::bad_input("input.role", MessageKey::NothingToGrant));
    };
    let ags = given(change.municipality_ags.as_deref());
    if role.is_per_municipality() {
        return authorize_municipal(db, viewer, role, ags).await;
    }
    if ags.is_some() {
        return Err(AppError::bad_input(
            "input.municipalityAgs",
            Message::new(MessageKey::RoleIsNotMunicipal).with("role", role.name()),
        ));
    }
    let agency_slug = given(change.agency_slug.as_deref());
    let agency = authorize_agency(db, viewer, role, agency_slug).await?;
    Ok((
        role,
        Scope {
            agency,
            municipality: None,
        },
    ))
}

/// MUNICIPAL_STAFF for a municipality: granted by an ADMIN, or by an AGENCY_ADMIN of an agency
/// with a Zielvereinbarung with it.
async fn authorize_municipal(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    role: Role,
    ags: Option<&str>,
) -> AppResult<(Role, Scope)> {
    let Some(ags) = ags else {
        return Err(AppError::bad_input(
            "input.municipalityAgs",
            Message::new(MessageKey::RoleNeedsMunicipality).with("role", role.name()),
        ));
    };
    crate::auth::ensure_signed_in(viewer)?;
    let municipality = require_municipality(db, "input.municipalityAgs", ags).await?;
    let municipality_id = MunicipalityId::from(municipality.id);
    if !viewer.is_admin() {
        let administered = viewer
            .member()
            .map(|member| {
                member
                    .grants
                    .iter()
                    .filter(|grant| grant.role == Role::AgencyAdmin)
                    .filter_map(|grant| grant.agency_id.map(AgencyId::from))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        if !accompanies(db, &administered, municipality_id).await? {
            return Err(AppError::forbidden(MessageKey::NeedsAccompanyingAgencyAdmin));
        }
    }
    Ok((
        role,
        Scope {
            agency: None,
            municipality: Some(municipality_id),
        },
    ))
}

/// A per-agency role for the named agency (its AGENCY_ADMIN or an ADMIN), or a platform-wide
/// one (an ADMIN).
async fn authorize_agency(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    role: Role,
    agency_slug: Option<&str>,
) -> AppResult<Option<AgencyId>> {
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
            Ok(Some(agency.id.into()))
        }
        (false, None) => {
            ensure_admin(viewer)?;
            Ok(None)
        }
    }
}

fn grant_filter(member_id: MemberId, role: Role, scope: Scope) -> sea_orm::Select<member_role::Entity> {
    let select = member_role::Entity::find()
        .filter(member_role::Column::MemberId.eq(member_id))
        .filter(member_role::Column::Role.eq(role));
    let select = match scope.agency {
        Some(agency) => select.filter(member_role::Column::AgencyId.eq(agency)),
        None => select.filter(member_role::Column::AgencyId.is_null()),
    };
    match scope.municipality {
        Some(municipality) => select.filter(member_role::Column::MunicipalityId.eq(municipality)),
        None => select.filter(member_role::Column::MunicipalityId.is_null()),
    }
}

/// Grants a role (granting one the member holds changes nothing).
pub async fn grant_role(writer: &Writer, viewer: &Viewer, change: RoleChange) -> AppResult<member::Model> {
    let (role, scope) = authorize(writer.conn(), viewer, &change).await?;
    let work = UnitOfWork::begin(writer).await?;
    let member = member_by_id(&work, change.member_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if grant_filter(member.id.into(), role, scope).one(&work).await?.is_none() {
        member_role::ActiveModel {
            id: Set(Uuid::now_v7()),
            member_id: Set(member.id),
            role: Set(role),
            agency_id: Set(scope.agency.map(AgencyId::uuid)),
            municipality_id: Set(scope.municipality.map(MunicipalityId::uuid)),
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
    let (role, scope) = authorize(writer.conn(), viewer, &change).await?;
    let work = UnitOfWork::begin(writer).await?;
    let member = member_by_id(&work, change.member_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchMember))?;
    if let Some(grant) = grant_filter(member.id.into(), role, scope).one(&work).await? {
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

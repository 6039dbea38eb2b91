//! The viewer of a request and the named permission checks.

use dkbm_entity::Role;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::messages::MessageKey;

/// A role a member holds; per-agency roles name their agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub agency_id: Option<Uuid>,
    /// The municipality, for MUNICIPAL_STAFF.
    pub municipality_id: Option<Uuid>,
}

impl From<dkbm_entity::member_role::Model> for Grant {
    fn from(row: dkbm_entity::member_role::Model) -> Self {
        Grant {
            role: row.role,
            agency_id: row.agency_id,
            municipality_id: row.municipality_id,
        }
    }
}

/// A signed-in member, with the grants they hold right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberViewer {
    pub id: Uuid,
    /// The session the access token belongs to.
    pub session_id: Uuid,
    pub grants: Vec<Grant>,
}

impl MemberViewer {
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|grant| grant.role == role)
    }

    pub fn has_for_agency(&self, role: Role, agency_id: Uuid) -> bool {
        self.grants
            .iter()
            .any(|grant| grant.role == role && grant.agency_id == Some(agency_id))
    }

    /// Works for this agency: its EDITOR or AGENCY_ADMIN (not counting platform-wide rights).
    pub fn is_staff_of_agency(&self, agency_id: Uuid) -> bool {
        self.has_for_agency(Role::Editor, agency_id) || self.has_for_agency(Role::AgencyAdmin, agency_id)
    }

    /// Works for this municipality (MUNICIPAL_STAFF for it).
    pub fn is_staff_of(&self, municipality_id: Uuid) -> bool {
        self.grants
            .iter()
            .any(|grant| grant.role == Role::MunicipalStaff && grant.municipality_id == Some(municipality_id))
    }

    /// The municipalities the member works for (MUNICIPAL_STAFF).
    pub fn staff_municipalities(&self) -> Vec<Uuid> {
        self.grants
            .iter()
            .filter(|grant| grant.role == Role::MunicipalStaff)
            .filter_map(|grant| grant.municipality_id)
            .collect()
    }
}

/// An agency's machine client (a partner's sync job), acting as an editor of its agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientViewer {
    pub client_id: Uuid,
    pub agency_id: Uuid,
}

/// The viewer of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// No credentials were sent.
    Anonymous,
    /// The operator's break-glass token (`DKBM_ADMIN_TOKEN`): a platform administrator.
    Operator,
    /// A signed-in member.
    Member(MemberViewer),
    /// An agency API client.
    Client(ClientViewer),
}

impl Viewer {
    /// The member, if a member is signed in.
    pub fn member(&self) -> Option<&MemberViewer> {
        match self {
            Viewer::Member(member) => Some(member),
            _ => None,
        }
    }

    /// The signed-in member's id.
    pub fn member_id(&self) -> Option<Uuid> {
        self.member().map(|member| member.id)
    }

    /// Platform administrator: the operator token or an ADMIN grant.
    pub fn is_admin(&self) -> bool {
        match self {
            Viewer::Operator => true,
            Viewer::Member(member) => member.has(Role::Admin),
            _ => false,
        }
    }

    /// Forum moderator: a MODERATOR grant, or an administrator.
    pub fn is_moderator(&self) -> bool {
        self.is_admin() || self.member().is_some_and(|member| member.has(Role::Moderator))
    }

    /// Administers this agency: its AGENCY_ADMIN, or a platform administrator.
    pub fn is_agency_admin(&self, agency_id: Uuid) -> bool {
        self.is_admin()
            || self
                .member()
                .is_some_and(|member| member.has_for_agency(Role::AgencyAdmin, agency_id))
    }

    /// Edits this agency's content: its EDITORs and AGENCY_ADMINs, its API clients, and
    /// platform administrators.
    pub fn can_edit_for_agency(&self, agency_id: Uuid) -> bool {
        match self {
            Viewer::Client(client) => client.agency_id == agency_id,
            Viewer::Member(member) => {
                member.has(Role::Admin)
                    || member.has_for_agency(Role::Editor, agency_id)
                    || member.has_for_agency(Role::AgencyAdmin, agency_id)
            }
            Viewer::Operator => true,
            Viewer::Anonymous => false,
        }
    }

    /// The agencies whose content this viewer edits (not counting platform-wide rights).
    pub fn editable_agencies(&self) -> Vec<Uuid> {
        match self {
            Viewer::Client(client) => vec![client.agency_id],
            Viewer::Member(member) => {
                let mut agencies: Vec<Uuid> = member
                    .grants
                    .iter()
                    .filter(|grant| matches!(grant.role, Role::Editor | Role::AgencyAdmin))
                    .filter_map(|grant| grant.agency_id)
                    .collect();
                agencies.sort();
                agencies.dedup();
                agencies
            }
            _ => Vec::new(),
        }
    }
}

fn unauthenticated() -> AppError {
    AppError::unauthenticated(MessageKey::SignInFirst)
}

/// Any credentials at all: a member, an API client or the operator (not anonymous).
pub fn ensure_signed_in(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(unauthenticated()),
        _ => Ok(()),
    }
}

/// Any signed-in member; returns them.
pub fn ensure_member(viewer: &Viewer) -> AppResult<&MemberViewer> {
    match viewer {
        Viewer::Member(member) => Ok(member),
        Viewer::Anonymous => Err(unauthenticated()),
        Viewer::Operator | Viewer::Client(_) => Err(AppError::forbidden(MessageKey::MembersOnly)),
    }
}

/// Platform administration.
pub fn ensure_admin(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(unauthenticated()),
        _ if viewer.is_admin() => Ok(()),
        _ => Err(AppError::forbidden(MessageKey::NeedsAdmin)),
    }
}

/// Administration of one agency (its roles and API clients).
pub fn ensure_agency_admin(viewer: &Viewer, agency_id: Uuid) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(unauthenticated()),
        _ if viewer.is_agency_admin(agency_id) => Ok(()),
        _ => Err(AppError::forbidden(MessageKey::NeedsAgencyAdmin)),
    }
}

/// Editing the content of one agency.
pub fn ensure_agency_editor(viewer: &Viewer, agency_id: Uuid) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(unauthenticated()),
        _ if viewer.can_edit_for_agency(agency_id) => Ok(()),
        _ => Err(AppError::forbidden(MessageKey::NeedsAgencyEditor)),
    }
}

/// Forum moderation.
pub fn ensure_moderator(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::Anonymous => Err(unauthenticated()),
        _ if viewer.is_moderator() => Ok(()),
        _ => Err(AppError::forbidden(MessageKey::NeedsModerator)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(grants: Vec<Grant>) -> Viewer {
        Viewer::Member(MemberViewer {
            id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            grants,
        })
    }

    #[test]
    fn editors_edit_their_own_agency_only() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let editor = member(vec![Grant {
            role: Role::Editor,
            agency_id: Some(a),
            municipality_id: None,
        }]);
        assert!(ensure_agency_editor(&editor, a).is_ok());
        assert!(matches!(ensure_agency_editor(&editor, b), Err(AppError::Forbidden(_))));
        assert!(matches!(ensure_agency_admin(&editor, a), Err(AppError::Forbidden(_))));
        assert!(matches!(
            ensure_agency_editor(&Viewer::Anonymous, a),
            Err(AppError::Unauthenticated(_))
        ));
        let client = Viewer::Client(ClientViewer {
            client_id: Uuid::now_v7(),
            agency_id: b,
        });
        assert!(ensure_agency_editor(&client, b).is_ok());
        assert!(ensure_agency_editor(&client, a).is_err());
        assert!(ensure_admin(&client).is_err());
    }

    #[test]
    fn admins_may_do_everything() {
        let admin = member(vec![Grant {
            role: Role::Admin,
            agency_id: None,
            municipality_id: None,
        }]);
        let agency = Uuid::now_v7();
        assert!(ensure_admin(&admin).is_ok());
        assert!(ensure_agency_admin(&admin, agency).is_ok());
        assert!(ensure_agency_editor(&admin, agency).is_ok());
        assert!(ensure_moderator(&admin).is_ok());
        assert!(ensure_admin(&Viewer::Operator).is_ok());
    }
}

//! Output types of the members area.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::member;

use super::NotificationSettings;
use crate::auth::Grant;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, Agreement, Municipality};
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::members::loaders::MemberLoaders;
use crate::members::service;
use crate::members::service::SignedIn;

/// A role. Every signed-in member is a MEMBER; the others are granted.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Every signed-in member: registers for events, posts in forums.
    Member,
    /// Publishes content (good practices, events) for one agency.
    Editor,
    /// Manages one agency: grants its EDITOR and AGENCY_ADMIN roles, registers its API clients,
    /// edits its content.
    AgencyAdmin,
    /// Moderates the forums.
    Moderator,
    /// Administers the platform.
    Admin,
    /// Works for one municipality (its Bildungsbüro, its education management): takes part in
    /// the municipality's accompaniments. Granted by an ADMIN or by an AGENCY_ADMIN of an
    /// agency with a Zielvereinbarung with the municipality.
    MunicipalStaff,
}

impl Role {
    /// The granted role this stands for; `None` for MEMBER.
    pub fn granted(self) -> Option<dkbm_entity::Role> {
        match self {
            Role::Member => None,
            Role::Editor => Some(dkbm_entity::Role::Editor),
            Role::AgencyAdmin => Some(dkbm_entity::Role::AgencyAdmin),
            Role::Moderator => Some(dkbm_entity::Role::Moderator),
            Role::Admin => Some(dkbm_entity::Role::Admin),
            Role::MunicipalStaff => Some(dkbm_entity::Role::MunicipalStaff),
        }
    }
}

impl From<dkbm_entity::Role> for Role {
    fn from(role: dkbm_entity::Role) -> Self {
        match role {
            dkbm_entity::Role::Editor => Role::Editor,
            dkbm_entity::Role::AgencyAdmin => Role::AgencyAdmin,
            dkbm_entity::Role::Moderator => Role::Moderator,
            dkbm_entity::Role::Admin => Role::Admin,
            dkbm_entity::Role::MunicipalStaff => Role::MunicipalStaff,
        }
    }
}

/// What kind of viewer is asking.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ViewerKind {
    /// No credentials.
    Anonymous,
    /// A signed-in member.
    Member,
    /// An agency's API client (acting as an editor of its agency).
    ApiClient,
    /// The operator's break-glass token (a platform administrator).
    Operator,
}

/// Who is asking: what the server made of the request's credentials.
pub struct ViewerInfo(pub crate::auth::Viewer);

/// Who is asking: what the server made of the request's credentials.
#[Object(name = "Viewer")]
impl ViewerInfo {
    /// What kind of viewer.
    async fn kind(&self) -> ViewerKind {
        match self.0 {
            crate::auth::Viewer::Anonymous => ViewerKind::Anonymous,
            crate::auth::Viewer::Member(_) => ViewerKind::Member,
            crate::auth::Viewer::Client(_) => ViewerKind::ApiClient,
            crate::auth::Viewer::Operator => ViewerKind::Operator,
        }
    }

    /// The signed-in member, for MEMBER.
    async fn member(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.0.member_id() else { return Ok(None) };
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .member(id.into())
            .await?
            .map(Member::from))
    }

    /// The API client's id, for API_CLIENT.
    async fn client_id(&self) -> Option<crate::graphql::Uuid> {
        match &self.0 {
            crate::auth::Viewer::Client(client) => Some(client.client_id.into()),
            _ => None,
        }
    }

    /// The agency an API client acts for, for API_CLIENT.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let crate::auth::Viewer::Client(client) = &self.0 else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(client.agency_id.into())
            .await?
            .map(Agency::from))
    }
}

/// A member of the community (staff of a municipality or an agency).
pub struct Member {
    model: member::Model,
    /// Returned to the member who just signed in (whose request was still anonymous).
    signing_in: bool,
}

impl From<member::Model> for Member {
    fn from(model: member::Model) -> Self {
        Member {
            model,
            signing_in: false,
        }
    }
}

impl Member {
    /// The member of a sign-in's result: they see their own private fields.
    pub fn signing_in(model: member::Model) -> Self {
        Member {
            model,
            signing_in: true,
        }
    }

    /// The viewer is this member or an administrator.
    fn is_self_or_admin(&self, ctx: &Context<'_>) -> bool {
        self.signing_in
            || ctx
                .viewer()
                .is_ok_and(|viewer| viewer.member_id() == Some(self.model.id) || viewer.is_admin())
    }
}

/// A member of the community (staff of a municipality or an agency).
#[Object]
impl Member {
    /// The member's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.model.id.into())
    }

    /// The name shown to others.
    async fn display_name(&self) -> &str {
        &self.model.display_name
    }

    /// The email address: only the member and administrators see it (null for everyone else).
    #[graphql(cache_control(private))]
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        self.is_self_or_admin(ctx).then_some(self.model.email.as_str())
    }

    /// Whether the member has proven the address with the link of a verification mail
    /// (registering for events and posting need it). Only the member and administrators see it.
    #[graphql(cache_control(private))]
    async fn email_verified(&self, ctx: &Context<'_>) -> Option<bool> {
        self.is_self_or_admin(ctx)
            .then_some(self.model.email_verified_at.is_some())
    }

    /// The language of the member's mail: `de` (the default) or `en`. Only the member and
    /// administrators see it.
    #[graphql(cache_control(private))]
    async fn language(&self, ctx: &Context<'_>) -> Option<&str> {
        self.is_self_or_admin(ctx).then_some(self.model.language.as_str())
    }

    /// How the platform notifies the member by mail. Only the member and administrators see it.
    #[graphql(cache_control(private))]
    async fn notification_settings(&self, ctx: &Context<'_>) -> Option<NotificationSettings> {
        self.is_self_or_admin(ctx).then(|| NotificationSettings {
            forum_mail: self.model.forum_mail.into(),
            event_reminders: self.model.event_reminders,
        })
    }

    /// The member's personal calendar: a secret URL (`…/calendar/{token}.ics`; for calendar
    /// apps, `webcal://` in place of `https://`) with the events they registered for, those
    /// they wait for as tentative; changes and cancellations show on the next refresh. Made on
    /// first ask; `resetCalendarUrl` replaces it. Only the member sees it (null for everyone
    /// else, administrators included).
    #[graphql(cache_control(private))]
    async fn calendar_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let viewer = ctx.viewer()?;
        if viewer.member_id() != Some(self.model.id) {
            return Ok(None);
        }
        let state = ctx.state()?;
        let token = service::calendar_token(&state.writer, viewer).await?;
        Ok(Some(state.mail.url(&service::calendar_path(&token))))
    }

    /// Affiliation: the municipality the member works for.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        let Some(id) = self.model.municipality_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(id.into())
            .await?
            .map(Municipality::from))
    }

    /// Affiliation: the agency the member works for.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.model.agency_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(id.into())
            .await?
            .map(Agency::from))
    }

    /// The member's roles, MEMBER first: only the member and administrators see them (null for
    /// everyone else).
    #[graphql(cache_control(private))]
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<RoleGrant>>> {
        if !self.is_self_or_admin(ctx) {
            return Ok(None);
        }
        let grants = ctx.loaders::<MemberLoaders>()?.grants(self.model.id.into()).await?;
        let member = RoleGrant {
            role: Role::Member,
            agency_id: None,
            municipality_id: None,
        };
        Ok(Some(
            std::iter::once(member)
                .chain(grants.iter().map(RoleGrant::from))
                .collect(),
        ))
    }

    /// The accompaniments the member takes part in: those of the municipalities they work for
    /// (MUNICIPAL_STAFF) and of the agencies whose EDITOR or AGENCY_ADMIN they are; the next
    /// review first. Only the member sees them (empty for everyone else).
    #[graphql(cache_control(private))]
    async fn accompaniments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Agreement>> {
        let state = ctx.state()?;
        let rows =
            crate::directory::service::accompaniments_of_member(state.conn(), ctx.viewer()?, self.model.id.into())
                .await?;
        Ok(rows.into_iter().map(Agreement).collect())
    }

    /// When the member signed up.
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
}

/// A role a member holds, for an agency or a municipality where the role is held for one.
pub struct RoleGrant {
    role: Role,
    agency_id: Option<uuid::Uuid>,
    municipality_id: Option<uuid::Uuid>,
}

impl From<&Grant> for RoleGrant {
    fn from(grant: &Grant) -> Self {
        RoleGrant {
            role: grant.role.into(),
            agency_id: grant.agency_id,
            municipality_id: grant.municipality_id,
        }
    }
}

/// A role a member holds, for an agency or a municipality where the role is held for one.
#[Object]
impl RoleGrant {
    /// The role.
    async fn role(&self) -> Role {
        self.role
    }

    /// The agency, for EDITOR and AGENCY_ADMIN.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.agency_id else { return Ok(None) };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(id.into())
            .await?
            .map(Agency::from))
    }

    /// The municipality, for MUNICIPAL_STAFF.
    async fn municipality(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Municipality>> {
        let Some(id) = self.municipality_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .municipality(id.into())
            .await?
            .map(Municipality::from))
    }
}

/// The result of signing up, logging in or refreshing a session.
pub struct AuthPayload(pub SignedIn);

/// The result of signing up, logging in or refreshing a session.
#[Object]
impl AuthPayload {
    /// Short-lived access token (JWT, EdDSA): send it as `Authorization: Bearer …`.
    async fn access_token(&self) -> &str {
        &self.0.access_token
    }

    /// Opaque refresh token: exchange it once with `refreshSession` for a new pair. Keep it secret.
    async fn refresh_token(&self) -> &str {
        &self.0.refresh_token
    }

    /// When the access token expires.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }

    /// The signed-in member.
    async fn member(&self) -> Member {
        Member::signing_in(self.0.member.clone())
    }
}

//! Input types of the members area.

use async_graphql::{ID, InputObject, MaybeUndefined};

use super::objects::Role;

/// A new account.
#[derive(InputObject)]
pub struct SignUpInput {
    /// Email address (used to log in; compared without regard to case).
    pub email: String,
    /// At least 12 characters and not easy to guess (a few unrelated words work well).
    pub password: String,
    /// The name shown to others (at most 100 characters).
    pub display_name: String,
    /// AGS of the municipality the member works for.
    pub municipality_ags: Option<String>,
    /// Slug of the agency the member works for.
    pub agency_slug: Option<String>,
    /// The language of the member's mail: `de` (the default) or `en`.
    pub language: Option<String>,
}

/// Changes to the viewer's profile: leave a field out to keep it, set it to null to clear it.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// The name shown to others.
    pub display_name: Option<String>,
    /// AGS of the municipality the member works for.
    pub municipality_ags: MaybeUndefined<String>,
    /// Slug of the agency the member works for.
    pub agency_slug: MaybeUndefined<String>,
    /// The language of the member's mail: `de` or `en`.
    pub language: Option<String>,
}

/// A new password.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The password now.
    pub current_password: String,
    /// The new password (same rules as at sign-up).
    pub new_password: String,
}

/// A role to grant.
#[derive(InputObject)]
pub struct GrantRoleInput {
    /// The member's global id.
    pub member_id: ID,
    /// The role (not MEMBER, which everyone holds).
    pub role: Role,
    /// The agency, for EDITOR and AGENCY_ADMIN.
    pub agency_slug: Option<String>,
    /// The municipality's AGS, for MUNICIPAL_STAFF.
    pub municipality_ags: Option<String>,
}

/// A role to revoke.
#[derive(InputObject)]
pub struct RevokeRoleInput {
    /// The member's global id.
    pub member_id: ID,
    /// The role.
    pub role: Role,
    /// The agency, for EDITOR and AGENCY_ADMIN.
    pub agency_slug: Option<String>,
    /// The municipality's AGS, for MUNICIPAL_STAFF.
    pub municipality_ags: Option<String>,
}

/// A new API client of an agency.
#[derive(InputObject)]
pub struct CreateApiClientInput {
    /// Slug of the agency the client acts for.
    pub agency_slug: String,
    /// A name for people (e.g. "Portal sync").
    pub name: String,
}

/// A public key for an API client.
#[derive(InputObject)]
pub struct AddApiKeyInput {
    /// The client: its `clientId` (the UUID `createApiClient` answers, which its assertions
    /// name as `iss`) or its global `id`.
    pub client_id: ID,
    /// The key id the client will put in the `kid` header (unique per client).
    pub kid: String,
    /// The public key as PEM: Ed25519, or RSA with at least 2048 bits.
    pub public_key_pem: String,
}

/// Narrows the member list.
#[derive(InputObject, Default)]
pub struct MemberFilter {
    /// Exactly this email address.
    pub email: Option<String>,
    /// Members affiliated with the agency of this slug.
    pub agency_slug: Option<String>,
}

/// Changes to how the platform notifies the viewer: leave a field out to keep it.
#[derive(InputObject)]
pub struct NotificationSettingsInput {
    /// Forum notifications: each post, a daily digest, or none.
    pub forum_mail: Option<super::ForumMailMode>,
    /// A reminder before each event the viewer registered for.
    pub event_reminders: Option<bool>,
}

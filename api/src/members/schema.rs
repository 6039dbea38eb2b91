//! GraphQL of the members area: sign-in, profile, roles, API clients, data protection.

mod account_mail;
mod clients;
mod inputs;
mod nodes;
mod objects;
mod settings;

pub use account_mail::AccountMailMutation;

use async_graphql::{Context, ID, Json, Object};

pub use clients::*;
pub use inputs::*;
pub use objects::*;
pub use settings::*;

use super::service::{self, MemberData, privacy};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, connection_type};
use crate::ids::ApiClientId;
use crate::pagination::PageArgs;

connection_type!(
    MemberConnection,
    MemberEdge,
    Member,
    dkbm_entity::member::Model,
    "A page of members (a Relay connection with keyset cursors).",
    "A member with its cursor."
);

/// Root query fields of the members area.
#[derive(Default)]
pub struct MembersQuery;

#[Object]
impl MembersQuery {
    /// The signed-in member (null when anonymous).
    #[graphql(cache_control(private))]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = ctx.viewer()?.member_id() else {
            return Ok(None);
        };
        Ok(service::member_by_id(ctx.state()?.conn(), id.into())
            .await?
            .map(Member::from))
    }

    /// Who is asking: what the server made of the request's credentials.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<ViewerInfo> {
        Ok(ViewerInfo(ctx.viewer()?.clone()))
    }

    /// Members, newest first (platform administrators).
    #[graphql(cache_control(private))]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many members to return (default 20, at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return members after this cursor.")] after: Option<String>,
        #[graphql(
            desc = "How many members to return from the end (default 20, at most 100); give `first` or `last`, not both."
        )]
        last: Option<i32>,
        #[graphql(desc = "Return members before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrow the list.")] filter: Option<MemberFilter>,
    ) -> async_graphql::Result<MemberConnection> {
        let page = PageArgs::new(first, after, last, before)?;
        let filter = filter.unwrap_or_default();
        let filter = service::MemberFilter {
            email: filter.email,
            agency_slug: filter.agency_slug,
        };
        Ok(MemberConnection(
            service::list_members(ctx.state()?.conn(), ctx.viewer()?, &filter, &page).await?,
        ))
    }

    /// The API clients of an agency (its AGENCY_ADMIN and platform administrators).
    #[graphql(cache_control(private))]
    async fn api_clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's slug.")] agency_slug: String,
    ) -> async_graphql::Result<Vec<ApiClient>> {
        let clients = service::api_clients_of(ctx.state()?.conn(), ctx.viewer()?, &agency_slug).await?;
        Ok(clients.into_iter().map(ApiClient).collect())
    }

    /// Everything stored about the signed-in member, as one JSON document (DSGVO Art. 15 and 20).
    #[graphql(cache_control(private))]
    async fn export_my_data(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<serde_json::Value>> {
        let data = ctx.get::<MemberData>()?;
        Ok(Json(
            privacy::export_my_data(ctx.state()?.conn(), data, ctx.viewer()?).await?,
        ))
    }
}

/// Mutations of the members area.
#[derive(Default)]
pub struct MembersMutation;

#[Object]
impl MembersMutation {
    /// Creates an account and signs in.
    async fn sign_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new account.")] input: SignUpInput,
    ) -> async_graphql::Result<AuthPayload> {
        let input = service::SignUp {
            email: input.email,
            password: input.password,
            display_name: input.display_name,
            municipality_ags: input.municipality_ags,
            agency_slug: input.agency_slug,
            language: input.language,
        };
        let state = ctx.state()?;
        Ok(AuthPayload(service::sign_up(&state.writer, &state.auth, input).await?))
    }

    /// Signs in. After 5 failed attempts for an email within 15 minutes, attempts answer
    /// RATE_LIMITED until the window has passed.
    async fn log_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's email.")] email: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state()?;
        Ok(AuthPayload(
            service::log_in(&state.writer, &state.auth, &email, &password).await?,
        ))
    }

    /// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a
    /// used one again ends its session.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token of the last sign-in or refresh.")] refresh_token: String,
    ) -> async_graphql::Result<AuthPayload> {
        let state = ctx.state()?;
        Ok(AuthPayload(
            service::refresh_session(&state.writer, &state.auth, &refresh_token).await?,
        ))
    }

    /// Ends the session of this refresh token; its access tokens stop working too.
    async fn log_out(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's refresh token.")] refresh_token: String,
    ) -> async_graphql::Result<bool> {
        service::log_out(&ctx.state()?.writer, &refresh_token).await?;
        Ok(true)
    }

    /// Changes the signed-in member's name or affiliation.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateProfileInput,
    ) -> async_graphql::Result<Member> {
        let changes = service::ProfileChanges {
            display_name: input.display_name,
            municipality_ags: input.municipality_ags.into(),
            agency_slug: input.agency_slug.into(),
            language: input.language,
        };
        Ok(Member::from(
            service::update_profile(&ctx.state()?.writer, ctx.viewer()?, changes).await?,
        ))
    }

    /// Changes the signed-in member's password; their other sessions end.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The current and the new password.")] input: ChangePasswordInput,
    ) -> async_graphql::Result<bool> {
        service::change_password(
            &ctx.state()?.writer,
            ctx.viewer()?,
            &input.current_password,
            &input.new_password,
        )
        .await?;
        Ok(true)
    }

    /// Grants a role. ADMIN grants any role; an AGENCY_ADMIN grants EDITOR and AGENCY_ADMIN for
    /// their own agency.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who gets which role.")] input: GrantRoleInput,
    ) -> async_graphql::Result<Member> {
        let change = service::RoleChange {
            member_id: Member::decode("input.memberId", &input.member_id)?,
            role: input.role.granted(),
            agency_slug: input.agency_slug,
            municipality_ags: input.municipality_ags,
        };
        Ok(Member::from(
            service::grant_role(&ctx.state()?.writer, ctx.viewer()?, change).await?,
        ))
    }

    /// Revokes a role (the same rights as granting it).
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose role to revoke.")] input: RevokeRoleInput,
    ) -> async_graphql::Result<Member> {
        let change = service::RoleChange {
            member_id: Member::decode("input.memberId", &input.member_id)?,
            role: input.role.granted(),
            agency_slug: input.agency_slug,
            municipality_ags: input.municipality_ags,
        };
        Ok(Member::from(
            service::revoke_role(&ctx.state()?.writer, ctx.viewer()?, change).await?,
        ))
    }

    /// Registers an API client for an agency (its AGENCY_ADMIN or a platform administrator).
    async fn create_api_client(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The client.")] input: CreateApiClientInput,
    ) -> async_graphql::Result<ApiClient> {
        let client =
            service::create_api_client(&ctx.state()?.writer, ctx.viewer()?, &input.agency_slug, &input.name).await?;
        Ok(ApiClient(client))
    }

    /// Uploads a public key for an API client.
    async fn add_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key.")] input: AddApiKeyInput,
    ) -> async_graphql::Result<ApiKey> {
        // The clientId createApiClient returns (and the README passes), or the global id.
        let client_id = match uuid::Uuid::parse_str(input.client_id.trim()) {
            Ok(uuid) => ApiClientId::from(uuid),
            Err(_) => ApiClient::decode("input.clientId", &input.client_id)?,
        };
        let key = service::add_api_key(
            &ctx.state()?.writer,
            ctx.viewer()?,
            client_id,
            &input.kid,
            &input.public_key_pem,
        )
        .await?;
        Ok(ApiKey(key))
    }

    /// Revokes an API key at once.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key's global id.")] id: ID,
    ) -> async_graphql::Result<ApiKey> {
        let id = ApiKey::decode("id", &id)?;
        Ok(ApiKey(
            service::revoke_api_key(&ctx.state()?.writer, ctx.viewer()?, id).await?,
        ))
    }

    /// Deletes the signed-in member's account and personal data and ends every session.
    /// Community content stays readable, attributed to a deleted member.
    async fn delete_my_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's password, to confirm.")] password: String,
    ) -> async_graphql::Result<bool> {
        let data = ctx.get::<MemberData>()?;
        privacy::delete_my_account(&ctx.state()?.writer, data, ctx.viewer()?, &password).await?;
        Ok(true)
    }
}

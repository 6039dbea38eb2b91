//! Signing up and granting roles in tests.

use serde_json::{Value, json};

use crate::{TestServer, data};

/// A password the policy accepts.
pub const PASSWORD: &str = "Bildungsbüro Bottrop sammelt Daten 2026";

/// A role a member can be granted (the GraphQL enum `Role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Every signed-in member.
    Member,
    /// Publishes one agency's content.
    Editor,
    /// Manages one agency.
    AgencyAdmin,
    /// Moderates the forums.
    Moderator,
    /// Administers the platform.
    Admin,
}

impl Role {
    /// The GraphQL enum value.
    pub fn as_graphql(self) -> &'static str {
        match self {
            Role::Member => "MEMBER",
            Role::Editor => "EDITOR",
            Role::AgencyAdmin => "AGENCY_ADMIN",
            Role::Moderator => "MODERATOR",
            Role::Admin => "ADMIN",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_graphql())
    }
}

/// A signed-in member of a test.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// The member's global id.
    pub member_id: String,
    pub email: String,
}

const SIGN_UP: &str =
    "mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken expiresAt member { id } } }";

impl Session {
    fn from_payload(payload: &Value, email: &str) -> Session {
        Session {
            access_token: payload["accessToken"].as_str().expect("accessToken").to_owned(),
            refresh_token: payload["refreshToken"].as_str().expect("refreshToken").to_owned(),
            member_id: payload["member"]["id"].as_str().expect("member id").to_owned(),
            email: email.to_owned(),
        }
    }
}

impl TestServer {
    /// Signs up a member (display name from the email) and returns the session.
    pub async fn sign_up(&self, email: &str) -> Session {
        let name = email.split('@').next().unwrap_or("someone");
        let response = self
            .gql(
                SIGN_UP,
                json!({ "input": { "email": email, "password": PASSWORD, "displayName": name } }),
            )
            .await;
        let session = Session::from_payload(&data(&response)["signUp"], email);
        self.verify_email(&session).await;
        session
    }

    /// Follows the link of the member's latest verification mail.
    pub async fn verify_email(&self, session: &Session) {
        let token = self.mail_to(&session.email, "").await.token("/verify-email");
        let response = self
            .gql(
                "mutation ($t: String!) { verifyEmail(token: $t) { id } }",
                json!({ "t": token }),
            )
            .await;
        data(&response);
    }

    /// Logs in (returns the whole response).
    pub async fn log_in(&self, email: &str, password: &str) -> Value {
        self.gql(
            "mutation ($e: String!, $p: String!) { logIn(email: $e, password: $p) { accessToken refreshToken expiresAt member { id } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// Logs in and returns the session (the login must succeed).
    pub async fn log_in_session(&self, email: &str, password: &str) -> Session {
        let response = self.log_in(email, password).await;
        Session::from_payload(&data(&response)["logIn"], email)
    }

    /// Grants a role with the operator token.
    pub async fn grant(&self, member_id: &str, role: Role, agency_slug: Option<&str>) {
        let response = self
            .gql_admin(
                "mutation ($input: GrantRoleInput!) { grantRole(input: $input) { id } }",
                json!({ "input": { "memberId": member_id, "role": role.as_graphql(), "agencySlug": agency_slug } }),
            )
            .await;
        data(&response);
    }

    /// Signs up a member and grants a role.
    pub async fn member_with_role(&self, email: &str, role: Role, agency_slug: Option<&str>) -> Session {
        let session = self.sign_up(email).await;
        self.grant(&session.member_id, role, agency_slug).await;
        session
    }

    /// A GraphQL request with a member's access token.
    pub async fn gql_as(&self, session: &Session, query: &str, variables: Value) -> Value {
        self.gql_with(Some(&session.access_token), query, variables).await
    }
}

impl TestServer {
    /// Creates `count` members at once (`{prefix}-{n}@example.org`, display names with umlauts)
    /// and signs each in, without hashing a password per member: for tests that need hundreds
    /// of members. Their password is [`PASSWORD`].
    pub async fn many_members(&self, prefix: &str, count: usize) -> Vec<Session> {
        self.many_members_in(prefix, count, None).await
    }

    /// [`Self::many_members`], working for the municipality with this AGS (an affiliation).
    pub async fn many_members_in(&self, prefix: &str, count: usize, ags: Option<&str>) -> Vec<Session> {
        use dkbm_entity::{member, municipality};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let municipality_id = match ags {
            Some(ags) => Some(
                municipality::Entity::find()
                    .filter(municipality::Column::Ags.eq(ags))
                    .one(self.state.conn())
                    .await
                    .expect("municipality")
                    .expect("a municipality with that AGS")
                    .id,
            ),
            None => None,
        };
        let hash = dkbm_hub::auth::passwords::hash(PASSWORD).await.expect("hash");
        let at = chrono::Utc::now();
        let models: Vec<member::Model> = (0..count)
            .map(|n| member::Model {
                id: uuid::Uuid::now_v7(),
                email: format!("{prefix}-{n}@example.org"),
                display_name: format!("Jürgen Müller {n}"),
                password_hash: hash.clone(),
                municipality_id,
                agency_id: None,
                created_at: at,
                updated_at: at,
                email_verified_at: Some(at),
                language: "de".to_owned(),
                forum_mail: dkbm_entity::ForumMail::Immediate,
                event_reminders: true,
                forum_digest_on: None,
            })
            .collect();
        for chunk in models.chunks(100) {
            member::Entity::insert_many(chunk.iter().map(|m| member::ActiveModel::from(m.clone())))
                .exec(self.state.conn())
                .await
                .expect("insert members");
        }
        let mut sessions = Vec::with_capacity(count);
        for model in models {
            let email = model.email.clone();
            let id = model.id;
            let signed_in = dkbm_hub::members::service::start_session(&self.state.writer, &self.state.auth, model)
                .await
                .expect("start a session");
            sessions.push(Session {
                access_token: signed_in.access_token,
                refresh_token: signed_in.refresh_token,
                member_id: dkbm_hub::graphql::node::encode("Member", id).0,
                email,
            });
        }
        sessions
    }
}

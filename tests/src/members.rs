//! Signing up and granting roles in tests.

use serde_json::{Value, json};

use crate::{TestServer, data};

/// A password the policy accepts.
pub const PASSWORD: &str = "Bildungsbüro Bottrop sammelt Daten 2026";

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
        Session::from_payload(&data(&response)["signUp"], email)
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
    pub async fn grant(&self, member_id: &str, role: &str, agency_slug: Option<&str>) {
        let response = self
            .gql_admin(
                "mutation ($input: GrantRoleInput!) { grantRole(input: $input) { id } }",
                json!({ "input": { "memberId": member_id, "role": role, "agencySlug": agency_slug } }),
            )
            .await;
        data(&response);
    }

    /// Signs up a member and grants a role.
    pub async fn member_with_role(&self, email: &str, role: &str, agency_slug: Option<&str>) -> Session {
        let session = self.sign_up(email).await;
        self.grant(&session.member_id, role, agency_slug).await;
        session
    }

    /// A GraphQL request with a member's access token.
    pub async fn gql_as(&self, session: &Session, query: &str, variables: Value) -> Value {
        self.gql_with(Some(&session.access_token), query, variables).await
    }
}

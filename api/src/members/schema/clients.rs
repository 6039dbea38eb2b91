//! Agencies' machine clients and their public keys.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::{api_client, api_key};

use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::Agency;
use crate::graphql::ContextExt;
use crate::graphql::node::NodeKind;
use crate::members::loaders::MemberLoaders;

/// A machine client of an agency, e.g. a partner portal's sync job.
pub struct ApiClient(pub api_client::Model);

impl From<api_client::Model> for ApiClient {
    fn from(model: api_client::Model) -> Self {
        ApiClient(model)
    }
}

/// A machine client of an agency, e.g. a partner portal's sync job.
#[Object]
impl ApiClient {
    /// The client's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The client id to put into `iss` and `sub` of the client's assertions.
    async fn client_id(&self) -> crate::graphql::Uuid {
        self.0.id.into()
    }

    /// A name for people (e.g. "Portal sync").
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The agency the client acts for.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx
            .loaders::<DirectoryLoaders>()?
            .agency(self.0.agency_id.into())
            .await?
            .map(Agency::from))
    }

    /// The client's public keys, oldest first (revoked ones too).
    async fn keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiKey>> {
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .api_keys(self.0.id.into())
            .await?
            .into_iter()
            .map(ApiKey)
            .collect())
    }

    /// When the client was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A public key of an API client.
pub struct ApiKey(pub api_key::Model);

impl From<api_key::Model> for ApiKey {
    fn from(model: api_key::Model) -> Self {
        ApiKey(model)
    }
}

/// A public key of an API client.
#[Object]
impl ApiKey {
    /// The key's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id.into())
    }

    /// The key id the client puts into the `kid` header of its assertions.
    async fn kid(&self) -> &str {
        &self.0.kid
    }

    /// The signature algorithm: `EdDSA` (Ed25519) or `RS256` (RSA; RS384/512 and PS256/384/512 are accepted too).
    async fn algorithm(&self) -> &str {
        &self.0.algorithm
    }

    /// SHA-256 fingerprint of the DER-encoded public key (hex).
    async fn fingerprint(&self) -> &str {
        &self.0.fingerprint
    }

    /// The public key (SPKI PEM).
    async fn public_key_pem(&self) -> &str {
        &self.0.public_key_pem
    }

    /// When the key was uploaded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the key was revoked; assertions signed with it are refused since.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

//! Agency API clients in tests: a client with a registered Ed25519 key that signs a fresh
//! assertion (its bearer token) for every request.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::{Role, Session, TestServer, data};

/// An agency's API client with its private key.
pub struct ApiClient {
    /// The client's global id.
    pub id: String,
    /// The `clientId` it signs assertions as.
    pub client_id: String,
    /// The key id it was registered under.
    pub kid: String,
    key: EncodingKey,
}

/// Seconds since the epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs()
}

/// A new Ed25519 key pair: the private key for signing and the public key's PEM.
pub fn ed25519_key_pair() -> (EncodingKey, String) {
    use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
    let key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let private = ed25519_dalek::pkcs8::EncodePrivateKey::to_pkcs8_pem(&key, LineEnding::LF).expect("pem");
    let public =
        ed25519_dalek::pkcs8::EncodePublicKey::to_public_key_pem(&key.verifying_key(), LineEnding::LF).expect("pem");
    (EncodingKey::from_ed_pem(private.as_bytes()).expect("key"), public)
}

/// A signed client assertion with the usual claims, adjusted by `change`.
pub fn assertion(
    client_id: &str,
    kid: &str,
    key: &EncodingKey,
    algorithm: Algorithm,
    change: impl FnOnce(&mut Value),
) -> String {
    let mut claims = json!({
        "iss": client_id, "sub": client_id, "aud": "dkbm-hub",
        "iat": unix_now(), "exp": unix_now() + 300, "jti": uuid::Uuid::now_v7().to_string(),
    });
    change(&mut claims);
    let mut header = Header::new(algorithm);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, &claims, key).expect("sign")
}

impl ApiClient {
    /// A fresh assertion to send as the bearer token of one request.
    pub fn token(&self) -> String {
        assertion(&self.client_id, &self.kid, &self.key, Algorithm::EdDSA, |_| {})
    }
}

impl TestServer {
    /// Registers an API client of the agency (by an agency administrator made for it) with a
    /// new key.
    pub async fn api_client(&self, agency_slug: &str) -> ApiClient {
        let admin: Session = self
            .member_with_role(
                &format!("client-admin@{agency_slug}.test"),
                Role::AgencyAdmin,
                Some(agency_slug),
            )
            .await;
        let response = self
            .gql_as(
                &admin,
                "mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { id clientId } }",
                json!({ "input": { "agencySlug": agency_slug, "name": "Sync job" } }),
            )
            .await;
        let client = data(&response)["createApiClient"].clone();
        let (key, public) = ed25519_key_pair();
        let response = self
            .gql_as(
                &admin,
                "mutation ($input: AddApiKeyInput!) { addApiKey(input: $input) { id } }",
                json!({ "input": { "clientId": client["id"], "kid": "sync-1", "publicKeyPem": public } }),
            )
            .await;
        data(&response);
        ApiClient {
            id: client["id"].as_str().expect("id").to_owned(),
            client_id: client["clientId"].as_str().expect("clientId").to_owned(),
            kid: "sync-1".into(),
            key,
        }
    }
}

//! Access tokens: short-lived JWTs (EdDSA) with the claims iss, aud, sub, exp, nbf, iat, jti,
//! roles and sid (the session). Verifying one needs no database: signature and claims only.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Grant;
use super::keys::{Keyring, LEEWAY_SECS};
use crate::config::AuthConfig;
use crate::error::AppResult;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The member's id.
    pub sub: String,
    pub exp: u64,
    pub nbf: u64,
    pub iat: u64,
    pub jti: String,
    /// The grants at issue time, e.g. `MEMBER`, `EDITOR:<agency id>`, `ADMIN`. Informational
    /// for clients: the server checks the current grants on every request.
    pub roles: Vec<String>,
    /// The session (refresh-token family) the token belongs to.
    pub sid: String,
}

/// The `roles` claim of a member with these grants.
pub fn role_claims(grants: &[Grant]) -> Vec<String> {
    std::iter::once("MEMBER".to_owned())
        .chain(grants.iter().map(|grant| match grant.agency_id {
            Some(agency) => format!("{}:{agency}", grant.role.name()),
            None => grant.role.name().to_owned(),
        }))
        .collect()
}

/// Issues an access token; returns it with its expiry.
pub fn issue(
    keys: &Keyring,
    config: &AuthConfig,
    member_id: Uuid,
    session_id: Uuid,
    grants: &[Grant],
) -> AppResult<(String, DateTime<Utc>)> {
    let issued = Utc::now();
    let expires = issued + chrono::Duration::seconds(i64::try_from(config.access_token_ttl_secs).unwrap_or(900));
    let claims = AccessClaims {
        iss: config.issuer.clone(),
        aud: config.audience.clone(),
        sub: member_id.to_string(),
        exp: u64::try_from(expires.timestamp()).unwrap_or_default(),
        nbf: u64::try_from(issued.timestamp()).unwrap_or_default(),
        iat: u64::try_from(issued.timestamp()).unwrap_or_default(),
        jti: Uuid::now_v7().to_string(),
        roles: role_claims(grants),
        sid: session_id.to_string(),
    };
    Ok((keys.sign(&claims)?, expires))
}

/// The validation every access token must pass.
pub fn validation(config: &AuthConfig) -> Validation {
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.algorithms = vec![Algorithm::EdDSA];
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_issuer(&[&config.issuer]);
    validation.set_audience(&[&config.audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
    validation
}

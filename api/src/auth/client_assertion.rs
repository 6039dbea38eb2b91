//! Agency API clients authenticate with a JWT they sign themselves (RFC 7523 style): header
//! `kid` naming one of their registered public keys, claims iss = sub = client id, aud = the
//! server's audience, exp at most five minutes ahead, a unique jti. No shared secret exists.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{TimeZone, Utc};
use dkbm_entity::{api_client, api_key, used_jti};
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::Auth;
use super::keys::LEEWAY_SECS;
use super::{ClientViewer, invalid_credentials};
use crate::error::{AppError, AppResult};

/// How far ahead an assertion's `exp` may lie.
pub const MAX_LIFETIME_SECS: u64 = 300;

#[derive(Debug, Deserialize)]
struct Claims {
    exp: u64,
    jti: String,
}

#[derive(Debug, Deserialize)]
struct Issuer {
    iss: Option<String>,
}

/// The issuer a token claims, read without verifying it (to pick the verification path).
pub fn claimed_issuer(token: &str) -> Option<String> {
    jsonwebtoken::dangerous::insecure_decode::<Issuer>(token)
        .ok()?
        .claims
        .iss
}

/// The algorithms a registered key may sign with.
fn algorithms_for(key_algorithm: &str) -> Vec<Algorithm> {
    match key_algorithm {
        "EdDSA" => vec![Algorithm::EdDSA],
        "RS256" => vec![
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ],
        _ => Vec::new(),
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Verifies a client assertion and records its `jti`; the client acts for its agency.
pub async fn verify(auth: &Auth, token: &str, header: &Header, issuer: &str) -> AppResult<ClientViewer> {
    let db = &auth.db;
    let client_id = Uuid::parse_str(issuer).map_err(|_| invalid_credentials())?;
    let kid = header.kid.as_deref().ok_or_else(invalid_credentials)?;
    let key = api_key::Entity::find()
        .filter(api_key::Column::ApiClientId.eq(client_id))
        .filter(api_key::Column::Kid.eq(kid))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(invalid_credentials)?;
    let client = api_client::Entity::find_by_id(client_id)
        .one(db)
        .await?
        .ok_or_else(invalid_credentials)?;

    let algorithms = algorithms_for(&key.algorithm);
    if !algorithms.contains(&header.alg) {
        return Err(invalid_credentials());
    }
    let decoding = match key.algorithm.as_str() {
        "EdDSA" => DecodingKey::from_ed_pem(key.public_key_pem.as_bytes()),
        _ => DecodingKey::from_rsa_pem(key.public_key_pem.as_bytes()),
    }
    .map_err(|_| invalid_credentials())?;
    let mut validation = Validation::new(header.alg);
    validation.algorithms = algorithms;
    validation.leeway = LEEWAY_SECS;
    validation.set_issuer(&[issuer]);
    validation.sub = Some(issuer.to_owned());
    validation.set_audience(&[&auth.config.audience]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let claims = jsonwebtoken::decode::<Claims>(token, &decoding, &validation)
        .map_err(|_| invalid_credentials())?
        .claims;
    if claims.exp > now_secs() + MAX_LIFETIME_SECS + LEEWAY_SECS || claims.jti.is_empty() || claims.jti.len() > 200 {
        return Err(invalid_credentials());
    }
    // A jti is accepted once while the assertion lives: the primary key refuses a replay, also
    // when the replay reaches another replica.
    let expires_at = Utc
        .timestamp_opt(i64::try_from(claims.exp).unwrap_or(i64::MAX), 0)
        .single()
        .unwrap_or_else(Utc::now);
    used_jti::ActiveModel {
        api_client_id: Set(client_id),
        jti: Set(claims.jti),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await
    .map_err(|error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => invalid_credentials(),
        _ => AppError::from(error),
    })?;
    Ok(ClientViewer {
        client_id: client.id,
        agency_id: client.agency_id,
    })
}

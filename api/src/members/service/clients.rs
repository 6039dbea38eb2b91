//! Agency API clients and their public keys. An AGENCY_ADMIN registers a client for their agency
//! and uploads public keys (Ed25519, or RSA of at least 2048 bits, as PEM) under a `kid`; the
//! client signs its own short-lived assertions with the private key, which never leaves it.

use dkbm_entity::{api_client, api_key};
use ed25519_dalek::pkcs8::DecodePublicKey;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::auth::{Viewer, ensure_agency_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::directory::service::require_agency;
use crate::error::{AppError, AppResult};
use crate::ids::{ApiClientId, ApiKeyId};
use crate::messages::{Message, MessageKey};
use crate::validate;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// A parsed public key: algorithm, normalised SPKI PEM, SHA-256 fingerprint of the DER.
struct ParsedKey {
    algorithm: &'static str,
    pem: String,
    fingerprint: String,
}

fn fingerprint(der: &[u8]) -> String {
    crate::text::sha256_hex(der, 32)
}

/// Accepts an Ed25519 or RSA (≥ 2048 bit) public key in PEM (SPKI, or PKCS#1 for RSA).
fn parse_public_key(field: &str, pem: &str) -> AppResult<ParsedKey> {
    let pem = pem.trim();
    if pem.contains("PRIVATE KEY") {
        return Err(AppError::bad_input(field, MessageKey::PrivateKeyUploaded));
    }
    if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
        use ed25519_dalek::pkcs8::EncodePublicKey as _;
        let der = key.to_public_key_der().map_err(AppError::internal)?;
        let pem = key
            .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .map_err(AppError::internal)?;
        return Ok(ParsedKey {
            algorithm: "EdDSA",
            pem,
            fingerprint: fingerprint(der.as_bytes()),
        });
    }
    let rsa = rsa::RsaPublicKey::from_public_key_pem(pem).or_else(|_| rsa::RsaPublicKey::from_pkcs1_pem(pem));
    match rsa {
        Ok(key) => {
            let bits = key.size() * 8;
            if bits < MIN_RSA_BITS {
                return Err(AppError::bad_input(
                    field,
                    Message::new(MessageKey::RsaKeyTooShort)
                        .with("bits", bits)
                        .with("min", MIN_RSA_BITS),
                ));
            }
            let der = key.to_public_key_der().map_err(AppError::internal)?;
            let pem = key
                .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(AppError::internal)?;
            Ok(ParsedKey {
                algorithm: "RS256",
                pem,
                fingerprint: fingerprint(der.as_bytes()),
            })
        }
        Err(_) => Err(AppError::bad_input(field, MessageKey::NotAPublicKey)),
    }
}

/// An API client by id.
pub async fn api_client_by_id(db: &impl ConnectionTrait, id: ApiClientId) -> AppResult<Option<api_client::Model>> {
    Ok(api_client::Entity::find_by_id(id).one(db).await?)
}

/// An API key by id.
pub async fn api_key_by_id(db: &impl ConnectionTrait, id: ApiKeyId) -> AppResult<Option<api_key::Model>> {
    Ok(api_key::Entity::find_by_id(id).one(db).await?)
}

/// An API client, if the viewer may see it: clients are their agency's business, seen by its
/// administrators only.
pub async fn visible_api_client(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ApiClientId,
) -> AppResult<Option<api_client::Model>> {
    Ok(api_client_by_id(db, id)
        .await?
        .filter(|client| viewer.is_agency_admin(client.agency_id)))
}

/// An API key, if the viewer may see its client (see [`visible_api_client`]).
pub async fn visible_api_key(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: ApiKeyId,
) -> AppResult<Option<api_key::Model>> {
    let Some(key) = api_key_by_id(db, id).await? else {
        return Ok(None);
    };
    Ok(visible_api_client(db, viewer, key.api_client_id.into())
        .await?
        .map(|_| key))
}

/// Registers an API client for an agency (its AGENCY_ADMIN or an ADMIN).
pub async fn create_api_client(
    writer: &Writer,
    viewer: &Viewer,
    agency_slug: &str,
    name: &str,
) -> AppResult<api_client::Model> {
    let agency = require_agency(writer.conn(), "input.agencySlug", agency_slug).await?;
    ensure_agency_admin(viewer, agency.id)?;
    let name = validate::required_text("input.name", name, 200)?;
    Ok(api_client::ActiveModel {
        id: Set(Uuid::now_v7()),
        agency_id: Set(agency.id),
        name: Set(name),
        created_by: Set(viewer.member_id()),
        created_at: Set(now()),
    }
    .insert(writer.conn())
    .await?)
}

/// The API clients of an agency (its AGENCY_ADMIN or an ADMIN).
pub async fn api_clients_of(
    db: &DatabaseConnection,
    viewer: &Viewer,
    agency_slug: &str,
) -> AppResult<Vec<api_client::Model>> {
    let agency = require_agency(db, "agencySlug", agency_slug).await?;
    ensure_agency_admin(viewer, agency.id)?;
    Ok(api_client::Entity::find()
        .filter(api_client::Column::AgencyId.eq(agency.id))
        .order_by_asc(api_client::Column::CreatedAt)
        .all(db)
        .await?)
}

/// Uploads a public key for a client.
pub async fn add_api_key(
    writer: &Writer,
    viewer: &Viewer,
    client_id: ApiClientId,
    kid: &str,
    public_key_pem: &str,
) -> AppResult<api_key::Model> {
    let client = api_client_by_id(writer.conn(), client_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchApiClient))?;
    ensure_agency_admin(viewer, client.agency_id)?;
    let kid = validate::required_text("input.kid", kid, 200)?;
    let key = parse_public_key("input.publicKeyPem", public_key_pem)?;
    let work = UnitOfWork::begin(writer).await?;
    let taken = api_key::Entity::find()
        .filter(api_key::Column::ApiClientId.eq(client.id))
        .filter(api_key::Column::Kid.eq(&kid))
        .one(&work)
        .await?;
    if taken.is_some() {
        return Err(AppError::conflict("input.kid", MessageKey::KidTaken));
    }
    let model = api_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        api_client_id: Set(client.id),
        kid: Set(kid),
        algorithm: Set(key.algorithm.to_owned()),
        public_key_pem: Set(key.pem),
        fingerprint: Set(key.fingerprint),
        created_at: Set(now()),
        revoked_at: Set(None),
    }
    .insert(&work)
    .await
    .map_err(|e| AppError::from_unique_violation(e, "input.kid", MessageKey::KidTaken))?;
    work.commit().await?;
    Ok(model)
}

/// Revokes a key: assertions signed with it are refused from now on.
pub async fn revoke_api_key(writer: &Writer, viewer: &Viewer, key_id: ApiKeyId) -> AppResult<api_key::Model> {
    let key = api_key_by_id(writer.conn(), key_id)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchApiKey))?;
    let client = api_client_by_id(writer.conn(), key.api_client_id.into())
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchApiClient))?;
    ensure_agency_admin(viewer, client.agency_id)?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let mut model: api_key::ActiveModel = key.into();
    model.revoked_at = Set(Some(now()));
    Ok(model.update(writer.conn()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        let ed = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let pem = ed25519_dalek::pkcs8::EncodePublicKey::to_public_key_pem(
            &ed.verifying_key(),
            ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF,
        )
        .expect("pem");
        assert_eq!(parse_public_key("k", &pem).expect("ed25519").algorithm, "EdDSA");
        assert!(parse_public_key("k", "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----").is_err());
        assert!(parse_public_key("k", "garbage").is_err());
        let small = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 1024).expect("rsa");
        let pem = small
            .to_public_key()
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .expect("pem");
        let error = parse_public_key("k", &pem)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("1024 bits"), "{error}");
    }
}

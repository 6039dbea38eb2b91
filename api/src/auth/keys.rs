//! The keys that sign and verify access tokens (EdDSA / Ed25519).
//!
//! A key file (`DKBM_JWT_PRIVATE_KEY_FILE`) takes precedence. Without one, the first instance
//! to start generates a key and stores it in the database, so every replica — each on its own
//! machine, with no shared files — signs and verifies with the same key; with SQLite a copy is
//! also written beside the database file. `dkbm-hub keys rotate` makes a new key the signing
//! key; older keys keep verifying until the tokens they signed have expired, and
//! `/.well-known/jwks.json` publishes every key that still verifies.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use dkbm_entity::signing_key;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, KeypairBytes};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::{AuthConfig, Config};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};

/// Leeway granted on `exp`/`nbf` for clocks that differ between machines: a few seconds, so
/// that an expired token stops working when it says (the JWT library's default is 60).
pub const LEEWAY_SECS: u64 = 5;

/// Reloading keys from the database after an unknown `kid` happens at most this often.
const RELOAD_INTERVAL: Duration = Duration::from_secs(5);

/// One Ed25519 key, ready to sign (if we hold the private half) and verify.
struct Key {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Public key, base64url (the JWK `x`).
    x: String,
}

impl Key {
    fn from_private_pem(pem: &str) -> anyhow::Result<Key> {
        let signing = SigningKey::from_pkcs8_pem(pem).map_err(|e| anyhow::anyhow!("not an Ed25519 PKCS#8 key: {e}"))?;
        let x = URL_SAFE_NO_PAD.encode(signing.verifying_key().to_bytes());
        Ok(Key {
            kid: thumbprint(&x),
            encoding: EncodingKey::from_ed_pem(pem.as_bytes())?,
            decoding: DecodingKey::from_ed_components(&x)?,
            x,
        })
    }

    fn jwk(&self) -> Value {
        json!({ "kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": self.kid, "alg": "EdDSA", "use": "sig" })
    }
}

/// RFC 7638 thumbprint of an Ed25519 public key.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

struct KeySet {
    signing: Arc<Key>,
    verifying: HashMap<String, Arc<Key>>,
}

/// The keys of one instance.
pub struct Keyring {
    db: DatabaseConnection,
    configured: Option<Arc<Key>>,
    /// How long a retired key keeps verifying.
    grace: Duration,
    keys: RwLock<KeySet>,
    last_reload: Mutex<Instant>,
}

/// A new Ed25519 key as (private PKCS#8 PEM, public SPKI PEM).
///
/// The private key is written as PKCS#8 v1 (RFC 5208: no public key inside), the form OpenSSL
/// 3.0, Python's cryptography and most operators' tools read; ed25519-dalek's own encoding is
/// v2 (RFC 5958, with the public key), which they refuse. Both are read
/// ([`Key::from_private_pem`]).
fn generate() -> anyhow::Result<(String, String)> {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let v1 = KeypairBytes {
        secret_key: key.to_bytes(),
        public_key: None,
    };
    let private = v1.to_pkcs8_pem(LineEnding::LF)?.to_string();
    let public = key.verifying_key().to_public_key_pem(LineEnding::LF)?;
    Ok((private, public))
}

/// The advisory lock that keeps replicas starting together from both generating a key.
const KEYS_LOCK: i64 = 7_373_410_002;

async fn insert_generated(db: &impl ConnectionTrait) -> anyhow::Result<signing_key::Model> {
    let (private, public) = generate()?;
    let kid = Key::from_private_pem(&private)?.kid;
    Ok(signing_key::ActiveModel {
        kid: Set(kid),
        algorithm: Set("EdDSA".into()),
        private_key_pem: Set(private),
        public_key_pem: Set(public),
        created_at: Set(now()),
        retired_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// Makes sure the database holds a signing key; generates one if not. Returns it if generated.
async fn ensure_database_key(db: &DatabaseConnection) -> anyhow::Result<Option<signing_key::Model>> {
    let work = UnitOfWork::begin_quiet(db).await?;
    work.advisory(KEYS_LOCK).await?;
    let active = signing_key::Entity::find()
        .filter(signing_key::Column::RetiredAt.is_null())
        .one(&work)
        .await?;
    if active.is_some() {
        return Ok(None);
    }
    let key = insert_generated(&work).await?;
    work.commit().await?;
    Ok(Some(key))
}

/// Generates a new signing key and retires the others (`dkbm-hub keys rotate`).
pub async fn rotate(db: &DatabaseConnection) -> anyhow::Result<String> {
    let work = UnitOfWork::begin_quiet(db).await?;
    work.advisory(KEYS_LOCK).await?;
    let at = now();
    let key = insert_generated(&work).await?;
    signing_key::Entity::update_many()
        .col_expr(signing_key::Column::RetiredAt, sea_orm::sea_query::Expr::value(at))
        .filter(signing_key::Column::RetiredAt.is_null())
        .filter(signing_key::Column::Kid.ne(key.kid.clone()))
        .exec(&work)
        .await?;
    work.commit().await?;
    Ok(key.kid)
}

impl Keyring {
    /// Loads the configured key file or the database's keys, generating a key if there is none.
    pub async fn load(config: &Config, db: &DatabaseConnection) -> anyhow::Result<Keyring> {
        let auth: &AuthConfig = &config.auth;
        let configured = match &auth.private_key_file {
            Some(path) => {
                let pem = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("reading the JWT key file {}: {e}", path.display()))?;
                let key = Key::from_private_pem(&pem)?;
                tracing::info!(kid = %key.kid, file = %path.display(), "signing access tokens with the configured key");
                Some(Arc::new(key))
            }
            None => {
                // A generated key lives in the database only (every replica reads it there); it
                // is never written as a file, where one `git add .` would publish it.
                if let Some(generated) = ensure_database_key(db).await? {
                    tracing::info!(
                        kid = %generated.kid,
                        "generated a new key for signing access tokens and stored it in the database"
                    );
                }
                None
            }
        };
        let grace = auth.access_token_ttl() + Duration::from_secs(LEEWAY_SECS);
        let keys = read_keys(db, configured.clone(), grace).await?;
        Ok(Keyring {
            db: db.clone(),
            configured,
            grace,
            keys: RwLock::new(keys),
            last_reload: Mutex::new(Instant::now()),
        })
    }

    /// Re-reads the database's keys (a rotation on another replica becomes visible).
    pub async fn reload(&self) -> anyhow::Result<()> {
        let keys = read_keys(&self.db, self.configured.clone(), self.grace).await?;
        if let Ok(mut current) = self.keys.write() {
            *current = keys;
        }
        if let Ok(mut last) = self.last_reload.lock() {
            *last = Instant::now();
        }
        Ok(())
    }

    /// Signs claims with the current signing key.
    pub fn sign<T: Serialize>(&self, claims: &T) -> AppResult<String> {
        let key = self
            .keys
            .read()
            .map(|keys| keys.signing.clone())
            .map_err(|_| AppError::internal(anyhow::anyhow!("key set lock poisoned")))?;
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(key.kid.clone());
        jsonwebtoken::encode(&header, claims, &key.encoding).map_err(AppError::internal)
    }

    /// The verifying key with this `kid`; an unknown kid triggers (rate-limited) a reload, so a
    /// key generated or rotated on another replica is found.
    pub async fn decoding_key(&self, kid: &str) -> Option<DecodingKey> {
        if let Some(key) = self.lookup(kid) {
            return Some(key);
        }
        let due = self
            .last_reload
            .lock()
            .map(|last| last.elapsed() >= RELOAD_INTERVAL)
            .unwrap_or(false);
        if due {
            if let Err(error) = self.reload().await {
                tracing::warn!(error = %error, "reloading signing keys failed");
            }
            return self.lookup(kid);
        }
        None
    }

    fn lookup(&self, kid: &str) -> Option<DecodingKey> {
        self.keys
            .read()
            .ok()?
            .verifying
            .get(kid)
            .map(|key| key.decoding.clone())
    }

    /// The JSON Web Key Set of every key that still verifies.
    pub fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .keys
            .read()
            .map(|keys| {
                let mut list: Vec<&Arc<Key>> = keys.verifying.values().collect();
                list.sort_by(|a, b| a.kid.cmp(&b.kid));
                list.into_iter().map(|key| key.jwk()).collect()
            })
            .unwrap_or_default();
        json!({ "keys": keys })
    }
}

async fn read_keys(db: &DatabaseConnection, configured: Option<Arc<Key>>, grace: Duration) -> anyhow::Result<KeySet> {
    let rows = signing_key::Entity::find()
        .order_by_desc(signing_key::Column::CreatedAt)
        .all(db)
        .await?;
    let cutoff: DateTime<Utc> = now() - chrono::Duration::from_std(grace)?;
    let mut verifying = HashMap::new();
    let mut newest_active: Option<Arc<Key>> = None;
    for row in rows {
        if row.retired_at.is_some_and(|retired| retired < cutoff) {
            continue;
        }
        let key = Arc::new(Key::from_private_pem(&row.private_key_pem)?);
        if row.retired_at.is_none() && newest_active.is_none() {
            newest_active = Some(key.clone());
        }
        verifying.insert(key.kid.clone(), key);
    }
    if let Some(key) = &configured {
        verifying.insert(key.kid.clone(), key.clone());
    }
    let signing = configured.or(newest_active).ok_or_else(|| {
        anyhow::anyhow!("no signing key: configure DKBM_JWT_PRIVATE_KEY_FILE or let the server generate one")
    })?;
    Ok(KeySet { signing, verifying })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_round_trip() {
        let (private, public) = generate().expect("generate");
        assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        let key = Key::from_private_pem(&private).expect("parse");
        assert_eq!(key.kid.len(), 43, "a SHA-256 thumbprint in base64url");
    }
}

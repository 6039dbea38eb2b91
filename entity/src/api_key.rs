//! A public key of an API client (Ed25519 or RSA ≥ 2048), by its `kid`. No secret is stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub api_client_id: Uuid,
    /// Unique per client.
    pub kid: String,
    /// `EdDSA` or `RS256`.
    pub algorithm: String,
    pub public_key_pem: String,
    /// SHA-256 fingerprint of the DER public key (hex), for display.
    pub fingerprint: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

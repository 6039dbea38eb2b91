//! A key the server signs access tokens with. Generated keys live here so that every replica
//! signs and verifies with the same keys.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_key")]
pub struct Model {
    /// The key id (`kid`): the RFC 7638 thumbprint of the public key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    /// JWS algorithm, `EdDSA`.
    pub algorithm: String,
    /// PKCS#8 PEM of the private key.
    pub private_key_pem: String,
    /// SPKI PEM of the public key.
    pub public_key_pem: String,
    pub created_at: DateTimeUtc,
    /// When a newer key took over signing; the key still verifies until its tokens expired.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

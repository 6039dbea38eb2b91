//! Who is asking and what they may do. A request's credentials become a [`Viewer`]
//! ([`authenticate`]); services call the named checks ([`ensure_admin`],
//! [`ensure_agency_editor`], …) before they act, so GraphQL, the CLI and HTTP exports share
//! one rule. A missing token is anonymous; a token that does not verify is an error
//! (UNAUTHENTICATED, with no detail of why), never silently anonymous.

mod authenticate;
mod client_assertion;
pub mod keys;
pub mod passwords;
pub mod tokens;
mod viewer;

pub use authenticate::{authenticate, authorization_header, invalid_credentials};
pub use viewer::*;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::config::{AuthConfig, Config};

/// What telling who is asking needs, and what signing tokens needs: the keys, the token
/// settings, the operator's token and the database (sessions, API clients' public keys).
pub struct Auth {
    /// The keys that sign and verify access tokens.
    pub keys: Arc<keys::Keyring>,
    /// Issuer, audience and lifetimes of tokens.
    pub config: AuthConfig,
    admin_token: Option<String>,
    db: DatabaseConnection,
}

impl Auth {
    /// Loads (or on first start generates) the signing keys.
    pub async fn load(config: &Config, db: &DatabaseConnection) -> anyhow::Result<Auth> {
        Ok(Auth {
            keys: Arc::new(keys::Keyring::load(config, db).await?),
            config: config.auth.clone(),
            admin_token: config.admin_token.clone(),
            db: db.clone(),
        })
    }
}

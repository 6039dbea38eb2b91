//! Who is asking: the [`Viewer`] of a request, derived from its credentials, and the named
//! checks services call before they act. A missing token is anonymous; a token that does not
//! verify is an error (UNAUTHENTICATED), never silently anonymous.

use subtle::ConstantTimeEq;

use crate::config::Config;
use crate::error::{AppError, AppResult};

/// The viewer of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// No credentials were sent.
    Anonymous,
    /// The operator's break-glass token (`DKBM_ADMIN_TOKEN`): acts as a platform administrator.
    Operator,
}

impl Viewer {
    /// Whether the viewer has platform-administrator rights.
    pub fn is_admin(&self) -> bool {
        matches!(self, Viewer::Operator)
    }
}

/// Resolves the `Authorization` header value (if any) to a viewer.
pub fn authenticate(config: &Config, authorization: Option<&str>) -> AppResult<Viewer> {
    let Some(header) = authorization else {
        return Ok(Viewer::Anonymous);
    };
    let token = bearer_token(header)?;
    if let Some(admin_token) = &config.admin_token
        && !admin_token.is_empty()
        && bool::from(token.as_bytes().ct_eq(admin_token.as_bytes()))
    {
        return Ok(Viewer::Operator);
    }
    Err(invalid_credentials())
}

/// The token of an `Authorization: Bearer <token>` header.
fn bearer_token(header: &str) -> AppResult<&str> {
    let (scheme, token) = header.trim().split_once(' ').ok_or_else(invalid_credentials)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid_credentials());
    }
    Ok(token.trim())
}

/// The one answer to credentials that do not verify: no detail of why.
pub fn invalid_credentials() -> AppError {
    AppError::Unauthenticated("invalid or expired credentials".into())
}

/// Platform administration (the directory's admin mutations).
pub fn ensure_admin(viewer: &Viewer) -> AppResult<()> {
    match viewer {
        Viewer::Operator => Ok(()),
        Viewer::Anonymous => Err(AppError::Unauthenticated(
            "this needs an administrator: sign in or send the admin token".into(),
        )),
    }
}

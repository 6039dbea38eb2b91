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

pub use authenticate::{authenticate, invalid_credentials};
pub use viewer::*;

//! `GET /.well-known/jwks.json`: the public keys that verify access tokens, so that other
//! services (and front-ends) can check a token without asking us.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::HttpState;

/// The JSON Web Key Set.
pub async fn jwks(State(state): State<HttpState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/jwk-set+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        state.app.auth.keys.jwks().to_string(),
    )
        .into_response()
}

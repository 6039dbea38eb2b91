//! Which browser origins may use the API: the CORS layer for HTTP, and the same rule for
//! WebSocket upgrades, which CORS does not cover (a page on any site may open a WebSocket to
//! us, and the browser sends its cookies and shows it the answers: cross-site WebSocket
//! hijacking).

use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use axum::http::request::Parts;

use super::REQUEST_ID;
use super::graphql_http::PORTAL_KEY;
use std::sync::Arc;

use crate::app::Areas;
use crate::state::AppState;

/// The configured front-end origins.
#[derive(Debug, Clone)]
pub struct AllowedOrigins {
    any: bool,
    origins: Vec<HeaderValue>,
}

impl AllowedOrigins {
    /// From `--cors-origins`: exact origins (`https://portal.example`), or `*` for any.
    pub fn new(configured: &[String]) -> Self {
        let configured: Vec<&str> = configured.iter().map(|o| o.trim()).filter(|o| !o.is_empty()).collect();
        AllowedOrigins {
            any: configured.contains(&"*"),
            origins: configured.iter().filter_map(|o| o.parse().ok()).collect(),
        }
    }

    /// Whether a WebSocket upgrade with these headers may proceed: without an `Origin` (not a
    /// browser), from a configured origin, or from the API's own origin (GraphiQL at `/`),
    /// i.e. an `Origin` whose host and port are the request's `Host`.
    pub fn allow_upgrade(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true;
        };
        if self.any || self.origins.contains(origin) {
            return true;
        }
        let host = headers.get(header::HOST).and_then(|host| host.to_str().ok());
        match (origin.to_str().ok().and_then(authority), host) {
            (Some(origin), Some(host)) => same_authority(&origin, host),
            _ => false,
        }
    }

    /// The CORS layer: the configured origins, and the portals' origins (a request naming a
    /// portal with `X-Portal-Key` only from that portal's origins; see
    /// `portals::service::PortalOrigins`). None configured and no portals: same-origin only.
    pub fn layer(&self, extra_request_headers: &[HeaderName], state: AppState, areas: Arc<Areas>) -> CorsLayer {
        let allow = if self.any {
            AllowOrigin::any()
        } else {
            let configured = self.origins.clone();
            AllowOrigin::async_predicate(move |origin: HeaderValue, parts: &Parts| {
                let key = parts
                    .headers
                    .get(PORTAL_KEY)
                    .and_then(|key| key.to_str().ok())
                    .map(str::to_owned);
                let state = state.clone();
                let areas = areas.clone();
                let configured = configured.contains(&origin);
                async move {
                    if configured {
                        return true;
                    }
                    let Ok(origin) = origin.to_str() else {
                        return false;
                    };
                    areas.portals.origins.allows(state.conn(), origin, key.as_deref()).await
                }
            })
        };
        let mut request_headers = vec![
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            REQUEST_ID,
            HeaderName::from_static(PORTAL_KEY),
        ];
        request_headers.extend(extra_request_headers.iter().cloned());
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers(request_headers)
            // Front-ends read the file name of CSV/XLSX downloads from Content-Disposition.
            .expose_headers([REQUEST_ID, header::CONTENT_DISPOSITION])
            .max_age(Duration::from_secs(3600))
    }
}

/// `host[:port]` of an origin (`https://api.example:8443` → `api.example:8443`), lower case,
/// without the scheme's default port.
fn authority(origin: &str) -> Option<String> {
    let url = url::Url::parse(origin).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// Whether a `Host` header names the same host and port as an origin's authority; a default
/// port in `Host` is the same as none (the scheme is not known behind a TLS proxy).
fn same_authority(origin: &str, host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(&host);
    origin == host
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).expect("host"));
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_str(origin).expect("origin"));
        }
        headers
    }

    #[test]
    fn upgrades_need_no_origin_a_configured_one_or_our_own() {
        let allowed = AllowedOrigins::new(&["https://portal.example".to_owned()]);
        assert!(allowed.allow_upgrade(&headers(None, "api.example")));
        assert!(allowed.allow_upgrade(&headers(Some("https://portal.example"), "api.example")));
        assert!(allowed.allow_upgrade(&headers(Some("https://api.example"), "api.example")));
        assert!(allowed.allow_upgrade(&headers(Some("https://api.example"), "api.example:443")));
        assert!(allowed.allow_upgrade(&headers(Some("http://127.0.0.1:8000"), "127.0.0.1:8000")));
        assert!(!allowed.allow_upgrade(&headers(Some("https://evil.example"), "api.example")));
        assert!(!allowed.allow_upgrade(&headers(Some("http://127.0.0.1:9000"), "127.0.0.1:8000")));
        assert!(!allowed.allow_upgrade(&headers(Some("null"), "api.example")));
        let any = AllowedOrigins::new(&["*".to_owned()]);
        assert!(any.allow_upgrade(&headers(Some("https://evil.example"), "api.example")));
    }
}

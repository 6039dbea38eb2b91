//! Content negotiation of GraphQL over HTTP: the response media type picked from `Accept`
//! (`application/graphql-response+json` or `application/json`), and the `Content-Type` a POST
//! must carry.

use axum::http::{HeaderMap, HeaderValue, header};

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    pub(super) fn header(self) -> HeaderValue {
        match self {
            MediaType::GraphqlResponseJson => {
                HeaderValue::from_static("application/graphql-response+json; charset=utf-8")
            }
            MediaType::Json => HeaderValue::from_static("application/json; charset=utf-8"),
        }
    }
}

/// Picks the response media type from `Accept`: the acceptable type with the highest quality;
/// on a tie an explicitly named type wins over a wildcard, and `application/graphql-response+json`
/// over `application/json` when both are named. No `Accept` means `application/json`.
pub(super) fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    if accept.trim().is_empty() {
        return Some(MediaType::Json);
    }
    // (quality, specificity, preference) per candidate; higher wins.
    let mut best: Option<((u32, u8, u8), MediaType)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let mut quality = 1000;
        for parameter in parts {
            if let Some((key, value)) = parameter.split_once('=')
                && key.trim().eq_ignore_ascii_case("q")
            {
                quality = value
                    .trim()
                    .parse::<f32>()
                    .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32);
            }
        }
        if quality == 0 {
            continue;
        }
        let candidates: &[(MediaType, u8, u8)] = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => &[(MediaType::GraphqlResponseJson, 2, 1)],
            JSON => &[(MediaType::Json, 2, 0)],
            "application/*" | "*/*" => &[(MediaType::Json, 1, 1), (MediaType::GraphqlResponseJson, 1, 0)],
            _ => &[],
        };
        for &(media_type, specificity, preference) in candidates {
            let score = (quality, specificity, preference);
            if best.is_none_or(|(current, _)| score > current) {
                best = Some((score, media_type));
            }
        }
    }
    best.map(|(_, media_type)| media_type)
}

/// The quality (0 to 1000) `Accept` gives each media range it names.
fn qualities(accept: &str) -> impl Iterator<Item = (String, u32)> + '_ {
    accept.split(',').map(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|parameter| parameter.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(1000, |(_, value)| {
                value
                    .trim()
                    .parse::<f32>()
                    .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32)
            });
        (media, quality)
    })
}

/// Whether the request comes from a browser's address bar: `Accept` names `text/html` and
/// prefers it to every JSON it accepts (a browser sends `text/html, …, */*;q=0.8`; GraphQL
/// clients name JSON, curl sends `*/*`).
pub(super) fn prefers_html(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut html = 0;
    let mut json = 0;
    for (media, quality) in qualities(accept) {
        match media.as_str() {
            "text/html" => html = html.max(quality),
            GRAPHQL_RESPONSE_JSON | JSON | "application/*" | "*/*" => json = json.max(quality),
            _ => {}
        }
    }
    html > 0 && html > json
}

/// Whether the body is declared `application/json`, with no charset other than UTF-8.
pub(super) fn is_json_utf8(headers: &HeaderMap) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut parts = content_type.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset_ok = parts.all(|parameter| match parameter.split_once('=') {
        Some((key, value)) if key.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    });
    essence == JSON && charset_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).expect("header"));
        negotiate(&headers)
    }

    #[test]
    fn negotiation_follows_the_spec() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(accept("application/json"), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(
            accept("application/json;q=1, application/graphql-response+json;q=0.5"),
            Some(MediaType::Json)
        );
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }

    #[test]
    fn a_browser_prefers_html() {
        let prefers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_str(value).expect("header"));
            prefers_html(&headers)
        };
        assert!(prefers(
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
        ));
        assert!(!prefers("*/*"));
        assert!(!prefers("application/json, text/html"));
        assert!(!prefers("application/graphql-response+json"));
        assert!(!prefers(""));
    }
}

//! GraphiQL at `/`, served entirely from the binary: a pinned GraphiQL with production React
//! (`api/assets/graphiql/`, see its README), so the IDE works on an intranet and offline. The
//! assets live under a versioned path and are cached for a year; a new version is a new URL.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The `graphiql` npm package the assets come from.
pub const GRAPHIQL_VERSION: &str = "3.8.3";
/// The `react` and `react-dom` npm packages the assets come from.
pub const REACT_VERSION: &str = "18.3.1";

/// The path prefix of the assets: `/graphiql/{ASSET_VERSION}/{file}`.
const ASSET_VERSION: &str = "3.8.3-react-18.3.1";

const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// The files served under the versioned path: name, content type, bytes.
const ASSETS: [(&str, &str, &[u8]); 4] = [
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
];

/// The page at `/`: loads the assets above (and nothing else) and points GraphiQL at `/graphql`
/// and, for subscriptions, at the WebSocket `/graphql/ws`; `?query=…` fills the editor.
pub async fn page() -> impl IntoResponse {
    let base = format!("/graphiql/{ASSET_VERSION}");
    // A JSON string is a JavaScript string literal; `</` cannot end the script early.
    let example = serde_json::Value::String(EXAMPLE.to_owned())
        .to_string()
        .replace("</", "<\\/");
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="graphiql {GRAPHIQL_VERSION}, react {REACT_VERSION}">
<title>dkbm-hub GraphiQL</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{base}/graphiql.min.css">
<style>html, body, #graphiql {{ height: 100%; margin: 0; overflow: hidden; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="{base}/react.production.min.js"></script>
<script src="{base}/react-dom.production.min.js"></script>
<script src="{base}/graphiql.min.js"></script>
<script>
  // Queries and mutations over HTTP; subscriptions over the WebSocket at /graphql/ws
  // (graphql-transport-ws, with the graphql-ws client the GraphiQL bundle carries). Headers
  // typed into the editor (e.g. Authorization) go into the WebSocket's connection_init.
  const socket = new URL("/graphql/ws", window.location.href);
  socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";
  const fetcher = GraphiQL.createFetcher({{
    url: new URL("/graphql", window.location.href).href,
    subscriptionUrl: socket.href,
  }});
  // `/?query=…` opens with that query in the editor (a shareable link); without one the
  // editor starts with an example of this API.
  const query = new URLSearchParams(window.location.search).get("query") ?? undefined;
  const defaultQuery = {example};
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{ fetcher, query, defaultQuery, defaultEditorToolsVisibility: true }}),
  );
</script>
</body>
</html>
"#
    ))
}

/// What the editor shows first: a query of this API to run at once.
const EXAMPLE: &str = "# Welcome to dkbm-hub, the knowledge base of the DKBM community.
# Press the run button (or Ctrl-Enter). The Docs panel on the left lists everything.

query Beispiele {
  goodPractices(first: 5, filter: { search: \"Übergang\" }) {
    totalCount
    nodes { title summary agency { name } municipalities { name state } topics { labelDe } }
  }
  trainingEvents(first: 3) {
    nodes { title format startsAt seatsFree organizer { name } }
  }
}
";

/// The icon of GraphiQL's tab (and of the browser's request for `/favicon.ico`).
const FAVICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1d4f91"/><path d="M14 46V18h10c9 0 14 5 14 14s-5 14-14 14z M22 40h2c4 0 6-3 6-8s-2-8-6-8h-2z" fill="#fff"/><circle cx="48" cy="44" r="5" fill="#f2b705"/></svg>"##;

/// `GET /favicon.svg` (and `/favicon.ico`, which browsers ask for by default).
pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        FAVICON,
    )
        .into_response()
}

/// One asset under `/graphiql/{version}/{file}`; any other version or file is 404.
pub async fn asset(Path((version, file)): Path<(String, String)>) -> Response {
    if version != ASSET_VERSION {
        return StatusCode::NOT_FOUND.into_response();
    }
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, CACHE_FOREVER),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

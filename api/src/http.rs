//! The HTTP surface: the axum router with its middleware (request id, tracing, metrics, CORS,
//! body limit, timeout), GraphQL over HTTP and WebSocket, GraphiQL, health and metrics, and
//! the routes each area offers (event calendars and participant lists, indicator charts, the
//! pages behind links in mails).

mod cors;
mod graphiql;
mod graphql_http;
mod graphql_ws;
mod jwks;
mod probes;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use cors::AllowedOrigins;
pub use graphql_http::{PersistedQueries, ResponseCache, VersionReads};

use crate::app::{App, Areas};
use crate::metrics::HttpLabels;
use crate::schema::AppSchema;
use crate::state::AppState;

/// The header carrying the request id, set when the client did not send one.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the handlers share, behind one `Arc` (a handler's state is cloned per request).
pub type HttpState = Arc<Shared>;

/// What the handlers share: the instance state, its schema and the browser origins allowed.
pub struct Shared {
    pub app: AppState,
    /// The instance reading from its replica, if one is configured.
    pub reading: Option<AppState>,
    /// The areas' handles (portals' origins and keys).
    pub areas: Arc<Areas>,
    pub schema: AppSchema,
    pub origins: AllowedOrigins,
    /// The public response cache.
    pub cache: Arc<ResponseCache>,
    /// The documents of Automatic Persisted Queries, by hash.
    pub persisted: Arc<PersistedQueries>,
    /// The data version reads the response cache's lookups share.
    pub versions: Arc<VersionReads>,
}

/// The router of one instance.
pub fn router(app: App) -> Router {
    let schema = crate::schema::build(&app);
    let state = app.state.clone();
    let limits = &state.config.limits;
    let origins = AllowedOrigins::new(&state.config.cors_origins);
    let cors = origins.layer(&state.config.cors_allow_headers, state.clone(), app.areas.clone());
    let http_state = Arc::new(Shared {
        app: state.clone(),
        reading: state.on_replica(),
        areas: app.areas.clone(),
        schema,
        origins,
        cache: Arc::new(ResponseCache::new(
            state.config.response_cache_mb,
            Duration::from_secs(state.config.response_cache_ttl_secs.max(1)),
        )),
        persisted: Arc::new(PersistedQueries::new(state.config.persisted_queries_mb)),
        versions: Arc::default(),
    });

    let routes = Router::new()
        .route("/", get(graphiql::page))
        .route("/graphiql/{version}/{file}", get(graphiql::asset))
        .route("/favicon.svg", get(graphiql::favicon))
        .route("/favicon.ico", get(graphiql::favicon))
        .route("/schema.graphql", get(schema_sdl))
        .route("/graphql", get(graphql_http::get).post(graphql_http::post))
        .route("/graphql/ws", get(graphql_ws::upgrade))
        .route("/healthz", get(probes::healthz))
        .route("/readyz", get(probes::readyz))
        .route("/metrics", get(probes::metrics))
        .route("/.well-known/jwks.json", get(jwks::jwks))
        .with_state(http_state)
        .merge(crate::members::routes::routes().with_state(state.clone()))
        .merge(crate::events::routes::routes().with_state(state.clone()))
        .merge(crate::indicators::routes::routes().with_state(state.clone()))
        .merge(crate::accompaniment::routes::routes().with_state(state.clone()))
        .merge(crate::documents::routes::routes().with_state(state.clone()))
        .layer(middleware::from_fn_with_state(state.clone(), track_request));

    routes.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(|request: &Request| {
                        let request_id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|value| value.to_str().ok())
                            .unwrap_or_default();
                        let span = tracing::info_span!(
                            "request",
                            otel.name = %format_args!("{} {}", request.method(), request.uri().path()),
                            otel.kind = "server",
                            method = %request.method(),
                            path = %request.uri().path(),
                            request_id = %request_id,
                            trace_id = tracing::field::Empty,
                        );
                        crate::telemetry::adopt_request(&span, request.headers());
                        span
                    })
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(cors)
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                limits.request_timeout(),
            ))
            .layer(DefaultBodyLimit::max(limits.max_body_bytes)),
    )
}

/// `GET /schema.graphql`: the schema's SDL, for code generators and schema checkers (404 when
/// introspection is switched off).
async fn schema_sdl(State(state): State<HttpState>) -> Response {
    use axum::response::IntoResponse;
    if state.app.config.limits.disable_introspection {
        return StatusCode::NOT_FOUND.into_response();
    }
    static SDL: std::sync::LazyLock<String> = std::sync::LazyLock::new(crate::schema::sdl);
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=300"),
        ],
        SDL.as_str(),
    )
        .into_response()
}

/// Counts the request and its latency by method, matched route and status.
async fn track_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let labels = HttpLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    let metrics = state.metrics();
    metrics.http_requests.get_or_create(&labels).inc();
    metrics
        .http_duration
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}

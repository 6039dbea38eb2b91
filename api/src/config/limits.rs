//! Protection against expensive or abusive requests: the limits of the HTTP server and of
//! GraphQL documents.

use std::time::Duration;

use clap::{ArgAction, Args};

/// Protection against expensive or abusive requests; every limit is configurable.
#[derive(Debug, Clone, Args)]
pub struct Limits {
    /// Maximum nesting depth of a query (introspection excluded).
    #[arg(long, env = "DKBM_MAX_DEPTH", default_value_t = 15)]
    pub max_depth: usize,

    /// Maximum complexity of a query: every field costs 1, lists multiply by their page size
    /// (introspection excluded).
    #[arg(long, env = "DKBM_MAX_COMPLEXITY", default_value_t = 50_000)]
    pub max_complexity: usize,

    /// Maximum number of aliased fields in one document.
    #[arg(long, env = "DKBM_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,

    /// Maximum number of root fields in one operation.
    #[arg(long, env = "DKBM_MAX_ROOT_FIELDS", default_value_t = 20)]
    pub max_root_fields: usize,

    /// Maximum number of operations in one batched request (a JSON array).
    #[arg(long, env = "DKBM_MAX_BATCH_OPERATIONS", default_value_t = 10)]
    pub max_batch_operations: usize,

    /// Maximum request body size in bytes.
    #[arg(long, env = "DKBM_MAX_BODY_BYTES", default_value_t = 8 * 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Requests taking longer than this many seconds are answered 408 and abandoned.
    #[arg(long, env = "DKBM_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Seconds a client has to send a complete request head once it has sent its first byte;
    /// slower connections are closed (slow-header attacks).
    #[arg(long, env = "DKBM_HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub http_header_timeout_secs: u64,

    /// Seconds a connection may sit idle (no request in flight, nothing sent either way) before
    /// it is closed: new connections that send nothing and keep-alive connections between
    /// requests. Keep it above a load balancer's idle timeout (often 60 s).
    #[arg(long, env = "DKBM_HTTP_IDLE_TIMEOUT_SECS", default_value_t = 75)]
    pub http_idle_timeout_secs: u64,

    /// Open client connections (WebSockets included) at most; more wait in the listen backlog
    /// until one closes. Keep it below the open-file limit (`ulimit -n`) less the database pool.
    #[arg(long, env = "DKBM_HTTP_MAX_CONNECTIONS", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub http_max_connections: u32,

    /// Seconds a WebSocket client has to send `connection_init` before the socket is closed (4408).
    #[arg(long, env = "DKBM_WS_INIT_TIMEOUT_SECS", default_value_t = 10)]
    pub ws_init_timeout_secs: u64,

    /// Switch off introspection (`__schema`, `__type`).
    #[arg(long, env = "DKBM_DISABLE_INTROSPECTION", action = ArgAction::SetTrue)]
    pub disable_introspection: bool,

    /// Suggest similar field names in validation errors ("Did you mean …?").
    #[arg(long, env = "DKBM_FIELD_SUGGESTIONS", action = ArgAction::SetTrue)]
    pub field_suggestions: bool,
}

impl Limits {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// How long a started request head may take to arrive.
    pub fn http_header_timeout(&self) -> Duration {
        Duration::from_secs(self.http_header_timeout_secs)
    }

    /// How long a connection may sit idle.
    pub fn http_idle_timeout(&self) -> Duration {
        Duration::from_secs(self.http_idle_timeout_secs)
    }
}

//! Every setting of the server in one place: each is a `--flag` and an environment variable with a
//! default that works on a laptop (SQLite file `dkbm.db` in the working directory).

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::HeaderName;
use clap::{ArgAction, Args, Command};

pub mod file;
mod limits;
pub mod show;
mod storage;
mod webhooks;

pub use limits::Limits;
pub use storage::StorageConfig;
pub use webhooks::WebhookConfig;

/// The settings of one server instance.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// A configuration file (TOML) whose keys are these flags' names (without the dashes, `-` as
    /// `_`); a flag or an environment variable overrides what it says. `dkbm-hub config show`
    /// prints one.
    #[arg(long = "config", env = "DKBM_CONFIG")]
    pub config_file: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub database: DatabaseConfig,

    /// Address and port to listen on.
    #[arg(long, env = "DKBM_BIND", default_value = "127.0.0.1:8000")]
    pub bind: SocketAddr,

    /// Do not apply pending migrations at start (run `dkbm-hub migrate` instead).
    #[arg(long, env = "DKBM_SKIP_MIGRATIONS", action = ArgAction::SetTrue)]
    pub skip_migrations: bool,

    /// Seconds between SIGTERM and closing the listener: the instance answers `/readyz` with 503
    /// meanwhile (but still serves), so that load balancers stop sending it new requests.
    #[arg(long, env = "DKBM_SHUTDOWN_DELAY_SECS", default_value_t = 5)]
    pub shutdown_delay_secs: u64,

    /// Seconds requests in flight get to finish after the listener closed; then the instance
    /// exits anyway.
    #[arg(long, env = "DKBM_SHUTDOWN_GRACE_SECS", default_value_t = 20)]
    pub shutdown_grace_secs: u64,

    /// Start without the 16 Länder and 401 districts the server otherwise adds to its map at start
    /// (where missing; an import of the official directory is never undone). For a map of one's
    /// own, and for tests that build theirs.
    #[arg(long, env = "DKBM_NO_BASE_PLACES", action = ArgAction::SetTrue)]
    pub no_base_places: bool,

    /// Load the demo data set at start (idempotent).
    #[arg(long, env = "DKBM_DEMO", action = ArgAction::SetTrue)]
    pub demo: bool,

    /// Break-glass operator credential: a request with `Authorization: Bearer <token>` acts as a
    /// platform administrator. Off unless set.
    #[arg(long, env = "DKBM_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Front-end origins allowed to call the API from a browser (comma-separated; `*` for any).
    #[arg(long, env = "DKBM_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Vec<String>,

    /// Request headers browsers may send from those origins besides `Authorization`,
    /// `Content-Type`, `Accept` and `X-Request-Id` (comma-separated). The defaults are what
    /// Apollo Client and Apollo Kotlin/iOS add.
    #[arg(
        long,
        env = "DKBM_CORS_ALLOW_HEADERS",
        value_delimiter = ',',
        default_value = "apollo-require-preflight,x-apollo-operation-name,x-apollo-operation-id,apollographql-client-name,apollographql-client-version"
    )]
    pub cors_allow_headers: Vec<HeaderName>,

    /// Write logs as JSON lines instead of human-readable text.
    #[arg(long, env = "DKBM_LOG_JSON", action = ArgAction::SetTrue)]
    pub log_json: bool,

    /// Log filter (tracing-subscriber syntax), e.g. `info` or `dkbm_hub=debug,info`.
    #[arg(long, env = "DKBM_LOG", default_value = "info")]
    pub log: String,

    /// Days the change feed keeps tombstones (deletions); a partner whose cursor is older must
    /// start its mirror again (CURSOR_EXPIRED).
    #[arg(long, env = "DKBM_FEED_TOMBSTONE_RETENTION_DAYS", default_value_t = 90)]
    pub feed_tombstone_retention_days: u32,

    /// Forum posts (threads and replies) one member may write per minute; more answer
    /// RATE_LIMITED.
    #[arg(long, env = "DKBM_FORUM_POSTS_PER_MINUTE", default_value_t = 10)]
    pub forum_posts_per_minute: u32,

    /// Views one client address may count per minute in portals (`recordPortalView`); more
    /// are not counted. The address is only held in memory, hashed, for that minute.
    #[arg(long, env = "DKBM_PORTAL_VIEWS_PER_MINUTE", default_value_t = 30)]
    pub portal_views_per_minute: u32,

    /// How often an instance writes its portal view counts to the database (one statement for
    /// all of them).
    #[arg(long, env = "DKBM_PORTAL_REACH_FLUSH_SECS", default_value_t = 10)]
    pub portal_reach_flush_secs: u64,

    /// Memory for the public response cache, in MiB: what anonymous viewers read is answered
    /// from memory until a write (on any replica) makes it stale. 0 turns it off.
    #[arg(long, env = "DKBM_RESPONSE_CACHE_MB", default_value_t = 64)]
    pub response_cache_mb: u64,

    /// Memory for the documents of Automatic Persisted Queries, in MiB (the least recently used
    /// go first; a client whose hash was dropped sends its document again).
    #[arg(long, env = "DKBM_PERSISTED_QUERIES_MB", default_value_t = 32)]
    pub persisted_queries_mb: u64,

    /// Seconds a cached response lives at most, for what time alone changes (upcoming events,
    /// featured-until dates); writes make it stale at once.
    #[arg(long, env = "DKBM_RESPONSE_CACHE_TTL_SECS", default_value_t = 60)]
    pub response_cache_ttl_secs: u64,

    /// `max-age` of the `Cache-Control: public` header on anonymous `GET /graphql` answers: how
    /// long browsers and CDNs may reuse one without asking (they revalidate with its `ETag`).
    #[arg(long, env = "DKBM_HTTP_CACHE_MAX_AGE_SECS", default_value_t = 5)]
    pub http_cache_max_age_secs: u64,

    /// How long an instance keeps the portals' browser origins before reading them again
    /// (changes made through the instance itself apply at once).
    #[arg(long, env = "DKBM_PORTAL_ORIGINS_REFRESH_SECS", default_value_t = 30)]
    pub portal_origins_refresh_secs: u64,

    /// How often an instance's periodic round runs: picking up rotated signing keys, queuing
    /// event reminders and forum digests that have come due (each once across replicas); every
    /// tenth round purges what has expired.
    #[arg(long, env = "DKBM_MAINTENANCE_SECS", default_value_t = 60)]
    pub maintenance_secs: u64,

    #[command(flatten)]
    pub auth: AuthConfig,

    #[command(flatten)]
    pub limits: Limits,

    #[command(flatten)]
    pub mail: MailConfig,

    #[command(flatten)]
    pub webhooks: WebhookConfig,

    #[command(flatten)]
    pub storage: StorageConfig,
}

/// Mail: how messages leave the outbox, and what their links point at.
#[derive(Debug, Clone, Args)]
pub struct MailConfig {
    /// SMTP server for outgoing mail: `smtp://user:pass@host:587` (STARTTLS when the server
    /// offers it; add `?tls=required` to insist) or `smtps://user:pass@host:465` (implicit TLS).
    /// Without it, mail is written as `.eml` files to `--mail-dir`.
    #[arg(long, env = "DKBM_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender of every mail (`Name <address>` or an address).
    #[arg(
        long,
        env = "DKBM_MAIL_FROM",
        default_value = "DKBM-Wissensplattform <noreply@dkbm.example>"
    )]
    pub mail_from: String,

    /// Folder for mail when no SMTP server is set (one `.eml` file per message). Default: `mail/`
    /// beside the SQLite database file, or in the working directory.
    #[arg(long, env = "DKBM_MAIL_DIR")]
    pub mail_dir: Option<std::path::PathBuf>,

    /// Public base URL that links in mails start with (the front-end or this server).
    #[arg(long, env = "DKBM_PUBLIC_URL", default_value = "http://localhost:8000")]
    pub public_url: String,

    /// Delivery attempts of one message before it stays FAILED.
    #[arg(long, env = "DKBM_MAIL_MAX_ATTEMPTS", default_value_t = 8)]
    pub mail_max_attempts: i32,

    /// Seconds before the first retry after a temporary failure; each further retry waits twice
    /// as long.
    #[arg(long, env = "DKBM_MAIL_RETRY_SECS", default_value_t = 60)]
    pub mail_retry_secs: u64,

    /// Seconds a delivery worker holds the messages it claimed; if its instance dies, another
    /// takes them after this.
    #[arg(long, env = "DKBM_MAIL_LEASE_SECS", default_value_t = 300)]
    pub mail_lease_secs: u64,

    /// Seconds between the delivery worker's looks at the outbox (a change on this instance that
    /// queues mail wakes it at once).
    #[arg(long, env = "DKBM_MAIL_POLL_SECS", default_value_t = 5)]
    pub mail_poll_secs: u64,

    /// Milliseconds the delivery worker waits after a change queued mail before it sends, so
    /// that a burst of changes is not slowed by the sending.
    #[arg(long, env = "DKBM_MAIL_SETTLE_MS", default_value_t = 500)]
    pub mail_settle_ms: u64,

    /// Hours before an event's start that participants get a reminder.
    #[arg(long, env = "DKBM_EVENT_REMINDER_HOURS", default_value_t = 24)]
    pub event_reminder_hours: u32,

    /// Days before an accompaniment's next review (Zielüberprüfung) that both sides get a
    /// reminder (once per date).
    #[arg(long, env = "DKBM_REVIEW_REMINDER_DAYS", default_value_t = 14)]
    pub review_reminder_days: u32,

    /// Hour of the day (0-23, German time) from which members who chose the daily forum digest
    /// get it.
    #[arg(long, env = "DKBM_FORUM_DIGEST_HOUR", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..24))]
    pub forum_digest_hour: u32,
}

/// Sign-in: token signing, lifetimes, brute-force protection.
#[derive(Debug, Clone, Args)]
pub struct AuthConfig {
    /// PKCS#8 PEM file with the Ed25519 key that signs access tokens. Without it the server
    /// generates a key on first start and keeps it in the database (shared by all replicas).
    #[arg(long = "jwt-private-key-file", env = "DKBM_JWT_PRIVATE_KEY_FILE")]
    pub private_key_file: Option<std::path::PathBuf>,

    /// `iss` of the access tokens this server issues.
    #[arg(long = "jwt-issuer", env = "DKBM_JWT_ISSUER", default_value = "dkbm-hub")]
    pub issuer: String,

    /// `aud` of the access tokens, and what agency API clients must put in their assertions' `aud`.
    #[arg(long = "jwt-audience", env = "DKBM_JWT_AUDIENCE", default_value = "dkbm-hub")]
    pub audience: String,

    /// Lifetime of an access token in seconds.
    #[arg(
        long = "access-token-ttl-secs",
        env = "DKBM_ACCESS_TOKEN_TTL_SECS",
        default_value_t = 900
    )]
    pub access_token_ttl_secs: u64,

    /// Lifetime of a refresh token in days (each refresh starts a new one).
    #[arg(
        long = "refresh-token-ttl-days",
        env = "DKBM_REFRESH_TOKEN_TTL_DAYS",
        default_value_t = 30
    )]
    pub refresh_token_ttl_days: u64,

    /// Failed logins for one email within the window after which logins answer RATE_LIMITED.
    #[arg(long = "login-max-failures", env = "DKBM_LOGIN_MAX_FAILURES", default_value_t = 5)]
    pub login_max_failures: u64,

    /// The brute-force window in seconds.
    #[arg(long = "login-window-secs", env = "DKBM_LOGIN_WINDOW_SECS", default_value_t = 900)]
    pub login_window_secs: u64,
}

impl AuthConfig {
    pub fn access_token_ttl(&self) -> Duration {
        Duration::from_secs(self.access_token_ttl_secs)
    }

    pub fn refresh_token_ttl(&self) -> Duration {
        Duration::from_secs(self.refresh_token_ttl_days * 24 * 3600)
    }

    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.login_window_secs)
    }
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded) or `postgres://USER@HOST/DB`. A
    /// PostgreSQL server on this machine is reached without TLS unless the URL names an
    /// `sslmode`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://dkbm.db?mode=rwc"
    )]
    pub url: String,

    /// Maximum number of pooled database connections.
    #[arg(long = "db-max-connections", env = "DKBM_DB_MAX_CONNECTIONS", default_value_t = 16)]
    pub max_connections: u32,

    #[command(flatten)]
    pub replica: ReplicaConfig,
}

/// A PostgreSQL streaming replica for reads.
#[derive(Debug, Clone, Default, Args)]
pub struct ReplicaConfig {
    /// A PostgreSQL streaming replica (`postgres://…`) for queries: anonymous and public reads,
    /// response-cache misses. Writes, the change feed, the partner sync and subscriptions stay
    /// on the primary; so does a viewer's reading until the replica has replayed their writes.
    #[arg(long = "read-database-url", env = "DKBM_READ_DATABASE_URL")]
    pub read_database_url: Option<String>,

    /// Seconds after a write during which the viewer's reads go to the primary unless the
    /// replica has replayed the write (its LSN).
    #[arg(long, env = "DKBM_READ_YOUR_WRITES_SECS", default_value_t = 5)]
    pub read_your_writes_secs: u64,

    /// Reads go to the primary while the replica is down or this many seconds behind (and
    /// `/readyz` says so).
    #[arg(long, env = "DKBM_REPLICA_MAX_LAG_SECS", default_value_t = 30)]
    pub replica_max_lag_secs: u64,
}

impl Config {
    /// How long the change feed keeps tombstones.
    pub fn feed_tombstone_retention(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.feed_tombstone_retention_days))
    }

    /// The configuration from environment variables and defaults alone, as if started without
    /// flags: for tests and tools that then adjust single fields.
    pub fn from_env() -> Result<Self, clap::Error> {
        use clap::{Command, FromArgMatches};
        let matches = Config::augment_args(Command::new("dkbm-hub").no_binary_name(true))
            .try_get_matches_from(std::iter::empty::<String>())?;
        Config::from_arg_matches(&matches)
    }
}

/// The folder `name` beside the SQLite database file of `database_url`, or in the working
/// directory (PostgreSQL): where mail and stored files go unless configured.
pub fn beside_database(database_url: &str, name: &str) -> std::path::PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or_default());
    match file.map(std::path::Path::new).and_then(std::path::Path::parent) {
        Some(parent) => parent.join(name),
        None => std::path::PathBuf::from(name),
    }
}

/// The command that holds every setting (for reading a configuration file and showing one).
pub fn settings_command() -> Command {
    Config::augment_args(Command::new("dkbm-hub").no_binary_name(true))
}

/// The sections of a configuration file and their keys: each group of settings is one; the
/// settings outside a group stand at the top.
pub fn sections() -> Vec<(&'static str, Vec<String>)> {
    let keys = |command: Command| -> Vec<String> {
        command
            .get_arguments()
            .filter_map(|arg| arg.get_long())
            .map(|long| long.replace('-', "_"))
            .collect()
    };
    vec![
        ("database", keys(DatabaseConfig::augment_args(Command::new("database")))),
        ("auth", keys(AuthConfig::augment_args(Command::new("auth")))),
        ("limits", keys(Limits::augment_args(Command::new("limits")))),
        ("mail", keys(MailConfig::augment_args(Command::new("mail")))),
        ("webhooks", keys(WebhookConfig::augment_args(Command::new("webhooks")))),
        ("storage", keys(StorageConfig::augment_args(Command::new("storage")))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let config = Config::from_env().expect("defaults parse");
        assert_eq!(config.bind.to_string(), "127.0.0.1:8000");
        assert_eq!(config.database.url, "sqlite://dkbm.db?mode=rwc");
        assert!(!config.skip_migrations);
        assert!(
            config
                .cors_allow_headers
                .contains(&HeaderName::from_static("x-apollo-operation-name"))
        );
    }
}

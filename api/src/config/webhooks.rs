//! Webhooks: which addresses deliveries may go to, and how long they are tried.

use std::time::Duration;

use clap::{ArgAction, Args};

/// Webhooks: where deliveries may go and how they are retried.
#[derive(Debug, Clone, Args)]
pub struct WebhookConfig {
    /// Hosts that webhook endpoints may reach over plain `http` (comma-separated); every other
    /// endpoint must be `https`.
    #[arg(long, env = "DKBM_WEBHOOK_ALLOW_HTTP_HOSTS", value_delimiter = ',')]
    pub webhook_allow_http_hosts: Vec<String>,

    /// Allow webhook endpoints in private, loopback and link-local address ranges (tests,
    /// intranets). Without it such addresses are refused when an endpoint is created and at
    /// every connection.
    #[arg(long, env = "DKBM_WEBHOOK_ALLOW_PRIVATE", action = ArgAction::SetTrue)]
    pub webhook_allow_private: bool,

    /// Seconds an endpoint has to answer a delivery (connecting included).
    #[arg(long, env = "DKBM_WEBHOOK_TIMEOUT_SECS", default_value_t = 10)]
    pub webhook_timeout_secs: u64,

    /// Seconds before the first retry of a failed delivery; each further retry waits about
    /// twice as long (with jitter).
    #[arg(long, env = "DKBM_WEBHOOK_RETRY_BASE_SECS", default_value_t = 30)]
    pub webhook_retry_base_secs: u64,

    /// Seconds a delivery is retried before it stays FAILED (3 days).
    #[arg(long, env = "DKBM_WEBHOOK_GIVE_UP_SECS", default_value_t = 3 * 24 * 3600)]
    pub webhook_give_up_secs: u64,

    /// Seconds of nothing but failures after which an endpoint is disabled and its agency's
    /// administrators get a mail (24 hours).
    #[arg(long, env = "DKBM_WEBHOOK_DISABLE_AFTER_SECS", default_value_t = 24 * 3600)]
    pub webhook_disable_after_secs: u64,

    /// Seconds the secret before a rotation keeps signing (both signatures are sent meanwhile;
    /// 24 hours).
    #[arg(long, env = "DKBM_WEBHOOK_SECRET_OVERLAP_SECS", default_value_t = 24 * 3600)]
    pub webhook_secret_overlap_secs: u64,

    /// Seconds between a delivery worker's looks for due deliveries (a change on this instance
    /// wakes it at once).
    #[arg(long, env = "DKBM_WEBHOOK_POLL_SECS", default_value_t = 2)]
    pub webhook_poll_secs: u64,
}

impl WebhookConfig {
    /// The time an endpoint has to answer.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.webhook_timeout_secs.max(1))
    }

    /// Whether plain `http` may go to `host`.
    pub fn allows_http(&self, host: &str) -> bool {
        self.webhook_allow_http_hosts
            .iter()
            .any(|allowed| allowed.trim().eq_ignore_ascii_case(host))
    }
}

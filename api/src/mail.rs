//! Mail that reaches members: templates, composing a message, and its transport.
//!
//! A change that owes someone a message hands a [`Mail`] to its unit of work
//! ([`crate::db::UnitOfWork::send`]); the message is rendered at once and written into the
//! outbox in the change's own transaction, so a rolled-back change sends nothing and a committed
//! one loses nothing. The worker of any instance ([`crate::outbox::mail`]) then claims and sends
//! it (SMTP or, without an SMTP server, `.eml` files in a folder). The pieces:
//! - `templates`: German and English Markdown templates, rendered to plain text and HTML;
//! - `compose`: a [`Mail`] to an outbox row (the whole RFC 5322 message);
//! - `transport`: SMTP or the folder.

pub mod compose;
pub mod templates;
pub mod transport;

pub use compose::{Attachment, Mail, Recipient};
pub use templates::{Language, link};

use anyhow::Context;
use chrono::{DateTime, Utc};
use dkbm_entity::outbox_message;
use lettre::Address;
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::config::Config;
use compose::Composer;
use transport::Transport;

/// The mail of one instance: templates, transport, and the bell that wakes its worker.
pub struct Mailer {
    composer: Composer,
    pub transport: Transport,
    public_url: String,
    /// Rung after a commit that queued mail, so the worker sends it at once.
    pub wake: Notify,
}

impl Mailer {
    /// Loads the templates and opens the transport the settings ask for.
    pub fn new(config: &Config) -> anyhow::Result<Mailer> {
        let mail = &config.mail;
        let from: Mailbox = mail.mail_from.parse().context("--mail-from is not a mail address")?;
        let public_url = mail.public_url.trim_end_matches('/').to_owned();
        let domain = url::Url::parse(&public_url)
            .context("--public-url is not a URL")?
            .host_str()
            .unwrap_or("dkbm-hub")
            .to_owned();
        let transport = Transport::from_config(mail, &config.database.url)?;
        tracing::info!(transport = %transport.describe(), from = %from, "mail");
        Ok(Mailer {
            composer: Composer {
                templates: templates::Templates::load()?,
                from,
                domain,
            },
            transport,
            public_url,
            wake: Notify::new(),
        })
    }

    /// The envelope sender.
    pub fn sender(&self) -> &Address {
        &self.composer.from.email
    }

    /// A link to `path` (starting with `/`) under `--public-url`, for a template.
    pub fn link(&self, path: &str) -> minijinja::Value {
        link(self.url(path))
    }

    /// The URL of `path` under `--public-url`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// The outbox row of `mail`, due at `at`. Composing never fails the change that sends the
    /// mail: a message that cannot be built (nor one whose building panics in a library) is a
    /// FAILED row with the reason.
    pub fn compose(&self, mail: Mail, at: DateTime<Utc>) -> outbox_message::ActiveModel {
        let who = (mail.kind, mail.to.member_id, mail.to.address.clone());
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.composer.compose(mail, at)));
        let reason = match built {
            Ok(Ok(row)) => return row,
            Ok(Err(error)) => match error {
                crate::error::AppError::Internal(cause) => format!("{cause:#}"),
                other => other.to_string(),
            },
            Err(_) => "building the message panicked".to_owned(),
        };
        tracing::error!(kind = who.0, %reason, "a mail could not be built; recorded as FAILED");
        compose::failed_row(who, at, reason)
    }
}

//! How messages leave: an SMTP server (lettre; STARTTLS or implicit TLS), or, on the embedded
//! default without one, a folder with one `.eml` file per message that any mail program opens.

use std::path::{Path, PathBuf};
use std::time::Duration;

use dkbm_entity::outbox_message;
use lettre::address::Envelope;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::MailConfig;

/// Where messages go.
pub enum Transport {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The server, without credentials, for the log.
        server: String,
    },
    Folder(PathBuf),
}

/// Why a message did not go.
#[derive(Debug)]
pub struct SendFailure {
    /// The server refused it for good (5xx): retrying cannot help.
    pub permanent: bool,
    pub reason: String,
}

/// The folder of the embedded default: `mail/` beside the SQLite database file, or in the
/// working directory.
fn default_folder(database_url: &str) -> PathBuf {
    crate::config::beside_database(database_url, "mail")
}

/// `smtp://` without a `tls` parameter upgrades with STARTTLS when the server offers it.
fn smtp_url(url: &str) -> String {
    if url.starts_with("smtp://") && !url.contains("tls=") {
        let separator = if url.contains('?') { '&' } else { '?' };
        format!("{url}{separator}tls=opportunistic")
    } else {
        url.to_owned()
    }
}

impl Transport {
    /// The transport the settings ask for.
    pub fn from_config(config: &MailConfig, database_url: &str) -> anyhow::Result<Transport> {
        use anyhow::Context;
        match &config.smtp_url {
            Some(url) => {
                let parsed = url::Url::parse(url).context("--smtp-url is not a URL")?;
                let server = format!(
                    "{}://{}:{}",
                    parsed.scheme(),
                    parsed.host_str().unwrap_or_default(),
                    parsed.port_or_known_default().unwrap_or(25)
                );
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp_url(url))
                    .context("--smtp-url")?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                Ok(Transport::Smtp { transport, server })
            }
            None => {
                let folder = config.mail_dir.clone().unwrap_or_else(|| default_folder(database_url));
                std::fs::create_dir_all(&folder)
                    .with_context(|| format!("creating the mail folder {}", folder.display()))?;
                Ok(Transport::Folder(folder))
            }
        }
    }

    /// What the log says about it.
    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp { server, .. } => format!("SMTP server {server}"),
            Transport::Folder(folder) => format!("folder {} (.eml files)", folder.display()),
        }
    }

    /// Sends one message of the outbox from `from`.
    pub async fn send(&self, from: &Address, message: &outbox_message::Model) -> Result<(), SendFailure> {
        match self {
            Transport::Smtp { transport, .. } => {
                let to: Address = message.recipient.parse().map_err(|error| SendFailure {
                    permanent: true,
                    reason: format!("invalid recipient: {error}"),
                })?;
                let envelope = Envelope::new(Some(from.clone()), vec![to]).map_err(|error| SendFailure {
                    permanent: true,
                    reason: error.to_string(),
                })?;
                transport
                    .send_raw(&envelope, message.raw.as_bytes())
                    .await
                    .map(|_| ())
                    .map_err(|error| SendFailure {
                        permanent: error.is_permanent(),
                        reason: error.to_string(),
                    })
            }
            Transport::Folder(folder) => write_file(folder, message).await.map_err(|error| SendFailure {
                permanent: false,
                reason: format!("writing to the mail folder: {error}"),
            }),
        }
    }
}

/// Writes the message as `{time}-{kind}-{id}.eml`, complete or not at all (a temporary file
/// renamed into place).
async fn write_file(folder: &Path, message: &outbox_message::Model) -> std::io::Result<()> {
    let name = format!(
        "{}-{}-{}.eml",
        message.created_at.format("%Y%m%dT%H%M%S"),
        message.kind,
        message.id
    );
    let temporary = folder.join(format!(".{name}.tmp"));
    tokio::fs::write(&temporary, message.raw.as_bytes()).await?;
    tokio::fs::rename(&temporary, folder.join(name)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_sits_beside_the_database() {
        assert_eq!(
            default_folder("sqlite://data/dkbm.db?mode=rwc"),
            PathBuf::from("data/mail")
        );
        assert_eq!(default_folder("sqlite://dkbm.db?mode=rwc"), PathBuf::from("mail"));
        assert_eq!(
            default_folder("postgres://postgres@localhost/dkbm"),
            PathBuf::from("mail")
        );
    }

    #[test]
    fn plain_smtp_upgrades_when_offered() {
        assert_eq!(smtp_url("smtp://u:p@host:587"), "smtp://u:p@host:587?tls=opportunistic");
        assert_eq!(smtp_url("smtp://host:587?tls=required"), "smtp://host:587?tls=required");
        assert_eq!(smtp_url("smtps://host:465"), "smtps://host:465");
    }
}

//! Reading the mail a server sent: from its folder transport (the test default) or from the
//! embedded SMTP server ([`crate::smtp`]), parsed with an independent MIME parser.

use std::path::Path;
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};

use crate::TestServer;

/// One mail as it arrived.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub raw: Vec<u8>,
    pub subject: String,
    /// The address in `To`.
    pub to: String,
    pub from: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
    /// `(filename, content type with its method, body)`
    pub attachments: Vec<(String, String, String)>,
    /// The attached files' bytes, by file name (binary files intact).
    pub files: Vec<(String, Vec<u8>)>,
}

impl ReceivedMail {
    /// Parses a whole message.
    pub fn parse(raw: &[u8]) -> ReceivedMail {
        let message = MessageParser::default().parse(raw).expect("a parsable mail");
        let address = |list: Option<&mail_parser::Address>| {
            list.and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_owned()
        };
        let attachments = message
            .attachments()
            .map(|part| {
                let content_type = part.content_type().map_or(String::new(), |ct| {
                    format!(
                        "{}/{}; method={}",
                        ct.ctype(),
                        ct.subtype().unwrap_or_default(),
                        ct.attribute("method").unwrap_or_default()
                    )
                });
                (
                    part.attachment_name().unwrap_or_default().to_owned(),
                    content_type,
                    String::from_utf8_lossy(part.contents()).into_owned(),
                )
            })
            .collect();
        let files = message
            .attachments()
            .map(|part| {
                (
                    part.attachment_name().unwrap_or_default().to_owned(),
                    part.contents().to_vec(),
                )
            })
            .collect();
        ReceivedMail {
            raw: raw.to_vec(),
            files,
            subject: message.subject().unwrap_or_default().to_owned(),
            to: address(message.to()),
            from: address(message.from()),
            message_id: message.message_id().unwrap_or_default().to_owned(),
            text: message.body_text(0).unwrap_or_default().into_owned(),
            html: message.body_html(0).unwrap_or_default().into_owned(),
            attachments,
        }
    }

    /// A header as written (unfolded, trimmed).
    pub fn header(&self, name: &str) -> Option<String> {
        let message = MessageParser::default().parse(&self.raw)?;
        message
            .header_raw(name)
            .map(|value| value.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The token of the link to `path` (e.g. `/verify-email`) in the text body.
    pub fn token(&self, path: &str) -> String {
        let marker = format!("{path}?token=");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no {path} link in:\n{}", self.text))
            + marker.len();
        self.text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect()
    }
}

/// Every `.eml` file in `folder`, oldest first.
pub fn mails_in(folder: &Path) -> Vec<ReceivedMail> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "eml"));
    files.sort();
    files
        .iter()
        .map(|path| ReceivedMail::parse(&std::fs::read(path).expect("read a mail file")))
        .collect()
}

impl TestServer {
    /// Every mail in this database's mail folder so far.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        mails_in(self.db.mail_dir())
    }

    /// The mails to `address` whose subject contains `subject` (waits up to 10 s for at least one).
    pub async fn mails_to(&self, address: &str, subject: &str) -> Vec<ReceivedMail> {
        for _ in 0..500 {
            let found: Vec<_> = self
                .mails()
                .into_iter()
                .filter(|m| m.to == address && m.subject.contains(subject))
                .collect();
            if !found.is_empty() {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!(
            "no mail to {address} with {subject:?} in the subject; there are: {:?}",
            self.mails().iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>()
        );
    }

    /// The latest mail to `address` whose subject contains `subject` (waits for it).
    pub async fn mail_to(&self, address: &str, subject: &str) -> ReceivedMail {
        self.mails_to(address, subject).await.pop().expect("a mail")
    }
}

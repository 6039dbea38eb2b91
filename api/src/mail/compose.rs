//! A message a change causes ([`Mail`]) becomes a row of the outbox: rendered from its
//! template, assembled as a whole RFC 5322 message (both bodies, an attachment, the headers of
//! one-click unsubscribe) with a `Message-ID` of its own, so that every retry sends the same bytes.

use chrono::{DateTime, Utc};
use dkbm_entity::{OutboxStatus, outbox_message};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use minijinja::Value;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::templates::{Language, Templates};
use crate::error::{AppError, AppResult};
use crate::validate::folded;

/// Who a message goes to.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// The member (their queued mail goes with their account).
    pub member_id: Option<Uuid>,
    pub address: String,
    pub name: String,
    pub language: Language,
}

impl Recipient {
    /// A member at their current address, in their language.
    pub fn member(member: &dkbm_entity::member::Model) -> Recipient {
        Recipient {
            member_id: Some(member.id),
            address: member.email.clone(),
            name: member.display_name.clone(),
            language: Language::from_code(&member.language),
        }
    }
}

/// A file sent with a message.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub filename: String,
    /// e.g. `text/calendar; charset=utf-8; method=REQUEST`
    pub content_type: String,
    /// The file's bytes (text or binary; binary goes base64-encoded).
    pub body: Vec<u8>,
}

/// One message a change causes.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The template (`registration_confirmed` …).
    pub kind: &'static str,
    pub to: Recipient,
    /// What the template shows; `name` (the recipient's) is added.
    pub context: Value,
    pub attachment: Option<Attachment>,
    /// A signed one-click unsubscribe URL (RFC 8058), for notifications a member can switch off.
    pub unsubscribe: Option<String>,
    /// A message that must be sent once only (a reminder, a day's digest) names itself here.
    pub dedupe_key: Option<String>,
}

impl Mail {
    /// A message from template `kind` to `to`.
    pub fn new(kind: &'static str, to: Recipient, context: Value) -> Mail {
        Mail {
            kind,
            to,
            context,
            attachment: None,
            unsubscribe: None,
            dedupe_key: None,
        }
    }

    /// The same with a file attached.
    pub fn attach(mut self, attachment: Attachment) -> Mail {
        self.attachment = Some(attachment);
        self
    }
}

/// What composing needs besides the message: the templates, the sender and the domain of
/// the `Message-ID`s.
pub struct Composer {
    pub templates: Templates,
    pub from: Mailbox,
    pub domain: String,
}

fn invalid(what: &str, error: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("composing a mail: {what}: {error}"))
}

/// What becomes of a mail that cannot be built: an outbox row FAILED with the reason, so that
/// the change that caused it commits and administrators see why (`outboxMessages`).
pub(super) fn failed_row(
    (kind, member_id, address): (&'static str, Option<Uuid>, String),
    at: DateTime<Utc>,
    reason: String,
) -> outbox_message::ActiveModel {
    let id = Uuid::now_v7();
    outbox_message::ActiveModel {
        id: Set(id),
        member_id: Set(member_id),
        kind: Set(kind.to_owned()),
        dedupe_key: Set(None),
        recipient: Set(address),
        subject: Set(String::new()),
        message_id: Set(format!("{id}@failed")),
        raw: Set(String::new()),
        status: Set(OutboxStatus::Failed),
        attempts: Set(0),
        next_attempt_at: Set(at),
        claimed_until: Set(None),
        last_error: Set(Some(reason)),
        created_at: Set(at),
        sent_at: Set(None),
    }
}

impl Composer {
    /// Renders `mail` and returns its outbox row, due at `at`.
    pub fn compose(&self, mail: Mail, at: DateTime<Utc>) -> AppResult<outbox_message::ActiveModel> {
        let id = Uuid::now_v7();
        let context = minijinja::context! { name => folded(&mail.to.name), ..mail.context };
        let rendered = self.templates.render(mail.kind, mail.to.language, &context)?;
        let message_id = format!("{id}@{}", self.domain);
        // Names and subjects are one line (names and titles stored before that rule are
        // folded here): a line break in a header would end it and start another.
        let subject = folded(&rendered.subject);
        let to = Mailbox::new(
            Some(folded(&mail.to.name)),
            mail.to.address.parse().map_err(|e| invalid("to", e))?,
        );
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject.clone())
            .message_id(Some(format!("<{message_id}>")))
            .date(at.into());
        if let Some(url) = &mail.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let bodies = MultiPart::alternative()
            .singlepart(SinglePart::plain(rendered.text))
            .singlepart(SinglePart::html(rendered.html));
        let message = match mail.attachment {
            None => builder.multipart(bodies),
            Some(file) => {
                let content_type = ContentType::parse(&file.content_type).map_err(|e| invalid("content type", e))?;
                builder.multipart(
                    MultiPart::mixed()
                        .multipart(bodies)
                        .singlepart(MimeAttachment::new(file.filename).body(file.body, content_type)),
                )
            }
        }
        .map_err(|e| invalid("message", e))?;
        let raw = String::from_utf8(message.formatted()).map_err(|e| invalid("encoding", e))?;
        Ok(outbox_message::ActiveModel {
            id: Set(id),
            member_id: Set(mail.to.member_id),
            kind: Set(mail.kind.to_owned()),
            dedupe_key: Set(mail.dedupe_key),
            recipient: Set(mail.to.address),
            subject: Set(subject),
            message_id: Set(message_id),
            raw: Set(raw),
            status: Set(OutboxStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(at),
            claimed_until: Set(None),
            last_error: Set(None),
            created_at: Set(at),
            sent_at: Set(None),
        })
    }
}

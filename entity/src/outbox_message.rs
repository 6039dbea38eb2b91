//! A message of the transactional outbox: written in the transaction of the change that causes
//! it, sent afterwards by a delivery worker of some instance.

use sea_orm::entity::prelude::*;

use crate::OutboxStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_message")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The member it goes to (its queued mail goes with the account); none for an address
    /// without account.
    pub member_id: Option<Uuid>,
    /// The template it was made from (`registration_confirmed` …).
    pub kind: String,
    /// A key that makes a message unique (a reminder, a day's digest): a second is not queued.
    pub dedupe_key: Option<String>,
    /// The address it goes to.
    pub recipient: String,
    pub subject: String,
    /// The `Message-ID` header (without angle brackets): stable over retries.
    pub message_id: String,
    /// The whole message as sent (RFC 5322, CRLF line ends).
    pub raw: String,
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// When it is due (again).
    pub next_attempt_at: DateTimeUtc,
    /// While SENDING: until when the claiming worker holds it; after that another may take it.
    pub claimed_until: Option<DateTimeUtc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

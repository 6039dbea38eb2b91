//! A member: a person who signed up (staff of a municipality or an agency).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Trimmed and lower-case; unique.
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Affiliation: the municipality the member works for, if any.
    pub municipality_id: Option<Uuid>,
    /// Affiliation: the agency the member works for, if any.
    pub agency_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the member proved the address is theirs (a link from a verification mail).
    pub email_verified_at: Option<DateTimeUtc>,
    /// The language of mails to the member: `de` or `en`.
    pub language: String,
    /// How forum notifications reach the member by mail.
    pub forum_mail: crate::ForumMail,
    /// Whether the member gets a reminder before events they registered for.
    pub event_reminders: bool,
    /// The day (Europe/Berlin) of the member's last forum digest.
    pub forum_digest_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

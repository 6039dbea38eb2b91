//! An agency's webhook endpoint: where deliveries go, which events it wants, and the secret
//! deliveries are signed with (Standard Webhooks).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agency_id: Uuid,
    pub url: String,
    pub description: String,
    /// The event kinds it wants, comma-separated (`PRACTICE_CHANGED,POST_ADDED`).
    pub events: String,
    /// `whsec_` and the base64 of the key.
    pub secret: String,
    /// The secret before the last rotation, still signing until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub enabled: bool,
    pub disabled_at: Option<DateTimeUtc>,
    pub disabled_reason: Option<String>,
    /// Since when every attempt failed (none since the last success).
    pub failing_since: Option<DateTimeUtc>,
    /// No attempt before this (the queue's first delivery waits for its retry).
    pub paused_until: Option<DateTimeUtc>,
    /// A delivery worker holds the endpoint until then.
    pub claimed_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

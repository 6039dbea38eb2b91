//! The member's notification settings, as GraphQL.

/// How forum notifications (new posts in watched threads, replies) reach a member by mail.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::ForumMail")]
pub enum ForumMailMode {
    /// A mail for each new post, as it is written.
    Immediate,
    /// One mail a day with everything new (the digest).
    Daily,
    /// No forum mail.
    Off,
}

/// How the platform notifies a member by mail.
#[derive(async_graphql::SimpleObject)]
pub struct NotificationSettings {
    /// Forum notifications: each post, a daily digest, or none.
    pub forum_mail: ForumMailMode,
    /// A reminder before each event the member registered for.
    pub event_reminders: bool,
}

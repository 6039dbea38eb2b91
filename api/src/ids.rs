//! Typed ids: one newtype per kind of entity, so that a thread's id passed where a post's id
//! belongs does not compile. An id is typed where it enters (a global id decoded by
//! [`crate::graphql::node::NodeKind::decode`], a row read from the database) and stays typed
//! through the services down to the queries, which bind it like its UUID
//! (`Column::Id.eq(practice_id)`). The entities keep plain UUIDs: they are generated.

use std::fmt;
use std::hash::Hash;

use uuid::Uuid;

/// An entity's typed id.
pub trait TypedId:
    Copy + Eq + Ord + Hash + fmt::Debug + fmt::Display + Send + Sync + 'static + From<Uuid> + Into<Uuid>
{
    /// The kind's name inside global ids (`GoodPractice`).
    const KIND: &'static str;

    /// The database id.
    fn uuid(self) -> Uuid;

    /// A new id (UUIDv7: ordered by creation time).
    fn new() -> Self {
        Self::from(Uuid::now_v7())
    }
}

/// Declares the typed ids: `Name => "Kind"` (the kind as global ids name it).
macro_rules! typed_ids {
    ($($(#[$doc:meta])* $name:ident => $kind:literal,)*) => {$(
        $(#[$doc])*
        #[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl TypedId for $name {
            const KIND: &'static str = $kind;

            fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                $name(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> sea_orm::Value {
                id.0.into()
            }
        }

        impl sea_orm::sea_query::Nullable for $name {
            fn null() -> sea_orm::Value {
                <Uuid as sea_orm::sea_query::Nullable>::null()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", $kind, self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

typed_ids! {
    /// An agency (Transferagentur, Netzwerkbüro, foundation …).
    AgencyId => "Agency",
    /// A municipality (Kommune) or district.
    MunicipalityId => "Municipality",
    /// A field of action (Handlungsfeld).
    TopicId => "Topic",
    /// A funding programme.
    ProgrammeId => "Programme",
    /// A municipality's participation in a funding programme.
    ParticipationId => "ProgrammeParticipation",
    /// An agreement (Ziel- or Kooperationsvereinbarung).
    AgreementId => "Agreement",
    /// A goal of an agreement's accompaniment.
    GoalId => "AgreementGoal",
    /// An activity of an agreement's accompaniment.
    ActivityId => "AgreementActivity",
    /// A review of an agreement's goals (Zielüberprüfung).
    ReviewId => "AgreementReview",
    /// A member (a person with an account).
    MemberId => "Member",
    /// An agency's machine client.
    ApiClientId => "ApiClient",
    /// A public key of an API client.
    ApiKeyId => "ApiKey",
    /// A member's session (a refresh-token family).
    SessionId => "Session",
    /// A good practice.
    PracticeId => "GoodPractice",
    /// A training event.
    EventId => "TrainingEvent",
    /// A registration for a training event.
    RegistrationId => "Registration",
    /// A seat quota of a training event (Kontingent).
    QuotaId => "EventQuota",
    /// A forum.
    ForumId => "Forum",
    /// A forum thread.
    ThreadId => "ForumThread",
    /// A forum post.
    PostId => "ForumPost",
    /// A member's notification.
    NotificationId => "Notification",
    /// An education indicator.
    IndicatorId => "Indicator",
    /// An agency's portal.
    PortalId => "Portal",
    /// A portal's collection.
    CollectionId => "PortalCollection",
    /// A message of the mail outbox.
    OutboxMessageId => "OutboxMessage",
    /// An agency's webhook endpoint.
    WebhookId => "Webhook",
    /// One message to one webhook endpoint.
    WebhookDeliveryId => "WebhookDelivery",
    /// A file attached to a practice, an event or a post.
    AttachmentId => "Attachment",
}

/// The global id (what the API calls `id`) of the object of kind `kind` with the database id
/// `id`: `base64url("Kind:uuid")`, opaque and stable.
pub fn encode_global(kind: &str, id: Uuid) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The global id of a typed id.
pub fn global<I: TypedId>(id: I) -> String {
    encode_global(I::KIND, id.uuid())
}

/// The UUIDs of typed ids, for a statement that binds a set.
pub fn uuids<I: TypedId>(ids: impl IntoIterator<Item = I>) -> Vec<Uuid> {
    ids.into_iter().map(TypedId::uuid).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_id_is_its_uuid_under_its_kind() {
        let uuid = Uuid::now_v7();
        let id = PracticeId::from(uuid);
        assert_eq!(id.uuid(), uuid);
        assert_eq!(Uuid::from(id), uuid);
        assert_eq!(id.to_string(), uuid.to_string());
        assert_eq!(format!("{id:?}"), format!("GoodPractice({uuid})"));
        assert_eq!(sea_orm::Value::from(id), sea_orm::Value::from(uuid));
        assert_eq!(serde_json::to_string(&id).ok(), serde_json::to_string(&uuid).ok());
    }
}

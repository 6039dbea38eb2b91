//! What a change tells webhook endpoints: the kinds of event an endpoint subscribes to, who may
//! hear of one ([`Audience`]: what an agency's API client could read), and the message itself.
//!
//! A change hands its occurrences to its unit of work ([`crate::db::UnitOfWork::emit`]); the
//! commit writes one delivery per subscribed endpoint into the webhook outbox in the change's
//! own transaction (`db::webhook_outbox`), so a rolled-back change sends nothing and a committed
//! one loses nothing. The webhooks area manages the endpoints and delivers.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::ids::{AgencyId, TypedId};

/// A kind of event an endpoint may subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    PracticeChanged,
    EventChanged,
    RegistrationChanged,
    PostAdded,
    ReportPublished,
}

impl Topic {
    /// Every kind.
    pub const ALL: [Topic; 5] = [
        Topic::PracticeChanged,
        Topic::EventChanged,
        Topic::RegistrationChanged,
        Topic::PostAdded,
        Topic::ReportPublished,
    ];

    /// Its name in an endpoint's list (`PRACTICE_CHANGED`).
    pub fn name(self) -> &'static str {
        match self {
            Topic::PracticeChanged => "PRACTICE_CHANGED",
            Topic::EventChanged => "EVENT_CHANGED",
            Topic::RegistrationChanged => "REGISTRATION_CHANGED",
            Topic::PostAdded => "POST_ADDED",
            Topic::ReportPublished => "REPORT_PUBLISHED",
        }
    }

    /// The `type` of its messages (`practice.changed`).
    pub fn event_type(self) -> &'static str {
        match self {
            Topic::PracticeChanged => "practice.changed",
            Topic::EventChanged => "event.changed",
            Topic::RegistrationChanged => "registration.changed",
            Topic::PostAdded => "post.added",
            Topic::ReportPublished => "report.published",
        }
    }

    /// The kind named `name` in an endpoint's list.
    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|topic| topic.name() == name)
    }
}

/// The `type` of the message `sendTestWebhook` sends.
pub const TEST_EVENT_TYPE: &str = "webhook.test";

/// Whose endpoints may hear of an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every agency's: what any API client reads (a published practice, an event, a post of a
    /// public forum).
    Everyone,
    /// Only this agency's (its own draft, a registration for its event).
    Agency(AgencyId),
}

impl Audience {
    /// Whether an endpoint of `agency` hears of it.
    pub fn includes(self, agency: AgencyId) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Agency(own) => own == agency,
        }
    }
}

/// Something that happened, for the endpoints subscribed to its topic.
#[derive(Debug, Clone)]
pub struct Occurrence {
    pub topic: Topic,
    pub audience: Audience,
    /// The message's `data`: global ids as the API names them, and what else the topic carries.
    pub data: Value,
}

impl Occurrence {
    pub fn new(topic: Topic, audience: Audience, data: Value) -> Occurrence {
        Occurrence { topic, audience, data }
    }
}

/// A message's body: `{ "type", "timestamp", "data" }` (Standard Webhooks' payload shape).
pub fn body(event_type: &str, at: DateTime<Utc>, data: &Value) -> String {
    json!({
        "type": event_type,
        "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
    })
    .to_string()
}

/// The global id of an object, as the API names it.
pub fn node<I: TypedId>(id: I) -> Value {
    Value::String(crate::ids::global(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_round_trip() {
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.name()), Some(topic));
            assert!(topic.event_type().contains('.'));
        }
        assert_eq!(Topic::parse("practice.changed"), None);
    }

    #[test]
    fn an_agency_audience_is_its_own() {
        let own = AgencyId::new();
        assert!(Audience::Agency(own).includes(own));
        assert!(!Audience::Agency(own).includes(AgencyId::new()));
        assert!(Audience::Everyone.includes(own));
    }
}

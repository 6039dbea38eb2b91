//! What a portal is to the rest of the code: its stored scope, the items it curates (by kind
//! and typed id), and the resolved view a request carries.

use dkbm_entity::{EventFormat, State, portal};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{AgencyId, EventId, ForumId, PortalId, PracticeId, TopicId, TypedId};

/// A portal's default filter over the shared lists. An empty dimension does not narrow; the
/// dimensions combine with AND, the values of one dimension with OR.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scope {
    /// Practices in any of these states.
    pub states: Vec<State>,
    /// Practices and events with any of these topics.
    pub topic_ids: Vec<TopicId>,
    /// Practices owned by, and events organised by, any of these agencies.
    pub agency_ids: Vec<AgencyId>,
    /// Events in any of these formats.
    pub formats: Vec<EventFormat>,
    /// Only these forums (and their threads in search).
    pub forum_ids: Vec<ForumId>,
}

impl Scope {
    /// The scope stored in a portal row (an unreadable one narrows nothing).
    pub fn of(portal: &portal::Model) -> Scope {
        serde_json::from_str(&portal.scope).unwrap_or_default()
    }

    /// The text stored in the row.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The origins stored in a portal row.
pub fn origins_of(portal: &portal::Model) -> Vec<String> {
    serde_json::from_str(&portal.origins).unwrap_or_default()
}

/// What a portal curates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Practice,
    Event,
    Forum,
}

impl ItemKind {
    /// The value stored in the curation tables.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Practice => "PRACTICE",
            ItemKind::Event => "EVENT",
            ItemKind::Forum => "FORUM",
        }
    }

    /// The kind of a stored value.
    pub fn parse(value: &str) -> Option<ItemKind> {
        match value {
            "PRACTICE" => Some(ItemKind::Practice),
            "EVENT" => Some(ItemKind::Event),
            "FORUM" => Some(ItemKind::Forum),
            _ => None,
        }
    }
}

/// An item a portal curates, by its typed id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemId {
    Practice(PracticeId),
    Event(EventId),
    Forum(ForumId),
}

impl ItemId {
    /// The item of `kind` whose database id is `item` (as the curation tables store them).
    pub fn of(kind: ItemKind, item: Uuid) -> ItemId {
        match kind {
            ItemKind::Practice => ItemId::Practice(item.into()),
            ItemKind::Event => ItemId::Event(item.into()),
            ItemKind::Forum => ItemId::Forum(item.into()),
        }
    }

    /// The item a curation row names (none for a kind this version does not know).
    pub fn stored(kind: &str, item: Uuid) -> Option<ItemId> {
        Some(ItemId::of(ItemKind::parse(kind)?, item))
    }

    /// Its kind.
    pub fn kind(self) -> ItemKind {
        match self {
            ItemId::Practice(_) => ItemKind::Practice,
            ItemId::Event(_) => ItemKind::Event,
            ItemId::Forum(_) => ItemKind::Forum,
        }
    }

    /// Its database id.
    pub fn uuid(self) -> Uuid {
        match self {
            ItemId::Practice(id) => id.uuid(),
            ItemId::Event(id) => id.uuid(),
            ItemId::Forum(id) => id.uuid(),
        }
    }
}

/// The portal a list is read through: the row and its scope, resolved once per request.
#[derive(Debug, Clone)]
pub struct PortalView {
    pub portal: portal::Model,
    pub scope: Scope,
}

impl PortalView {
    pub fn new(portal: portal::Model) -> Self {
        let scope = Scope::of(&portal);
        PortalView { portal, scope }
    }

    pub fn id(&self) -> PortalId {
        self.portal.id.into()
    }
}

//! Inputs of the curation mutations, mapped to the service's plain structs.

use async_graphql::{ID, InputObject};
use chrono::{DateTime, Utc};

use crate::curation::service;
use crate::directory::schema::State;
use crate::events::schema::EventFormat;

/// A portal's default scope over the shared lists. An empty list does not narrow; the lists
/// combine with AND, the values of one list with OR.
#[derive(InputObject, Default)]
pub struct PortalScopeInput {
    /// Good practices in any of these states.
    #[graphql(default)]
    pub states: Vec<State>,
    /// Topic slugs: practices and events with any of them.
    #[graphql(default)]
    pub topics: Vec<String>,
    /// Agency slugs: practices owned by, and events organised by, any of them.
    #[graphql(default)]
    pub agencies: Vec<String>,
    /// Training events in any of these formats.
    #[graphql(default)]
    pub event_formats: Vec<EventFormat>,
    /// Forum slugs: only these forums (and their threads in search).
    #[graphql(default)]
    pub forums: Vec<String>,
}

impl From<PortalScopeInput> for service::ScopeInput {
    fn from(input: PortalScopeInput) -> Self {
        service::ScopeInput {
            states: input.states.into_iter().map(Into::into).collect(),
            topics: input.topics,
            agencies: input.agencies,
            formats: input.event_formats.into_iter().map(Into::into).collect(),
            forums: input.forums,
        }
    }
}

/// A new portal.
#[derive(InputObject)]
pub struct CreatePortalInput {
    /// URL-safe name, unique (e.g. transferagentur-nrw).
    pub slug: String,
    /// The portal's name (e.g. "Wissensportal der Transferagentur NRW").
    pub name: String,
    /// The slug of the agency that owns the portal: its administrators manage it, its editors curate it.
    pub agency_slug: String,
    /// The browser origins the portal's front-end runs on (`https://www.example.de`).
    #[graphql(default)]
    pub origins: Vec<String>,
    /// The default scope (none: the whole knowledge base).
    pub scope: Option<PortalScopeInput>,
}

impl From<CreatePortalInput> for service::NewPortal {
    fn from(input: CreatePortalInput) -> Self {
        service::NewPortal {
            slug: input.slug,
            name: input.name,
            agency_slug: input.agency_slug,
            origins: input.origins,
            scope: input.scope.map(Into::into).unwrap_or_default(),
        }
    }
}

/// Changes to a portal; what is left out stays as it is.
#[derive(InputObject)]
pub struct UpdatePortalInput {
    /// The new name.
    pub name: Option<String>,
    /// The new browser origins (the whole list).
    pub origins: Option<Vec<String>>,
    /// The new scope (the whole scope).
    pub scope: Option<PortalScopeInput>,
}

impl From<UpdatePortalInput> for service::PortalChanges {
    fn from(input: UpdatePortalInput) -> Self {
        service::PortalChanges {
            name: input.name,
            origins: input.origins,
            scope: input.scope.map(Into::into),
        }
    }
}

/// A new collection of a portal.
#[derive(InputObject)]
pub struct CreateCollectionInput {
    /// The portal's global id.
    pub portal_id: ID,
    /// URL-safe name, unique within the portal (e.g. unsere-empfehlungen).
    pub slug: String,
    /// The title (e.g. "Unsere Empfehlungen").
    pub title: String,
    /// What the collection is about.
    #[graphql(default)]
    pub description: String,
}

/// One item of a collection.
#[derive(InputObject)]
pub struct CollectionItemInput {
    /// The global id of a good practice or training event.
    pub item_id: ID,
    /// A teaser for the item in this collection.
    pub teaser: Option<String>,
    /// The item is featured until then (afterwards it leaves the collection's `items`).
    pub featured_until: Option<DateTime<Utc>>,
}

/// A portal's own teaser text and image for a good practice.
#[derive(InputObject)]
pub struct SetPortalTeaserInput {
    /// The portal's global id.
    pub portal_id: ID,
    /// The practice's global id.
    pub practice_id: ID,
    /// The teaser text shown in this portal instead of the practice's summary (null: the summary).
    pub teaser: Option<String>,
    /// An image URL shown in this portal (null: none). Both null removes the override.
    pub image_url: Option<String>,
}

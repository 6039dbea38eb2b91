//! The value objects of a good practice: its public contact, its links, and the provenance of a
//! practice a partner synced.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::Agency;
use crate::graphql::ContextExt;
use crate::ids::AgencyId;

/// Public contact details of a good practice.
#[derive(SimpleObject, Clone, Debug)]
pub struct Contact {
    /// Name of the contact person.
    pub name: Option<String>,
    /// Their role, e.g. "Leiterin des Bildungsbüros".
    pub role: Option<String>,
    /// A public email address.
    pub email: Option<String>,
}

/// A link of a good practice.
#[derive(SimpleObject, Clone, Debug)]
pub struct Link {
    /// What the link leads to.
    pub label: String,
    /// The URL (http or https).
    pub url: String,
}

/// Where a synced practice came from.
pub struct Provenance {
    pub(super) origin_agency_id: Option<AgencyId>,
    pub(super) upstream_version: Option<String>,
    pub(super) synced_at: Option<DateTime<Utc>>,
}

/// Where a synced practice came from.
#[Object]
impl Provenance {
    /// The agency whose sync brought the practice.
    async fn origin_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.origin_agency_id else {
            return Ok(None);
        };
        Ok(ctx.loaders::<DirectoryLoaders>()?.agency(id).await?.map(Agency::from))
    }

    /// The version at the partner when last synced.
    async fn upstream_version(&self) -> Option<&str> {
        self.upstream_version.as_deref()
    }

    /// When it was last synced.
    async fn synced_at(&self) -> Option<DateTime<Utc>> {
        self.synced_at
    }
}

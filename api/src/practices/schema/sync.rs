//! GraphQL of the partner sync: the push (`syncGoodPractices`), the change feed
//! (`goodPracticeChanges`) and its live form (`goodPracticeChanged`).

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, Subscription};
use dkbm_macros::fields;
use futures::{Stream, StreamExt};

use super::inputs::{ContactInput, LinkInput, links};
use super::{EducationStage, GoodPractice, PracticeStatus, SyncReport, TargetGroup};
use crate::directory::schema::Agency;
use crate::error::AppError;
use crate::graphql::ContextExt;
use crate::graphql::direct::{List, direct_object};
use crate::graphql::leaf::enum_leaves;
use crate::graphql::node::NodeKind;
use crate::graphql::shape::{fields, shape};
use crate::ids::AgencyId;
use crate::practices::loaders::PracticeRelations;
use crate::practices::service;

/// One practice as a partner agency's sync job sends it, keyed by the agency's own id.
#[derive(InputObject)]
pub struct GoodPracticeSyncItem {
    /// The agency's own id of the practice (1 to 200 characters, unique per agency).
    pub external_id: String,
    /// Title (at most 300 characters); required unless `deleted`.
    pub title: Option<String>,
    /// Short summary (at most 2,000 characters); required unless `deleted`.
    pub summary: Option<String>,
    /// Description in Markdown (at most 200 KB); required unless `deleted`.
    pub body: Option<String>,
    /// Topic slugs.
    pub topics: Option<Vec<String>>,
    /// AGS of the municipalities.
    pub municipality_ags: Option<Vec<String>>,
    /// Who it is for.
    pub target_groups: Option<Vec<TargetGroup>>,
    /// The education stages it works in.
    pub education_stages: Option<Vec<EducationStage>>,
    /// Public contact details.
    pub contact: Option<ContactInput>,
    /// Further links (at most 20).
    pub links: Option<Vec<LinkInput>>,
    /// Licence as an SPDX identifier, e.g. CC-BY-4.0.
    pub license: Option<String>,
    /// Where the original is published.
    pub source_url: Option<String>,
    /// PUBLISHED (default), DRAFT or ARCHIVED.
    pub status: Option<PracticeStatus>,
    /// True archives the practice: it leaves the public list and the change feed records a
    /// tombstone. The content fields are not needed then.
    #[graphql(default)]
    pub deleted: bool,
    /// The partner's own version or change date of the practice, kept as provenance.
    pub upstream_version: Option<String>,
}

impl From<GoodPracticeSyncItem> for service::SyncItem {
    fn from(item: GoodPracticeSyncItem) -> Self {
        let contact = item.contact.unwrap_or_default();
        service::SyncItem {
            external_id: item.external_id,
            title: item.title,
            summary: item.summary,
            body: item.body,
            topics: item.topics.unwrap_or_default(),
            municipality_ags: item.municipality_ags.unwrap_or_default(),
            target_groups: item
                .target_groups
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            stages: item
                .education_stages
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            contact: service::Contact {
                name: contact.name,
                role: contact.role,
                email: contact.email,
            },
            links: links(item.links.unwrap_or_default()),
            license: item.license,
            source_url: item.source_url,
            status: item.status.map(Into::into),
            deleted: item.deleted,
            upstream_version: item.upstream_version,
        }
    }
}

/// What a change-feed entry says about its practice.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "service::Operation")]
pub enum ChangeOperation {
    /// The practice is published with this content: insert or replace it in your mirror.
    Upsert,
    /// The practice is no longer published (archived): remove it from your mirror.
    Delete,
}

/// One entry of the change feed: the latest change of one practice.
pub struct GoodPracticeChange {
    entry: service::ChangeEntry,
    /// The page it is read on, whose relations are loaded for the whole page (none for an
    /// entry sent alone by the subscription).
    page: Option<Arc<service::PageRelations>>,
}

direct_object!(GoodPracticeChange => GoodPracticeChangeFields);
enum_leaves!(ChangeOperation);

impl std::ops::Deref for GoodPracticeChange {
    type Target = service::ChangeEntry;

    fn deref(&self) -> &service::ChangeEntry {
        &self.entry
    }
}

impl From<service::ChangeEntry> for GoodPracticeChange {
    fn from(entry: service::ChangeEntry) -> Self {
        GoodPracticeChange { entry, page: None }
    }
}

/// The fields of a [`GoodPracticeChange`].
pub struct GoodPracticeChangeFields<'a>(&'a GoodPracticeChange);

/// One entry of the change feed: the latest change of one practice.
#[fields(object = GoodPracticeChange)]
#[Object(name = "GoodPracticeChange")]
impl<'a> GoodPracticeChangeFields<'a> {
    /// The entry's position; pass it as `after` to continue behind it.
    #[direct]
    async fn cursor(&self) -> String {
        service::change_cursor(self.0.change.seq)
    }

    /// Whether the practice is to be kept (UPSERT) or removed (DELETE).
    #[direct]
    async fn operation(&self) -> ChangeOperation {
        self.0.operation().into()
    }

    /// The practice's global id.
    #[direct]
    async fn id(&self) -> ID {
        GoodPractice::global_id(self.0.change.practice_id.into())
    }

    /// The practice's slug.
    #[direct]
    async fn slug(&self) -> &str {
        &self.0.change.slug
    }

    /// The owner agency's own id of the practice, if it has one.
    #[direct]
    async fn external_id(&self) -> Option<&str> {
        self.0.change.external_id.as_deref()
    }

    /// The practice's version this entry records.
    #[direct]
    async fn version(&self) -> i64 {
        self.0.change.version
    }

    /// The owner agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Agency> {
        let relations = PracticeRelations::of(self.0.page.as_deref(), ctx)?;
        let agency = relations.agency(AgencyId::from(self.0.change.agency_id)).await?;
        Ok(Agency::from(agency.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("the agency of a feed entry is missing"))
        })?))
    }

    /// The published practice (null for DELETE).
    async fn practice(&self) -> Option<GoodPractice> {
        let practice = self.0.practice.clone()?;
        Some(match &self.0.page {
            Some(page) => GoodPractice::on_page(practice, page),
            None => GoodPractice::from(practice),
        })
    }
}

/// A page of the change feed.
pub struct GoodPracticeChangePage(service::ChangePage);

/// A page of the change feed.
#[Object]
impl GoodPracticeChangePage {
    /// The entries, in feed order.
    async fn entries(&self) -> List<GoodPracticeChange> {
        self.0
            .entries
            .iter()
            .map(|entry| GoodPracticeChange {
                entry: entry.clone(),
                page: Some(self.0.relations.clone()),
            })
            .collect()
    }

    /// Where to continue: pass it as `after` for the next page, or to poll for new changes
    /// when `hasMore` is false. Never null.
    async fn end_cursor(&self) -> Option<&str> {
        Some(&self.0.end_cursor)
    }

    /// Whether more entries follow right now.
    async fn has_more(&self) -> bool {
        self.0.has_more
    }
}

/// Root query fields of the partner sync.
#[derive(Default)]
pub struct SyncQuery;

#[Object]
impl SyncQuery {
    /// The change feed of published good practices: the latest change of every practice in the
    /// order the changes were committed, deletions as tombstones. Page from `after: null` to
    /// the end for an exact mirror, then poll with `endCursor` (or subscribe to
    /// `goodPracticeChanged`). A cursor older than the tombstone retention answers
    /// CURSOR_EXPIRED: start again from null.
    async fn good_practice_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Continue behind this cursor (an entry's `cursor` or a page's `endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "How many entries to return (default 100, at most 1,000).")] first: Option<i32>,
    ) -> async_graphql::Result<GoodPracticeChangePage> {
        let entries = fields(&[ctx.field()], "entries");
        let practices = fields(&entries, "practice");
        let columns = service::PracticeColumns::rows_of(shape::<GoodPractice>(&practices, service::FED));
        // The relations the page shows, read in its snapshot.
        let wanted = service::Wanted {
            agencies: !fields(&entries, "agency").is_empty() || !fields(&practices, "agency").is_empty(),
            municipalities: !fields(&practices, "municipalities").is_empty(),
            topics: !fields(&practices, "topics").is_empty(),
        };
        // On the primary: a partner must never page behind what it was sent.
        let page = service::read_changes(ctx.state()?.primary(), after.as_deref(), first, (columns, wanted)).await?;
        Ok(GoodPracticeChangePage(page))
    }
}

/// Mutations of the partner sync.
#[derive(Default)]
pub struct SyncMutation;

#[Object]
impl SyncMutation {
    /// Pushes up to 500 practices of the caller's agency, keyed by their external ids: each is
    /// created, updated, left unchanged (same content as stored), archived (`deleted: true`) or
    /// rejected with its errors per field, on its own; sending a batch again changes nothing.
    /// For an agency's API client, or an editor of the agency.
    async fn sync_good_practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The practices (at most 500, each external id once).")] items: Vec<GoodPracticeSyncItem>,
        #[graphql(desc = "The agency to write for; needed only by editors of several agencies.")] agency_slug: Option<
            String,
        >,
    ) -> async_graphql::Result<SyncReport> {
        let items = items.into_iter().map(Into::into).collect();
        let writer = &ctx.state()?.writer;
        let report = service::sync_practices(writer, ctx.viewer()?, agency_slug.as_deref(), items).await?;
        Ok(SyncReport(report))
    }
}

/// Live updates of good practices.
#[derive(Default)]
pub struct PracticesSubscription;

#[Subscription]
impl PracticesSubscription {
    /// The change feed's entries as they are committed, in feed order, none skipped: from now
    /// on, or behind `after` (catching up first). If the connection drops, subscribe again with
    /// the last entry's cursor as `after`.
    async fn good_practice_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only practices of the agency with this slug.")] agency: Option<String>,
        #[graphql(desc = "Start behind this cursor of the change feed.")] after: Option<String>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<GoodPracticeChange>> + use<>> {
        let state = ctx.state()?;
        let changes = service::watch_changes(state.primary(), &state.bus, agency.as_deref(), after.as_deref()).await?;
        Ok(changes.map(|entry| entry.map(GoodPracticeChange::from).map_err(Into::into)))
    }
}

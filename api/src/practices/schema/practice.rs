//! The `GoodPractice` object: a practice's text, owner, municipalities, topics, audience,
//! contact, links, workflow state and provenance. Each field is declared once, with the
//! columns it reads (`#[reads]`) and, for a plain leaf, its value from the row alone
//! (`#[direct]`); see `dkbm_macros::fields`.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::good_practice;
use dkbm_macros::fields;

use super::{Contact, EducationStage, Link, PracticeStatus, Provenance, TargetGroup};
use crate::db::rows::Shaped;
use crate::directory::schema::{Agency, Municipality, Topic};
use crate::error::AppResult;
use crate::graphql::direct::{List, direct_object};
use crate::graphql::later::{AttachmentsOf, Later};
use crate::graphql::leaf::enum_leaves;
use crate::graphql::node::NodeKind;
use crate::graphql::shape::RowOf;
use crate::ids::{AgencyId, PracticeId};
use crate::portals::schema::teaser_override;
use crate::portals::service::PortalView;
use crate::practices::loaders::PracticeRelations;
use crate::practices::service::{Link as LinkModel, PageRelations};

/// A good-practice example (Praxisbeispiel) that an agency shares so that others can learn from it.
/// The row is shared, not copied, by the lists and edges that show it.
pub struct GoodPractice {
    row: Arc<Shaped<good_practice::Model>>,
    /// The page it is listed on, whose relations are loaded for the whole page (none for a
    /// practice that stands alone: its relations come through the DataLoaders).
    page: Option<Arc<PageRelations>>,
}

direct_object!(GoodPractice => GoodPracticeFields);

enum_leaves!(PracticeStatus);

impl GoodPractice {
    /// A practice of a page, sharing the page's relations.
    pub fn on_page(row: Arc<Shaped<good_practice::Model>>, page: &Arc<PageRelations>) -> Self {
        GoodPractice {
            row,
            page: Some(page.clone()),
        }
    }

    /// The global id, for the `Node` interface.
    pub async fn id(&self, _: &Context<'_>) -> async_graphql::Result<ID> {
        Ok(Self::global_id(self.practice_id()))
    }

    /// The practice's typed id (always read).
    pub fn practice_id(&self) -> PracticeId {
        self.row.read(crate::practices::service::ID_COLUMN).id.into()
    }
}

impl RowOf for GoodPractice {
    type Model = good_practice::Model;

    fn shaped(&self) -> &Shaped<good_practice::Model> {
        &self.row
    }
}

impl From<Arc<Shaped<good_practice::Model>>> for GoodPractice {
    fn from(row: Arc<Shaped<good_practice::Model>>) -> Self {
        GoodPractice { row, page: None }
    }
}

impl From<good_practice::Model> for GoodPractice {
    fn from(model: good_practice::Model) -> Self {
        GoodPractice::from(Arc::new(Shaped::whole(model)))
    }
}

/// The fields of a [`GoodPractice`].
pub struct GoodPracticeFields<'a>(&'a GoodPractice);

impl<'a> GoodPracticeFields<'a> {
    /// Where the practice's relations come from: its page, or the DataLoaders.
    fn relations(&self, ctx: &'a Context<'_>) -> AppResult<PracticeRelations<'a>> {
        PracticeRelations::of(self.0.page.as_deref(), ctx)
    }

    /// The portal its page is read through (`portalKey:`), if any: its teasers apply.
    fn portal(&self) -> Option<&'a Arc<PortalView>> {
        self.0.page.as_deref().and_then(PageRelations::portal)
    }
}

/// A good-practice example (Praxisbeispiel) that an agency shares so that others can learn from it.
#[fields(object = GoodPractice, row = good_practice)]
#[Object(name = "GoodPractice")]
impl<'a> GoodPracticeFields<'a> {
    /// The practice's global id.
    #[reads(Id)]
    #[direct]
    async fn id(&self) -> ID {
        GoodPractice::global_id(row.id.into())
    }

    /// Stable, URL-safe name (does not change when the title does).
    #[reads(Slug)]
    #[direct]
    async fn slug(&self) -> &str {
        &row.slug
    }

    /// Title (at most 300 characters).
    #[reads(Title)]
    #[direct]
    async fn title(&self) -> &str {
        &row.title
    }

    /// Short summary.
    #[reads(Summary)]
    #[direct]
    async fn summary(&self) -> &str {
        &row.summary
    }

    /// The teaser to show in a list: the portal's own teaser for this practice where the
    /// request names a portal (`X-Portal-Key`) that has one, else the summary.
    #[reads(Id, Summary)]
    async fn teaser(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let overridden = teaser_override(ctx, self.portal(), row.id.into()).await?;
        Ok(overridden.and_then(|o| o.teaser).unwrap_or_else(|| row.summary.clone()))
    }

    /// The image to show with the teaser: the portal's own image for this practice where the
    /// request names a portal that has one (null otherwise: practices carry no image).
    #[reads(Id)]
    async fn image_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let overridden = teaser_override(ctx, self.portal(), row.id.into()).await?;
        Ok(overridden.and_then(|o| o.image_url))
    }

    /// The description in Markdown.
    #[reads(Body)]
    #[direct]
    async fn body(&self) -> &str {
        &row.body
    }

    /// The description rendered to sanitised HTML (safe to embed).
    #[reads(BodyHtml)]
    #[direct]
    async fn body_html(&self) -> &str {
        &row.body_html
    }

    /// The agency that owns and edits the practice.
    #[reads(OwnerAgencyId)]
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let owner = AgencyId::from(row.owner_agency_id);
        Ok(self.relations(ctx)?.agency(owner).await?.map(Agency::from))
    }

    /// The municipalities the practice comes from or works in.
    #[reads(Id)]
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<List<Municipality>> {
        let municipalities = self.relations(ctx)?.municipalities(row.id.into()).await?;
        Ok(municipalities.into_iter().map(Municipality::from).collect())
    }

    /// Its fields of action, in display order.
    #[reads(Id)]
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<List<Topic>> {
        let topics = self.relations(ctx)?.topics(row.id.into()).await?;
        Ok(topics.into_iter().map(Topic).collect())
    }

    /// Who it is for.
    #[reads(TargetGroupMask)]
    async fn target_groups(&self) -> List<TargetGroup> {
        let groups = crate::practices::service::target_groups_of(row.target_group_mask);
        groups.into_iter().map(Into::into).collect()
    }

    /// The stages of the education system it works in.
    #[reads(StageMask)]
    async fn education_stages(&self) -> List<EducationStage> {
        let stages = crate::practices::service::stages_of(row.stage_mask);
        stages.into_iter().map(Into::into).collect()
    }

    /// Whom to ask about it (null when no contact is given).
    #[reads(ContactName, ContactRole, ContactEmail)]
    async fn contact(&self) -> Option<Contact> {
        if row.contact_name.is_none() && row.contact_role.is_none() && row.contact_email.is_none() {
            return None;
        }
        Some(Contact {
            name: row.contact_name.clone(),
            role: row.contact_role.clone(),
            email: row.contact_email.clone(),
        })
    }

    /// Further links.
    #[reads(Links)]
    async fn links(&self) -> Vec<Link> {
        let links: Vec<LinkModel> = serde_json::from_str(&row.links).unwrap_or_default();
        links
            .into_iter()
            .map(|link| Link {
                label: link.label,
                url: link.url,
            })
            .collect()
    }

    /// The licence it is shared under (an SPDX identifier such as CC-BY-4.0).
    #[reads(License)]
    #[direct]
    async fn license(&self) -> Option<&str> {
        row.license.as_deref()
    }

    /// Where the original is published.
    #[reads(SourceUrl)]
    #[direct]
    async fn source_url(&self) -> Option<&str> {
        row.source_url.as_deref()
    }

    /// The owner agency's own id of the practice (used by the partner sync).
    #[reads(ExternalId)]
    #[direct]
    async fn external_id(&self) -> Option<&str> {
        row.external_id.as_deref()
    }

    /// Where it stands: DRAFT, PUBLISHED or ARCHIVED.
    #[reads(Status)]
    #[direct]
    async fn status(&self) -> PracticeStatus {
        row.status.into()
    }

    /// Increments with every change; pass it as `expectedVersion` when changing the practice.
    #[reads(Version)]
    #[direct]
    async fn version(&self) -> i64 {
        row.version
    }

    /// Where it came from when a partner synced it (null for practices written here).
    #[reads(OriginAgencyId, UpstreamVersion, SyncedAt)]
    async fn provenance(&self) -> Option<Provenance> {
        row.origin_agency_id.map(|origin| Provenance {
            origin_agency_id: Some(origin.into()),
            upstream_version: row.upstream_version.clone(),
            synced_at: row.synced_at,
        })
    }

    /// The files attached to the practice (concept papers, reports, slides, photos), in their
    /// order.
    #[reads(Id)]
    async fn attachments(&self) -> Later<AttachmentsOf<PracticeId>> {
        Later(row.id.into())
    }

    /// When it was created.
    #[reads(CreatedAt)]
    #[direct]
    async fn created_at(&self) -> DateTime<Utc> {
        row.created_at
    }

    /// When it was last changed.
    #[reads(UpdatedAt)]
    #[direct]
    async fn updated_at(&self) -> DateTime<Utc> {
        row.updated_at
    }

    /// When it was first published.
    #[reads(PublishedAt)]
    #[direct]
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        row.published_at
    }

    /// When it was archived.
    #[reads(ArchivedAt)]
    #[direct]
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        row.archived_at
    }
}

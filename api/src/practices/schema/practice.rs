//! The `GoodPractice` object: a practice's text, owner, municipalities, topics, audience,
//! contact, links, workflow state and provenance.

use std::sync::Arc;

use async_graphql::{Context, ID, Lookahead, Object, Value};
use chrono::{DateTime, Utc};
use dkbm_entity::good_practice;

use super::{Contact, EducationStage, Link, PracticeStatus, Provenance, TargetGroup};
use crate::directory::schema::{Agency, Municipality, Topic};
use crate::error::AppResult;
use crate::graphql::direct::{DirectFields, List, direct_object, leaf};
use crate::graphql::node::NodeKind;
use crate::practices::loaders::PracticeRelations;
use crate::practices::service::{Link as LinkModel, PageRelations, PracticeColumns};

/// A good-practice example (Praxisbeispiel) that an agency shares so that others can learn from it.
/// The row is shared, not copied, by the lists and edges that show it.
pub struct GoodPractice {
    row: Arc<good_practice::Model>,
    /// The page it is listed on, whose relations are loaded for the whole page (none for a
    /// practice that stands alone: its relations come through the DataLoaders).
    page: Option<Arc<PageRelations>>,
}

direct_object!(node GoodPractice => GoodPracticeFields);

impl GoodPractice {
    /// A practice of a page, sharing the page's relations.
    pub fn on_page(row: Arc<good_practice::Model>, page: &Arc<PageRelations>) -> Self {
        GoodPractice {
            row,
            page: Some(page.clone()),
        }
    }
}

impl std::ops::Deref for GoodPractice {
    type Target = good_practice::Model;

    fn deref(&self) -> &good_practice::Model {
        &self.row
    }
}

impl DirectFields for GoodPractice {
    fn direct(&self, name: &str) -> Option<Value> {
        let practice = &self.row;
        Some(match name {
            "id" => leaf::scalar(&Self::global_id(practice.id)),
            "slug" => leaf::text(&practice.slug),
            "title" => leaf::text(&practice.title),
            "summary" => leaf::text(&practice.summary),
            "body" => leaf::text(&practice.body),
            "bodyHtml" => leaf::text(&practice.body_html),
            "license" => leaf::optional_text(practice.license.as_deref()),
            "sourceUrl" => leaf::optional_text(practice.source_url.as_deref()),
            "externalId" => leaf::optional_text(practice.external_id.as_deref()),
            "status" => leaf::enumeration(PracticeStatus::from(practice.status)),
            "version" => leaf::scalar(&practice.version),
            "createdAt" => leaf::scalar(&practice.created_at),
            "updatedAt" => leaf::scalar(&practice.updated_at),
            "publishedAt" => leaf::optional(practice.published_at.as_ref()),
            "archivedAt" => leaf::optional(practice.archived_at.as_ref()),
            _ => return None,
        })
    }
}

impl GoodPractice {
    /// The columns each field reads (`None`: any), for reads that select only what a query
    /// shows (`graphql::shape`). A field listed here must read no other column.
    pub fn columns_of(field: &str) -> Option<&'static [&'static str]> {
        Some(match field {
            "id" | "imageUrl" | "municipalities" | "topics" => &["id"],
            "slug" => &["slug"],
            "title" => &["title"],
            "summary" => &["summary"],
            "teaser" => &["id", "summary"],
            "body" => &["body"],
            "bodyHtml" => &["body_html"],
            "agency" => &["owner_agency_id"],
            "targetGroups" => &["target_group_mask"],
            "educationStages" => &["stage_mask"],
            "contact" => &["contact_name", "contact_role", "contact_email"],
            "links" => &["links"],
            "license" => &["license"],
            "sourceUrl" => &["source_url"],
            "externalId" => &["external_id"],
            "status" => &["status"],
            "version" => &["version"],
            "provenance" => &["origin_agency_id", "upstream_version", "synced_at"],
            "createdAt" => &["created_at"],
            "updatedAt" => &["updated_at"],
            "publishedAt" => &["published_at"],
            "archivedAt" => &["archived_at"],
            _ => return None,
        })
    }
}

impl From<Arc<good_practice::Model>> for GoodPractice {
    fn from(row: Arc<good_practice::Model>) -> Self {
        GoodPractice { row, page: None }
    }
}

impl From<good_practice::Model> for GoodPractice {
    fn from(model: good_practice::Model) -> Self {
        GoodPractice::from(Arc::new(model))
    }
}

/// What practices selected as `selections` read: whole rows, but the long texts only where
/// they show them (never the plain text, which only a search snippet shows), and no
/// relations (which only a list joins).
pub fn columns_shown(selections: &[Lookahead<'_>]) -> PracticeColumns {
    let shows = |field: &str| selections.iter().any(|selection| selection.field(field).exists());
    let shown = [("body", "body"), ("bodyHtml", "body_html")];
    let texts: Vec<&str> = shown
        .into_iter()
        .filter(|(field, _)| shows(field))
        .map(|(_, column)| column)
        .collect();
    PracticeColumns::texts(&texts)
}

/// The fields of a [`GoodPractice`].
pub struct GoodPracticeFields<'a>(&'a GoodPractice);

impl<'a> GoodPracticeFields<'a> {
    /// Where the practice's relations come from: its page, or the DataLoaders.
    fn relations(&self, ctx: &'a Context<'_>) -> AppResult<PracticeRelations<'a>> {
        PracticeRelations::of(self.0.page.as_deref(), ctx)
    }
}

/// A good-practice example (Praxisbeispiel) that an agency shares so that others can learn from it.
#[Object(name = "GoodPractice")]
impl<'a> GoodPracticeFields<'a> {
    /// The practice's global id.
    async fn id(&self) -> ID {
        GoodPractice::global_id(self.0.id)
    }

    /// Stable, URL-safe name (does not change when the title does).
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Title (at most 300 characters).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Short summary.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// The teaser to show in a list: the portal's own teaser for this practice where the
    /// request names a portal (`X-Portal-Key`) that has one, else the summary.
    async fn teaser(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let overridden = crate::portals::schema::teaser_override(ctx, self.0.id).await?;
        Ok(overridden
            .and_then(|o| o.teaser)
            .unwrap_or_else(|| self.0.summary.clone()))
    }

    /// The image to show with the teaser: the portal's own image for this practice where the
    /// request names a portal that has one (null otherwise: practices carry no image).
    async fn image_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let overridden = crate::portals::schema::teaser_override(ctx, self.0.id).await?;
        Ok(overridden.and_then(|o| o.image_url))
    }

    /// The description in Markdown.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// The description rendered to sanitised HTML (safe to embed).
    async fn body_html(&self) -> &str {
        &self.0.body_html
    }

    /// The agency that owns and edits the practice.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(self.relations(ctx)?.agency(self.0.owner_agency_id).await?.map(Agency))
    }

    /// The municipalities the practice comes from or works in.
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<List<Municipality>> {
        let municipalities = self.relations(ctx)?.municipalities(self.0.id).await?;
        Ok(municipalities.into_iter().map(Municipality).collect())
    }

    /// Its fields of action, in display order.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<List<Topic>> {
        let topics = self.relations(ctx)?.topics(self.0.id).await?;
        Ok(topics.into_iter().map(Topic).collect())
    }

    /// Who it is for.
    async fn target_groups(&self) -> List<TargetGroup> {
        let groups = crate::practices::service::target_groups_of(self.0.target_group_mask);
        groups.into_iter().map(Into::into).collect()
    }

    /// The stages of the education system it works in.
    async fn education_stages(&self) -> List<EducationStage> {
        let stages = crate::practices::service::stages_of(self.0.stage_mask);
        stages.into_iter().map(Into::into).collect()
    }

    /// Whom to ask about it (null when no contact is given).
    async fn contact(&self) -> Option<Contact> {
        let model = &self.0;
        if model.contact_name.is_none() && model.contact_role.is_none() && model.contact_email.is_none() {
            return None;
        }
        Some(Contact {
            name: model.contact_name.clone(),
            role: model.contact_role.clone(),
            email: model.contact_email.clone(),
        })
    }

    /// Further links.
    async fn links(&self) -> Vec<Link> {
        let links: Vec<LinkModel> = serde_json::from_str(&self.0.links).unwrap_or_default();
        links
            .into_iter()
            .map(|link| Link {
                label: link.label,
                url: link.url,
            })
            .collect()
    }

    /// The licence it is shared under (an SPDX identifier such as CC-BY-4.0).
    async fn license(&self) -> Option<&str> {
        self.0.license.as_deref()
    }

    /// Where the original is published.
    async fn source_url(&self) -> Option<&str> {
        self.0.source_url.as_deref()
    }

    /// The owner agency's own id of the practice (used by the partner sync).
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }

    /// Where it stands: DRAFT, PUBLISHED or ARCHIVED.
    async fn status(&self) -> PracticeStatus {
        self.0.status.into()
    }

    /// Increments with every change; pass it as `expectedVersion` when changing the practice.
    async fn version(&self) -> i64 {
        self.0.version
    }

    /// Where it came from when a partner synced it (null for practices written here).
    async fn provenance(&self) -> Option<Provenance> {
        self.0.origin_agency_id.map(|origin| Provenance {
            origin_agency_id: Some(origin),
            upstream_version: self.0.upstream_version.clone(),
            synced_at: self.0.synced_at,
        })
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// When it was first published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }

    /// When it was archived.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }
}

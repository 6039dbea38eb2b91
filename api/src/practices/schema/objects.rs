//! Output types of good practices.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use dkbm_entity::good_practice;

use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{Agency, Municipality, State, Topic};
use crate::graphql::node::NodeKind;
use crate::graphql::{ContextExt, PageInfo};
use crate::practices::loaders::PracticeLoaders;
use crate::practices::service::{Facets, Link as LinkModel, PracticePage};
use crate::search::{self, SearchQuery};

/// Where a good practice stands in its editorial workflow.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::PracticeStatus")]
pub enum PracticeStatus {
    /// Being written; visible only to the owner agency's editors.
    Draft,
    /// Public.
    Published,
    /// Withdrawn from the public; visible only to the owner agency's editors.
    Archived,
}

/// Who a good practice is for.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::TargetGroup")]
pub enum TargetGroup {
    /// Children (Kinder).
    Children,
    /// Young people (Jugendliche).
    YoungPeople,
    /// Young adults (junge Erwachsene).
    YoungAdults,
    /// Parents and families (Eltern und Familien).
    ParentsAndFamilies,
    /// Adults (Erwachsene).
    Adults,
    /// Older people (Ältere, Senior:innen).
    Seniors,
    /// Newly arrived immigrants (Neuzugewanderte).
    NewlyArrived,
    /// Education professionals: teachers, educators, counsellors (pädagogische Fachkräfte).
    EducationProfessionals,
    /// Municipal administration (Verwaltung).
    Administration,
    /// Civil society: associations, volunteers (Zivilgesellschaft).
    CivilSociety,
}

/// The stage of the education system a good practice works in.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::EducationStage")]
pub enum EducationStage {
    /// Early childhood education (frühkindliche Bildung, Kita).
    EarlyChildhood,
    /// Primary school (Grundschule).
    Primary,
    /// Secondary school (Sekundarstufe).
    Secondary,
    /// Transition from school to work (Übergang Schule–Beruf).
    TransitionSchoolWork,
    /// Vocational education and training (berufliche Bildung).
    Vocational,
    /// Higher education (Hochschule).
    HigherEducation,
    /// Adult and continuing education (Weiterbildung).
    AdultEducation,
    /// Non-formal and informal learning (non-formale und informelle Bildung).
    NonFormal,
}

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
    origin_agency_id: Option<uuid::Uuid>,
    upstream_version: Option<String>,
    synced_at: Option<DateTime<Utc>>,
}

/// Where a synced practice came from.
#[Object]
impl Provenance {
    /// The agency whose sync brought the practice.
    async fn origin_agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        let Some(id) = self.origin_agency_id else {
            return Ok(None);
        };
        Ok(ctx.get::<DirectoryLoaders>()?.agency(id).await?.map(Agency))
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

/// A good-practice example (Praxisbeispiel) that an agency shares so that others can learn from it.
pub struct GoodPractice(pub good_practice::Model);

impl From<good_practice::Model> for GoodPractice {
    fn from(model: good_practice::Model) -> Self {
        GoodPractice(model)
    }
}

/// A good-practice example (Praxisbeispiel) that an agency shares so that others can learn from it.
#[Object]
impl GoodPractice {
    /// The practice's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
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
        Ok(ctx
            .get::<DirectoryLoaders>()?
            .agency(self.0.owner_agency_id)
            .await?
            .map(Agency))
    }

    /// The municipalities the practice comes from or works in.
    async fn municipalities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Municipality>> {
        let ids = ctx.get::<PracticeLoaders>()?.municipality_ids(self.0.id).await?;
        let mut found = ctx
            .get::<DirectoryLoaders>()?
            .municipalities(ids.iter().copied())
            .await?;
        let mut municipalities: Vec<_> = ids.iter().filter_map(|id| found.remove(id)).collect();
        municipalities.sort_by(|a, b| a.name_sort.cmp(&b.name_sort));
        Ok(municipalities.into_iter().map(Municipality).collect())
    }

    /// Its fields of action, in display order.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let ids = ctx.get::<PracticeLoaders>()?.topic_ids(self.0.id).await?;
        let topics = ctx.get::<DirectoryLoaders>()?.topics_in_order(&ids).await?;
        Ok(topics.into_iter().map(Topic).collect())
    }

    /// Who it is for.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        Ok(ctx
            .get::<PracticeLoaders>()?
            .target_groups(self.0.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The stages of the education system it works in.
    async fn education_stages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EducationStage>> {
        Ok(ctx
            .get::<PracticeLoaders>()?
            .stages(self.0.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
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

/// Length of a search snippet, in words.
const SNIPPET_WORDS: usize = 32;

/// A page of good practices (a Relay connection with keyset cursors).
pub struct GoodPracticeConnection(pub PracticePage);

/// A good practice with its cursor and, in a search, its highlighted matches.
pub struct GoodPracticeEdge {
    cursor: String,
    node: good_practice::Model,
    query: Option<SearchQuery>,
}

/// A page of good practices (a Relay connection with keyset cursors).
#[Object]
impl GoodPracticeConnection {
    /// The practices of this page, each with its cursor (and snippet, in a search).
    async fn edges(&self) -> Vec<GoodPracticeEdge> {
        self.0
            .page
            .edges
            .iter()
            .map(|edge| GoodPracticeEdge {
                cursor: edge.cursor.clone(),
                node: edge.node.clone(),
                query: self.0.query.clone(),
            })
            .collect()
    }

    /// The practices of this page.
    async fn nodes(&self) -> Vec<GoodPractice> {
        self.0
            .page
            .edges
            .iter()
            .map(|edge| GoodPractice(edge.node.clone()))
            .collect()
    }

    /// Where this page sits in the list.
    async fn page_info(&self) -> PageInfo {
        let page = &self.0.page;
        PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: page.edges.first().map(|edge| edge.cursor.clone()),
            end_cursor: page.edges.last().map(|edge| edge.cursor.clone()),
        }
    }

    /// How many practices match the filter, over all pages (costs one count query).
    async fn total_count(&self) -> async_graphql::Result<i32> {
        Ok(i32::try_from(self.0.page.total.get().await?).unwrap_or(i32::MAX))
    }
}

/// A good practice with its cursor and, in a search, its highlighted matches.
#[Object]
impl GoodPracticeEdge {
    /// Opaque cursor of this practice; pass it as `after` to continue behind it.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The practice.
    async fn node(&self) -> GoodPractice {
        GoodPractice(self.node.clone())
    }

    /// In a search: the passage of summary and body where the search terms are densest, as
    /// HTML-escaped text with hits wrapped in `<mark>`. Null outside a search.
    async fn snippet(&self) -> Option<String> {
        self.query
            .as_ref()
            .map(|query| search::snippet(&self.node.plain_text, query, SNIPPET_WORDS))
    }

    /// In a search: the title, HTML-escaped, with hits wrapped in `<mark>`. Null outside a search.
    async fn highlighted_title(&self) -> Option<String> {
        self.query
            .as_ref()
            .map(|query| search::highlight(&self.node.title, query))
    }
}

/// How many practices of a filter fall on one topic.
pub struct TopicCount(uuid::Uuid, i64);

/// How many practices of a filter fall on one topic.
#[Object]
impl TopicCount {
    /// The topic.
    async fn topic(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Topic>> {
        Ok(ctx.get::<DirectoryLoaders>()?.topic(self.0).await?.map(Topic))
    }

    /// Number of practices.
    async fn count(&self) -> i64 {
        self.1
    }
}

/// How many practices of a filter fall on one agency.
pub struct AgencyCount(uuid::Uuid, i64);

/// How many practices of a filter fall on one agency.
#[Object]
impl AgencyCount {
    /// The agency.
    async fn agency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agency>> {
        Ok(ctx.get::<DirectoryLoaders>()?.agency(self.0).await?.map(Agency))
    }

    /// Number of practices.
    async fn count(&self) -> i64 {
        self.1
    }
}

/// How many practices of a filter work in one state.
#[derive(SimpleObject)]
pub struct StateCount {
    /// The state.
    pub state: State,
    /// Number of practices with a municipality in the state.
    pub count: i64,
}

/// How many practices of a filter are for one target group.
#[derive(SimpleObject)]
pub struct TargetGroupCount {
    /// The target group.
    pub target_group: TargetGroup,
    /// Number of practices.
    pub count: i64,
}

/// How many practices of a filter work in one education stage.
#[derive(SimpleObject)]
pub struct EducationStageCount {
    /// The stage.
    pub education_stage: EducationStage,
    /// Number of practices.
    pub count: i64,
}

/// Counts for a filter panel: for the same filter, how many practices fall on each value.
pub struct GoodPracticeFacets(pub Facets);

/// Counts for a filter panel: for the same filter, how many practices fall on each value.
#[Object]
impl GoodPracticeFacets {
    /// How many practices match the filter.
    async fn total_count(&self) -> i64 {
        self.0.total
    }

    /// Per topic, most first.
    async fn topics(&self) -> Vec<TopicCount> {
        self.0
            .topics
            .iter()
            .map(|(id, count)| TopicCount(*id, *count))
            .collect()
    }

    /// Per state (of the practices' municipalities), most first.
    async fn states(&self) -> Vec<StateCount> {
        self.0
            .states
            .iter()
            .map(|(state, count)| StateCount {
                state: (*state).into(),
                count: *count,
            })
            .collect()
    }

    /// Per owner agency, most first.
    async fn agencies(&self) -> Vec<AgencyCount> {
        self.0
            .agencies
            .iter()
            .map(|(id, count)| AgencyCount(*id, *count))
            .collect()
    }

    /// Per target group, most first.
    async fn target_groups(&self) -> Vec<TargetGroupCount> {
        self.0
            .target_groups
            .iter()
            .map(|(group, count)| TargetGroupCount {
                target_group: (*group).into(),
                count: *count,
            })
            .collect()
    }

    /// Per education stage, most first.
    async fn education_stages(&self) -> Vec<EducationStageCount> {
        self.0
            .stages
            .iter()
            .map(|(stage, count)| EducationStageCount {
                education_stage: (*stage).into(),
                count: *count,
            })
            .collect()
    }
}

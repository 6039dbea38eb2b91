//! A good-practice example (Praxisbeispiel) that an agency shares.

use sea_orm::entity::prelude::*;

use crate::PracticeStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "good_practice")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// A stable integer per practice: the full-text index's row id.
    #[sea_orm(unique)]
    pub number: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    /// The title folded for sorting.
    pub title_sort: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    /// The body rendered to sanitised HTML.
    pub body_html: String,
    /// Summary and body as plain text (for search snippets).
    pub plain_text: String,
    pub owner_agency_id: Uuid,
    pub status: PracticeStatus,
    /// Increments with every change; updates name the version they expect.
    pub version: i64,
    pub contact_name: Option<String>,
    pub contact_role: Option<String>,
    pub contact_email: Option<String>,
    /// JSON array of `{ "label": …, "url": … }`.
    pub links: String,
    /// Licence identifier, e.g. CC-BY-4.0.
    pub license: Option<String>,
    pub source_url: Option<String>,
    /// The partner's own id of the practice; unique per owner agency.
    pub external_id: Option<String>,
    /// Hash of the normalised content as last synced (sync compares it).
    pub content_hash: Option<String>,
    /// Provenance: the agency whose sync brought the practice.
    pub origin_agency_id: Option<Uuid>,
    /// Provenance: the partner's version at the last sync.
    pub upstream_version: Option<String>,
    pub synced_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub archived_at: Option<DateTimeUtc>,
    /// Sort key of the list: when it was published, or created while never published.
    pub listed_at: DateTimeUtc,
    /// The title's search terms, space-separated and padded with a space at each end (for scoring).
    pub title_terms: String,
    /// The summary's search terms, likewise.
    pub summary_terms: String,
    /// Facet masks: bit `topic.facet_bit` per topic, `TargetGroup::bit` per group,
    /// `EducationStage::bit` per stage, `State::bit` per state of the practice's municipalities.
    pub topic_mask: i64,
    pub target_group_mask: i64,
    pub stage_mask: i64,
    pub state_mask: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

//! Input types of good practices.

use async_graphql::{Enum, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

use super::{EducationStage, PracticeStatus, TargetGroup};
use crate::directory::schema::State;
use crate::graphql::OrderDirection;
use crate::practices::service;

/// How the topics of a filter combine.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "service::TopicMatch")]
pub enum TopicMatch {
    /// Practices with at least one of the topics.
    #[default]
    Any,
    /// Practices with all of the topics.
    All,
}

/// Narrows the list of good practices; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct GoodPracticeFilter {
    /// German full-text search over title, summary and body: inflections, case and umlauts
    /// do not matter ("Übergänge" finds "Übergang"; "Boerde" finds "Börde"); quote a phrase
    /// ("Schule und Beruf"). Every word or phrase must occur.
    pub search: Option<String>,
    /// Topic slugs.
    pub topics: Option<Vec<String>>,
    /// Whether a practice needs any (default) or all of `topics`.
    pub topics_match: Option<TopicMatch>,
    /// Practices of the municipality with this AGS.
    pub municipality_ags: Option<String>,
    /// With `municipalityAgs`: also the practices of the places it followed (merged into it,
    /// renamed, rekeyed; through every generation). Default false.
    pub include_predecessors: Option<bool>,
    /// Practices with a municipality in this state.
    pub state: Option<State>,
    /// Practices of the agency with this slug.
    pub agency: Option<String>,
    /// Practices for any of these target groups.
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Practices in any of these education stages.
    pub education_stages: Option<Vec<EducationStage>>,
    /// Statuses to include (default: PUBLISHED). Drafts and archived practices show only to
    /// the owner agency's editors.
    pub status: Option<Vec<PracticeStatus>>,
    /// Practices changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Practices from the municipalities most like this one on education indicators ("places
    /// like mine"; see `similarMunicipalities`), ordered by likeness (the most alike first)
    /// unless `orderBy` says otherwise. The reference municipality's own practices are not among them.
    pub from_municipalities_like: Option<MunicipalitiesLikeInput>,
}

/// The municipalities like one municipality, as a filter.
#[derive(InputObject)]
pub struct MunicipalitiesLikeInput {
    /// The AGS of the reference municipality.
    pub ags: String,
    /// Indicator codes to compare on (default: every indicator).
    pub codes: Option<Vec<String>>,
    /// How many of the most similar municipalities (default 10, at most 100).
    pub first: Option<i32>,
    /// The year compared (default: the latest year the reference has a number for).
    pub year: Option<i32>,
}

impl From<GoodPracticeFilter> for service::PracticeFilter {
    fn from(filter: GoodPracticeFilter) -> Self {
        service::PracticeFilter {
            search: filter.search,
            topics: filter.topics.unwrap_or_default(),
            topic_match: filter.topics_match.unwrap_or_default().into(),
            municipality_ags: filter.municipality_ags,
            include_predecessors: filter.include_predecessors.unwrap_or(false),
            state: filter.state.map(Into::into),
            agency: filter.agency,
            target_groups: filter
                .target_groups
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            stages: filter
                .education_stages
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            statuses: filter.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            updated_since: filter.updated_since,
            like: filter.from_municipalities_like.map(|like| service::LikeFilter {
                ags: like.ags,
                codes: like.codes.unwrap_or_default(),
                year: like.year,
                // A negative count is refused by the similarity (as more than 100 is).
                first: usize::try_from(like.first.unwrap_or(10)).unwrap_or(usize::MAX),
            }),
            like_places: None,
            portal: None,
        }
    }
}

/// What the list of good practices can be ordered by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "service::PracticeOrderField")]
pub enum GoodPracticeOrderField {
    /// Best matches of the search first: a word or phrase in the title counts most, then in
    /// the summary; ties newest first. Only with `filter.search` (and its default there).
    Relevance,
    /// When published, newest first by default (drafts: when created). The default without a search.
    PublishedAt,
    /// By title, A to Z by default.
    Title,
    /// When last changed, newest first by default.
    UpdatedAt,
}

/// Ordering of the list of good practices.
#[derive(InputObject)]
pub struct GoodPracticeOrder {
    /// What to order by.
    pub field: GoodPracticeOrderField,
    /// Direction; the default depends on the field (RELEVANCE is always best first).
    pub direction: Option<OrderDirection>,
}

/// Public contact details.
#[derive(InputObject, Default)]
pub struct ContactInput {
    /// Name of the contact person.
    pub name: Option<String>,
    /// Their role.
    pub role: Option<String>,
    /// A public email address.
    pub email: Option<String>,
}

/// A link.
#[derive(InputObject)]
pub struct LinkInput {
    /// What the link leads to.
    pub label: String,
    /// The URL (http or https).
    pub url: String,
}

pub(super) fn links(links: Vec<LinkInput>) -> Vec<service::Link> {
    links
        .into_iter()
        .map(|link| service::Link {
            label: link.label,
            url: link.url,
        })
        .collect()
}

/// A new good practice.
#[derive(InputObject)]
pub struct CreateGoodPracticeInput {
    /// Slug of the owner agency (the viewer must edit for it).
    pub agency_slug: String,
    /// Title (at most 300 characters).
    pub title: String,
    /// Short summary (at most 2,000 characters).
    pub summary: String,
    /// Description in Markdown (at most 200 KB); HTML in it is sanitised.
    pub body: String,
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
    /// The agency's own id of the practice (unique per agency).
    pub external_id: Option<String>,
    /// Stable, URL-safe name; derived from the title when left out.
    pub slug: Option<String>,
    /// DRAFT (default) or PUBLISHED.
    pub status: Option<PracticeStatus>,
}

impl From<CreateGoodPracticeInput> for service::NewPractice {
    fn from(input: CreateGoodPracticeInput) -> Self {
        let contact = input.contact.unwrap_or_default();
        service::NewPractice {
            agency_slug: input.agency_slug,
            slug: input.slug,
            status: input.status.map_or(dkbm_entity::PracticeStatus::Draft, Into::into),
            external_id: input.external_id,
            content: service::Content {
                title: input.title,
                summary: input.summary,
                body: input.body,
                topics: input.topics.unwrap_or_default(),
                municipality_ags: input.municipality_ags.unwrap_or_default(),
                target_groups: input
                    .target_groups
                    .unwrap_or_default()
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                stages: input
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
                links: links(input.links.unwrap_or_default()),
                license: input.license,
                source_url: input.source_url,
            },
        }
    }
}

/// Changes to a good practice: leave a field out to keep it, set it to null to clear it;
/// lists replace the whole list.
#[derive(InputObject)]
pub struct UpdateGoodPracticeInput {
    /// Title.
    pub title: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Description in Markdown.
    pub body: Option<String>,
    /// Topic slugs (replaces the list).
    pub topics: Option<Vec<String>>,
    /// AGS of the municipalities (replaces the list).
    pub municipality_ags: Option<Vec<String>>,
    /// Target groups (replaces the list).
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Education stages (replaces the list).
    pub education_stages: Option<Vec<EducationStage>>,
    /// Name of the contact person.
    pub contact_name: MaybeUndefined<String>,
    /// Role of the contact person.
    pub contact_role: MaybeUndefined<String>,
    /// Public contact email.
    pub contact_email: MaybeUndefined<String>,
    /// Links (replaces the list).
    pub links: Option<Vec<LinkInput>>,
    /// Licence.
    pub license: MaybeUndefined<String>,
    /// Where the original is published.
    pub source_url: MaybeUndefined<String>,
    /// The agency's own id of the practice.
    pub external_id: MaybeUndefined<String>,
}

impl From<UpdateGoodPracticeInput> for service::PracticeChanges {
    fn from(input: UpdateGoodPracticeInput) -> Self {
        service::PracticeChanges {
            title: input.title,
            summary: input.summary,
            body: input.body,
            topics: input.topics,
            municipality_ags: input.municipality_ags,
            target_groups: input
                .target_groups
                .map(|groups| groups.into_iter().map(Into::into).collect()),
            stages: input
                .education_stages
                .map(|stages| stages.into_iter().map(Into::into).collect()),
            contact_name: input.contact_name.into(),
            contact_role: input.contact_role.into(),
            contact_email: input.contact_email.into(),
            links: input.links.map(links),
            license: input.license.into(),
            source_url: input.source_url.into(),
            external_id: input.external_id.into(),
        }
    }
}

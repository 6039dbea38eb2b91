//! The content of a good practice and its checks, shared by the editors' mutations and the
//! partner sync: every problem is reported on the field it concerns.

use std::collections::BTreeSet;

use dkbm_entity::{EducationStage, TargetGroup, municipality};
use sea_orm::{ActiveEnum, ConnectionTrait, Iterable};

use super::references::References;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::ids::{MunicipalityId, TopicId};
use crate::messages::{Message, MessageKey};
use crate::text::analysis as search;
use crate::{markdown, text, validate};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 300;
/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 2_000;
/// Largest body, in bytes of UTF-8 (200 KB).
pub const MAX_BODY_BYTES: usize = 200 * 1024;
/// Most links.
pub const MAX_LINKS: usize = 20;
/// Most topics, municipalities, target groups or stages.
pub const MAX_RELATIONS: usize = 50;

/// A link of a practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// Contact details of a practice (public).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
}

/// Everything an editor or a sync job says about a practice.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// AGS of the municipalities.
    pub municipality_ags: Vec<String>,
    pub target_groups: Vec<TargetGroup>,
    pub stages: Vec<EducationStage>,
    pub contact: Contact,
    pub links: Vec<Link>,
    pub license: Option<String>,
    pub source_url: Option<String>,
}

/// Content that passed every check, with relations resolved and derived forms made.
#[derive(Debug, Clone)]
pub struct CheckedContent {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub body_html: String,
    pub plain_text: String,
    pub topic_ids: Vec<TopicId>,
    pub municipality_ids: Vec<MunicipalityId>,
    pub target_groups: Vec<TargetGroup>,
    pub stages: Vec<EducationStage>,
    pub contact: Contact,
    /// JSON of the links.
    pub links_json: String,
    pub license: Option<String>,
    pub source_url: Option<String>,
    /// The facet masks (see the entity).
    pub masks: Masks,
}

/// The facet masks of a practice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Masks {
    pub topics: i64,
    pub target_groups: i64,
    pub stages: i64,
    pub states: i64,
}

/// The mask of one bit (the facet columns of a practice are bit masks).
pub fn mask_bit(bit: u32) -> i64 {
    1i64.checked_shl(bit).unwrap_or(0)
}

/// The target groups a practice's facet mask holds, in display order (by their API name). The
/// mask is written with the practice's links in the same statement set (and the list filters
/// on it), so reading the groups from it costs no statement.
pub fn target_groups_of(mask: i64) -> Vec<TargetGroup> {
    of_mask(mask, TargetGroup::bit)
}

/// The education stages a practice's facet mask holds, in display order (by their API name).
pub fn stages_of(mask: i64) -> Vec<EducationStage> {
    of_mask(mask, EducationStage::bit)
}

/// The values of `T` whose bit `mask` has, ordered by their stored name.
fn of_mask<T: Iterable + ActiveEnum<Value = String> + Copy>(mask: i64, bit: fn(T) -> u32) -> Vec<T> {
    let mut values: Vec<T> = T::iter().filter(|value| mask & mask_bit(bit(*value)) != 0).collect();
    values.sort_by_cached_key(|value| value.to_value());
    values
}

/// The state mask of a set of municipalities.
pub fn state_mask(municipalities: &[municipality::Model]) -> i64 {
    municipalities.iter().fold(0, |mask, m| mask | mask_bit(m.state.bit()))
}

impl CheckedContent {
    /// The terms the full-text index stores: (title, summary, body).
    pub fn index_terms(&self) -> (String, String, String) {
        (
            search::indexed(&self.title),
            search::indexed(&self.summary),
            search::indexed(&markdown::to_plain_text(&self.body)),
        )
    }

    /// The title's terms padded for scoring (` term term `).
    pub fn title_terms(&self) -> String {
        format!(" {} ", search::indexed(&self.title))
    }

    /// The summary's terms padded for scoring.
    pub fn summary_terms(&self) -> String {
        format!(" {} ", search::indexed(&self.summary))
    }
}

pub(super) fn field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn check_license(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    let Some(license) = validate::optional_text(field, value, 64)? else {
        return Ok(None);
    };
    if !license
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
    {
        return Err(AppError::bad_input(field, MessageKey::LicenceNotSpdx));
    }
    Ok(Some(license))
}

pub(super) fn unique<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    items.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect()
}

/// Checks the plain fields (no database needed). `prefix` is the input's path (`input`, or
/// empty for a sync item whose errors are reported per item).
pub fn check_fields(prefix: &str, content: &Content) -> AppResult<()> {
    validate::one_line(&field(prefix, "title"), &content.title, MAX_TITLE)?;
    validate::required_text(&field(prefix, "summary"), &content.summary, MAX_SUMMARY)?;
    if content.body.len() > MAX_BODY_BYTES {
        return Err(AppError::bad_input(
            field(prefix, "body"),
            Message::new(MessageKey::BodyTooLarge)
                .with("bytes", content.body.len())
                .with("max", MAX_BODY_BYTES),
        ));
    }
    for (name, count) in [
        ("topics", content.topics.len()),
        ("municipalityAgs", content.municipality_ags.len()),
        ("targetGroups", content.target_groups.len()),
        ("educationStages", content.stages.len()),
    ] {
        if count > MAX_RELATIONS {
            return Err(AppError::bad_input(
                field(prefix, name),
                Message::new(MessageKey::AtMostEntries).with("max", MAX_RELATIONS),
            ));
        }
    }
    if content.links.len() > MAX_LINKS {
        return Err(AppError::bad_input(
            field(prefix, "links"),
            Message::new(MessageKey::AtMostLinks).with("max", MAX_LINKS),
        ));
    }
    for (index, link) in content.links.iter().enumerate() {
        validate::required_text(&field(prefix, &format!("links.{index}.label")), &link.label, 200)?;
        validate::optional_url(&field(prefix, &format!("links.{index}.url")), Some(&link.url))?.ok_or_else(|| {
            AppError::bad_input(field(prefix, &format!("links.{index}.url")), MessageKey::LinkNeedsUrl)
        })?;
    }
    validate::optional_text(&field(prefix, "contact.name"), content.contact.name.as_deref(), 200)?;
    validate::optional_text(&field(prefix, "contact.role"), content.contact.role.as_deref(), 200)?;
    if let Some(email) = content.contact.email.as_deref().filter(|e| !e.trim().is_empty()) {
        validate::email(&field(prefix, "contact.email"), email)?;
    }
    check_license(&field(prefix, "license"), content.license.as_deref())?;
    validate::optional_url(&field(prefix, "sourceUrl"), content.source_url.as_deref())?;
    Ok(())
}

/// Checks everything and resolves topics and municipalities.
pub async fn check(db: &impl ConnectionTrait, prefix: &str, content: &Content) -> AppResult<CheckedContent> {
    let references = References::load(db, &[content]).await?;
    check_with(&references, prefix, content)
}

/// Checks everything against loaded references.
pub fn check_with(references: &References, prefix: &str, content: &Content) -> AppResult<CheckedContent> {
    check_fields(prefix, content)?;
    let topic_slugs = unique(&content.topics.iter().map(|s| s.trim().to_owned()).collect::<Vec<_>>());
    let mut topics = Vec::with_capacity(topic_slugs.len());
    for slug in &topic_slugs {
        let topic = references.topics.get(slug).ok_or_else(|| {
            AppError::bad_input(
                field(prefix, "topics"),
                Message::new(MessageKey::NoSuchTopic).with("slug", slug),
            )
        })?;
        topics.push(topic.clone());
    }
    let municipalities = references.places(prefix, &content.municipality_ags)?;
    let contact = Contact {
        name: validate::optional_text("", content.contact.name.as_deref(), 200)?,
        role: validate::optional_text("", content.contact.role.as_deref(), 200)?,
        email: match content.contact.email.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(email) => Some(validate::email(&field(prefix, "contact.email"), email)?),
            None => None,
        },
    };
    let links: Vec<Link> = content
        .links
        .iter()
        .map(|link| Link {
            label: link.label.trim().to_owned(),
            url: link.url.trim().to_owned(),
        })
        .collect();
    let target_groups = unique(&content.target_groups);
    let stages = unique(&content.stages);
    let masks = Masks {
        topics: topics
            .iter()
            .fold(0, |mask, t| mask | mask_bit(u32::try_from(t.facet_bit).unwrap_or(63))),
        target_groups: target_groups.iter().fold(0, |mask, g| mask | mask_bit(g.bit())),
        stages: stages.iter().fold(0, |mask, s| mask | mask_bit(s.bit())),
        states: state_mask(&municipalities),
    };
    let body = content.body.clone();
    let summary = content.summary.trim().to_owned();
    let plain_text = format!("{summary} {}", markdown::to_plain_text(&body));
    Ok(CheckedContent {
        title: content.title.trim().to_owned(),
        body_html: markdown::to_safe_html(&body),
        plain_text,
        summary,
        body,
        topic_ids: topics.iter().map(|t| TopicId::from(t.id)).collect(),
        municipality_ids: municipalities.iter().map(|m| MunicipalityId::from(m.id)).collect(),
        target_groups,
        stages,
        contact,
        links_json: serde_json::to_string(&links).unwrap_or_else(|_| "[]".into()),
        license: check_license(&field(prefix, "license"), content.license.as_deref())?,
        source_url: validate::optional_url(&field(prefix, "sourceUrl"), content.source_url.as_deref())?,
        masks,
    })
}

/// A slug for a title: the slugified title, cut at a word boundary.
pub fn slug_for(title: &str) -> String {
    let slug = text::slugify(title);
    let mut cut = String::new();
    for word in slug.split('-') {
        if cut.len() + word.len() + 1 > 90 {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(word);
    }
    if cut.len() < 2 {
        format!("praxisbeispiel-{cut}").trim_end_matches('-').to_owned()
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_lists_its_values_by_name() {
        let groups = [
            TargetGroup::YoungPeople,
            TargetGroup::Administration,
            TargetGroup::Children,
        ];
        let mask = groups.iter().fold(0, |mask, g| mask | mask_bit(g.bit()));
        assert_eq!(
            target_groups_of(mask),
            [
                TargetGroup::Administration,
                TargetGroup::Children,
                TargetGroup::YoungPeople
            ]
        );
        assert_eq!(stages_of(0), []);
        let all = EducationStage::iter().fold(0, |mask, s| mask | mask_bit(s.bit()));
        let names: Vec<String> = stages_of(all).iter().map(ActiveEnum::to_value).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names.len(), EducationStage::iter().count());
        assert_eq!(names, sorted);
    }
}

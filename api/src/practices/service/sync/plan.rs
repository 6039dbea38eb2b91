//! The first pass of a push, without writing: what each item becomes (invalid, unchanged, to be
//! written or archived). Pure: it reads what the caller loaded (the stored hashes, the topics and
//! municipalities the items name), so it is tested without a database.

use std::collections::HashMap;

use dkbm_entity::PracticeStatus;
use sea_orm::ActiveEnum;
use serde::Serialize;

use super::SyncItem;
use super::report::{FieldError, SyncItemResult, SyncOutcome, SyncedPractice, item_errors, rejected};
use crate::error::AppResult;
use crate::ids::PracticeId;
use crate::practices::service::{CheckedContent, Content, References, check_with};
use crate::validate::{control_character, has_forbidden_control};

/// What tells whether an item changed a stored practice.
pub(super) struct Stored {
    pub(super) id: PracticeId,
    /// The stored version, the answer's `practice.version` when nothing changes.
    pub(super) version: i64,
    pub(super) content_hash: Option<String>,
    pub(super) status: PracticeStatus,
}

/// What the first pass decided for an item.
pub(super) enum Plan {
    Done(SyncItemResult),
    Write {
        item: SyncItem,
        hash: String,
        status: PracticeStatus,
        content: Box<CheckedContent>,
    },
    Delete {
        item: SyncItem,
    },
}

/// The item's content in a canonical form, for comparing with what is stored.
#[derive(Serialize)]
struct Normalised<'a> {
    title: &'a str,
    summary: &'a str,
    body: &'a str,
    topics: Vec<String>,
    municipality_ags: Vec<String>,
    target_groups: Vec<String>,
    stages: Vec<String>,
    contact: [Option<&'a str>; 3],
    links: Vec<(&'a str, &'a str)>,
    license: Option<&'a str>,
    source_url: Option<&'a str>,
    status: String,
    upstream_version: Option<&'a str>,
}

fn sorted_unique(values: &[String]) -> Vec<String> {
    let mut values: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
    values.sort();
    values.dedup();
    values
}

fn trimmed(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// SHA-256 of the normalised item.
pub(super) fn content_hash(item: &SyncItem, status: PracticeStatus) -> String {
    let mut groups: Vec<String> = item.target_groups.iter().map(ActiveEnum::to_value).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut stages: Vec<String> = item.stages.iter().map(ActiveEnum::to_value).collect();
    stages.sort_unstable();
    stages.dedup();
    let normalised = Normalised {
        title: item.title.as_deref().unwrap_or_default().trim(),
        summary: item.summary.as_deref().unwrap_or_default().trim(),
        body: item.body.as_deref().unwrap_or_default(),
        topics: sorted_unique(&item.topics),
        municipality_ags: sorted_unique(&item.municipality_ags),
        target_groups: groups,
        stages,
        contact: [
            trimmed(item.contact.name.as_ref()),
            trimmed(item.contact.role.as_ref()),
            trimmed(item.contact.email.as_ref()),
        ],
        links: item.links.iter().map(|l| (l.label.trim(), l.url.trim())).collect(),
        license: trimmed(item.license.as_ref()),
        source_url: trimmed(item.source_url.as_ref()),
        status: status.to_value(),
        upstream_version: trimmed(item.upstream_version.as_ref()),
    };
    let json = serde_json::to_vec(&normalised).unwrap_or_default();
    crate::text::sha256_hex(json, 32)
}

pub(super) fn content_of_item(item: &SyncItem) -> Content {
    Content {
        title: item.title.clone().unwrap_or_default(),
        summary: item.summary.clone().unwrap_or_default(),
        body: item.body.clone().unwrap_or_default(),
        topics: item.topics.clone(),
        municipality_ags: item.municipality_ags.clone(),
        target_groups: item.target_groups.clone(),
        stages: item.stages.clone(),
        contact: item.contact.clone(),
        links: item.links.clone(),
        license: item.license.clone(),
        source_url: item.source_url.clone(),
    }
}

/// What the batch says about itself: how often each external id occurs (an id sent twice cannot
/// say which version is meant).
pub(super) fn occurrences(items: &[SyncItem]) -> HashMap<String, usize> {
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    for item in items {
        *occurrences.entry(item.external_id.trim().to_owned()).or_default() += 1;
    }
    occurrences
}

/// The first text of an item with a forbidden control character (the rule of
/// `graphql/text_input.rs`, which leaves sync items to this check so that a bad item does not
/// stop the others), as the field to name.
pub(super) fn forbidden_text(item: &SyncItem) -> Option<String> {
    let one = |field: &str, value: Option<&String>| {
        value
            .is_some_and(|value| has_forbidden_control(value))
            .then(|| field.to_owned())
    };
    let many = |field: &str, values: &[String]| {
        values
            .iter()
            .position(|value| has_forbidden_control(value))
            .map(|index| format!("{field}.{index}"))
    };
    one("externalId", Some(&item.external_id))
        .or_else(|| one("title", item.title.as_ref()))
        .or_else(|| one("summary", item.summary.as_ref()))
        .or_else(|| one("body", item.body.as_ref()))
        .or_else(|| many("topics", &item.topics))
        .or_else(|| many("municipalityAgs", &item.municipality_ags))
        .or_else(|| one("contact.name", item.contact.name.as_ref()))
        .or_else(|| one("contact.role", item.contact.role.as_ref()))
        .or_else(|| one("contact.email", item.contact.email.as_ref()))
        .or_else(|| {
            item.links.iter().enumerate().find_map(|(index, link)| {
                one(&format!("links.{index}.label"), Some(&link.label))
                    .or_else(|| one(&format!("links.{index}.url"), Some(&link.url)))
            })
        })
        .or_else(|| one("license", item.license.as_ref()))
        .or_else(|| one("sourceUrl", item.source_url.as_ref()))
        .or_else(|| one("upstreamVersion", item.upstream_version.as_ref()))
}

/// The answer for an item with a forbidden control character in `field` (found by
/// [`forbidden_text`]).
pub(super) fn rejected_text(item: &SyncItem, field: &str) -> AppResult<Plan> {
    Ok(Plan::Done(item_errors(&item.external_id, control_character(field))?))
}

/// The status an item asks for: PUBLISHED unless it says otherwise.
pub(super) fn status_of(item: &SyncItem) -> PracticeStatus {
    item.status.unwrap_or(PracticeStatus::Published)
}

/// Whether the stored practice has the content with `hash` and `status` already.
fn is_current(stored: &Stored, hash: &str, status: PracticeStatus) -> bool {
    stored.content_hash.as_deref() == Some(hash) && stored.status == status
}

/// Whether an item (not deleted) whose content hashes to `hash` is as stored: then it needs no
/// check and no topics or municipalities looked up.
pub(super) fn is_unchanged(item: &SyncItem, hash: &str, stored: &HashMap<String, Stored>) -> bool {
    stored
        .get(item.external_id.trim())
        .is_some_and(|practice| is_current(practice, hash, status_of(item)))
}

/// What an item becomes, given what is stored under its external id (its texts passed
/// [`forbidden_text`]); `hash` is its content's hash when the caller has it already.
pub(super) fn plan_item(
    item: SyncItem,
    hash: Option<String>,
    occurrences: &HashMap<String, usize>,
    stored: &HashMap<String, Stored>,
    references: &References,
) -> AppResult<Plan> {
    let external_id = item.external_id.trim().to_owned();
    if external_id.is_empty() || external_id.chars().count() > 200 {
        let message = "an external id has 1 to 200 characters";
        return Ok(Plan::Done(rejected(&item.external_id, "externalId", message)));
    }
    if occurrences.get(&external_id).copied().unwrap_or(0) > 1 {
        let message = "this external id occurs more than once in the batch";
        return Ok(Plan::Done(rejected(&external_id, "externalId", message)));
    }
    let current = stored.get(&external_id);
    if item.deleted {
        return Ok(match current {
            Some(practice) if practice.status != PracticeStatus::Archived => Plan::Delete { item },
            _ => Plan::Done(unchanged(
                external_id,
                current.map(|practice| (practice.id, practice.version)),
            )),
        });
    }
    let status = status_of(&item);
    let hash = hash.unwrap_or_else(|| content_hash(&item, status));
    if let Some(practice) = current.filter(|practice| is_current(practice, &hash, status)) {
        return Ok(Plan::Done(unchanged(
            external_id,
            Some((practice.id, practice.version)),
        )));
    }
    let missing: Vec<FieldError> = [("title", &item.title), ("summary", &item.summary), ("body", &item.body)]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(field, _)| FieldError {
            field: field.into(),
            message: format!("{field} is required unless deleted is true"),
        })
        .collect();
    if !missing.is_empty() {
        return Ok(Plan::Done(SyncItemResult {
            external_id,
            outcome: SyncOutcome::Rejected,
            practice: None,
            errors: missing,
            warnings: Vec::new(),
        }));
    }
    Ok(match check_with(references, "", &content_of_item(&item)) {
        Ok(content) => Plan::Write {
            item,
            hash,
            status,
            content: Box::new(content),
        },
        Err(error) => Plan::Done(item_errors(&external_id, error)?),
    })
}

/// The answer for an item that changes nothing (the stored practice, if any, by id and version).
pub(super) fn unchanged(external_id: String, stored: Option<(PracticeId, i64)>) -> SyncItemResult {
    SyncItemResult {
        external_id,
        outcome: SyncOutcome::Unchanged,
        practice: stored.map(|(id, version)| SyncedPractice::Unchanged { id, version }),
        errors: Vec::new(),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practices::service::content::Link;

    #[test]
    fn the_hash_ignores_order_and_whitespace_but_not_content() {
        let item = SyncItem {
            external_id: "x".into(),
            title: Some(" Titel ".into()),
            summary: Some("S".into()),
            body: Some("B".into()),
            topics: vec!["b".into(), "a".into(), "a".into()],
            ..SyncItem::default()
        };
        let mut same = item.clone();
        same.title = Some("Titel".into());
        same.topics = vec!["a".into(), "b".into()];
        assert_eq!(
            content_hash(&item, PracticeStatus::Published),
            content_hash(&same, PracticeStatus::Published)
        );
        let mut other = item.clone();
        other.body = Some("B2".into());
        assert_ne!(
            content_hash(&item, PracticeStatus::Published),
            content_hash(&other, PracticeStatus::Published)
        );
        assert_ne!(
            content_hash(&item, PracticeStatus::Published),
            content_hash(&item, PracticeStatus::Draft)
        );
    }

    fn item(external_id: &str) -> SyncItem {
        SyncItem {
            external_id: external_id.into(),
            title: Some("Titel".into()),
            summary: Some("Zusammenfassung".into()),
            body: Some("Text".into()),
            ..SyncItem::default()
        }
    }

    fn stored(entries: &[(&str, PracticeStatus, Option<String>)]) -> HashMap<String, Stored> {
        entries
            .iter()
            .map(|(id, status, hash)| {
                let stored = Stored {
                    id: uuid::Uuid::nil().into(),
                    version: 1,
                    content_hash: hash.clone(),
                    status: *status,
                };
                ((*id).to_owned(), stored)
            })
            .collect()
    }

    fn plan_of(item: SyncItem, batch: &[SyncItem], stored: &HashMap<String, Stored>) -> Plan {
        plan_item(item, None, &occurrences(batch), stored, &References::default()).expect("a plan")
    }

    fn done(plan: Plan) -> SyncItemResult {
        match plan {
            Plan::Done(result) => result,
            Plan::Write { .. } => panic!("expected an answer without writing, got a write"),
            Plan::Delete { .. } => panic!("expected an answer without writing, got a delete"),
        }
    }

    #[test]
    fn an_item_without_a_usable_external_id_is_rejected_on_that_field() {
        for external_id in ["", "   ", &"x".repeat(201)] {
            let result = done(plan_of(item(external_id), &[], &HashMap::new()));
            assert_eq!(result.outcome, SyncOutcome::Rejected);
            assert_eq!(result.errors[0].field, "externalId");
        }
    }

    #[test]
    fn an_external_id_sent_twice_rejects_both() {
        let batch = [item("a"), item(" a ")];
        let result = done(plan_of(item("a"), &batch, &HashMap::new()));
        assert_eq!(result.outcome, SyncOutcome::Rejected);
        assert!(result.errors[0].message.contains("more than once"));
    }

    #[test]
    fn deleting_archives_what_is_stored_and_leaves_the_rest_unchanged() {
        let mut deleted = item("a");
        deleted.deleted = true;
        let published = stored(&[("a", PracticeStatus::Published, None)]);
        assert!(matches!(plan_of(deleted.clone(), &[], &published), Plan::Delete { .. }));
        let archived = stored(&[("a", PracticeStatus::Archived, None)]);
        let result = done(plan_of(deleted.clone(), &[], &archived));
        assert_eq!(result.outcome, SyncOutcome::Unchanged);
        assert!(matches!(result.practice, Some(SyncedPractice::Unchanged { .. })));
        let result = done(plan_of(deleted, &[], &HashMap::new()));
        assert_eq!(result.outcome, SyncOutcome::Unchanged);
        assert!(result.practice.is_none());
    }

    #[test]
    fn the_stored_hash_and_status_make_an_item_unchanged() {
        let hash = content_hash(&item("a"), PracticeStatus::Published);
        let same = stored(&[("a", PracticeStatus::Published, Some(hash.clone()))]);
        assert_eq!(done(plan_of(item("a"), &[], &same)).outcome, SyncOutcome::Unchanged);
        let drafted = stored(&[("a", PracticeStatus::Draft, Some(hash))]);
        assert!(matches!(plan_of(item("a"), &[], &drafted), Plan::Write { .. }));
    }

    #[test]
    fn missing_texts_are_named_each() {
        let mut incomplete = item("a");
        incomplete.title = None;
        incomplete.body = None;
        let result = done(plan_of(incomplete, &[], &HashMap::new()));
        assert_eq!(result.outcome, SyncOutcome::Rejected);
        let fields: Vec<&str> = result.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "body"]);
    }

    #[test]
    fn the_first_text_with_a_control_character_is_named() {
        assert_eq!(forbidden_text(&item("a")), None);
        let mut tabbed = item("a");
        tabbed.body = Some("Spalte\tSpalte\r\nZeile".into());
        assert_eq!(forbidden_text(&tabbed), None);
        let mut bad = item("a");
        bad.topics = vec!["ok".into(), "kaputt\u{0}".into()];
        bad.links = vec![Link {
            label: "Stadt".into(),
            url: "https://x.example/\u{1}".into(),
        }];
        assert_eq!(forbidden_text(&bad).as_deref(), Some("topics.1"));
        bad.topics.clear();
        assert_eq!(forbidden_text(&bad).as_deref(), Some("links.0.url"));
    }
}

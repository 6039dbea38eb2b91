//! The answer of a push in GraphQL: what became of each item, its errors and warnings, and the
//! counts per outcome.

use async_graphql::{Enum, Object, SimpleObject};

use super::SyncedGoodPractice;
use crate::practices::service;

/// What became of a sync item.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "service::SyncOutcome")]
pub enum SyncOutcome {
    /// A new practice was created.
    Created,
    /// The practice was changed.
    Updated,
    /// The practice already had this content (or was already deleted): nothing was written.
    Unchanged,
    /// The practice was archived; the change feed records a tombstone.
    Deleted,
    /// The item was not accepted (see `errors`); nothing of it was written.
    Rejected,
}

/// A problem with one field of an input.
#[derive(SimpleObject, Clone, Debug)]
pub struct FieldError {
    /// The field, as named in the input (e.g. `topics`, `externalId`).
    pub field: String,
    /// What is wrong, in words for the person fixing the data.
    pub message: String,
}

/// The answer for one sync item.
pub struct SyncItemResult(service::SyncItemResult);

/// The answer for one sync item.
#[Object]
impl SyncItemResult {
    /// The item's external id, as sent.
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }

    /// What became of the item.
    async fn outcome(&self) -> SyncOutcome {
        self.0.outcome.into()
    }

    /// The practice as stored now (null when rejected, or when a deleted item never existed).
    /// For an unchanged item, `id` and `version` come from the push's own lookup; other fields
    /// load the stored practices, all of a batch in one statement.
    async fn practice(&self) -> Option<SyncedGoodPractice> {
        self.0.practice.clone().map(SyncedGoodPractice)
    }

    /// Why the item was rejected, per field (empty otherwise).
    async fn errors(&self) -> Vec<FieldError> {
        field_errors(&self.0.errors)
    }

    /// Remarks on an accepted item, per field (empty otherwise): e.g. an AGS that was retired
    /// (merged, split, renamed, rekeyed) and linked to its successor instead.
    async fn warnings(&self) -> Vec<FieldError> {
        field_errors(&self.0.warnings)
    }
}

fn field_errors(errors: &[service::FieldError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|error| FieldError {
            field: error.field.clone(),
            message: error.message.clone(),
        })
        .collect()
}

/// The answer for a sync batch: every item in the order sent, and the counts per outcome.
pub struct SyncReport(pub service::SyncReport);

/// The answer for a sync batch: every item in the order sent, and the counts per outcome.
#[Object]
impl SyncReport {
    /// Every item, in the order sent.
    async fn items(&self) -> Vec<SyncItemResult> {
        self.0.items.iter().cloned().map(SyncItemResult).collect()
    }

    /// How many practices were created.
    async fn created(&self) -> usize {
        self.0.count(service::SyncOutcome::Created)
    }

    /// How many practices were changed.
    async fn updated(&self) -> usize {
        self.0.count(service::SyncOutcome::Updated)
    }

    /// How many items were already as sent.
    async fn unchanged(&self) -> usize {
        self.0.count(service::SyncOutcome::Unchanged)
    }

    /// How many practices were archived.
    async fn deleted(&self) -> usize {
        self.0.count(service::SyncOutcome::Deleted)
    }

    /// How many items were rejected.
    async fn rejected(&self) -> usize {
        self.0.count(service::SyncOutcome::Rejected)
    }
}

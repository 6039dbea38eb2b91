//! The answer of a push: what became of each item, in the order sent.

use dkbm_entity::good_practice;

use crate::error::{AppError, AppResult};
use crate::ids::PracticeId;

/// What became of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncOutcome {
    Created,
    Updated,
    Unchanged,
    Deleted,
    Rejected,
}

/// A problem with one field of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The answer for one item.
#[derive(Debug, Clone)]
pub struct SyncItemResult {
    pub external_id: String,
    pub outcome: SyncOutcome,
    /// The practice (none when rejected, or when a deleted item never existed).
    pub practice: Option<SyncedPractice>,
    pub errors: Vec<FieldError>,
    /// Remarks on an accepted item (a retired AGS linked to its successor).
    pub warnings: Vec<FieldError>,
}

/// The practice of an item: as written, or (unchanged, so not loaded) by its id and version.
#[derive(Debug, Clone)]
pub enum SyncedPractice {
    Written(std::sync::Arc<crate::db::rows::Shaped<good_practice::Model>>),
    Unchanged { id: PracticeId, version: i64 },
}

/// The answer for a batch, item by item in the order sent.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub items: Vec<SyncItemResult>,
}

impl SyncReport {
    pub fn count(&self, outcome: SyncOutcome) -> usize {
        self.items.iter().filter(|item| item.outcome == outcome).count()
    }
}

/// An item rejected for one field.
pub(super) fn rejected(external_id: &str, field: &str, message: impl Into<String>) -> SyncItemResult {
    SyncItemResult {
        external_id: external_id.to_owned(),
        outcome: SyncOutcome::Rejected,
        practice: None,
        errors: vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }],
        warnings: Vec::new(),
    }
}

/// The errors of an item whose check failed (BAD_USER_INPUT and CONFLICT; anything else
/// fails the whole batch).
pub(super) fn item_errors(external_id: &str, error: AppError) -> AppResult<SyncItemResult> {
    match error {
        AppError::BadUserInput { field, message } => Ok(rejected(external_id, &field, message.to_string())),
        AppError::Conflict { message, field, .. } => Ok(rejected(
            external_id,
            field.as_deref().unwrap_or("externalId"),
            message.to_string(),
        )),
        other => Err(other),
    }
}

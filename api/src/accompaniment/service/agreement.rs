//! Changing an agreement: administrators its title, summary and signing date; the agency's
//! staff its status; everyone inside the accompaniment its request and next review. At the
//! expected version, with the change in the timeline.

use chrono::NaiveDate;
use dkbm_entity::{AgreementAction, AgreementStatus, agreement};
use sea_orm::{ActiveEnum, ActiveModelTrait, ActiveValue::Set};

use super::timeline::record;
use crate::auth::{Viewer, ensure_admin, ensure_signed_in};
use crate::db::{UnitOfWork, Versioned, Writer, now};
use crate::directory::service::{AgreementDraft, Involvement, check_agreement, involvement};
use crate::error::{AppError, AppResult};
use crate::ids::AgreementId;
use crate::messages::MessageKey;
use crate::patch::Patch;
use crate::validate;

/// The longest request (Anliegen), in characters.
pub const MAX_REQUEST: usize = 20_000;

/// Changes to an agreement: `None` leaves a field; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct AgreementChanges {
    pub title: Option<String>,
    pub summary: Option<Option<String>>,
    pub signed_on: Option<Option<NaiveDate>>,
    pub status: Option<AgreementStatus>,
    pub request: Option<Option<String>>,
    pub next_review_on: Option<Option<NaiveDate>>,
    pub expected_version: Option<i64>,
}

impl AgreementChanges {
    fn touches_record(&self) -> bool {
        self.title.is_some() || self.summary.is_some() || self.signed_on.is_some()
    }

    fn touches_process(&self) -> bool {
        self.request.is_some() || self.next_review_on.is_some()
    }

    fn is_empty(&self) -> bool {
        !self.touches_record() && !self.touches_process() && self.status.is_none()
    }
}

impl Versioned for agreement::Entity {
    const NOUN: MessageKey = MessageKey::NounAgreement;
    const NOT_FOUND: MessageKey = MessageKey::NoSuchAgreement;

    fn id_column() -> agreement::Column {
        agreement::Column::Id
    }

    fn version_of(model: &agreement::Model) -> i64 {
        model.version
    }
}

/// Who may change what: the record is the administrators', the status the agency's.
fn authorize(viewer: &Viewer, who: Involvement, changes: &AgreementChanges) -> AppResult<()> {
    if changes.touches_record() {
        ensure_admin(viewer)?;
    }
    if changes.status.is_some() && !who.sets_status() {
        return Err(AppError::forbidden(MessageKey::NeedsAccompanyingAgency));
    }
    if (changes.touches_process() || changes.status.is_some()) && !who.inside() {
        return Err(AppError::forbidden(MessageKey::NeedsAccompaniment));
    }
    Ok(())
}

/// What changed, in the API's words, for the timeline.
fn changed_fields(changes: &AgreementChanges) -> Vec<&'static str> {
    [
        ("title", changes.title.is_some()),
        ("summary", changes.summary.is_some()),
        ("signedOn", changes.signed_on.is_some()),
        ("request", changes.request.is_some()),
        ("nextReviewOn", changes.next_review_on.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

/// Applies the changes to the row: the record checked as a whole, the request checked.
fn apply(current: &agreement::Model, changes: &AgreementChanges) -> AppResult<agreement::ActiveModel> {
    let mut draft = AgreementDraft {
        title: current.title.clone(),
        summary: current.summary.clone(),
        signed_on: current.signed_on,
    };
    changes.title.clone().apply_to(&mut draft.title);
    changes.summary.clone().apply_to(&mut draft.summary);
    changes.signed_on.apply_to(&mut draft.signed_on);
    let draft = check_agreement(draft)?;
    let mut model: agreement::ActiveModel = current.clone().into();
    model.title = Set(draft.title);
    model.summary = Set(draft.summary);
    model.signed_on = Set(draft.signed_on);
    if let Some(request) = &changes.request {
        model.request = Set(validate::optional_text(
            "input.request",
            request.as_deref(),
            MAX_REQUEST,
        )?);
    }
    if let Some(next) = changes.next_review_on {
        model.next_review_on = Set(next);
    }
    if let Some(status) = changes.status {
        model.status = Set(status);
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(now());
    Ok(model)
}

/// Changes an agreement at the expected version (CONFLICT naming the current one otherwise).
pub async fn update_agreement(
    writer: &Writer,
    viewer: &Viewer,
    id: AgreementId,
    changes: AgreementChanges,
) -> AppResult<agreement::Model> {
    ensure_signed_in(viewer)?;
    let work = UnitOfWork::begin(writer).await?;
    let current = work
        .expect_version::<agreement::Entity>(id.into(), changes.expected_version, |agreement| {
            authorize(viewer, involvement(viewer, agreement), &changes)
        })
        .await?;
    if changes.is_empty() {
        // Nothing to change: the version stays.
        return Ok(current);
    }
    let model = apply(&current, &changes)?.update(&work).await?;
    let fields = changed_fields(&changes);
    if !fields.is_empty() {
        record(&work, id, viewer, AgreementAction::Updated, Some(fields.join(", "))).await?;
    }
    if model.status != current.status {
        let status = model.status.to_value();
        record(&work, id, viewer, AgreementAction::StatusChanged, Some(status)).await?;
    }
    work.commit().await?;
    Ok(model)
}

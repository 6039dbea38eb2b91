//! Agreements: Zielvereinbarungen (agency ↔ municipality) and Kooperationsvereinbarungen
//! (agency ↔ municipality or agency ↔ agency).

use chrono::NaiveDate;
use dkbm_entity::{AgreementKind, agreement};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{require_agency, require_municipality};
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, now};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::validate;

/// A new agreement. The agency is always a party; the other party is a municipality or
/// (for a cooperation agreement) another agency.
#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub kind: AgreementKind,
    pub title: String,
    pub summary: Option<String>,
    pub agency_slug: String,
    pub municipality_ags: Option<String>,
    pub partner_agency_slug: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

/// Changes to an agreement: `None` leaves a field; `Some(None)` clears it. The parties are
/// what the agreement is; to change them, record a new agreement.
#[derive(Debug, Clone, Default)]
pub struct AgreementChanges {
    pub title: Option<String>,
    pub summary: Option<Option<String>>,
    pub signed_on: Option<Option<NaiveDate>>,
}

/// An agreement by id.
pub async fn agreement_by_id(db: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<agreement::Model>> {
    Ok(agreement::Entity::find_by_id(id).one(db).await?)
}

/// Records an agreement (administrators only).
pub async fn create_agreement(state: &AppState, viewer: &Viewer, input: NewAgreement) -> AppResult<agreement::Model> {
    ensure_admin(viewer)?;
    let title = validate::required_text("input.title", &input.title, 300)?;
    let summary = validate::optional_text("input.summary", input.summary.as_deref(), 10_000)?;
    let municipality_ags = input
        .municipality_ags
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let partner_slug = input
        .partner_agency_slug
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (input.kind, municipality_ags, partner_slug) {
        (AgreementKind::TargetAgreement, None, _) => {
            return Err(AppError::bad_input(
                "input.municipalityAgs",
                "a target agreement (Zielvereinbarung) is between an agency and a municipality: give municipalityAgs",
            ));
        }
        (AgreementKind::TargetAgreement, Some(_), Some(_)) => {
            return Err(AppError::bad_input(
                "input.partnerAgencySlug",
                "a target agreement (Zielvereinbarung) has no partner agency",
            ));
        }
        (AgreementKind::CooperationAgreement, None, None) | (AgreementKind::CooperationAgreement, Some(_), Some(_)) => {
            return Err(AppError::bad_input(
                "input.partnerAgencySlug",
                "a cooperation agreement has exactly one other party: give municipalityAgs or partnerAgencySlug",
            ));
        }
        _ => {}
    }

    let work = UnitOfWork::begin(state).await?;
    let agency = require_agency(&work, "input.agencySlug", &input.agency_slug).await?;
    let municipality = match municipality_ags {
        Some(ags) => Some(require_municipality(&work, "input.municipalityAgs", ags).await?),
        None => None,
    };
    let partner = match partner_slug {
        Some(slug) => Some(require_agency(&work, "input.partnerAgencySlug", slug).await?),
        None => None,
    };
    if partner.as_ref().is_some_and(|partner| partner.id == agency.id) {
        return Err(AppError::bad_input(
            "input.partnerAgencySlug",
            "an agency cannot sign an agreement with itself",
        ));
    }
    let mut duplicate = agreement::Entity::find()
        .filter(agreement::Column::Kind.eq(input.kind))
        .filter(agreement::Column::AgencyId.eq(agency.id));
    duplicate = match (&municipality, &partner) {
        (Some(municipality), _) => duplicate.filter(agreement::Column::MunicipalityId.eq(municipality.id)),
        (_, Some(partner)) => duplicate.filter(agreement::Column::PartnerAgencyId.eq(partner.id)),
        (None, None) => duplicate,
    };
    if duplicate.one(&work).await?.is_some() {
        return Err(AppError::conflict(
            "input",
            "an agreement of this kind between these parties exists already",
        ));
    }
    let at = now();
    let model = agreement::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(input.kind),
        title: Set(title),
        summary: Set(summary),
        agency_id: Set(agency.id),
        municipality_id: Set(municipality.map(|m| m.id)),
        partner_agency_id: Set(partner.map(|p| p.id)),
        signed_on: Set(input.signed_on),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(&work)
    .await
    .map_err(|e| {
        AppError::from_unique_violation(
            e,
            "input",
            "an agreement of this kind between these parties exists already",
        )
    })?;
    work.commit().await?;
    Ok(model)
}

/// Changes an agreement's title, summary or date (administrators only).
pub async fn update_agreement(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: AgreementChanges,
) -> AppResult<agreement::Model> {
    ensure_admin(viewer)?;
    let work = UnitOfWork::begin(state).await?;
    let current = agreement_by_id(&work, id)
        .await?
        .ok_or_else(|| AppError::not_found("no such agreement"))?;
    let mut model: agreement::ActiveModel = current.into();
    if let Some(title) = &changes.title {
        model.title = Set(validate::required_text("input.title", title, 300)?);
    }
    if let Some(summary) = &changes.summary {
        model.summary = Set(validate::optional_text("input.summary", summary.as_deref(), 10_000)?);
    }
    if let Some(signed_on) = changes.signed_on {
        model.signed_on = Set(signed_on);
    }
    model.updated_at = Set(now());
    let model = model.update(&work).await?;
    work.commit().await?;
    Ok(model)
}

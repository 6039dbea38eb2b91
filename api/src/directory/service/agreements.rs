//! Agreements: Zielvereinbarungen (agency ↔ municipality) and Kooperationsvereinbarungen
//! (agency ↔ municipality or agency ↔ agency).

use chrono::NaiveDate;
use dkbm_entity::{AgreementKind, AgreementStatus, agency, agreement, municipality};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{require_agency, require_municipality};
use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, AgreementId, MunicipalityId};
use crate::messages::MessageKey;
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

/// What an agreement says: what recording one checks, and what an update loads, changes and
/// checks again. Kind and parties are not in it: they are what the agreement is.
#[derive(Debug, Clone)]
pub struct AgreementDraft {
    pub title: String,
    pub summary: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

/// The parties as a new agreement names them: the agency by slug, the other party by AGS or
/// slug (trimmed; empty is not given).
struct PartyNames {
    agency_slug: String,
    municipality_ags: Option<String>,
    partner_agency_slug: Option<String>,
}

/// The parties of a new agreement, found.
struct Parties {
    agency: agency::Model,
    municipality: Option<municipality::Model>,
    partner: Option<agency::Model>,
}

impl NewAgreement {
    /// The kind, the named parties, and the draft.
    fn split(self) -> (AgreementKind, PartyNames, AgreementDraft) {
        let given = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let parties = PartyNames {
            agency_slug: self.agency_slug,
            municipality_ags: given(self.municipality_ags),
            partner_agency_slug: given(self.partner_agency_slug),
        };
        let draft = AgreementDraft {
            title: self.title,
            summary: self.summary,
            signed_on: self.signed_on,
        };
        (self.kind, parties, draft)
    }
}

/// Checks a draft as a whole and cleans it.
pub fn check_agreement(draft: AgreementDraft) -> AppResult<AgreementDraft> {
    Ok(AgreementDraft {
        title: validate::required_text("input.title", &draft.title, 300)?,
        summary: validate::optional_text("input.summary", draft.summary.as_deref(), 10_000)?,
        signed_on: draft.signed_on,
    })
}

/// Checks that the other party fits the kind: a target agreement binds a municipality, a
/// cooperation agreement exactly one municipality or partner agency.
fn check_other_party(kind: AgreementKind, parties: &PartyNames) -> AppResult<()> {
    match (kind, &parties.municipality_ags, &parties.partner_agency_slug) {
        (AgreementKind::TargetAgreement, None, _) => Err(AppError::bad_input(
            "input.municipalityAgs",
            MessageKey::TargetAgreementNeedsMunicipality,
        )),
        (AgreementKind::TargetAgreement, Some(_), Some(_)) => Err(AppError::bad_input(
            "input.partnerAgencySlug",
            MessageKey::TargetAgreementHasNoPartner,
        )),
        (AgreementKind::CooperationAgreement, None, None) | (AgreementKind::CooperationAgreement, Some(_), Some(_)) => {
            Err(AppError::bad_input(
                "input.partnerAgencySlug",
                MessageKey::CooperationNeedsOneParty,
            ))
        }
        _ => Ok(()),
    }
}

/// Finds the named parties; BAD_USER_INPUT on the field of one that does not exist, or when the
/// agency would sign with itself.
async fn resolve_parties(db: &impl ConnectionTrait, names: &PartyNames) -> AppResult<Parties> {
    let agency = require_agency(db, "input.agencySlug", &names.agency_slug).await?;
    let municipality = match &names.municipality_ags {
        Some(ags) => Some(require_municipality(db, "input.municipalityAgs", ags).await?),
        None => None,
    };
    let partner = match &names.partner_agency_slug {
        Some(slug) => Some(require_agency(db, "input.partnerAgencySlug", slug).await?),
        None => None,
    };
    if partner.as_ref().is_some_and(|partner| partner.id == agency.id) {
        return Err(AppError::bad_input(
            "input.partnerAgencySlug",
            MessageKey::AgreementWithItself,
        ));
    }
    Ok(Parties {
        agency,
        municipality,
        partner,
    })
}

const DUPLICATE: MessageKey = MessageKey::AgreementExists;

/// CONFLICT if the parties have an agreement of this kind already.
async fn ensure_no_duplicate(db: &impl ConnectionTrait, kind: AgreementKind, parties: &Parties) -> AppResult<()> {
    let mut duplicate = agreement::Entity::find()
        .filter(agreement::Column::Kind.eq(kind))
        .filter(agreement::Column::AgencyId.eq(parties.agency.id));
    duplicate = match (&parties.municipality, &parties.partner) {
        (Some(municipality), _) => duplicate.filter(agreement::Column::MunicipalityId.eq(municipality.id)),
        (_, Some(partner)) => duplicate.filter(agreement::Column::PartnerAgencyId.eq(partner.id)),
        (None, None) => duplicate,
    };
    if duplicate.one(db).await?.is_some() {
        return Err(AppError::conflict("input", DUPLICATE));
    }
    Ok(())
}

/// Sets the row's columns from a checked draft.
fn set_columns(model: &mut agreement::ActiveModel, draft: AgreementDraft) {
    model.title = Set(draft.title);
    model.summary = Set(draft.summary);
    model.signed_on = Set(draft.signed_on);
}

/// Inserts a checked agreement between found parties.
async fn insert_agreement(
    db: &impl ConnectionTrait,
    kind: AgreementKind,
    parties: Parties,
    draft: AgreementDraft,
) -> AppResult<agreement::Model> {
    let at = now();
    let mut model = agreement::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind),
        agency_id: Set(parties.agency.id),
        municipality_id: Set(parties.municipality.map(|m| m.id)),
        partner_agency_id: Set(parties.partner.map(|p| p.id)),
        // Signed agreements are under way; unsigned ones are planned.
        status: Set(if draft.signed_on.is_some() {
            AgreementStatus::Active
        } else {
            AgreementStatus::Planned
        }),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    set_columns(&mut model, draft);
    model
        .insert(db)
        .await
        .map_err(|e| AppError::from_unique_violation(e, "input", DUPLICATE))
}

/// Who a viewer is to an agreement's accompaniment: outside it, the municipality's staff
/// (MUNICIPAL_STAFF for its municipality party), the accompanying agency's staff (its EDITORs
/// and AGENCY_ADMINs; not its API clients: a sync job has no business in a confidential
/// workspace), or a platform administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Involvement {
    Outside,
    Municipality,
    Agency,
    Admin,
}

impl Involvement {
    /// Sees and changes the accompaniment (goals, activities, reviews, the request).
    pub fn inside(self) -> bool {
        self != Involvement::Outside
    }

    /// Sets the agreement's status: the agency's staff and administrators.
    pub fn sets_status(self) -> bool {
        matches!(self, Involvement::Agency | Involvement::Admin)
    }
}

/// The viewer's involvement in the agreement's accompaniment.
pub fn involvement(viewer: &Viewer, agreement: &agreement::Model) -> Involvement {
    if viewer.is_admin() {
        return Involvement::Admin;
    }
    let Some(member) = viewer.member() else {
        return Involvement::Outside;
    };
    if member.is_staff_of_agency(agreement.agency_id) {
        return Involvement::Agency;
    }
    match agreement.municipality_id {
        Some(municipality) if member.is_staff_of(municipality) => Involvement::Municipality,
        _ => Involvement::Outside,
    }
}

/// An agreement by id.
pub async fn agreement_by_id(db: &impl ConnectionTrait, id: AgreementId) -> AppResult<Option<agreement::Model>> {
    Ok(agreement::Entity::find_by_id(id).one(db).await?)
}

/// Records an agreement (administrators only).
pub async fn create_agreement(writer: &Writer, viewer: &Viewer, input: NewAgreement) -> AppResult<agreement::Model> {
    ensure_admin(viewer)?;
    let (kind, names, draft) = input.split();
    let draft = check_agreement(draft)?;
    check_other_party(kind, &names)?;

    let work = UnitOfWork::begin(writer).await?;
    let parties = resolve_parties(&work, &names).await?;
    ensure_no_duplicate(&work, kind, &parties).await?;
    let model = insert_agreement(&work, kind, parties, draft).await?;
    work.commit().await?;
    Ok(model)
}

/// The municipalities these agencies accompany (a target agreement with each), by agency: one
/// statement.
pub async fn accompanied_by(
    db: &impl ConnectionTrait,
    agencies: &[AgencyId],
) -> Result<Vec<(AgencyId, MunicipalityId)>, sea_orm::DbErr> {
    use agreement::Column;
    if agencies.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid, Uuid)> = agreement::Entity::find()
        .select_only()
        .column(Column::AgencyId)
        .column(Column::MunicipalityId)
        .filter(Column::AgencyId.is_in(agencies.iter().copied()))
        .filter(Column::Kind.eq(AgreementKind::TargetAgreement))
        .filter(Column::MunicipalityId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(a, m)| (a.into(), m.into())).collect())
}

/// Whether one of these agencies accompanies the municipality (a target agreement with it).
pub async fn accompanies(
    db: &impl ConnectionTrait,
    agencies: &[AgencyId],
    municipality: MunicipalityId,
) -> Result<bool, sea_orm::DbErr> {
    use agreement::Column;
    if agencies.is_empty() {
        return Ok(false);
    }
    let found = agreement::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::AgencyId.is_in(agencies.iter().copied()))
        .filter(Column::Kind.eq(AgreementKind::TargetAgreement))
        .filter(Column::MunicipalityId.eq(municipality))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}

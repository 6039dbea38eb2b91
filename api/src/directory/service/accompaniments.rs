//! Overviews: an agency's accompaniments for its staff, and a member's own (the municipalities
//! they work for, the agencies whose staff they are). Everyone else gets an empty list.

use dkbm_entity::{AgreementKind, AgreementStatus, Role, State, agreement, municipality};
use sea_orm::sea_query::{NullOrdering, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder};

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::ids::{AgencyId, MemberId};

/// Which accompaniments of an agency to show.
#[derive(Debug, Clone, Default)]
pub struct AccompanimentFilter {
    pub status: Option<AgreementStatus>,
    /// The municipality's Land.
    pub state: Option<State>,
}

/// Target agreements matching `condition` (and the filter), the next review first.
async fn target_agreements(
    db: &impl ConnectionTrait,
    condition: Condition,
    filter: &AccompanimentFilter,
) -> AppResult<Vec<agreement::Model>> {
    let mut select = agreement::Entity::find()
        .filter(agreement::Column::Kind.eq(AgreementKind::TargetAgreement))
        .filter(agreement::Column::MunicipalityId.is_not_null())
        .filter(condition);
    if let Some(status) = filter.status {
        select = select.filter(agreement::Column::Status.eq(status));
    }
    if let Some(state) = filter.state {
        let in_state = Query::select()
            .column(municipality::Column::Id)
            .from(municipality::Entity)
            .and_where(municipality::Column::State.eq(state))
            .to_owned();
        select = select.filter(agreement::Column::MunicipalityId.in_subquery(in_state));
    }
    Ok(select
        .order_by_with_nulls(agreement::Column::NextReviewOn, Order::Asc, NullOrdering::Last)
        .order_by_asc(agreement::Column::Id)
        .all(db)
        .await?)
}

/// The agency's accompaniments (its target agreements), for its EDITORs and AGENCY_ADMINs
/// and administrators.
pub async fn accompaniments_of_agency(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    agency: AgencyId,
    filter: &AccompanimentFilter,
) -> AppResult<Vec<agreement::Model>> {
    let staff = viewer.is_admin()
        || viewer
            .member()
            .is_some_and(|member| member.is_staff_of_agency(agency.into()));
    if !staff {
        return Ok(Vec::new());
    }
    target_agreements(db, Condition::all().add(agreement::Column::AgencyId.eq(agency)), filter).await
}

/// The accompaniments the signed-in member takes part in (only they see their list).
pub async fn accompaniments_of_member(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    member: MemberId,
) -> AppResult<Vec<agreement::Model>> {
    let Some(me) = viewer.member().filter(|me| MemberId::from(me.id) == member) else {
        return Ok(Vec::new());
    };
    let agencies: Vec<_> = me
        .grants
        .iter()
        .filter(|grant| matches!(grant.role, Role::Editor | Role::AgencyAdmin))
        .filter_map(|grant| grant.agency_id)
        .collect();
    let municipalities = me.staff_municipalities();
    if agencies.is_empty() && municipalities.is_empty() {
        return Ok(Vec::new());
    }
    let condition = Condition::any()
        .add(agreement::Column::AgencyId.is_in(agencies))
        .add(agreement::Column::MunicipalityId.is_in(municipalities));
    target_agreements(db, condition, &AccompanimentFilter::default()).await
}

//! Reminders before a review: every instance looks regularly (the periodic round, shortly after
//! the start and then every `--maintenance-secs`) for accompaniments whose next review is within
//! `--review-reminder-days` and was not yet reminded of, and mails both sides in one unit of
//! work that also records the date they were reminded of. An advisory lock lets one instance do
//! it at a time, so each date is reminded once with any number of instances; a review moved to
//! another date reminds again.

use std::collections::HashMap;

use dkbm_entity::{AgreementStatus, Role, agency, agreement, member, member_role, municipality};
use minijinja::context;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::ids::{AgreementId, global};
use crate::mail::{Mail, Recipient};

/// The advisory lock of the reminder round.
const REMINDER_LOCK: i64 = 0x5245_5649_4557;
/// Agreements one round reminds of at most (the next round takes the rest).
const ROUND: u64 = 200;

/// Everyone inside the accompaniments of `due`: the agencies' EDITORs and AGENCY_ADMINs and the
/// municipalities' MUNICIPAL_STAFF, by agreement (one statement for the grants, one for members).
async fn recipients(work: &UnitOfWork, due: &[agreement::Model]) -> AppResult<HashMap<Uuid, Vec<member::Model>>> {
    let agencies: Vec<Uuid> = due.iter().map(|a| a.agency_id).collect();
    let municipalities: Vec<Uuid> = due.iter().filter_map(|a| a.municipality_id).collect();
    let grants = member_role::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(member_role::Column::Role.is_in([Role::Editor, Role::AgencyAdmin]))
                        .add(member_role::Column::AgencyId.is_in(agencies)),
                )
                .add(
                    Condition::all()
                        .add(member_role::Column::Role.eq(Role::MunicipalStaff))
                        .add(member_role::Column::MunicipalityId.is_in(municipalities)),
                ),
        )
        .all(work)
        .await?;
    let members: HashMap<Uuid, member::Model> = member::Entity::find()
        .filter(member::Column::Id.is_in(grants.iter().map(|g| g.member_id)))
        .all(work)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut by_agreement = HashMap::new();
    for agreement in due {
        let mut inside: Vec<member::Model> = grants
            .iter()
            .filter(|g| {
                g.agency_id == Some(agreement.agency_id)
                    || (g.municipality_id.is_some() && g.municipality_id == agreement.municipality_id)
            })
            .filter_map(|g| members.get(&g.member_id).cloned())
            .collect();
        inside.sort_by_key(|m| m.id);
        inside.dedup_by_key(|m| m.id);
        by_agreement.insert(agreement.id, inside);
    }
    Ok(by_agreement)
}

/// Queues the reminders of the reviews due within `days` days (`--review-reminder-days`);
/// returns how many agreements it reminded of.
pub async fn queue_review_reminders(writer: &Writer, days: u32) -> AppResult<usize> {
    let today = now().date_naive();
    let until = today + chrono::Duration::days(i64::from(days));
    let work = UnitOfWork::begin(writer).await?;
    work.advisory(REMINDER_LOCK).await?;
    let not_yet_reminded = Condition::any()
        .add(agreement::Column::RemindedFor.is_null())
        .add(Expr::col(agreement::Column::RemindedFor).ne(Expr::col(agreement::Column::NextReviewOn)));
    let due = agreement::Entity::find()
        .filter(agreement::Column::NextReviewOn.gte(today))
        .filter(agreement::Column::NextReviewOn.lte(until))
        .filter(agreement::Column::Status.ne(AgreementStatus::Concluded))
        .filter(not_yet_reminded)
        .limit(ROUND)
        .all(&work)
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let people = recipients(&work, &due).await?;
    let agencies: HashMap<Uuid, agency::Model> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(due.iter().map(|a| a.agency_id)))
        .all(&work)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let places: HashMap<Uuid, municipality::Model> = municipality::Entity::find()
        .filter(municipality::Column::Id.is_in(due.iter().filter_map(|a| a.municipality_id)))
        .all(&work)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mailer = work.mailer()?;
    for agreement in &due {
        let Some(on) = agreement.next_review_on else { continue };
        let report = mailer.link(&format!(
            "/agreements/{}/report.html",
            global(AgreementId::from(agreement.id))
        ));
        let context = context! {
            agreement => &agreement.title,
            agency => agencies.get(&agreement.agency_id).map(|a| a.name.clone()),
            municipality => agreement.municipality_id.and_then(|id| places.get(&id)).map(|m| m.name.clone()),
            date => on.format("%d.%m.%Y").to_string(),
            days => (on - today).num_days(),
            link => report,
        };
        for person in people.get(&agreement.id).into_iter().flatten() {
            work.send(Mail::new(
                "agreement_review_reminder",
                Recipient::member(person),
                context.clone(),
            ))?;
        }
    }
    agreement::Entity::update_many()
        .col_expr(
            agreement::Column::RemindedFor,
            Expr::col(agreement::Column::NextReviewOn),
        )
        .filter(agreement::Column::Id.is_in(due.iter().map(|a| a.id)))
        .exec(&work)
        .await?;
    work.commit().await?;
    Ok(due.len())
}

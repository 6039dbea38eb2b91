//! From lessons to good practices: a DRAFT practice of the accompanying agency, prefilled from
//! the agreement's request, the chosen goals and the last review's reflection, with the
//! municipality and the goals' topics set, for the editors to rewrite and publish.

use std::fmt::Write as _;

use dkbm_entity::{
    AgreementAction, PracticeStatus, ReviewStatus, agency, agreement, agreement_goal, agreement_review, municipality,
    topic,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::access::visible_agreement;
use super::timeline::record;
use crate::auth::Viewer;
use crate::db::{UnitOfWork, Writer};
use crate::directory::service::Involvement;
use crate::error::{AppError, AppResult};
use crate::ids::{AgreementId, GoalId};
use crate::messages::{Message, MessageKey};
use crate::practices::service::{Content, MAX_SUMMARY, MAX_TITLE, NewPractice, create_practice};

/// What the draft is made of.
struct Sources {
    agreement: agreement::Model,
    agency: agency::Model,
    municipality: municipality::Model,
    goals: Vec<agreement_goal::Model>,
    topics: Vec<String>,
    reflection: Option<String>,
}

/// The first `max` characters of `text`.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Reads what the draft is made of: the chosen goals must be the agreement's.
async fn sources(db: &impl ConnectionTrait, agreement: agreement::Model, goal_ids: &[GoalId]) -> AppResult<Sources> {
    let agency = agency::Entity::find_by_id(agreement.agency_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchAgreement))?;
    let municipality = match agreement.municipality_id {
        Some(id) => municipality::Entity::find_by_id(id).one(db).await?,
        None => None,
    }
    .ok_or_else(|| AppError::bad_input("agreementId", MessageKey::NoMunicipalityParty))?;
    let goals = agreement_goal::Entity::find()
        .filter(agreement_goal::Column::AgreementId.eq(agreement.id))
        .filter(agreement_goal::Column::Id.is_in(goal_ids.iter().copied()))
        .order_by_asc(agreement_goal::Column::Position)
        .all(db)
        .await?;
    if let Some(index) = goal_ids
        .iter()
        .position(|id| !goals.iter().any(|g| GoalId::from(g.id) == *id))
    {
        let field = format!("goalIds[{index}]");
        return Err(AppError::bad_input(
            field.clone(),
            Message::new(MessageKey::GoalNotOfAgreement).with("field", field),
        ));
    }
    let topic_ids: Vec<_> = goals.iter().filter_map(|goal| goal.topic_id).collect();
    let mut topics: Vec<String> = topic::Entity::find()
        .filter(topic::Column::Id.is_in(topic_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|topic| topic.slug)
        .collect();
    topics.sort();
    topics.dedup();
    let reflection = agreement_review::Entity::find()
        .filter(agreement_review::Column::AgreementId.eq(agreement.id))
        .filter(agreement_review::Column::Status.eq(ReviewStatus::Submitted))
        .order_by_desc(agreement_review::Column::HeldOn)
        .order_by_desc(agreement_review::Column::Id)
        .one(db)
        .await?
        .map(|review| review.reflection);
    Ok(Sources {
        agreement,
        agency,
        municipality,
        goals,
        topics,
        reflection,
    })
}

/// The practice's content, in German (the accompaniment's language).
fn content(sources: &Sources) -> Content {
    let mut body = String::new();
    if let Some(request) = &sources.agreement.request {
        let _ = write!(body, "## Anliegen\n\n{request}\n\n");
    }
    if !sources.goals.is_empty() {
        body.push_str("## Ziele\n\n");
        for goal in &sources.goals {
            let _ = write!(body, "- **{}**", goal.title);
            if let Some(description) = &goal.description {
                let _ = write!(body, ": {}", description.replace('\n', " "));
            }
            body.push('\n');
        }
        body.push('\n');
    }
    if let Some(reflection) = &sources.reflection {
        let _ = write!(body, "## Reflexion\n\n{reflection}\n");
    }
    let summary = sources
        .agreement
        .request
        .as_deref()
        .or(sources.agreement.summary.as_deref())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| format!("Erfahrungen aus der Begleitung von {}.", sources.municipality.name));
    Content {
        title: cut(
            &format!("{} – {}", sources.agreement.title, sources.municipality.name),
            MAX_TITLE,
        ),
        summary: cut(&summary, MAX_SUMMARY),
        body,
        topics: sources.topics.clone(),
        municipality_ags: vec![sources.municipality.ags.clone()],
        ..Content::default()
    }
}

/// Drafts a practice of the accompanying agency from the agreement (its staff and
/// administrators; the municipality's staff do not write for the agency).
pub async fn draft_practice(
    writer: &Writer,
    viewer: &Viewer,
    agreement_id: AgreementId,
    goal_ids: &[GoalId],
) -> AppResult<dkbm_entity::good_practice::Model> {
    crate::auth::ensure_signed_in(viewer)?;
    let (agreement, involvement) = match visible_agreement(writer.conn(), viewer, agreement_id).await? {
        Some(found) => found,
        None if agreement::Entity::find_by_id(agreement_id)
            .one(writer.conn())
            .await?
            .is_some() =>
        {
            return Err(AppError::forbidden(MessageKey::NeedsAccompaniment));
        }
        None => return Err(AppError::not_found(MessageKey::NoSuchAgreement)),
    };
    if !matches!(involvement, Involvement::Agency | Involvement::Admin) {
        return Err(AppError::forbidden(MessageKey::NeedsAccompanyingAgency));
    }
    let sources = sources(writer.conn(), agreement, goal_ids).await?;
    let input = NewPractice {
        agency_slug: sources.agency.slug.clone(),
        slug: None,
        status: PracticeStatus::Draft,
        external_id: None,
        content: content(&sources),
    };
    let practice = create_practice(writer, viewer, input).await?;
    let work = UnitOfWork::begin(writer).await?;
    record(
        &work,
        agreement_id,
        viewer,
        AgreementAction::PracticeDrafted,
        Some(practice.title.clone()),
    )
    .await?;
    work.commit().await?;
    Ok(practice)
}

//! DataLoaders of accompaniments: an agreement's goals, activities and reviews, a review's
//! assessments, an activity's goals and participants (each one statement per batch).

use async_graphql::dataloader::DataLoader;
use dkbm_entity::{
    agreement_activity, agreement_activity_goal, agreement_activity_participant, agreement_goal, agreement_review,
    agreement_review_goal,
};
use sea_orm::Order;

use crate::error::AppResult;
use crate::ids::{ActivityId, AgreementId, GoalId, MemberId, ReviewId, TypedId};
use crate::loader::{AreaLoaders, ById, GroupedBy, LoaderSource};

/// The accompaniment area's loaders for one request.
pub struct AccompanimentLoaders {
    goal: DataLoader<ById<agreement_goal::Entity>>,
    goals: DataLoader<GroupedBy<agreement_goal::Entity>>,
    activities: DataLoader<GroupedBy<agreement_activity::Entity>>,
    reviews: DataLoader<GroupedBy<agreement_review::Entity>>,
    assessments: DataLoader<GroupedBy<agreement_review_goal::Entity>>,
    activity_goals: DataLoader<GroupedBy<agreement_activity_goal::Entity>>,
    participants: DataLoader<GroupedBy<agreement_activity_participant::Entity>>,
}

impl AreaLoaders for AccompanimentLoaders {
    fn new(source: &LoaderSource) -> Self {
        let (db, gate) = (&source.db, &source.gate);
        AccompanimentLoaders {
            goal: gate.loader(ById::new(db.clone())),
            goals: gate.loader(GroupedBy::new(
                db.clone(),
                agreement_goal::Column::AgreementId,
                vec![(agreement_goal::Column::Position, Order::Asc)],
            )),
            activities: gate.loader(GroupedBy::new(
                db.clone(),
                agreement_activity::Column::AgreementId,
                vec![
                    (agreement_activity::Column::OccurredOn, Order::Desc),
                    (agreement_activity::Column::Id, Order::Desc),
                ],
            )),
            reviews: gate.loader(GroupedBy::new(
                db.clone(),
                agreement_review::Column::AgreementId,
                vec![
                    (agreement_review::Column::Status, Order::Asc),
                    (agreement_review::Column::HeldOn, Order::Desc),
                    (agreement_review::Column::Id, Order::Desc),
                ],
            )),
            assessments: gate.loader(GroupedBy::new(
                db.clone(),
                agreement_review_goal::Column::ReviewId,
                Vec::new(),
            )),
            activity_goals: gate.loader(GroupedBy::new(
                db.clone(),
                agreement_activity_goal::Column::ActivityId,
                Vec::new(),
            )),
            participants: gate.loader(GroupedBy::new(
                db.clone(),
                agreement_activity_participant::Column::ActivityId,
                Vec::new(),
            )),
        }
    }
}

impl AccompanimentLoaders {
    /// A goal by id (the caller checks the viewer may see its agreement).
    pub async fn goal(&self, id: GoalId) -> AppResult<Option<agreement_goal::Model>> {
        Ok(self.goal.load_one(id.uuid()).await?)
    }

    /// An agreement's goals in the order they were added.
    pub async fn goals(&self, agreement: AgreementId) -> AppResult<Vec<agreement_goal::Model>> {
        Ok(self.goals.load_one(agreement.uuid()).await?.unwrap_or_default())
    }

    /// An agreement's activities, newest first.
    pub async fn activities(&self, agreement: AgreementId) -> AppResult<Vec<agreement_activity::Model>> {
        Ok(self.activities.load_one(agreement.uuid()).await?.unwrap_or_default())
    }

    /// An agreement's reviews: the draft first (DRAFT sorts before SUBMITTED), then newest first.
    pub async fn reviews(&self, agreement: AgreementId) -> AppResult<Vec<agreement_review::Model>> {
        Ok(self.reviews.load_one(agreement.uuid()).await?.unwrap_or_default())
    }

    /// A review's assessments of goals.
    pub async fn assessments(&self, review: ReviewId) -> AppResult<Vec<agreement_review_goal::Model>> {
        Ok(self.assessments.load_one(review.uuid()).await?.unwrap_or_default())
    }

    /// The goals an activity worked towards.
    pub async fn activity_goals(&self, activity: ActivityId) -> AppResult<Vec<GoalId>> {
        let rows = self.activity_goals.load_one(activity.uuid()).await?.unwrap_or_default();
        Ok(rows.into_iter().map(|row| GoalId::from(row.goal_id)).collect())
    }

    /// The members who took part in an activity.
    pub async fn participants(&self, activity: ActivityId) -> AppResult<Vec<MemberId>> {
        let rows = self.participants.load_one(activity.uuid()).await?.unwrap_or_default();
        Ok(rows.into_iter().map(|row| MemberId::from(row.member_id)).collect())
    }
}

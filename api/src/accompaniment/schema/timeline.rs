//! The timeline of an accompaniment in GraphQL.

use async_graphql::{Context, Enum, Object};
use chrono::{DateTime, Utc};
use dkbm_entity::agreement_entry;

use crate::graphql::{ContextExt, connection_type};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::Member;

/// What an entry of the timeline records.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "dkbm_entity::AgreementAction")]
pub enum AgreementAction {
    /// The agreement's fields changed (`subject` names them).
    Updated,
    /// The status changed (`subject` is the new one).
    StatusChanged,
    /// A goal was added (`subject`: its title).
    GoalAdded,
    /// A goal was changed (`subject`: its title).
    GoalUpdated,
    /// A goal was dropped (`subject`: its title and the reason).
    GoalDropped,
    /// An activity was recorded (`subject`: its title).
    ActivityRecorded,
    /// The review draft was saved.
    ReviewDrafted,
    /// A review was submitted.
    ReviewSubmitted,
    /// A good practice was drafted from the accompaniment (`subject`: its title).
    PracticeDrafted,
}

/// An entry of an accompaniment's timeline: who did what, and when.
#[derive(Clone)]
pub struct AgreementTimelineEntry(pub agreement_entry::Model);

impl From<agreement_entry::Model> for AgreementTimelineEntry {
    fn from(model: agreement_entry::Model) -> Self {
        AgreementTimelineEntry(model)
    }
}

/// An entry of an accompaniment's timeline: who did what, and when.
#[Object]
impl AgreementTimelineEntry {
    /// What happened.
    async fn action(&self) -> AgreementAction {
        self.0.action.into()
    }

    /// What it concerned, in words.
    async fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }

    /// Who (null: a deleted member, or the operator).
    async fn by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Member>> {
        let Some(id) = self.0.member_id else { return Ok(None) };
        Ok(ctx
            .loaders::<MemberLoaders>()?
            .member(id.into())
            .await?
            .map(Member::from))
    }

    /// When.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

connection_type!(
    AgreementTimelineConnection,
    AgreementTimelineEdge,
    AgreementTimelineEntry,
    agreement_entry::Model,
    "A page of an accompaniment's timeline, newest first.",
    "An entry of an accompaniment's timeline with its cursor."
);

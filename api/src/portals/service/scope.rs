//! The conditions a portal adds to the shared lists: its scope and the items it hides. Each is
//! a condition on the list's own table with subqueries on indexed link tables, so a list read
//! through a portal is still one statement per page.

use dkbm_entity::{
    forum, forum_thread, good_practice, good_practice_topic, portal_hidden, training_event, training_event_topic,
};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};

use super::model::PortalView;
use crate::ids::{PortalId, TopicId, TypedId, uuids};

/// `SELECT item_id FROM portal_hidden WHERE portal_id = ?` (its primary key's prefix).
fn hidden_ids(portal_id: PortalId) -> SelectStatement {
    Query::select()
        .column(portal_hidden::Column::ItemId)
        .from(portal_hidden::Entity)
        .and_where(Expr::col(portal_hidden::Column::PortalId).eq(portal_id.uuid()))
        .to_owned()
}

fn with_topics(
    table: impl sea_orm::Iden + 'static,
    item: impl sea_orm::Iden + 'static,
    topic: impl sea_orm::Iden + 'static,
    topic_ids: &[TopicId],
) -> SelectStatement {
    Query::select()
        .column(item)
        .from(table)
        .and_where(Expr::col(topic).is_in(uuids(topic_ids.iter().copied())))
        .to_owned()
}

/// Practices inside the portal's scope and not hidden in it.
pub fn practice_condition(view: &PortalView) -> Condition {
    let scope = &view.scope;
    let mut condition = Condition::all().add(good_practice::Column::Id.not_in_subquery(hidden_ids(view.id())));
    if !scope.states.is_empty() {
        let mask = scope
            .states
            .iter()
            .fold(0i64, |mask, state| mask | (1i64 << state.bit()));
        condition = condition.add(Expr::col(good_practice::Column::StateMask).bit_and(mask).ne(0));
    }
    if !scope.topic_ids.is_empty() {
        condition = condition.add(good_practice::Column::Id.in_subquery(with_topics(
            good_practice_topic::Entity,
            good_practice_topic::Column::PracticeId,
            good_practice_topic::Column::TopicId,
            &scope.topic_ids,
        )));
    }
    if !scope.agency_ids.is_empty() {
        condition = condition.add(good_practice::Column::OwnerAgencyId.is_in(scope.agency_ids.clone()));
    }
    condition
}

/// Events inside the portal's scope (topics, organisers, formats) and not hidden in it.
pub fn event_condition(view: &PortalView) -> Condition {
    let scope = &view.scope;
    let mut condition = Condition::all().add(training_event::Column::Id.not_in_subquery(hidden_ids(view.id())));
    if !scope.topic_ids.is_empty() {
        condition = condition.add(training_event::Column::Id.in_subquery(with_topics(
            training_event_topic::Entity,
            training_event_topic::Column::EventId,
            training_event_topic::Column::TopicId,
            &scope.topic_ids,
        )));
    }
    if !scope.agency_ids.is_empty() {
        condition = condition.add(training_event::Column::OrganizerAgencyId.is_in(scope.agency_ids.clone()));
    }
    if !scope.formats.is_empty() {
        condition = condition.add(training_event::Column::Format.is_in(scope.formats.clone()));
    }
    condition
}

/// Forums inside the portal's scope and not hidden in it.
pub fn forum_condition(view: &PortalView) -> Condition {
    let mut condition = Condition::all().add(forum::Column::Id.not_in_subquery(hidden_ids(view.id())));
    if !view.scope.forum_ids.is_empty() {
        condition = condition.add(forum::Column::Id.is_in(view.scope.forum_ids.clone()));
    }
    condition
}

/// Threads of forums inside the portal's scope and not hidden in it (the root search's part).
pub fn thread_condition(view: &PortalView) -> Condition {
    let mut condition = Condition::all().add(forum_thread::Column::ForumId.not_in_subquery(hidden_ids(view.id())));
    if !view.scope.forum_ids.is_empty() {
        condition = condition.add(forum_thread::Column::ForumId.is_in(view.scope.forum_ids.clone()));
    }
    condition
}

//! A practice's relations (topics, municipalities, target groups, stages) and its search index,
//! written with the row, and the masks kept on the row for fast facet filters (and from which a
//! practice's target groups and stages are read back).

use dkbm_entity::{
    good_practice, good_practice_municipality, good_practice_stage, good_practice_target_group, good_practice_topic,
    municipality, topic,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use super::content::{CheckedContent, Contact, Content, stages_of, target_groups_of};
use crate::db::fulltext::{self, Document};
use crate::error::AppResult;
use crate::ids::{PracticeId, TypedId};

/// The content a stored practice has now (to apply partial changes to).
pub async fn content_of(db: &impl ConnectionTrait, practice: &good_practice::Model) -> AppResult<Content> {
    let topics: Vec<String> = topic::Entity::find()
        .select_only()
        .column(topic::Column::Slug)
        .join_rev(sea_orm::JoinType::InnerJoin, good_practice_topic_relation())
        .filter(good_practice_topic::Column::PracticeId.eq(practice.id))
        .into_tuple()
        .all(db)
        .await?;
    let municipality_ags: Vec<String> = municipality::Entity::find()
        .select_only()
        .column(municipality::Column::Ags)
        .join_rev(sea_orm::JoinType::InnerJoin, good_practice_municipality_relation())
        .filter(good_practice_municipality::Column::PracticeId.eq(practice.id))
        .into_tuple()
        .all(db)
        .await?;
    let target_groups = target_groups_of(practice.target_group_mask);
    let stages = stages_of(practice.stage_mask);
    Ok(Content {
        title: practice.title.clone(),
        summary: practice.summary.clone(),
        body: practice.body.clone(),
        topics,
        municipality_ags,
        target_groups,
        stages,
        contact: Contact {
            name: practice.contact_name.clone(),
            role: practice.contact_role.clone(),
            email: practice.contact_email.clone(),
        },
        links: serde_json::from_str(&practice.links).unwrap_or_default(),
        license: practice.license.clone(),
        source_url: practice.source_url.clone(),
    })
}

/// A practice's topic links, joined to the topics they name.
pub(super) fn good_practice_topic_relation() -> sea_orm::RelationDef {
    good_practice_topic::Entity::belongs_to(topic::Entity)
        .from(good_practice_topic::Column::TopicId)
        .to(topic::Column::Id)
        .into()
}

/// A practice's municipality links, joined to the municipalities they name.
pub(super) fn good_practice_municipality_relation() -> sea_orm::RelationDef {
    good_practice_municipality::Entity::belongs_to(municipality::Entity)
        .from(good_practice_municipality::Column::MunicipalityId)
        .to(municipality::Column::Id)
        .into()
}

/// Whose relations and index entry are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A practice inserted in this transaction: nothing to replace.
    New,
    /// A stored practice: its relations and index entry are replaced.
    Stored,
}

/// Writes (or replaces) the practice's relations and its index entry.
pub async fn write_relations_and_index(
    db: &impl ConnectionTrait,
    practice: &good_practice::Model,
    content: &CheckedContent,
    written: Written,
) -> AppResult<()> {
    if written == Written::Stored {
        remove_relations(db, practice.id.into()).await?;
        fulltext::remove(db, practice.number).await?;
    }
    let practices = [(practice, content)];
    insert_relations(db, &practices).await?;
    let mut terms = index_terms(&practices);
    if written == Written::Stored {
        // A stored practice may have files: their text stays in its index entry.
        let attached = super::attached::attached_text(db, practice.id.into()).await?;
        for (_, _, body) in &mut terms {
            *body = super::attached::body_terms(std::mem::take(body), &attached);
        }
    }
    fulltext::index(db, &documents(&practices, &terms)).await?;
    Ok(())
}

/// Inserts rows, at most 1,000 per statement (SQLite allows 32,766 parameters).
async fn insert_rows<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> AppResult<()>
where
    A: ActiveModelTrait + Clone + Send,
{
    for chunk in rows.chunks(1_000) {
        A::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The rows of one relation table for practices: `make(practice id, value)` for every value
/// `values` lists in a practice's content.
fn relation_rows<T: Copy, A>(
    practices: &[(&good_practice::Model, &CheckedContent)],
    values: impl Fn(&CheckedContent) -> &[T],
    make: impl Fn(PracticeId, T) -> A,
) -> Vec<A> {
    practices
        .iter()
        .flat_map(|(practice, content)| values(content).iter().map(|value| make(practice.id.into(), *value)))
        .collect()
}

/// Inserts the relations of new (or just cleared) practices: one statement per relation
/// table, whatever their number.
pub(super) async fn insert_relations(
    db: &impl ConnectionTrait,
    practices: &[(&good_practice::Model, &CheckedContent)],
) -> AppResult<()> {
    let topics = relation_rows(
        practices,
        |c| &c.topic_ids,
        |practice_id, topic_id| good_practice_topic::ActiveModel {
            practice_id: Set(practice_id.uuid()),
            topic_id: Set(topic_id.uuid()),
        },
    );
    let municipalities = relation_rows(
        practices,
        |c| &c.municipality_ids,
        |practice_id, municipality_id| good_practice_municipality::ActiveModel {
            practice_id: Set(practice_id.uuid()),
            municipality_id: Set(municipality_id.uuid()),
        },
    );
    let groups = relation_rows(
        practices,
        |c| &c.target_groups,
        |practice_id, target_group| good_practice_target_group::ActiveModel {
            practice_id: Set(practice_id.uuid()),
            target_group: Set(target_group),
        },
    );
    let stages = relation_rows(
        practices,
        |c| &c.stages,
        |practice_id, stage| good_practice_stage::ActiveModel {
            practice_id: Set(practice_id.uuid()),
            stage: Set(stage),
        },
    );
    insert_rows(db, topics).await?;
    insert_rows(db, municipalities).await?;
    insert_rows(db, groups).await?;
    insert_rows(db, stages).await
}

/// The index terms (title, summary, body) of practices' contents.
pub(super) fn index_terms(practices: &[(&good_practice::Model, &CheckedContent)]) -> Vec<(String, String, String)> {
    practices.iter().map(|(_, content)| content.index_terms()).collect()
}

/// The index documents of practices, from their [`index_terms`].
pub(super) fn documents<'a>(
    practices: &[(&good_practice::Model, &CheckedContent)],
    terms: &'a [(String, String, String)],
) -> Vec<Document<'a>> {
    practices
        .iter()
        .zip(terms)
        .map(|((practice, _), (title, summary, body))| Document {
            id: practice.id,
            number: practice.number,
            title,
            summary,
            body,
        })
        .collect()
}

async fn remove_relations(db: &impl ConnectionTrait, id: PracticeId) -> AppResult<()> {
    good_practice_topic::Entity::delete_many()
        .filter(good_practice_topic::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    good_practice_municipality::Entity::delete_many()
        .filter(good_practice_municipality::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    good_practice_target_group::Entity::delete_many()
        .filter(good_practice_target_group::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    good_practice_stage::Entity::delete_many()
        .filter(good_practice_stage::Column::PracticeId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

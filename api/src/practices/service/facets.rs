//! Facet counts for a filter panel: how many practices of a filter fall on each topic, state,
//! agency, target group and stage, counted in one statement over the rows' bit masks.

use std::collections::HashMap;

use dkbm_entity::{EducationStage, State, TargetGroup, good_practice, topic};
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseConnection, EntityTrait, Iterable, QuerySelect};
use uuid::Uuid;

use super::read::{PracticeFilter, filtered};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::ids::{AgencyId, TopicId};

/// Facet counts: how many practices of a filter fall on each value.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub total: i64,
    pub topics: Vec<(TopicId, i64)>,
    pub states: Vec<(State, i64)>,
    pub agencies: Vec<(AgencyId, i64)>,
    pub target_groups: Vec<(TargetGroup, i64)>,
    pub stages: Vec<(EducationStage, i64)>,
}

pub(super) fn sorted<K: Ord>(counts: impl IntoIterator<Item = (K, i64)>) -> Vec<(K, i64)> {
    let mut counts: Vec<(K, i64)> = counts.into_iter().filter(|(_, count)| *count > 0).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// Adds `count` to every key whose bit is set in `mask`.
fn add_bits<K: Copy + Eq + std::hash::Hash>(counts: &mut HashMap<K, i64>, mask: i64, keys: &[(u32, K)], count: i64) {
    for (bit, key) in keys {
        if mask & (1i64 << bit) != 0 {
            *counts.entry(*key).or_default() += count;
        }
    }
}

/// Facet counts for a filter: per topic, state, agency, target group and stage.
///
/// One statement: the filtered practices grouped by owner and facet masks (an index holds
/// both, see the migration), which leaves a few hundred groups whatever the number of
/// practices; the bits are counted here.
pub async fn facets(db: &DatabaseConnection, viewer: &Viewer, filter: &PracticeFilter) -> AppResult<Facets> {
    let (select, _, _) = filtered(db, viewer, filter).await?;
    let columns = [
        good_practice::Column::OwnerAgencyId,
        good_practice::Column::TopicMask,
        good_practice::Column::TargetGroupMask,
        good_practice::Column::StageMask,
        good_practice::Column::StateMask,
    ];
    let mut grouped = select.select_only();
    for column in columns {
        grouped = grouped.column(column).group_by(column);
    }
    let rows: Vec<(Uuid, i64, i64, i64, i64, i64)> = grouped
        .column_as(Expr::cust("COUNT(*)"), "n")
        .into_tuple()
        .all(db)
        .await?;

    let topics = topic::Entity::find().all(db).await?;
    let topic_bits: Vec<(u32, TopicId)> = topics
        .iter()
        .map(|t| (u32::try_from(t.facet_bit).unwrap_or(63), t.id.into()))
        .collect();
    let group_bits: Vec<(u32, TargetGroup)> = TargetGroup::iter().map(|g| (g.bit(), g)).collect();
    let stage_bits: Vec<(u32, EducationStage)> = EducationStage::iter().map(|s| (s.bit(), s)).collect();
    let state_bits: Vec<(u32, State)> = State::iter().map(|s| (s.bit(), s)).collect();

    let mut facets = Facets::default();
    let (mut by_topic, mut by_group, mut by_stage, mut by_state) =
        (HashMap::new(), HashMap::new(), HashMap::new(), HashMap::new());
    let mut by_agency: HashMap<AgencyId, i64> = HashMap::new();
    for (agency, topics, groups, stages, states, count) in rows {
        facets.total += count;
        *by_agency.entry(agency.into()).or_default() += count;
        add_bits(&mut by_topic, topics, &topic_bits, count);
        add_bits(&mut by_group, groups, &group_bits, count);
        add_bits(&mut by_stage, stages, &stage_bits, count);
        add_bits(&mut by_state, states, &state_bits, count);
    }
    facets.topics = sorted(by_topic);
    facets.agencies = sorted(by_agency);
    facets.target_groups = sorted(by_group);
    facets.stages = sorted(by_stage);
    facets.states = sorted(by_state);
    Ok(facets)
}

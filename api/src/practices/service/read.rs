//! Finding good practices: the filtered, ordered, keyset-paginated list (with German full-text
//! search), single practices, and facet counts for a filter. Everyone sees published practices;
//! drafts and archived ones only the owner agency's editors and administrators.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dkbm_entity::{
    EducationStage, PracticeStatus, State, TargetGroup, good_practice, good_practice_municipality, good_practice_stage,
    good_practice_target_group, good_practice_topic, municipality, topic,
};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable, QueryFilter, QuerySelect, Select,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::db::fulltext;
use crate::directory::service::{require_agency, require_municipality};
use crate::error::{AppError, AppResult};
use crate::pagination::{Direction, Key, KeyKind, Keyset, Page, PageArgs, TotalCount};
use crate::search::{self, SearchQuery};
use crate::validate;

/// How several topics in a filter combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TopicMatch {
    /// Practices with at least one of the topics.
    #[default]
    Any,
    /// Practices with every one of the topics.
    All,
}

/// Filters of the practice list; all given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct PracticeFilter {
    pub search: Option<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    pub topic_match: TopicMatch,
    pub municipality_ags: Option<String>,
    pub state: Option<State>,
    /// Agency slug.
    pub agency: Option<String>,
    /// Practices for any of these target groups.
    pub target_groups: Vec<TargetGroup>,
    /// Practices in any of these stages.
    pub stages: Vec<EducationStage>,
    /// Empty: published only.
    pub statuses: Vec<PracticeStatus>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// Orderings of the practice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeOrderField {
    /// Best matches first (only with a search).
    Relevance,
    /// When published (drafts: when created).
    PublishedAt,
    Title,
    UpdatedAt,
}

/// A page of practices, with the search it answered (for snippets).
pub struct PracticePage {
    pub page: Page<good_practice::Model>,
    pub query: Option<SearchQuery>,
}

/// Facet counts: how many practices of a filter fall on each value.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub total: i64,
    pub topics: Vec<(Uuid, i64)>,
    pub states: Vec<(State, i64)>,
    pub agencies: Vec<(Uuid, i64)>,
    pub target_groups: Vec<(TargetGroup, i64)>,
    pub stages: Vec<(EducationStage, i64)>,
}

/// Whether the viewer may see the practice.
pub fn visible(viewer: &Viewer, practice: &good_practice::Model) -> bool {
    practice.status == PracticeStatus::Published || viewer.can_edit_for_agency(practice.owner_agency_id)
}

fn visibility(viewer: &Viewer) -> Option<Condition> {
    if viewer.is_admin() {
        return None;
    }
    let mut condition = Condition::any().add(good_practice::Column::Status.eq(PracticeStatus::Published));
    let agencies = viewer.editable_agencies();
    if !agencies.is_empty() {
        condition = condition.add(good_practice::Column::OwnerAgencyId.is_in(agencies));
    }
    Some(condition)
}

fn practices_with(
    table: impl sea_orm::Iden + 'static,
    practice_column: impl sea_orm::Iden + 'static,
    condition: Condition,
) -> SelectStatement {
    Query::select()
        .column(practice_column)
        .from(table)
        .cond_where(condition)
        .to_owned()
}

/// The filtered select (visibility included) and the parsed search, shared by list and facets.
async fn filtered(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &PracticeFilter,
) -> AppResult<(Select<good_practice::Entity>, Option<(SearchQuery, Expr)>)> {
    let mut select = good_practice::Entity::find();
    if let Some(condition) = visibility(viewer) {
        select = select.filter(condition);
    }
    let statuses = if filter.statuses.is_empty() {
        vec![PracticeStatus::Published]
    } else {
        filter.statuses.clone()
    };
    select = select.filter(good_practice::Column::Status.is_in(statuses));

    if !filter.topics.is_empty() {
        let slugs: Vec<String> = filter.topics.iter().map(|s| s.trim().to_owned()).collect();
        let topics = topic::Entity::find()
            .filter(topic::Column::Slug.is_in(slugs.clone()))
            .all(db)
            .await?;
        if let Some(missing) = slugs.iter().find(|slug| !topics.iter().any(|t| &&t.slug == slug)) {
            return Err(AppError::bad_input(
                "filter.topics",
                format!("there is no topic \"{missing}\""),
            ));
        }
        let ids: Vec<Uuid> = topics.iter().map(|t| t.id).collect();
        let by_topic = |condition| {
            good_practice::Column::Id.in_subquery(practices_with(
                good_practice_topic::Entity,
                good_practice_topic::Column::PracticeId,
                condition,
            ))
        };
        match filter.topic_match {
            TopicMatch::Any => {
                select = select.filter(by_topic(
                    Condition::all().add(good_practice_topic::Column::TopicId.is_in(ids)),
                ))
            }
            TopicMatch::All => {
                for id in ids {
                    select = select.filter(by_topic(
                        Condition::all().add(good_practice_topic::Column::TopicId.eq(id)),
                    ));
                }
            }
        }
    }
    if let Some(ags) = &filter.municipality_ags {
        let municipality = require_municipality(db, "filter.municipalityAgs", ags).await?;
        select = select.filter(good_practice::Column::Id.in_subquery(practices_with(
            good_practice_municipality::Entity,
            good_practice_municipality::Column::PracticeId,
            Condition::all().add(good_practice_municipality::Column::MunicipalityId.eq(municipality.id)),
        )));
    }
    if let Some(state) = filter.state {
        let in_state = Query::select()
            .column((
                good_practice_municipality::Entity,
                good_practice_municipality::Column::PracticeId,
            ))
            .from(good_practice_municipality::Entity)
            .inner_join(
                municipality::Entity,
                Expr::col((municipality::Entity, municipality::Column::Id)).equals((
                    good_practice_municipality::Entity,
                    good_practice_municipality::Column::MunicipalityId,
                )),
            )
            .and_where(Expr::col((municipality::Entity, municipality::Column::State)).eq(state))
            .to_owned();
        select = select.filter(good_practice::Column::Id.in_subquery(in_state));
    }
    if let Some(slug) = &filter.agency {
        let agency = require_agency(db, "filter.agency", slug).await?;
        select = select.filter(good_practice::Column::OwnerAgencyId.eq(agency.id));
    }
    if !filter.target_groups.is_empty() {
        select = select.filter(good_practice::Column::Id.in_subquery(practices_with(
            good_practice_target_group::Entity,
            good_practice_target_group::Column::PracticeId,
            Condition::all().add(good_practice_target_group::Column::TargetGroup.is_in(filter.target_groups.clone())),
        )));
    }
    if !filter.stages.is_empty() {
        select = select.filter(good_practice::Column::Id.in_subquery(practices_with(
            good_practice_stage::Entity,
            good_practice_stage::Column::PracticeId,
            Condition::all().add(good_practice_stage::Column::Stage.is_in(filter.stages.clone())),
        )));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(good_practice::Column::UpdatedAt.gte(since));
    }
    let mut search = None;
    if let Some(text) = &filter.search {
        validate::max_chars("filter.search", text, 500)?;
        let query = SearchQuery::parse(text);
        if !query.is_empty() {
            let (matches, score) = fulltext::matching(db.get_database_backend(), &query);
            select = select.filter(matches);
            search = Some((query, score));
        }
    }
    Ok((select, search))
}

/// A fingerprint of a search, so that a cursor of one search is refused for another.
fn fingerprint(query: &SearchQuery) -> String {
    let digest = Sha256::digest(format!("{:?}", query.units).as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// A page of practices.
pub async fn list_practices(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &PracticeFilter,
    order: Option<(PracticeOrderField, Option<Direction>)>,
    page: &PageArgs,
) -> AppResult<PracticePage> {
    let (select, search) = filtered(db, viewer, filter).await?;
    let total = TotalCount::of(db, &select);
    let field = match order {
        Some((field, _)) => field,
        None if search.is_some() => PracticeOrderField::Relevance,
        None => PracticeOrderField::PublishedAt,
    };
    let direction = order.and_then(|(_, direction)| direction);
    let id = (Expr::col(good_practice::Column::Id), KeyKind::Uuid);
    let (keyset, query) = match field {
        PracticeOrderField::Relevance => {
            let Some((query, score)) = search else {
                return Err(AppError::bad_input(
                    "orderBy.field",
                    "RELEVANCE orders the hits of a search: give filter.search",
                ));
            };
            let keyset = Keyset {
                name: format!("practice:RELEVANCE:{}", fingerprint(&query)),
                keys: vec![
                    (score, KeyKind::Int),
                    (Expr::col(good_practice::Column::ListedAt), KeyKind::Time),
                    id,
                ],
                descending: true,
            };
            (keyset, Some(query))
        }
        other => {
            let (name, column, kind, default) = match other {
                PracticeOrderField::PublishedAt => (
                    "PUBLISHED_AT",
                    good_practice::Column::ListedAt,
                    KeyKind::Time,
                    Direction::Desc,
                ),
                PracticeOrderField::Title => ("TITLE", good_practice::Column::TitleSort, KeyKind::Str, Direction::Asc),
                _ => (
                    "UPDATED_AT",
                    good_practice::Column::UpdatedAt,
                    KeyKind::Time,
                    Direction::Desc,
                ),
            };
            let direction = direction.unwrap_or(default);
            let keyset = Keyset {
                name: format!("practice:{name}:{direction:?}"),
                keys: vec![(Expr::col(column), kind), id],
                descending: direction.is_desc(),
            };
            (keyset, search.map(|(query, _)| query))
        }
    };
    let rows = keyset.apply(select, page)?.all(db).await?;
    let page = keyset.finish(rows, page, total, |row| {
        let first = match field {
            PracticeOrderField::Relevance => {
                let score = query.as_ref().map_or(0, |query| {
                    fulltext::score(query, &search::terms(&row.title), &search::terms(&row.summary))
                });
                return vec![Key::Int(score), Key::Time(row.listed_at), Key::Uuid(row.id)];
            }
            PracticeOrderField::PublishedAt => Key::Time(row.listed_at),
            PracticeOrderField::Title => Key::Str(row.title_sort.clone()),
            PracticeOrderField::UpdatedAt => Key::Time(row.updated_at),
        };
        vec![first, Key::Uuid(row.id)]
    });
    Ok(PracticePage { page, query })
}

/// A practice by slug, if the viewer may see it.
pub async fn practice_by_slug(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    slug: &str,
) -> AppResult<Option<good_practice::Model>> {
    let practice = good_practice::Entity::find()
        .filter(good_practice::Column::Slug.eq(slug.trim()))
        .one(db)
        .await?;
    Ok(practice.filter(|practice| visible(viewer, practice)))
}

fn sorted<K: Ord>(counts: impl IntoIterator<Item = (K, i64)>) -> Vec<(K, i64)> {
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
    let (select, _) = filtered(db, viewer, filter).await?;
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
        .column_as(Expr::col(good_practice::Column::Id).count(), "n")
        .into_tuple()
        .all(db)
        .await?;

    let topics = topic::Entity::find().all(db).await?;
    let topic_bits: Vec<(u32, Uuid)> = topics
        .iter()
        .map(|t| (u32::try_from(t.facet_bit).unwrap_or(63), t.id))
        .collect();
    let group_bits: Vec<(u32, TargetGroup)> = TargetGroup::iter().map(|g| (g.bit(), g)).collect();
    let stage_bits: Vec<(u32, EducationStage)> = EducationStage::iter().map(|s| (s.bit(), s)).collect();
    let state_bits: Vec<(u32, State)> = State::iter().map(|s| (s.bit(), s)).collect();

    let mut facets = Facets::default();
    let (mut by_topic, mut by_group, mut by_stage, mut by_state) =
        (HashMap::new(), HashMap::new(), HashMap::new(), HashMap::new());
    let mut by_agency: HashMap<Uuid, i64> = HashMap::new();
    for (agency, topics, groups, stages, states, count) in rows {
        facets.total += count;
        *by_agency.entry(agency).or_default() += count;
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

/// The kind number of practices in the cross-type search ordering.
pub const SEARCH_KIND: i64 = 0;

/// Practices matching a search, best first, after the union cursor's keys
/// (score, date, kind, id); with each its score. Also the number of all hits.
pub async fn search_hits(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &SearchQuery,
    after: Option<Vec<Key>>,
    limit: u64,
) -> AppResult<(Vec<(good_practice::Model, i64)>, TotalCount)> {
    // Every practice the viewer may see: the public its published ones, editors their drafts too.
    let everything = PracticeFilter {
        statuses: vec![
            PracticeStatus::Draft,
            PracticeStatus::Published,
            PracticeStatus::Archived,
        ],
        ..PracticeFilter::default()
    };
    let (mut select, _) = filtered(db, viewer, &everything).await?;
    let (matches, score) = fulltext::matching(db.get_database_backend(), query);
    select = select.filter(matches);
    let total = TotalCount::of(db, &select);
    let keyset = Keyset {
        name: String::new(),
        keys: vec![
            (score, KeyKind::Int),
            (Expr::col(good_practice::Column::ListedAt), KeyKind::Time),
            (Expr::val(SEARCH_KIND), KeyKind::Int),
            (Expr::col(good_practice::Column::Id), KeyKind::Uuid),
        ],
        descending: true,
    };
    let rows = keyset.apply_keys(select, after, limit).all(db).await?;
    let hits = rows
        .into_iter()
        .map(|row| {
            let score = fulltext::score(query, &search::terms(&row.title), &search::terms(&row.summary));
            (row, score)
        })
        .collect();
    Ok((hits, total))
}

//! Finding good practices: the filtered, ordered, keyset-paginated list (with German full-text
//! search), single practices, and facet counts for a filter. Everyone sees published practices;
//! drafts and archived ones only the owner agency's editors and administrators.

use chrono::{DateTime, Utc};
use dkbm_entity::{
    EducationStage, PracticeStatus, State, TargetGroup, good_practice, good_practice_municipality, good_practice_stage,
    good_practice_target_group, good_practice_topic, municipality, topic,
};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
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

async fn count_by<K>(
    db: &DatabaseConnection,
    query: SelectStatement,
    parse: impl Fn(&sea_orm::QueryResult) -> AppResult<K>,
) -> AppResult<Vec<(K, i64)>> {
    let rows = db.query_all(&query).await?;
    let mut counts = Vec::with_capacity(rows.len());
    for row in rows {
        counts.push((parse(&row)?, row.try_get::<i64>("", "n")?));
    }
    Ok(counts)
}

fn sorted<K: Ord>(mut counts: Vec<(K, i64)>) -> Vec<(K, i64)> {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// Facet counts for a filter: per topic, state, agency, target group and stage.
pub async fn facets(db: &DatabaseConnection, viewer: &Viewer, filter: &PracticeFilter) -> AppResult<Facets> {
    let (select, _) = filtered(db, viewer, filter).await?;
    let total = TotalCount::of(db, &select).get().await?;
    let ids: SelectStatement = select.select_only().column(good_practice::Column::Id).into_query();
    let n = Alias::new("n");
    let count = || Expr::expr(Func::count(Expr::col(Alias::new("practice_id"))));

    let topics = count_by(
        db,
        Query::select()
            .column(good_practice_topic::Column::TopicId)
            .expr_as(count(), n.clone())
            .from(good_practice_topic::Entity)
            .and_where(good_practice_topic::Column::PracticeId.in_subquery(ids.clone()))
            .group_by_col(good_practice_topic::Column::TopicId)
            .to_owned(),
        |row| Ok(row.try_get::<Uuid>("", "topic_id")?),
    )
    .await?;
    let agencies = count_by(
        db,
        Query::select()
            .column(good_practice::Column::OwnerAgencyId)
            .expr_as(Expr::expr(Func::count(Expr::col(good_practice::Column::Id))), n.clone())
            .from(good_practice::Entity)
            .and_where(good_practice::Column::Id.in_subquery(ids.clone()))
            .group_by_col(good_practice::Column::OwnerAgencyId)
            .to_owned(),
        |row| Ok(row.try_get::<Uuid>("", "owner_agency_id")?),
    )
    .await?;
    let states = count_by(
        db,
        Query::select()
            .column((municipality::Entity, municipality::Column::State))
            .expr_as(
                Expr::expr(Func::count_distinct(Expr::col((
                    good_practice_municipality::Entity,
                    good_practice_municipality::Column::PracticeId,
                )))),
                n.clone(),
            )
            .from(good_practice_municipality::Entity)
            .inner_join(
                municipality::Entity,
                Expr::col((municipality::Entity, municipality::Column::Id)).equals((
                    good_practice_municipality::Entity,
                    good_practice_municipality::Column::MunicipalityId,
                )),
            )
            .and_where(
                Expr::col((
                    good_practice_municipality::Entity,
                    good_practice_municipality::Column::PracticeId,
                ))
                .in_subquery(ids.clone()),
            )
            .group_by_col((municipality::Entity, municipality::Column::State))
            .to_owned(),
        |row| Ok(row.try_get::<State>("", "state")?),
    )
    .await?;
    let target_groups = count_by(
        db,
        Query::select()
            .column(good_practice_target_group::Column::TargetGroup)
            .expr_as(count(), n.clone())
            .from(good_practice_target_group::Entity)
            .and_where(good_practice_target_group::Column::PracticeId.in_subquery(ids.clone()))
            .group_by_col(good_practice_target_group::Column::TargetGroup)
            .to_owned(),
        |row| Ok(row.try_get::<TargetGroup>("", "target_group")?),
    )
    .await?;
    let stages = count_by(
        db,
        Query::select()
            .column(good_practice_stage::Column::Stage)
            .expr_as(count(), n)
            .from(good_practice_stage::Entity)
            .and_where(good_practice_stage::Column::PracticeId.in_subquery(ids))
            .group_by_col(good_practice_stage::Column::Stage)
            .to_owned(),
        |row| Ok(row.try_get::<EducationStage>("", "stage")?),
    )
    .await?;
    Ok(Facets {
        total,
        topics: sorted(topics),
        states: sorted(states),
        agencies: sorted(agencies),
        target_groups: sorted(target_groups),
        stages: sorted(stages),
    })
}

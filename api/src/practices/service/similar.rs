//! "Practices from places like mine": the practice list narrowed to the municipalities most like
//! one municipality on education indicators, ordered by how alike they are.

use std::collections::HashMap;

use dkbm_entity::{good_practice, good_practice_municipality};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::PracticeFilter;
use crate::error::AppResult;
use crate::ids::{MunicipalityId, PracticeId, TypedId, uuids};
use crate::indicators::service::{MatrixCache, SimilarQuery, similar_municipalities};
use crate::pagination::{Key, KeyKind, Keyset};

/// Municipalities like `ags` on `codes` (all indicators when empty), the `first` nearest.
#[derive(Debug, Clone)]
pub struct LikeFilter {
    pub ags: String,
    pub codes: Vec<String>,
    pub year: Option<i32>,
    pub first: usize,
}

/// Ranks the municipalities `filter.like` asks for with this instance's cached matrices (the
/// indicators' handle's; the list then needs no ranking of its own): call before listing.
pub async fn resolve_like(
    db: &impl ConnectionTrait,
    matrices: &MatrixCache,
    filter: &mut PracticeFilter,
) -> AppResult<()> {
    if let (Some(like), None) = (&filter.like, &filter.like_places) {
        filter.like_places = Some(ranked_places(db, matrices, like).await?);
    }
    Ok(())
}

/// The similar municipalities of a filter, ranked already or now (without a cache).
pub(super) async fn places_of(
    db: &impl ConnectionTrait,
    filter: &PracticeFilter,
) -> AppResult<Option<Vec<MunicipalityId>>> {
    Ok(match (&filter.like, &filter.like_places) {
        (_, Some(places)) => Some(places.clone()),
        (Some(like), None) => Some(ranked_places(db, &MatrixCache::default(), like).await?),
        (None, None) => None,
    })
}

/// The nearest municipalities' ids, nearest first.
async fn ranked_places(
    db: &impl ConnectionTrait,
    cache: &MatrixCache,
    like: &LikeFilter,
) -> AppResult<Vec<MunicipalityId>> {
    let query = SimilarQuery {
        ags: like.ags.clone(),
        codes: like.codes.clone(),
        year: like.year,
        first: like.first,
    };
    // Its errors name the filter's fields as the client wrote them.
    let answer = similar_municipalities(db, cache, &query)
        .await
        .map_err(|error| error.nested_in("filter.fromMunicipalitiesLike"))?;
    Ok(answer
        .neighbours
        .into_iter()
        .map(|neighbour| MunicipalityId::from(neighbour.municipality.id))
        .collect())
}

/// The ids of the practices of these municipalities (a subquery).
pub(super) fn practices_of(places: &[MunicipalityId]) -> SelectStatement {
    Query::select()
        .column(good_practice_municipality::Column::PracticeId)
        .from(good_practice_municipality::Entity)
        .and_where(good_practice_municipality::Column::MunicipalityId.is_in(places.iter().copied()))
        .to_owned()
}

/// The rank (1 = the most alike) of the municipality in `places`.
fn rank_case(places: &[MunicipalityId]) -> CaseStatement {
    let mut case = CaseStatement::new();
    for (rank, id) in places.iter().enumerate() {
        case = case.case(
            good_practice_municipality::Column::MunicipalityId.eq(*id),
            Expr::val(i64::try_from(rank).unwrap_or(i64::MAX) + 1),
        );
    }
    case
}

/// The keyset "most alike first": the best rank among a practice's municipalities, then its id.
pub(super) fn similarity_keyset(places: &[MunicipalityId]) -> Keyset {
    let rank: Expr = rank_case(places).into();
    let best = Query::select()
        .expr(Func::min(rank))
        .from(good_practice_municipality::Entity)
        .and_where(
            Expr::col((
                good_practice_municipality::Entity,
                good_practice_municipality::Column::PracticeId,
            ))
            .equals((good_practice::Entity, good_practice::Column::Id)),
        )
        .and_where(good_practice_municipality::Column::MunicipalityId.is_in(places.iter().copied()))
        .to_owned();
    // Over the UUIDs, as cursors written before the ids were typed were.
    let fingerprint = crate::text::sha256_hex(format!("{:?}", uuids(places.iter().copied())), 6);
    Keyset {
        name: format!("practice:SIMILAR:{fingerprint}"),
        keys: vec![
            (Expr::SubQuery(None, Box::new(best.into())), KeyKind::Int),
            (
                Expr::col((good_practice::Entity, good_practice::Column::Id)),
                KeyKind::Uuid,
            ),
        ],
        descending: false,
    }
}

/// The best rank of each of these practices (for their cursors).
pub(super) async fn ranks_of(
    db: &impl ConnectionTrait,
    practices: &[PracticeId],
    places: &[MunicipalityId],
) -> AppResult<HashMap<PracticeId, i64>> {
    let links = good_practice_municipality::Entity::find()
        .filter(good_practice_municipality::Column::PracticeId.is_in(practices.iter().copied()))
        .filter(good_practice_municipality::Column::MunicipalityId.is_in(places.iter().copied()))
        .all(db)
        .await?;
    let mut ranks: HashMap<PracticeId, i64> = HashMap::new();
    for link in links {
        if let Some(position) = places.iter().position(|id| id.uuid() == link.municipality_id) {
            let rank = i64::try_from(position).unwrap_or(i64::MAX) + 1;
            let best = ranks.entry(link.practice_id.into()).or_insert(rank);
            *best = std::cmp::min(*best, rank);
        }
    }
    Ok(ranks)
}

/// The cursor keys of a practice in the similarity order.
pub(super) fn similarity_keys(ranks: &HashMap<PracticeId, i64>, practice: &good_practice::Model) -> Vec<Key> {
    vec![
        Key::Int(ranks.get(&PracticeId::from(practice.id)).copied().unwrap_or(i64::MAX)),
        Key::Uuid(practice.id),
    ]
}

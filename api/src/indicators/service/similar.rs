//! Similar municipalities: the nearest municipalities of the same kind by standardised distance.
//!
//! Every indicator is standardised over all municipalities of the reference's kind that have a
//! number for it in that year (z = (value − mean) / standard deviation, the population standard
//! deviation). The distance of a municipality is the Euclidean distance of the z-scores.
//!
//! Missing values are skipped, never filled in:
//! - an indicator the reference municipality has no number for that year (missing, or a special
//!   sign) cannot be compared: it is left out and reported (`NO_VALUE`); so is one whose values
//!   do not vary (`NO_SPREAD`: fewer than two numbers, or all equal);
//! - a municipality lacking some of the remaining K indicators is compared on the k it has; its
//!   sum of squared differences is scaled by K / k, so that a gap neither draws it nearer nor
//!   pushes it away, and the indicators it lacks are listed with it. A municipality with numbers
//!   for fewer than half of the K indicators is not ranked at all.
//!
//! The work is done by the database: one statement for the means and deviations, one that
//! ranks every municipality of the kind and returns the nearest, one for their values.

use std::collections::HashMap;

use dkbm_entity::{indicator, indicator_value, municipality};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::catalog::{check_year, list_indicators, require_indicators};
use crate::directory::service::require_municipality;
use crate::error::{AppError, AppResult};
use crate::messages::{Message, MessageKey};

/// At most this many similar municipalities in one answer.
pub const MAX_SIMILAR: usize = 100;

/// The question: municipalities like `ags`, judged by `codes` (all indicators when empty) in `year`
/// (the latest year the reference has numbers for, when none).
#[derive(Debug, Clone)]
pub struct SimilarQuery {
    pub ags: String,
    pub codes: Vec<String>,
    pub year: Option<i32>,
    pub first: usize,
}

/// Why an indicator was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The reference municipality has no number for it that year.
    NoValue,
    /// Fewer than two municipalities of the kind have a number, or all have the same.
    NoSpread,
}

/// An indicator as used for the comparison: its spread over the kind and the reference's value.
#[derive(Debug, Clone)]
pub struct Standardised {
    pub indicator: indicator::Model,
    pub count: i64,
    pub mean: f64,
    pub deviation: f64,
    pub value: f64,
}

impl Standardised {
    pub fn z(&self, value: f64) -> f64 {
        (value - self.mean) / self.deviation
    }
}

/// One indicator's part in a distance.
#[derive(Debug, Clone)]
pub struct Contribution {
    pub indicator: indicator::Model,
    pub value: f64,
    pub z: f64,
    pub reference_value: f64,
    pub reference_z: f64,
}

impl Contribution {
    /// The difference of the z-scores (this municipality's minus the reference's).
    pub fn difference(&self) -> f64 {
        self.z - self.reference_z
    }
}

/// A municipality near the reference.
#[derive(Debug, Clone)]
pub struct Neighbour {
    pub municipality: municipality::Model,
    pub distance: f64,
    /// The indicators compared, the one making it closest first, the one setting it farthest apart last.
    pub contributions: Vec<Contribution>,
    /// The indicators it has no number for that year.
    pub missing: Vec<indicator::Model>,
}

/// The answer.
#[derive(Debug, Clone)]
pub struct Similarity {
    pub reference: municipality::Model,
    pub year: Option<i32>,
    pub used: Vec<Standardised>,
    pub skipped: Vec<(indicator::Model, SkipReason)>,
    pub neighbours: Vec<Neighbour>,
}

/// Municipalities like the reference, nearest first.
pub async fn similar_municipalities(db: &impl ConnectionTrait, query: &SimilarQuery) -> AppResult<Similarity> {
    if query.first > MAX_SIMILAR {
        return Err(AppError::bad_input(
            "first",
            Message::new(MessageKey::FirstTooLarge).with("max", MAX_SIMILAR),
        ));
    }
    let reference = require_municipality(db, "ags", query.ags.trim()).await?;
    let indicators = if query.codes.is_empty() {
        list_indicators(db, None).await?
    } else {
        require_indicators(db, "codes", &query.codes).await?
    };
    let ids: Vec<Uuid> = indicators.iter().map(|row| row.id).collect();
    let year = match query.year {
        Some(year) => Some(check_year("year", year)?),
        None => latest_year(db, reference.id, &ids).await?,
    };
    let mut answer = Similarity {
        reference,
        year,
        used: Vec::new(),
        skipped: Vec::new(),
        neighbours: Vec::new(),
    };
    let Some(year) = year else {
        answer.skipped = indicators.into_iter().map(|row| (row, SkipReason::NoValue)).collect();
        return Ok(answer);
    };
    let (used, skipped) = standardise(db, &answer.reference, indicators, year).await?;
    answer.used = used;
    answer.skipped = skipped;
    if !answer.used.is_empty() && query.first > 0 {
        answer.neighbours = nearest(db, &answer.reference, &answer.used, year, query.first).await?;
    }
    Ok(answer)
}

/// The latest year in which the municipality has a number for one of the indicators.
async fn latest_year(db: &impl ConnectionTrait, municipality_id: Uuid, ids: &[Uuid]) -> AppResult<Option<i32>> {
    let year: Option<Option<i32>> = indicator_value::Entity::find()
        .select_only()
        .column_as(Expr::from(Func::max(Expr::col(indicator_value::Column::Year))), "year")
        .filter(indicator_value::Column::MunicipalityId.eq(municipality_id))
        .filter(indicator_value::Column::IndicatorId.is_in(ids.iter().copied()))
        .filter(indicator_value::Column::Value.is_not_null())
        .into_tuple()
        .one(db)
        .await?;
    Ok(year.flatten())
}

/// The municipalities of the reference's kind, as a subquery.
fn same_kind(reference: &municipality::Model) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(municipality::Column::Id)
        .from(municipality::Entity)
        .and_where(municipality::Column::Kind.eq(reference.kind))
        .to_owned()
}

/// Mean and deviation of each indicator over the kind; which indicators can be used.
async fn standardise(
    db: &impl ConnectionTrait,
    reference: &municipality::Model,
    indicators: Vec<indicator::Model>,
    year: i32,
) -> AppResult<(Vec<Standardised>, Vec<(indicator::Model, SkipReason)>)> {
    let ids: Vec<Uuid> = indicators.iter().map(|row| row.id).collect();
    let value = || Expr::col(indicator_value::Column::Value);
    let stats: Vec<(Uuid, i64, Option<f64>, Option<f64>)> = indicator_value::Entity::find()
        .select_only()
        .column(indicator_value::Column::IndicatorId)
        .column_as(Expr::from(Func::count(value())), "n")
        .column_as(Expr::from(Func::avg(value())), "mean")
        .column_as(Expr::from(Func::avg(value().mul(value()))), "mean_square")
        .filter(indicator_value::Column::Year.eq(year))
        .filter(indicator_value::Column::IndicatorId.is_in(ids.clone()))
        .filter(indicator_value::Column::Value.is_not_null())
        .filter(indicator_value::Column::MunicipalityId.in_subquery(same_kind(reference)))
        .group_by(indicator_value::Column::IndicatorId)
        .into_tuple()
        .all(db)
        .await?;
    let stats: HashMap<Uuid, (i64, f64, f64)> = stats
        .into_iter()
        .map(|(id, n, mean, square)| (id, (n, mean.unwrap_or(0.0), square.unwrap_or(0.0))))
        .collect();
    let own: HashMap<Uuid, Option<f64>> = indicator_value::Entity::find()
        .select_only()
        .columns([indicator_value::Column::IndicatorId, indicator_value::Column::Value])
        .filter(indicator_value::Column::MunicipalityId.eq(reference.id))
        .filter(indicator_value::Column::Year.eq(year))
        .filter(indicator_value::Column::IndicatorId.is_in(ids))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let (mut used, mut skipped) = (Vec::new(), Vec::new());
    for indicator in indicators {
        let Some(Some(value)) = own.get(&indicator.id).copied() else {
            skipped.push((indicator, SkipReason::NoValue));
            continue;
        };
        let (count, mean, square) = stats.get(&indicator.id).copied().unwrap_or((0, 0.0, 0.0));
        let variance = square - mean * mean;
        // The subtraction leaves rounding noise where all values are equal.
        if count < 2 || variance <= 1e-12 * mean.abs().max(1.0).powi(2) {
            skipped.push((indicator, SkipReason::NoSpread));
            continue;
        }
        used.push(Standardised {
            indicator,
            count,
            mean,
            deviation: variance.sqrt(),
            value,
        });
    }
    Ok((used, skipped))
}

/// The nearest municipalities of the kind, ranked by the database.
async fn nearest(
    db: &impl ConnectionTrait,
    reference: &municipality::Model,
    used: &[Standardised],
    year: i32,
    first: usize,
) -> AppResult<Vec<Neighbour>> {
    let mut cases = CaseStatement::new();
    for part in used {
        let gap = Expr::col(indicator_value::Column::Value)
            .sub(part.mean)
            .div(part.deviation)
            .sub(part.z(part.value));
        cases = cases.case(indicator_value::Column::IndicatorId.eq(part.indicator.id), gap);
    }
    let gap: Expr = cases.finally(Expr::val(0.0)).into();
    let squares = || Expr::from(Func::sum(gap.clone().mul(gap.clone())));
    let count = || Expr::from(Func::count(Expr::col(indicator_value::Column::IndicatorId)));
    let all = used.len();
    let ids: Vec<Uuid> = used.iter().map(|part| part.indicator.id).collect();
    let ranked: Vec<(Uuid, f64, i64)> = indicator_value::Entity::find()
        .select_only()
        .column(indicator_value::Column::MunicipalityId)
        .column_as(squares(), "squares")
        .column_as(count(), "n")
        .filter(indicator_value::Column::Year.eq(year))
        .filter(indicator_value::Column::IndicatorId.is_in(ids.clone()))
        .filter(indicator_value::Column::Value.is_not_null())
        .filter(indicator_value::Column::MunicipalityId.ne(reference.id))
        .filter(indicator_value::Column::MunicipalityId.in_subquery(same_kind(reference)))
        .group_by(indicator_value::Column::MunicipalityId)
        .having(count().gte(i64::try_from(all.div_ceil(2)).unwrap_or(1)))
        .order_by(squares().div(count()), Order::Asc)
        .order_by(indicator_value::Column::MunicipalityId, Order::Asc)
        .limit(u64::try_from(first).unwrap_or(0))
        .into_tuple()
        .all(db)
        .await?;
    let neighbour_ids: Vec<Uuid> = ranked.iter().map(|(id, _, _)| *id).collect();
    let mut places: HashMap<Uuid, municipality::Model> = municipality::Entity::find()
        .filter(municipality::Column::Id.is_in(neighbour_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    let values: Vec<(Uuid, Uuid, f64)> = indicator_value::Entity::find()
        .select_only()
        .columns([
            indicator_value::Column::MunicipalityId,
            indicator_value::Column::IndicatorId,
            indicator_value::Column::Value,
        ])
        .filter(indicator_value::Column::Year.eq(year))
        .filter(indicator_value::Column::IndicatorId.is_in(ids))
        .filter(indicator_value::Column::Value.is_not_null())
        .filter(indicator_value::Column::MunicipalityId.is_in(neighbour_ids))
        .into_tuple()
        .all(db)
        .await?;
    let values: HashMap<(Uuid, Uuid), f64> = values.into_iter().map(|(m, i, v)| ((m, i), v)).collect();
    Ok(ranked
        .into_iter()
        .filter_map(|(id, squares, compared)| {
            let municipality = places.remove(&id)?;
            let scale = all as f64 / std::cmp::max(compared, 1) as f64;
            Some(neighbour(municipality, (squares * scale).sqrt(), used, &values))
        })
        .collect())
}

fn neighbour(
    municipality: municipality::Model,
    distance: f64,
    used: &[Standardised],
    values: &HashMap<(Uuid, Uuid), f64>,
) -> Neighbour {
    let mut contributions = Vec::new();
    let mut missing = Vec::new();
    for part in used {
        match values.get(&(municipality.id, part.indicator.id)) {
            Some(&value) => contributions.push(Contribution {
                indicator: part.indicator.clone(),
                value,
                z: part.z(value),
                reference_value: part.value,
                reference_z: part.z(part.value),
            }),
            None => missing.push(part.indicator.clone()),
        }
    }
    contributions.sort_by(|a, b| a.difference().abs().total_cmp(&b.difference().abs()));
    Neighbour {
        municipality,
        distance,
        contributions,
        missing,
    }
}

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
//! The ranking runs over the numbers of the kind and year held in memory (`matrix`): a few
//! statements per question (the reference, the indicators, the revision, the neighbours), and
//! the values themselves only when they changed.

use std::collections::HashMap;

use dkbm_entity::{indicator, indicator_value, municipality};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::catalog::{check_year, list_indicators, require_indicators};
use super::matrix::{Matrix, MatrixCache};
use crate::directory::service::require_municipality;
use crate::error::{AppError, AppResult};
use crate::ids::{IndicatorId, MunicipalityId};
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
pub async fn similar_municipalities(
    db: &impl ConnectionTrait,
    cache: &MatrixCache,
    query: &SimilarQuery,
) -> AppResult<Similarity> {
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
        let mut asked = require_indicators(db, "codes", &query.codes).await?;
        // A code asked twice is one dimension of the distance.
        let mut seen = std::collections::HashSet::new();
        asked.retain(|row| seen.insert(row.id));
        asked
    };
    let ids: Vec<IndicatorId> = indicators.iter().map(|row| row.id.into()).collect();
    let reference_id = MunicipalityId::from(reference.id);
    let year = match query.year {
        Some(year) => Some(check_year("year", year)?),
        None => latest_year(db, reference_id, &ids).await?,
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
    let matrix = cache.matrix(db, answer.reference.kind, year).await?;
    let (used, skipped) = standardise(&matrix, reference_id, indicators);
    answer.used = used;
    answer.skipped = skipped;
    if answer.used.is_empty() || query.first == 0 {
        return Ok(answer);
    }
    let ranked = rank(&matrix, reference_id, &answer.used, query.first);
    let mut places: HashMap<MunicipalityId, municipality::Model> = municipality::Entity::find()
        .filter(municipality::Column::Id.is_in(ranked.iter().map(|(row, _)| matrix.places[*row])))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.id.into(), row))
        .collect();
    answer.neighbours = ranked
        .into_iter()
        .filter_map(|(row, distance)| {
            let municipality = places.remove(&matrix.places[row])?;
            Some(neighbour(municipality, distance, &answer.used, &matrix, row))
        })
        .collect();
    Ok(answer)
}

/// The latest year in which the municipality has a number for one of the indicators.
async fn latest_year(
    db: &impl ConnectionTrait,
    municipality_id: MunicipalityId,
    ids: &[IndicatorId],
) -> AppResult<Option<i32>> {
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

/// Mean and deviation of each indicator over the kind; which indicators can be used.
fn standardise(
    matrix: &Matrix,
    reference: MunicipalityId,
    indicators: Vec<indicator::Model>,
) -> (Vec<Standardised>, Vec<(indicator::Model, SkipReason)>) {
    let (mut used, mut skipped) = (Vec::new(), Vec::new());
    let own_row = matrix.row(reference);
    for indicator in indicators {
        let column = matrix.column(indicator.id.into());
        let own = own_row.zip(column).and_then(|(row, column)| matrix.get(row, column));
        let (Some(value), Some(column)) = (own, column) else {
            skipped.push((indicator, SkipReason::NoValue));
            continue;
        };
        let numbers: Vec<f64> = (0..matrix.places.len())
            .filter_map(|row| matrix.get(row, column))
            .collect();
        let (mean, deviation) = spread(&numbers);
        // Rounding leaves noise where all values are equal.
        if numbers.len() < 2 || deviation <= 1e-6 * mean.abs().max(1.0) {
            skipped.push((indicator, SkipReason::NoSpread));
            continue;
        }
        used.push(Standardised {
            indicator,
            count: i64::try_from(numbers.len()).unwrap_or(i64::MAX),
            mean,
            deviation,
            value,
        });
    }
    (used, skipped)
}

/// Mean and standard deviation of `numbers`, computed on them scaled by their largest
/// magnitude, so that no sum or square overflows whatever their size.
fn spread(numbers: &[f64]) -> (f64, f64) {
    let scale = numbers.iter().fold(0.0_f64, |max, x| max.max(x.abs()));
    if numbers.is_empty() || scale == 0.0 || !scale.is_finite() {
        return (0.0, 0.0);
    }
    let count = numbers.len() as f64;
    let mean = numbers.iter().map(|x| x / scale).sum::<f64>() / count;
    let variance = numbers.iter().map(|x| (x / scale - mean).powi(2)).sum::<f64>() / count;
    (mean * scale, variance.sqrt() * scale)
}

/// The `first` nearest rows (not the reference's), nearest first, ties by municipality id.
fn rank(matrix: &Matrix, reference: MunicipalityId, used: &[Standardised], first: usize) -> Vec<(usize, f64)> {
    let columns: Vec<(usize, &Standardised)> = used
        .iter()
        .filter_map(|part| Some((matrix.column(part.indicator.id.into())?, part)))
        .collect();
    let all = columns.len();
    let needed = all.div_ceil(2).max(1);
    let mut ranked: Vec<(usize, f64)> = (0..matrix.places.len())
        .filter(|row| matrix.places[*row] != reference)
        .filter_map(|row| {
            let (mut squares, mut compared) = (0.0, 0);
            for (column, part) in &columns {
                if let Some(value) = matrix.get(row, *column) {
                    let gap = part.z(value) - part.z(part.value);
                    squares += gap * gap;
                    compared += 1;
                }
            }
            (compared >= needed).then(|| (row, (squares * all as f64 / compared as f64).sqrt()))
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then_with(|| matrix.places[a.0].cmp(&matrix.places[b.0]))
    });
    ranked.truncate(first);
    ranked
}

fn neighbour(
    municipality: municipality::Model,
    distance: f64,
    used: &[Standardised],
    matrix: &Matrix,
    row: usize,
) -> Neighbour {
    let mut contributions = Vec::new();
    let mut missing = Vec::new();
    for part in used {
        match matrix
            .column(part.indicator.id.into())
            .and_then(|column| matrix.get(row, column))
        {
            Some(value) => contributions.push(Contribution {
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

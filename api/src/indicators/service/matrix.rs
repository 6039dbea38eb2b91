//! The numbers of one year for all municipalities of one kind, as a matrix in memory: what the
//! similarity ranks. Building it reads every value of the kind and year (hundreds of thousands
//! for the towns of Germany), too slow for each question; so each instance keeps the matrices
//! it built and checks them against the revision counter in the database (one indexed row)
//! before use. Every import that changes values, and every change of a municipality, raises the
//! counter in its transaction: no instance ever answers from values older than the last commit
//! it could see.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use dkbm_entity::{MunicipalityKind, indicator_revision, indicator_value, municipality};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::AppResult;
use crate::ids::{IndicatorId, MunicipalityId};

/// The numbers of one year for every municipality of one kind (NaN where there is none).
#[derive(Debug)]
pub struct Matrix {
    revision: i64,
    /// The municipality of each row.
    pub places: Vec<MunicipalityId>,
    row_of: HashMap<MunicipalityId, usize>,
    column_of: HashMap<IndicatorId, usize>,
    width: usize,
    values: Vec<f64>,
}

impl Matrix {
    /// The matrix of `rows`: (municipality, indicator, number).
    fn build(revision: i64, rows: Vec<(MunicipalityId, IndicatorId, f64)>) -> Matrix {
        let (mut row_of, mut column_of) = (HashMap::new(), HashMap::new());
        let mut places = Vec::new();
        for (place, indicator, _) in &rows {
            row_of.entry(*place).or_insert_with(|| {
                places.push(*place);
                places.len() - 1
            });
            let next = column_of.len();
            column_of.entry(*indicator).or_insert(next);
        }
        let width = column_of.len();
        let mut values = vec![f64::NAN; places.len() * width];
        for (place, indicator, value) in rows {
            if let (Some(row), Some(column)) = (row_of.get(&place), column_of.get(&indicator)) {
                values[row * width + column] = value;
            }
        }
        Matrix {
            revision,
            places,
            row_of,
            column_of,
            width,
            values,
        }
    }

    /// The row of a municipality.
    pub fn row(&self, municipality_id: MunicipalityId) -> Option<usize> {
        self.row_of.get(&municipality_id).copied()
    }

    /// The column of an indicator (none: no municipality of the kind has a number for it).
    pub fn column(&self, indicator_id: IndicatorId) -> Option<usize> {
        self.column_of.get(&indicator_id).copied()
    }

    /// The number at a row and column, if there is one.
    pub fn get(&self, row: usize, column: usize) -> Option<f64> {
        self.values
            .get(row * self.width + column)
            .copied()
            .filter(|value| !value.is_nan())
    }
}

/// The matrices one instance has built, by kind and year.
#[derive(Default)]
pub struct MatrixCache {
    matrices: Mutex<HashMap<(MunicipalityKind, i32), Arc<Matrix>>>,
}

/// The current revision of the values.
async fn revision(db: &impl ConnectionTrait) -> AppResult<i64> {
    let revision: Option<i64> = indicator_revision::Entity::find()
        .select_only()
        .column(indicator_revision::Column::Revision)
        .filter(indicator_revision::Column::Id.eq(1))
        .into_tuple()
        .one(db)
        .await?;
    Ok(revision.unwrap_or(0))
}

/// Raises the revision: part of every transaction that changes values or municipalities.
pub async fn bump_revision(db: &impl ConnectionTrait) -> AppResult<()> {
    indicator_revision::Entity::update_many()
        .col_expr(
            indicator_revision::Column::Revision,
            Expr::col(indicator_revision::Column::Revision).add(1),
        )
        .filter(indicator_revision::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(())
}

impl MatrixCache {
    /// The matrix of a kind and year, current as of the revision read first.
    pub async fn matrix(&self, db: &impl ConnectionTrait, kind: MunicipalityKind, year: i32) -> AppResult<Arc<Matrix>> {
        // Read before the values: a matrix is never labelled newer than what it holds.
        let current = revision(db).await?;
        let cached = self
            .matrices
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(kind, year))
            .filter(|matrix| matrix.revision == current)
            .cloned();
        if let Some(matrix) = cached {
            return Ok(matrix);
        }
        let of_kind = Query::select()
            .column(municipality::Column::Id)
            .from(municipality::Entity)
            .and_where(municipality::Column::Kind.eq(kind))
            .to_owned();
        let rows: Vec<(Uuid, Uuid, f64)> = indicator_value::Entity::find()
            .select_only()
            .columns([
                indicator_value::Column::MunicipalityId,
                indicator_value::Column::IndicatorId,
                indicator_value::Column::Value,
            ])
            .filter(indicator_value::Column::Year.eq(year))
            .filter(indicator_value::Column::Value.is_not_null())
            .filter(indicator_value::Column::MunicipalityId.in_subquery(of_kind))
            .into_tuple()
            .all(db)
            .await?;
        let rows: Vec<(MunicipalityId, IndicatorId, f64)> = rows
            .into_iter()
            .map(|(place, indicator, value)| (place.into(), indicator.into(), value))
            .collect();
        let matrix = Arc::new(Matrix::build(current, rows));
        let mut matrices = self.matrices.lock().unwrap_or_else(PoisonError::into_inner);
        matrices.retain(|_, kept| kept.revision == current);
        matrices.insert((kind, year), matrix.clone());
        Ok(matrix)
    }
}

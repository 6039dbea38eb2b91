//! Writing many rows at once, the fastest way each backend offers.

use chrono::{DateTime, Utc};
use dkbm_entity::{ValueFlag, indicator_value};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveEnum, ActiveValue::Set, ConnectionTrait, DbBackend, DbErr, EntityTrait, Statement};
use uuid::Uuid;

/// One indicator value to write.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorValueRow {
    pub municipality_id: Uuid,
    pub indicator_id: Uuid,
    pub year: i32,
    pub value: Option<f64>,
    pub flag: Option<ValueFlag>,
}

/// Rows per statement: SQLite binds every value (6 per row, far below its limit); PostgreSQL
/// gets one array per column.
const SQLITE_ROWS: usize = 2_000;
const POSTGRES_ROWS: usize = 50_000;

/// Writes indicator values: `created` ones are new, `updated` ones replace the value and sign of
/// a stored row. The caller must hold the import lock, so that no other writer adds one of the
/// `created` keys in between.
///
/// On PostgreSQL the columns travel as arrays (`UNNEST`), which spares binding and planning six
/// parameters per row (several times faster for a whole GENESIS file), and new rows go in by a
/// plain INSERT: `ON CONFLICT` probes the key index once more per row, about a third of the
/// insert's time, for conflicts the caller has already ruled out. SQLite takes multi-row VALUES
/// and upserts both kinds (its conflict check is cheap).
pub async fn write_indicator_values(
    db: &impl ConnectionTrait,
    created: &[IndicatorValueRow],
    updated: &[IndicatorValueRow],
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        for chunk in created.chunks(POSTGRES_ROWS) {
            db.execute_raw(unnest_statement(Write::Insert, chunk, at)).await?;
        }
        for chunk in updated.chunks(POSTGRES_ROWS) {
            db.execute_raw(unnest_statement(Write::Update, chunk, at)).await?;
        }
        return Ok(());
    }
    for chunk in created.chunks(SQLITE_ROWS).chain(updated.chunks(SQLITE_ROWS)) {
        sqlite_upsert(db, chunk, at).await?;
    }
    Ok(())
}

async fn sqlite_upsert(db: &impl ConnectionTrait, rows: &[IndicatorValueRow], at: DateTime<Utc>) -> Result<(), DbErr> {
    let models = rows.iter().map(|row| indicator_value::ActiveModel {
        municipality_id: Set(row.municipality_id),
        indicator_id: Set(row.indicator_id),
        year: Set(row.year),
        value: Set(row.value),
        flag: Set(row.flag),
        updated_at: Set(at),
    });
    indicator_value::Entity::insert_many(models)
        .on_conflict(
            OnConflict::columns([
                indicator_value::Column::MunicipalityId,
                indicator_value::Column::IndicatorId,
                indicator_value::Column::Year,
            ])
            .update_columns([
                indicator_value::Column::Value,
                indicator_value::Column::Flag,
                indicator_value::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A PostgreSQL array literal (`{a,b,NULL}`) of values that need no quoting (ids, numbers,
/// upper-case enum values).
fn array_literal<T>(rows: &[IndicatorValueRow], item: impl Fn(&IndicatorValueRow) -> Option<T>) -> String
where
    T: std::fmt::Display,
{
    let mut literal = String::with_capacity(rows.len() * 38 + 2);
    literal.push('{');
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            literal.push(',');
        }
        match item(row) {
            Some(value) => literal.push_str(&value.to_string()),
            None => literal.push_str("NULL"),
        }
    }
    literal.push('}');
    literal
}

/// The columns as arrays, one row per index: `$1`…`$5` the key, value and sign; `$6` the time.
const UNNEST_ROWS: &str = "UNNEST($1::text::uuid[], $2::text::uuid[], $3::text::int4[], \
     $4::text::float8[], $5::text::text[]) AS t(m, i, y, v, f)";

/// What a statement over the arrays does with its rows.
#[derive(Clone, Copy)]
enum Write {
    Insert,
    Update,
}

impl Write {
    fn sql(self) -> String {
        match self {
            Write::Insert => format!(
                "INSERT INTO indicator_value (municipality_id, indicator_id, year, value, flag, updated_at) \
                 SELECT t.m, t.i, t.y, t.v, t.f, $6 FROM {UNNEST_ROWS}"
            ),
            Write::Update => format!(
                "UPDATE indicator_value SET value = t.v, flag = t.f, updated_at = $6 FROM {UNNEST_ROWS} \
                 WHERE indicator_value.municipality_id = t.m AND indicator_value.indicator_id = t.i \
                 AND indicator_value.year = t.y"
            ),
        }
    }
}

fn unnest_statement(write: Write, rows: &[IndicatorValueRow], at: DateTime<Utc>) -> Statement {
    // f64's Display writes the shortest text that reads back as the same number.
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        write.sql(),
        [
            array_literal(rows, |row| Some(row.municipality_id)).into(),
            array_literal(rows, |row| Some(row.indicator_id)).into(),
            array_literal(rows, |row| Some(row.year)).into(),
            array_literal(rows, |row| row.value).into(),
            array_literal(rows, |row| row.flag.map(|flag| flag.to_value())).into(),
            at.into(),
        ],
    )
}

//! Reading values: a municipality's time series, the comparison table of several
//! municipalities, and the series a chart draws (with the state's median).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dkbm_entity::{indicator, indicator_value, municipality};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::catalog::{check_year, list_indicators, require_indicators};
use crate::directory::service::require_municipality;
use crate::error::{AppError, AppResult};
use crate::ids::{IndicatorId, MunicipalityId};
use crate::messages::{Message, MessageKey};

/// At most this many municipalities in one comparison or chart.
pub const MAX_COMPARED: usize = 50;

/// Which values of a municipality's series: indicator codes (all when none) and a span of years.
#[derive(Debug, Clone, Default)]
pub struct SeriesFilter {
    pub codes: Option<Vec<String>>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl SeriesFilter {
    /// Checks the years and their order.
    pub fn checked(self) -> AppResult<SeriesFilter> {
        let from = self.from.map(|year| check_year("from", year)).transpose()?;
        let to = self.to.map(|year| check_year("to", year)).transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(AppError::bad_input(
                "from",
                Message::new(MessageKey::YearsReversed)
                    .with("from", from)
                    .with("to", to),
            ));
        }
        Ok(self)
    }
}

/// The values of one municipality that `filter` asks for, by indicator code and year; `all` is
/// every indicator (an unknown code in the filter is BAD_USER_INPUT on `codes`).
pub fn select_series(
    values: Vec<indicator_value::Model>,
    all: &HashMap<IndicatorId, indicator::Model>,
    filter: &SeriesFilter,
) -> AppResult<Vec<(indicator::Model, indicator_value::Model)>> {
    let wanted: Option<Vec<IndicatorId>> = match &filter.codes {
        None => None,
        Some(codes) => Some(
            codes
                .iter()
                .map(|code| {
                    all.values()
                        .find(|row| row.code == code.trim())
                        .map(|row| IndicatorId::from(row.id))
                        .ok_or_else(|| {
                            AppError::bad_input("codes", Message::new(MessageKey::NoSuchIndicator).with("code", code))
                        })
                })
                .collect::<AppResult<_>>()?,
        ),
    };
    let mut series: Vec<(indicator::Model, indicator_value::Model)> = values
        .into_iter()
        .filter(|value| {
            wanted
                .as_ref()
                .is_none_or(|ids| ids.contains(&IndicatorId::from(value.indicator_id)))
        })
        .filter(|value| filter.from.is_none_or(|from| value.year >= from))
        .filter(|value| filter.to.is_none_or(|to| value.year <= to))
        .filter_map(|value| Some((all.get(&IndicatorId::from(value.indicator_id))?.clone(), value)))
        .collect();
    series.sort_by(|(a, x), (b, y)| a.code.cmp(&b.code).then(x.year.cmp(&y.year)));
    Ok(series)
}

/// The municipalities with these AGS, in this order; an unknown one is BAD_USER_INPUT on `field`.
pub async fn require_municipalities(
    db: &impl ConnectionTrait,
    field: &str,
    ags: &[String],
) -> AppResult<Vec<municipality::Model>> {
    let found = municipality::Entity::find()
        .filter(municipality::Column::Ags.is_in(ags.iter().map(|code| code.trim())))
        .all(db)
        .await?;
    ags.iter()
        .map(|code| {
            found.iter().find(|row| row.ags == code.trim()).cloned().ok_or_else(|| {
                AppError::bad_input(
                    field,
                    Message::new(MessageKey::NoSuchMunicipality).with("ags", code.trim()),
                )
            })
        })
        .collect()
}

/// A comparison table: one row per municipality, one cell per indicator (None: no value).
#[derive(Debug, Clone)]
pub struct Comparison {
    pub year: Option<i32>,
    pub indicators: Vec<indicator::Model>,
    pub rows: Vec<(municipality::Model, Vec<Option<indicator_value::Model>>)>,
}

/// Compares municipalities on indicators (all when `codes` is empty) in `year` (the latest year
/// any of them has a value for, when none).
pub async fn compare(
    db: &impl ConnectionTrait,
    ags: &[String],
    codes: &[String],
    year: Option<i32>,
) -> AppResult<Comparison> {
    if ags.is_empty() {
        return Err(AppError::bad_input("ags", MessageKey::CompareNeedsMunicipalities));
    }
    if ags.len() > MAX_COMPARED {
        return Err(AppError::bad_input(
            "ags",
            Message::new(MessageKey::AtMostEntries).with("max", MAX_COMPARED),
        ));
    }
    let places = require_municipalities(db, "ags", ags).await?;
    let indicators = if codes.is_empty() {
        list_indicators(db, None).await?
    } else {
        require_indicators(db, "codes", codes).await?
    };
    let place_ids: Vec<MunicipalityId> = places.iter().map(|row| row.id.into()).collect();
    let ids: Vec<IndicatorId> = indicators.iter().map(|row| row.id.into()).collect();
    let year = match year {
        Some(year) => Some(check_year("year", year)?),
        None => indicator_value::Entity::find()
            .select_only()
            .column_as(Expr::from(Func::max(Expr::col(indicator_value::Column::Year))), "year")
            .filter(indicator_value::Column::MunicipalityId.is_in(place_ids.clone()))
            .filter(indicator_value::Column::IndicatorId.is_in(ids.clone()))
            .into_tuple::<Option<i32>>()
            .one(db)
            .await?
            .flatten(),
    };
    let mut cells: HashMap<(Uuid, Uuid), indicator_value::Model> = HashMap::new();
    if let Some(year) = year {
        for value in indicator_value::Entity::find()
            .filter(indicator_value::Column::MunicipalityId.is_in(place_ids))
            .filter(indicator_value::Column::IndicatorId.is_in(ids))
            .filter(indicator_value::Column::Year.eq(year))
            .all(db)
            .await?
        {
            cells.insert((value.municipality_id, value.indicator_id), value);
        }
    }
    // A municipality or a code asked twice is shown twice, in the order asked.
    let rows = places
        .into_iter()
        .map(|place| {
            let row = indicators
                .iter()
                .map(|indicator| cells.get(&(place.id, indicator.id)).cloned())
                .collect();
            (place, row)
        })
        .collect();
    Ok(Comparison { year, indicators, rows })
}

/// What a chart compares its municipality with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartCompare {
    Nothing,
    /// Other municipalities, by AGS.
    Municipalities(Vec<String>),
    /// The median of the municipalities of the same state and kind, year by year.
    StateMedian,
}

/// One line of a chart: a label and (year, number) points, years without a number left out.
#[derive(Debug, Clone)]
pub struct ChartLine {
    pub label: String,
    pub points: Vec<(i32, f64)>,
}

/// Everything a chart shows.
#[derive(Debug, Clone)]
pub struct ChartData {
    pub municipality: municipality::Model,
    pub indicator: indicator::Model,
    /// The municipality's line first.
    pub lines: Vec<ChartLine>,
    /// When its values last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The municipality's line of an indicator, and when its values last changed.
pub async fn line_of(
    db: &impl ConnectionTrait,
    place: &municipality::Model,
    indicator_id: IndicatorId,
) -> AppResult<(ChartLine, Option<DateTime<Utc>>)> {
    let values = indicator_value::Entity::find()
        .filter(indicator_value::Column::MunicipalityId.eq(place.id))
        .filter(indicator_value::Column::IndicatorId.eq(indicator_id))
        .order_by_asc(indicator_value::Column::Year)
        .all(db)
        .await?;
    let updated_at = values.iter().map(|value| value.updated_at).max();
    let points = values
        .into_iter()
        .filter_map(|value| Some((value.year, value.value?)))
        .collect();
    Ok((
        ChartLine {
            label: place.name.clone(),
            points,
        },
        updated_at,
    ))
}

/// The median of each year over the municipalities of the state and kind of `place`.
async fn state_median(
    db: &impl ConnectionTrait,
    place: &municipality::Model,
    indicator_id: IndicatorId,
) -> AppResult<ChartLine> {
    let peers = Query::select()
        .column(municipality::Column::Id)
        .from(municipality::Entity)
        .and_where(municipality::Column::State.eq(place.state))
        .and_where(municipality::Column::Kind.eq(place.kind))
        .to_owned();
    let rows: Vec<(i32, f64)> = indicator_value::Entity::find()
        .select_only()
        .columns([indicator_value::Column::Year, indicator_value::Column::Value])
        .filter(indicator_value::Column::IndicatorId.eq(indicator_id))
        .filter(indicator_value::Column::Value.is_not_null())
        .filter(indicator_value::Column::MunicipalityId.in_subquery(peers))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_year: std::collections::BTreeMap<i32, Vec<f64>> = Default::default();
    for (year, value) in rows {
        by_year.entry(year).or_default().push(value);
    }
    let points = by_year
        .into_iter()
        .map(|(year, mut values)| {
            values.sort_by(f64::total_cmp);
            let middle = values.len() / 2;
            let median = if values.len() % 2 == 0 {
                crate::text::midpoint(values[middle - 1], values[middle])
            } else {
                values[middle]
            };
            (year, median)
        })
        .collect();
    Ok(ChartLine {
        label: format!("Median {} ({})", place.state.to_value(), kind_label(place.kind)),
        points,
    })
}

fn kind_label(kind: dkbm_entity::MunicipalityKind) -> &'static str {
    use dkbm_entity::MunicipalityKind::*;
    match kind {
        KreisfreieStadt => "kreisfreie Städte",
        Kreis => "Kreise",
        KreisangehoerigeGemeinde => "kreisangehörige Gemeinden",
        Region => "Regionen",
        Land => "Länder",
        Regierungsbezirk => "Regierungsbezirke",
        Gemeindeverband => "Gemeindeverbände",
    }
}

/// The lines of the chart of `code` for the municipality `ags`.
pub async fn chart_data(
    db: &impl ConnectionTrait,
    ags: &str,
    code: &str,
    compare: &ChartCompare,
) -> AppResult<ChartData> {
    let place = require_municipality(db, "ags", ags).await?;
    let indicator = require_indicators(db, "code", &[code.to_owned()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found(MessageKey::IndicatorNotFound))?;
    let indicator_id = IndicatorId::from(indicator.id);
    let (line, updated_at) = line_of(db, &place, indicator_id).await?;
    let mut lines = vec![line];
    match compare {
        ChartCompare::Nothing => {}
        ChartCompare::StateMedian => lines.push(state_median(db, &place, indicator_id).await?),
        ChartCompare::Municipalities(others) => {
            if others.len() >= MAX_COMPARED {
                return Err(AppError::bad_input(
                    "compare",
                    Message::new(MessageKey::AtMostEntries).with("max", MAX_COMPARED),
                ));
            }
            // One statement per line: a chart compares a handful at most.
            for other in require_municipalities(db, "compare", others).await? {
                lines.push(line_of(db, &other, indicator_id).await?.0);
            }
        }
    }
    Ok(ChartData {
        municipality: place,
        indicator,
        lines,
        updated_at,
    })
}

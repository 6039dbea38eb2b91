//! GraphQL of education monitoring indicators: the catalogue, time series, comparison tables,
//! similar municipalities, and the administrators' definitions and imports.

mod inputs;
mod nodes;
mod objects;
mod similar;

use async_graphql::parser::types::Field;
use async_graphql::{Context, ContextSelectionSet, Object, OutputType, Positioned, ServerResult, Value};

pub use inputs::*;
pub use objects::*;
pub use similar::*;

use super::loaders::IndicatorLoaders;
use super::service::{self, Indicators};
use crate::directory::schema::{IndicatorsOf, MunicipalityIndicators};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::later::{Answer, field_error};

/// How many similar municipalities when `first` is not given.
const DEFAULT_SIMILAR: i32 = 10;

/// Root query fields of indicators.
#[derive(Default)]
pub struct IndicatorsQuery;

#[Object]
impl IndicatorsQuery {
    /// The indicators (a small catalogue, by code; not paged).
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the indicators with these codes.")] codes: Option<Vec<String>>,
    ) -> async_graphql::Result<Vec<Indicator>> {
        let rows = service::list_indicators(ctx.state()?.conn(), codes.as_deref()).await?;
        Ok(rows.into_iter().map(Indicator).collect())
    }

    /// Municipalities side by side on indicators in one year: a table.
    async fn compare_municipalities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipalities' AGS (1 to 50), in the order of the rows.")] ags: Vec<String>,
        #[graphql(desc = "Indicator codes, in the order of the columns (default: every indicator).")] codes: Option<
            Vec<String>,
        >,
        #[graphql(desc = "The year (default: the latest year any of them has a value for).")] year: Option<i32>,
    ) -> async_graphql::Result<MunicipalityComparison> {
        let codes = codes.unwrap_or_default();
        let table = service::compare(ctx.state()?.conn(), &ags, &codes, year).await?;
        Ok(MunicipalityComparison(table))
    }

    /// The municipalities of the same kind most like this one on these indicators, nearest
    /// first, by standardised distance (see `SimilarMunicipalities` for how missing values are
    /// handled).
    async fn similar_municipalities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The AGS of the reference municipality.")] ags: String,
        #[graphql(desc = "Indicator codes to compare on (default: every indicator).")] codes: Option<Vec<String>>,
        #[graphql(desc = "The year (default: the latest year the reference has a number for).")] year: Option<i32>,
        #[graphql(desc = "How many municipalities (default 10, at most 100).")] first: Option<i32>,
    ) -> async_graphql::Result<SimilarMunicipalities> {
        let query = service::SimilarQuery {
            ags,
            codes: codes.unwrap_or_default(),
            year,
            first: similar_count(first)?,
        };
        let matrices = &ctx.get::<Indicators>()?.matrices;
        Ok(SimilarMunicipalities(
            service::similar_municipalities(ctx.state()?.conn(), matrices, &query).await?,
        ))
    }
}

/// `first` of a similarity: not negative.
pub fn similar_count(first: Option<i32>) -> async_graphql::Result<usize> {
    usize::try_from(first.unwrap_or(DEFAULT_SIMILAR))
        .map_err(|_| crate::error::AppError::bad_input("first", crate::messages::MessageKey::FirstNegative).into())
}

/// Mutations of indicators (administrators).
#[derive(Default)]
pub struct IndicatorsMutation;

#[Object]
impl IndicatorsMutation {
    /// Defines an indicator, or changes the one with this code (administrators).
    async fn save_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator.")] input: SaveIndicatorInput,
    ) -> async_graphql::Result<Indicator> {
        let saved = service::save_indicator(&ctx.state()?.writer, ctx.viewer()?, input.into()).await?;
        Ok(Indicator(saved))
    }

    /// Imports indicator values from a file (administrators): all or nothing. When any line is
    /// rejected (unknown AGS or code, a bad number or year, a value given twice …) nothing is
    /// written and `rejected` names each line with its number and reason. Importing the same file
    /// again changes nothing (every value `unchanged`).
    async fn import_indicator_values(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file.")] input: ImportIndicatorValuesInput,
    ) -> async_graphql::Result<IndicatorImportReport> {
        let report = service::import_values(
            &ctx.state()?.writer,
            ctx.viewer()?,
            input.content.as_bytes(),
            input.dry_run.unwrap_or(false),
        )
        .await?;
        Ok(IndicatorImportReport(report))
    }
}

/// The indicators' answer to `Municipality.indicators` (which the directory declares, see
/// [`crate::graphql::later`]): the municipality's values as time series; the values of a list
/// of municipalities load in one statement.
pub struct IndicatorsOfMunicipality;

#[async_trait::async_trait]
impl Answer<MunicipalityIndicators> for IndicatorsOfMunicipality {
    async fn answer(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
        key: &IndicatorsOf,
    ) -> ServerResult<Value> {
        let values = municipality_indicators(ctx, key)
            .await
            .map_err(|error| field_error(ctx, field, error))?;
        values.resolve(ctx, field).await
    }
}

async fn municipality_indicators(ctx: &ContextSelectionSet<'_>, key: &IndicatorsOf) -> AppResult<Vec<IndicatorValue>> {
    let filter = service::SeriesFilter {
        codes: key.codes.clone(),
        from: key.from,
        to: key.to,
    }
    .checked()?;
    let loaders = ctx.loaders::<IndicatorLoaders>()?;
    let all = loaders.all().await?;
    let values = loaders.values_of_municipality(key.municipality_id).await?;
    let series = service::select_series(values, &all, &filter)?;
    Ok(series
        .into_iter()
        .map(|(indicator, value)| IndicatorValue(indicator, value))
        .collect())
}

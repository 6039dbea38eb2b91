//! Indicator charts over plain HTTP: `GET /municipalities/{ags}/indicators/{code}.svg`, an
//! indicator's time series as SVG for a front-end to embed (`<img src>` or inline), optionally
//! compared with other municipalities (`?compare=05513000,05913000`) or with the median of the
//! municipalities of the same state and kind (`?compare=median`). Public, like the values.
//! Errors answer with the status of their code and a GraphQL-style JSON body.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::chart::render_svg;
use super::service::{ChartCompare, chart_data};
use crate::error::AppError;
use crate::messages::MessageKey;
use crate::state::AppState;
use crate::validate::check_texts;

/// The routes of indicator charts.
pub fn routes() -> Router<AppState> {
    Router::new().route("/municipalities/{ags}/indicators/{file}", get(chart))
}

/// The query of a chart.
#[derive(Debug, Deserialize)]
pub struct ChartQuery {
    compare: Option<String>,
}

/// What `?compare=` asks for: nothing, `median`, or a comma-separated AGS list.
fn compare_of(text: Option<&str>) -> Result<ChartCompare, AppError> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Ok(ChartCompare::Nothing);
    }
    if text.eq_ignore_ascii_case("median") {
        return Ok(ChartCompare::StateMedian);
    }
    let list: Vec<String> = text.split(',').map(|ags| ags.trim().to_owned()).collect();
    if list
        .iter()
        .any(|ags| ags.is_empty() || ags.len() > 12 || !ags.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(AppError::bad_input("compare", MessageKey::ChartCompare));
    }
    Ok(ChartCompare::Municipalities(list))
}

/// `GET /municipalities/{ags}/indicators/{code}.svg`
pub async fn chart(
    State(state): State<AppState>,
    Path((ags, file)): Path<(String, String)>,
    Query(query): Query<ChartQuery>,
) -> Response {
    let Some(code) = file.strip_suffix(".svg") else {
        return AppError::not_found(MessageKey::NoSuchChartFile).into_response();
    };
    let result = async {
        check_texts(&[
            ("ags", Some(&ags)),
            ("code", Some(code)),
            ("compare", query.compare.as_deref()),
        ])?;
        let compare = compare_of(query.compare.as_deref())?;
        // An unknown municipality or indicator in the path is a missing resource, not bad input.
        let data = chart_data(state.conn(), ags.trim(), code, &compare)
            .await
            .map_err(|error| match error {
                AppError::BadUserInput { field, .. } if field == "ags" || field == "code" => {
                    AppError::not_found(MessageKey::NoSuchMunicipalityOrIndicator)
                }
                other => other,
            })?;
        render_svg(&data)
    }
    .await;
    match result {
        Ok(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=300"),
                // An SVG opened on its own is a document: never sniffed, never a script.
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CONTENT_SECURITY_POLICY, crate::validate::NO_SCRIPT_POLICY),
            ],
            svg,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

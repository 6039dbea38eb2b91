//! Event exports over plain HTTP: `GET /events.ics` (the public calendar feed, `?topic=` and
//! `?organizer=` narrow it), `GET /events/{slug}.ics` (one event) and
//! `GET /events/{slug}/participants.csv` and `.xlsx` (the organisers' participant list, Bearer
//! token).
//! Errors answer with the status of their code and a GraphQL-style JSON body.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dkbm_entity::training_event;
use serde::Deserialize;
use serde_json::json;

use super::HttpState;
use crate::auth::authenticate;
use crate::error::AppError;
use crate::events::{exports, service};
use crate::validate;

/// The query of the calendar feed.
#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    topic: Option<String>,
    organizer: Option<String>,
}

/// An error as a response with the status of its code and a GraphQL-style JSON body.
pub(super) fn error_response(error: AppError) -> Response {
    let status = match &error {
        AppError::BadUserInput { .. } => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let graphql: async_graphql::Error = error.into();
    let body = json!({ "errors": [{ "message": graphql.message, "extensions": graphql.extensions }] });
    let mut response = (status, axum::Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}

fn calendar_response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// The rule for control characters in text input (see `graphql/text_input.rs`), for the path
/// and query parameters of these exports.
pub(super) fn check_texts(texts: &[(&str, Option<&str>)]) -> Result<(), AppError> {
    match texts
        .iter()
        .find(|(_, text)| text.is_some_and(validate::has_forbidden_control))
    {
        Some((field, _)) => Err(validate::control_character(field)),
        None => Ok(()),
    }
}

/// `GET /events.ics`
pub async fn calendar(State(state): State<HttpState>, Query(query): Query<CalendarQuery>) -> Response {
    if let Err(error) = check_texts(&[
        ("topic", query.topic.as_deref()),
        ("organizer", query.organizer.as_deref()),
    ]) {
        return error_response(error);
    }
    let db = state.app.conn();
    match service::calendar_events(db, query.topic.as_deref(), query.organizer.as_deref()).await {
        Ok(events) => calendar_response(exports::ical("DKBM Qualifizierungen", &events)),
        Err(error) => error_response(error),
    }
}

/// `GET /events/{file}`: `{slug}.ics`.
pub async fn event_calendar(State(state): State<HttpState>, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".ics") else {
        return error_response(AppError::not_found("no such file; ask for /events/{slug}.ics"));
    };
    if let Err(error) = check_texts(&[("slug", Some(slug))]) {
        return error_response(error);
    }
    match service::event_by_slug(state.app.conn(), slug).await {
        Ok(Some(event)) => calendar_response(exports::ical(&event.title, std::slice::from_ref(&event))),
        Ok(None) => error_response(AppError::not_found("no such training event")),
        Err(error) => error_response(error),
    }
}

/// The event and its participant list, for an organiser of it: a Bearer token is required (an
/// anonymous request is asked for one), and only the organisers get the list.
async fn participant_list(
    state: &HttpState,
    slug: &str,
    headers: &HeaderMap,
) -> Result<(training_event::Model, Vec<exports::ParticipantRow>), AppError> {
    check_texts(&[("slug", Some(slug))])?;
    let authorization = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
    let viewer = authenticate(&state.app, authorization).await?;
    if authorization.is_none() {
        return Err(AppError::Unauthenticated("send the organiser's Bearer token".into()));
    }
    let event = service::event_by_slug(state.app.conn(), slug)
        .await?
        .ok_or_else(|| AppError::not_found("no such training event"))?;
    let rows = service::participant_rows(state.app.conn(), &viewer, &event).await?;
    Ok((event, rows))
}

/// The formats of the participant list (the same columns in each).
#[derive(Clone, Copy)]
enum ListFormat {
    Csv,
    Xlsx,
}

impl ListFormat {
    fn content_type(self) -> &'static str {
        match self {
            ListFormat::Csv => "text/csv; charset=utf-8",
            ListFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ListFormat::Csv => "csv",
            ListFormat::Xlsx => "xlsx",
        }
    }

    fn write(self, event: &training_event::Model, rows: &[exports::ParticipantRow]) -> Result<Vec<u8>, AppError> {
        match self {
            ListFormat::Csv => exports::participants_csv(event, rows),
            ListFormat::Xlsx => exports::participants_xlsx(event, rows),
        }
    }
}

/// The participant list as a download: private, never cached, saved as
/// `teilnehmende-{slug}.{csv|xlsx}`.
async fn participant_download(state: &HttpState, slug: &str, headers: &HeaderMap, format: ListFormat) -> Response {
    let result = participant_list(state, slug, headers)
        .await
        .and_then(|(event, rows)| Ok((format.write(&event, &rows)?, event.slug)));
    match result {
        Ok((body, slug)) => (
            [
                (header::CONTENT_TYPE, format.content_type().to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"teilnehmende-{slug}.{}\"", format.extension()),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(error) => error_response(error),
    }
}

/// `GET /events/{slug}/participants.csv`
pub async fn participants_csv(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    participant_download(&state, &slug, &headers, ListFormat::Csv).await
}

/// `GET /events/{slug}/participants.xlsx`
pub async fn participants_xlsx(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    participant_download(&state, &slug, &headers, ListFormat::Xlsx).await
}

//! Event exports over plain HTTP: `GET /events.ics` (the public calendar feed, `?topic=` and
//! `?organizer=` narrow it), `GET /events/{slug}.ics` (one event) and
//! `GET /events/{slug}/participants.csv` (the organisers' participant list, Bearer token).
//! Errors answer with the status of their code and a GraphQL-style JSON body.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::HttpState;
use crate::auth::authenticate;
use crate::error::AppError;
use crate::events::{exports, service};

/// The query of the calendar feed.
#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    topic: Option<String>,
    organizer: Option<String>,
}

fn error_response(error: AppError) -> Response {
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

/// `GET /events.ics`
pub async fn calendar(State(state): State<HttpState>, Query(query): Query<CalendarQuery>) -> Response {
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
    match service::event_by_slug(state.app.conn(), slug).await {
        Ok(Some(event)) => calendar_response(exports::ical(&event.title, std::slice::from_ref(&event))),
        Ok(None) => error_response(AppError::not_found("no such training event")),
        Err(error) => error_response(error),
    }
}

/// `GET /events/{slug}/participants.csv`
pub async fn participants_csv(
    State(state): State<HttpState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|value| value.to_str().ok());
    let result = async {
        let viewer = authenticate(&state.app, authorization).await?;
        if authorization.is_none() {
            return Err(AppError::Unauthenticated("send the organiser's Bearer token".into()));
        }
        let event = service::event_by_slug(state.app.conn(), &slug)
            .await?
            .ok_or_else(|| AppError::not_found("no such training event"))?;
        let rows = service::participant_rows(state.app.conn(), &viewer, &event).await?;
        Ok((event, rows))
    }
    .await;
    match result {
        Ok((event, rows)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"teilnehmende-{}.csv\"", event.slug),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            exports::participants_csv(&rows),
        )
            .into_response(),
        Err(error) => error_response(error),
    }
}

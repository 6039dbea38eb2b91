//! Event exports over plain HTTP: `GET /events.ics` (the public calendar feed, `?topic=` and
//! `?organizer=` narrow it), `GET /events/{slug}.ics` (one event) and
//! `GET /events/{slug}/participants.csv` and `.xlsx` (the organisers' participant list, Bearer
//! token), `GET /calendar/{token}.ics` (a member's personal calendar), and the attendance
//! certificates ([`certificates`]).
//! Errors answer with the status of their code and a GraphQL-style JSON body.

mod certificates;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dkbm_entity::training_event;
use serde::Deserialize;

use crate::auth::authenticate;
use crate::error::AppError;
use crate::events::{exports, service};
use crate::messages::MessageKey;
use crate::state::AppState;
use crate::validate::check_texts;

/// The events' routes: the calendar feeds and the participant lists.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events.ics", get(calendar))
        .route("/events/{file}", get(event_calendar))
        .route("/events/{slug}/participants.csv", get(participants_csv))
        .route("/events/{slug}/participants.xlsx", get(participants_xlsx))
        .route("/calendar/{file}", get(personal_calendar))
        .route(
            "/registrations/{id}/certificate.pdf",
            get(certificates::certificate_pdf),
        )
        .route("/certificates/{code}", get(certificates::verification_page))
}

/// The query of the calendar feed.
#[derive(Debug, Deserialize)]
struct CalendarQuery {
    topic: Option<String>,
    organizer: Option<String>,
}

fn calendar_response(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_SECURITY_POLICY, crate::validate::NO_SCRIPT_POLICY),
        ],
        body,
    )
        .into_response()
}

/// `GET /events.ics`
async fn calendar(State(state): State<AppState>, Query(query): Query<CalendarQuery>) -> Response {
    if let Err(error) = check_texts(&[
        ("topic", query.topic.as_deref()),
        ("organizer", query.organizer.as_deref()),
    ]) {
        return error.into_response();
    }
    let db = state.conn();
    match service::calendar_events(db, query.topic.as_deref(), query.organizer.as_deref()).await {
        Ok(events) => calendar_response(exports::ical("DKBM Qualifizierungen", &events)),
        Err(error) => error.into_response(),
    }
}

/// `GET /events/{file}`: `{slug}.ics`.
async fn event_calendar(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".ics") else {
        return AppError::not_found(MessageKey::NoSuchCalendarFile).into_response();
    };
    if let Err(error) = check_texts(&[("slug", Some(slug))]) {
        return error.into_response();
    }
    match service::event_by_slug(state.conn(), slug).await {
        Ok(Some(event)) => calendar_response(exports::ical(&event.title, std::slice::from_ref(&event))),
        Ok(None) => AppError::not_found(MessageKey::NoSuchEvent).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /calendar/{token}.ics`: a member's personal calendar (the token is the secret; an
/// unknown or reset one answers 404). Never stored by caches on the way.
async fn personal_calendar(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return AppError::not_found(MessageKey::NoSuchPersonalCalendar).into_response();
    };
    if let Err(error) = check_texts(&[("token", Some(token))]) {
        return error.into_response();
    }
    let member = match crate::members::service::member_of_calendar(state.conn(), token).await {
        Ok(Some(member)) => member,
        Ok(None) => return AppError::not_found(MessageKey::NoSuchPersonalCalendar).into_response(),
        Err(error) => return error.into_response(),
    };
    match service::personal_calendar(state.conn(), member).await {
        Ok(entries) => {
            let entries: Vec<_> = entries.iter().map(|entry| (&entry.event, entry.waitlisted)).collect();
            let mut response = calendar_response(exports::personal_ical(&entries));
            let headers = response.headers_mut();
            headers.insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("private, no-store"),
            );
            headers.insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
            response
        }
        Err(error) => error.into_response(),
    }
}

/// The event and its participant list, for an organiser of it: a Bearer token is required (an
/// anonymous request is asked for one), and only the organisers get the list.
async fn participant_list(
    state: &AppState,
    slug: &str,
    headers: &HeaderMap,
) -> Result<(training_event::Model, Vec<exports::ParticipantRow>), AppError> {
    check_texts(&[("slug", Some(slug))])?;
    let authorization = crate::auth::authorization_header(headers)?;
    let viewer = authenticate(&state.auth, authorization).await?;
    if authorization.is_none() {
        return Err(AppError::unauthenticated(MessageKey::SendOrganiserToken));
    }
    let event = service::event_by_slug(state.conn(), slug)
        .await?
        .ok_or_else(|| AppError::not_found(MessageKey::NoSuchEvent))?;
    let rows = service::participant_rows(state.conn(), &viewer, &event).await?;
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
async fn participant_download(state: &AppState, slug: &str, headers: &HeaderMap, format: ListFormat) -> Response {
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
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    crate::validate::NO_SCRIPT_POLICY.to_owned(),
                ),
            ],
            body,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /events/{slug}/participants.csv`
async fn participants_csv(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    participant_download(&state, &slug, &headers, ListFormat::Csv).await
}

/// `GET /events/{slug}/participants.xlsx`
async fn participants_xlsx(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    participant_download(&state, &slug, &headers, ListFormat::Xlsx).await
}

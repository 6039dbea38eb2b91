//! The one error type of the API. Its variants are what a client sees; each maps to one
//! `extensions.code` of DESIGN.md. Database and other internal details are logged here, once,
//! and never returned: the client sees INTERNAL_SERVER_ERROR and the request id.

use std::sync::Arc;

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

use crate::messages::{Message, MessageKey};

/// An error a request can end in.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is invalid; `field` names the input field (dotted path, e.g. `input.ags`).
    #[error("{message}")]
    BadUserInput { field: String, message: Message },
    /// The request needs a signed-in viewer or valid credentials.
    #[error("{0}")]
    Unauthenticated(Message),
    /// The viewer is known but may not do this.
    #[error("{0}")]
    Forbidden(Message),
    /// The object does not exist (or the viewer may not know that it does).
    #[error("{0}")]
    NotFound(Message),
    /// The request clashes with the current state: a duplicate, or a stale version.
    #[error("{message}")]
    Conflict {
        message: Message,
        field: Option<String>,
        current_version: Option<i64>,
    },
    /// No seat is free and the event has no waiting list.
    #[error("{0}")]
    EventFull(Message),
    /// Too many attempts; try again after `retry_after_secs`.
    #[error("{message}")]
    RateLimited { message: Message, retry_after_secs: u64 },
    /// A change-feed cursor points behind what is still kept.
    #[error("{0}")]
    CursorExpired(Message),
    /// A stored amount (an agency's files) would go past its quota.
    #[error("{0}")]
    QuotaExceeded(Message),
    /// Something failed inside the server. The source is logged, never shown.
    #[error("internal server error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// The same error for another request it also answers (a batch's failure answers each of
    /// its requests); an internal error's source stays with the original, which is logged.
    pub fn duplicate(&self) -> AppError {
        match self {
            AppError::BadUserInput { field, message } => AppError::BadUserInput {
                field: field.clone(),
                message: message.clone(),
            },
            AppError::Unauthenticated(message) => AppError::Unauthenticated(message.clone()),
            AppError::Forbidden(message) => AppError::Forbidden(message.clone()),
            AppError::NotFound(message) => AppError::NotFound(message.clone()),
            AppError::Conflict {
                message,
                field,
                current_version,
            } => AppError::Conflict {
                message: message.clone(),
                field: field.clone(),
                current_version: *current_version,
            },
            AppError::EventFull(message) => AppError::EventFull(message.clone()),
            AppError::RateLimited {
                message,
                retry_after_secs,
            } => AppError::RateLimited {
                message: message.clone(),
                retry_after_secs: *retry_after_secs,
            },
            AppError::CursorExpired(message) => AppError::CursorExpired(message.clone()),
            AppError::QuotaExceeded(message) => AppError::QuotaExceeded(message.clone()),
            AppError::Internal(_) => AppError::internal(anyhow::anyhow!("a batch this request was part of failed")),
        }
    }

    /// A BAD_USER_INPUT error for `field`, saying what is wrong with a catalogue message.
    pub fn bad_input(field: impl Into<String>, message: impl Into<Message>) -> Self {
        AppError::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// This error as one of an input nested at `path` (`filter.fromMunicipalitiesLike`): the
    /// field a BAD_USER_INPUT names is put under the path, so that it names the input as the
    /// client wrote it.
    pub fn nested_in(self, path: &str) -> Self {
        match self {
            AppError::BadUserInput { field, message } => AppError::BadUserInput {
                field: format!("{path}.{field}"),
                message,
            },
            other => other,
        }
    }

    /// An UNAUTHENTICATED error.
    pub fn unauthenticated(message: impl Into<Message>) -> Self {
        AppError::Unauthenticated(message.into())
    }

    /// A FORBIDDEN error.
    pub fn forbidden(message: impl Into<Message>) -> Self {
        AppError::Forbidden(message.into())
    }

    /// A CONFLICT error on `field` (a duplicate).
    pub fn conflict(field: impl Into<String>, message: impl Into<Message>) -> Self {
        AppError::Conflict {
            message: message.into(),
            field: Some(field.into()),
            current_version: None,
        }
    }

    /// The CONFLICT of a stale `expectedVersion`: the `noun` (practice, event …) is at `current`,
    /// not at the `expected` version the client read.
    pub fn version_conflict(noun: MessageKey, current: i64, expected: i64) -> Self {
        AppError::Conflict {
            message: Message::new(MessageKey::VersionConflict)
                .with_messages("noun", vec![Message::new(noun)])
                .with("current", current)
                .with("expected", expected),
            field: Some("expectedVersion".into()),
            current_version: Some(current),
        }
    }

    /// A NOT_FOUND error.
    pub fn not_found(message: impl Into<Message>) -> Self {
        AppError::NotFound(message.into())
    }

    /// An INTERNAL_SERVER_ERROR with a cause for the log.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(cause.into())
    }

    /// The `extensions.code` of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadUserInput { .. } => "BAD_USER_INPUT",
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Conflict { .. } => "CONFLICT",
            AppError::EventFull(_) => "EVENT_FULL",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::CursorExpired(_) => "CURSOR_EXPIRED",
            AppError::QuotaExceeded(_) => "QUOTA_EXCEEDED",
            AppError::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The catalogue message of the error (none for an internal one, whose text is fixed).
    pub fn message(&self) -> Option<&Message> {
        match self {
            AppError::BadUserInput { message, .. }
            | AppError::RateLimited { message, .. }
            | AppError::Conflict { message, .. } => Some(message),
            AppError::EventFull(message)
            | AppError::Unauthenticated(message)
            | AppError::Forbidden(message)
            | AppError::NotFound(message)
            | AppError::CursorExpired(message)
            | AppError::QuotaExceeded(message) => Some(message),
            AppError::Internal(_) => None,
        }
    }

    /// Turns a unique-constraint violation into a CONFLICT on `field`; anything else stays internal.
    pub fn from_unique_violation(error: DbErr, field: &str, message: impl Into<Message>) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::conflict(field, message),
            _ => AppError::from(error),
        }
    }
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        AppError::Internal(error.into())
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        if let AppError::Internal(cause) = &error {
            // Logged once, here, inside the request's span (which carries the request id).
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let code = error.code();
        let mut base = async_graphql::Error::new(error.to_string());
        // Kept beside the English text, so that the response is rendered in the request's
        // language (see `graphql::errors::translate`).
        base.source = error.message().map(|message| Arc::new(message.clone()) as _);
        base.extend_with(|_, extensions| {
            extensions.set("code", code);
            match &error {
                AppError::BadUserInput { field, .. } => extensions.set("field", field.as_str()),
                AppError::Conflict {
                    field, current_version, ..
                } => {
                    if let Some(field) = field {
                        extensions.set("field", field.as_str());
                    }
                    if let Some(version) = current_version {
                        extensions.set("currentVersion", *version);
                    }
                }
                AppError::RateLimited { retry_after_secs, .. } => {
                    extensions.set("retryAfterSeconds", *retry_after_secs);
                }
                _ => {}
            }
        })
    }
}

/// Result of service functions.
pub type AppResult<T> = Result<T, AppError>;

/// An error of a plain HTTP route (exports, charts, mail links' JSON answers): the status of
/// its code and a GraphQL-style JSON body, `WWW-Authenticate: Bearer` with a 401.
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{StatusCode, header};
        let status = match &self {
            AppError::BadUserInput { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::QuotaExceeded(_) => StatusCode::INSUFFICIENT_STORAGE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let graphql: async_graphql::Error = self.into();
        let body = serde_json::json!({ "errors": [{ "message": graphql.message, "extensions": graphql.extensions }] });
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

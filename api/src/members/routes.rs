//! The pages the links in mails open when `--public-url` points at this server (as in the
//! demo): confirming an address (`/verify-email`), setting a new password (`/reset-password`)
//! and unsubscribing from forum mail (`/mail/unsubscribe`, which also takes the one-click POST
//! of RFC 8058 that mail clients send). A GET only shows a page with a button: link scanners
//! that open every link in a mail must not use up a single-use token. In German or English by
//! `Accept-Language`. A front-end that serves these paths itself calls `verifyEmail` and
//! `resetPassword` instead.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::{Environment, context};
use serde::Deserialize;

use super::service;
use crate::error::AppError;
use crate::messages::Locale;
use crate::state::AppState;

/// The routes of the links in mails: `GET` shows the page with its button, `POST` acts.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verify-email", get(verify_page).post(verify))
        .route("/reset-password", get(reset_page).post(reset))
        .route("/mail/unsubscribe", get(unsubscribe_page).post(unsubscribe))
}

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // A broken template is a build defect the page test finds; the page then renders empty.
    let _ = env.add_template("page.html", include_str!("../../templates/pages/page.html"));
    env
});

/// The token of a link.
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The form of the password page.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// What a page says: `(title, message, button, password label)` in German and English.
struct Texts {
    de: (&'static str, &'static str, Option<&'static str>, Option<&'static str>),
    en: (&'static str, &'static str, Option<&'static str>, Option<&'static str>),
}

const VERIFY: Texts = Texts {
    de: (
        "E-Mail-Adresse bestätigen",
        "Bestätigen Sie, dass diese Adresse Ihnen gehört.",
        Some("Adresse bestätigen"),
        None,
    ),
    en: (
        "Confirm your email address",
        "Confirm that this address is yours.",
        Some("Confirm address"),
        None,
    ),
};
const VERIFIED: Texts = Texts {
    de: (
        "Adresse bestätigt",
        "Danke! Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt zu Veranstaltungen anmelden und in den Foren schreiben.",
        None,
        None,
    ),
    en: (
        "Address confirmed",
        "Thank you! Your email address is confirmed. You can now register for events and post in the forums.",
        None,
        None,
    ),
};
const RESET: Texts = Texts {
    de: (
        "Neues Passwort festlegen",
        "Mindestens 12 Zeichen und nicht leicht zu erraten; einige Wörter, die nichts miteinander zu tun haben, eignen sich gut.",
        Some("Passwort speichern"),
        Some("Neues Passwort"),
    ),
    en: (
        "Set a new password",
        "At least 12 characters and not easy to guess; a few unrelated words work well.",
        Some("Save password"),
        Some("New password"),
    ),
};
const RESET_DONE: Texts = Texts {
    de: (
        "Passwort gespeichert",
        "Ihr neues Passwort gilt. Sie sind überall abgemeldet; melden Sie sich mit dem neuen Passwort wieder an.",
        None,
        None,
    ),
    en: (
        "Password saved",
        "Your new password is in place. You are signed out everywhere; sign in again with the new password.",
        None,
        None,
    ),
};
const UNSUBSCRIBE: Texts = Texts {
    de: (
        "Forenbenachrichtigungen abbestellen",
        "Sie erhalten dann keine E-Mails mehr zu Foren. Sie können sie in Ihrem Profil wieder einschalten.",
        Some("Abbestellen"),
        None,
    ),
    en: (
        "Unsubscribe from forum mail",
        "You will no longer get mail about forums. You can switch it on again in your profile.",
        Some("Unsubscribe"),
        None,
    ),
};
const UNSUBSCRIBED: Texts = Texts {
    de: ("Abbestellt", "Sie erhalten keine E-Mails mehr zu Foren.", None, None),
    en: ("Unsubscribed", "You will no longer get mail about forums.", None, None),
};

fn page(headers: &HeaderMap, texts: &Texts, status: StatusCode, error: Option<&AppError>) -> Response {
    let locale = Locale::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let (lang, (title, message, button, password)) = match locale {
        Locale::De => ("de", texts.de),
        Locale::En => ("en", texts.en),
    };
    let error = error.map(|e| e.message().map_or_else(|| e.to_string(), |m| m.render(locale)));
    let html = PAGES
        .get_template("page.html")
        .and_then(|t| t.render(context! { lang, title, message, button, password, error }))
        .unwrap_or_default();
    let mut response = (status, Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(header::REFERRER_POLICY, header::HeaderValue::from_static("no-referrer"));
    response
}

fn failed(headers: &HeaderMap, texts: &Texts, error: &AppError) -> Response {
    let status = match error {
        AppError::BadUserInput { .. } => StatusCode::BAD_REQUEST,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    page(headers, texts, status, Some(error))
}

/// `GET /verify-email?token=`: the page with the button.
pub async fn verify_page(headers: HeaderMap) -> Response {
    page(&headers, &VERIFY, StatusCode::OK, None)
}

/// `POST /verify-email?token=`: confirms the address.
pub async fn verify(State(state): State<AppState>, headers: HeaderMap, Query(link): Query<TokenQuery>) -> Response {
    match service::verify_email(&state.writer, &link.token).await {
        Ok(_) => page(&headers, &VERIFIED, StatusCode::OK, None),
        Err(error) => failed(&headers, &VERIFY, &error),
    }
}

/// `GET /reset-password?token=`: the password form.
pub async fn reset_page(headers: HeaderMap) -> Response {
    page(&headers, &RESET, StatusCode::OK, None)
}

/// `POST /reset-password?token=`: sets the new password.
pub async fn reset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(link): Query<TokenQuery>,
    Form(form): Form<PasswordForm>,
) -> Response {
    match service::reset_password(&state.writer, &link.token, &form.password).await {
        Ok(_) => page(&headers, &RESET_DONE, StatusCode::OK, None),
        Err(error) => failed(&headers, &RESET, &error),
    }
}

/// `GET /mail/unsubscribe?token=`: the page with the button.
pub async fn unsubscribe_page(headers: HeaderMap) -> Response {
    page(&headers, &UNSUBSCRIBE, StatusCode::OK, None)
}

/// `POST /mail/unsubscribe?token=`: the button, or a mail client's one-click request.
pub async fn unsubscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(link): Query<TokenQuery>,
) -> Response {
    match service::unsubscribe(&state.writer, &state.auth, &link.token).await {
        Ok(_) => page(&headers, &UNSUBSCRIBED, StatusCode::OK, None),
        Err(error) => failed(&headers, &UNSUBSCRIBE, &error),
    }
}

//! `GET /registrations/{id}/certificate.pdf`: the attendance certificate (Bearer token: the
//! member or an organiser), and `GET /certificates/{code}`: a small German page that says
//! whether a certificate's code is genuine and what it certifies.

use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, context};

use crate::auth::authenticate;
use crate::error::AppError;
use crate::events::{exports, service};
use crate::graphql::node::decode_as;
use crate::ids::RegistrationId;
use crate::state::AppState;
use crate::validate::check_texts;

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // A broken template is a build defect the certificate test finds; the page then renders empty.
    let _ = env.add_template(
        "certificate.html",
        include_str!("../../../templates/pages/certificate.html"),
    );
    env
});

/// Where anyone checks the certificate with `code`.
pub fn verify_url(state: &AppState, code: &str) -> String {
    state.mail.url(&format!("/certificates/{code}"))
}

/// `GET /registrations/{id}/certificate.pdf`
pub async fn certificate_pdf(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    match certificate(&state, &id, &headers).await {
        Ok((facts, pdf)) => {
            let filename = format!("Teilnahmebescheinigung-{}.pdf", facts.code);
            let disposition = format!("inline; filename=\"{filename}\"");
            let mut response = ([(header::CONTENT_TYPE, "application/pdf")], pdf).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => error.into_response(),
    }
}

async fn certificate(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<(service::CertificateFacts, Vec<u8>), AppError> {
    check_texts(&[("id", Some(id))])?;
    let authorization = crate::auth::authorization_header(headers)?;
    let viewer = authenticate(&state.auth, authorization).await?;
    let registration: RegistrationId = decode_as("id", &async_graphql::ID(id.to_owned()))?;
    let facts = service::certificate(&state.writer, &viewer, registration).await?;
    let pdf = exports::certificate_pdf(&facts, &verify_url(state, &facts.code))
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("the certificate PDF could not be written")))?;
    Ok((facts, pdf))
}

/// `GET /certificates/{code}`
pub async fn verification_page(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    if let Err(error) = check_texts(&[("code", Some(code.as_str()))]) {
        return error.into_response();
    }
    let facts = match service::verify_certificate(state.conn(), &code).await {
        Ok(facts) => facts,
        Err(error) => return error.into_response(),
    };
    let status = if facts.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let rendered = PAGES
        .get_template("certificate.html")
        .and_then(|template| match &facts {
            Some(facts) => template.render(context! {
                valid => true,
                code => &facts.code,
                member_name => &facts.member_name,
                event_title => &facts.event_title,
                when => exports::when(facts),
                hours => exports::hours(facts),
                topics => facts.topics.join(", "),
                organizer => &facts.organizer,
            }),
            None => template.render(context! { valid => false }),
        });
    let mut response = (status, Html(rendered.unwrap_or_default())).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::validate::NO_SCRIPT_POLICY),
    );
    response
}

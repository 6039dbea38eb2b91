//! An accompaniment over plain HTTP, with the same access as in GraphQL (a Bearer token of
//! someone inside it; everyone else gets 404, as for a missing agreement):
//! `GET /agreements/{id}/goals/{goalId}.svg`, a goal's indicator chart with its target, and
//! `GET /agreements/{id}/report.html`, the German report for the council, printable.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::{Environment, Value, context};

use crate::accompaniment::service::{self, Report};
use crate::auth::{Viewer, authenticate};
use crate::error::{AppError, AppResult};
use crate::graphql::node::decode_as;
use crate::ids::{AgreementId, GoalId};
use crate::indicators::chart::{german_number, render_svg};
use crate::messages::MessageKey;
use crate::state::AppState;
use crate::validate::{NO_SCRIPT_POLICY, check_texts};

static PAGES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // A broken template is a build defect the report test finds; the page then renders empty.
    let _ = env.add_template(
        "agreement_report.html",
        include_str!("../../templates/pages/agreement_report.html"),
    );
    env
});

/// The accompaniment's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agreements/{id}/goals/{file}", get(goal_chart))
        .route("/agreements/{id}/report.html", get(report))
}

fn missing() -> AppError {
    AppError::not_found(MessageKey::NoSuchAgreement)
}

/// The viewer of the request and the agreement it names (a malformed id is a missing one).
async fn viewer_and_agreement(state: &AppState, headers: &HeaderMap, id: &str) -> AppResult<(Viewer, AgreementId)> {
    check_texts(&[("id", Some(id))])?;
    let authorization = crate::auth::authorization_header(headers)?;
    let viewer = authenticate(&state.auth, authorization).await?;
    let agreement = decode_as::<AgreementId>("id", &async_graphql::ID(id.to_owned())).map_err(|_| missing())?;
    Ok((viewer, agreement))
}

/// Private, never stored by a shared cache; nothing in it runs.
fn confidential(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(NO_SCRIPT_POLICY),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// `GET /agreements/{id}/goals/{goalId}.svg`
async fn goal_chart(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let (viewer, agreement) = viewer_and_agreement(&state, &headers, &id).await?;
        let goal = file
            .strip_suffix(".svg")
            .and_then(|goal| decode_as::<GoalId>("goalId", &async_graphql::ID(goal.to_owned())).ok())
            .ok_or_else(missing)?;
        let data = service::chart_of(state.conn(), &viewer, agreement, goal)
            .await?
            .ok_or_else(missing)?;
        render_svg(&data)
    }
    .await;
    match result {
        Ok(svg) => confidential(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response()),
        Err(error) => error.into_response(),
    }
}

/// A date the German way.
fn german_date(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The report's context: every text as the page shows it.
fn page_context(report: &Report) -> AppResult<Value> {
    let mut goals = Vec::new();
    for shown in &report.goals {
        let goal = &shown.goal;
        let unit = shown.indicator.as_ref().map(|i| i.unit.clone()).unwrap_or_default();
        let decimals = shown
            .indicator
            .as_ref()
            .map(|i| usize::try_from(i.decimals).unwrap_or(1))
            .unwrap_or(1);
        let value = |v: Option<f64>| v.map(|v| format!("{} {unit}", german_number(v, decimals)));
        goals.push(context! {
            title => &goal.title,
            description => &goal.description,
            status => sea_orm::ActiveEnum::to_value(&goal.status),
            dropped_reason => &goal.dropped_reason,
            indicator => shown.indicator.as_ref().map(|i| i.name_de.clone()),
            baseline => shown.progress.baseline.map(|b| format!("{} ({})", value(Some(b.value)).unwrap_or_default(), b.year)),
            latest => shown.progress.latest.map(|l| format!("{} ({})", value(Some(l.value)).unwrap_or_default(), l.year)),
            target => value(goal.target_value).map(|t| format!("{t} ({})", goal.target_year.map(|y| y.to_string()).unwrap_or_default())),
            progress => shown.progress.progress.map(|p| format!("{} %", german_number(p * 100.0, 0))),
            note => shown.progress.note.as_ref().map(|n| n.render(crate::messages::Locale::De)),
            chart => shown.chart.as_ref().map(render_svg).transpose()?,
        });
    }
    let activities: Vec<Value> = report
        .activities
        .iter()
        .map(|a| context! {
            on => german_date(a.occurred_on), kind => sea_orm::ActiveEnum::to_value(&a.kind), title => &a.title, notes => &a.notes,
        })
        .collect();
    let reviews: Vec<Value> = report
        .reviews
        .iter()
        .map(|r| {
            context! {
                held_on => german_date(r.review.held_on),
                reflection => crate::markdown::to_safe_html(&r.review.reflection),
                goals => r.assessments.iter().map(|(title, a)| context! {
                    title => title, status => sea_orm::ActiveEnum::to_value(&a.status), note => &a.note,
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    Ok(context! {
        title => &report.agreement.title,
        status => sea_orm::ActiveEnum::to_value(&report.agreement.status),
        agency => report.agency.as_ref().map(|a| a.name.clone()),
        municipality => report.municipality.as_ref().map(|m| m.name.clone()),
        signed_on => report.agreement.signed_on.map(german_date),
        next_review_on => report.agreement.next_review_on.map(german_date),
        request => report.agreement.request.as_deref().map(crate::markdown::to_safe_html),
        goals, activities, reviews,
        today => german_date(crate::db::now().date_naive()),
    })
}

/// `GET /agreements/{id}/report.html`
async fn report(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let result = async {
        let (viewer, agreement) = viewer_and_agreement(&state, &headers, &id).await?;
        let report = service::report_of(state.conn(), &viewer, agreement)
            .await?
            .ok_or_else(missing)?;
        let context = page_context(&report)?;
        PAGES
            .get_template("agreement_report.html")
            .and_then(|template| template.render(context))
            .map_err(|error| AppError::internal(anyhow::anyhow!("rendering the report: {error}")))
    }
    .await;
    match result {
        Ok(html) => confidential(Html(html).into_response()),
        Err(error) => error.into_response(),
    }
}

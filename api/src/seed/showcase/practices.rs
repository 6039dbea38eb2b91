//! The showcase's sixty good practices: each place of [`PLACES`] told in its theme's words,
//! published by the Transferagentur of its Land.

use dkbm_entity::PracticeStatus;

use super::agencies::agency_of;
use super::places::{PLACES, Place};
use super::themes::ThemeText;
use crate::auth::Viewer;
use crate::db::Writer;
use crate::directory::service::municipality_by_ags;
use crate::error::AppResult;
use crate::practices::service::{Contact, Content, NewPractice, create_practice};
use crate::seed::created;

/// What every showcase practice says of itself.
const FICTIONAL: &str = "(Fiktives Beispiel für die Demo-Daten.)";

/// The practice's slug: the theme's, then the place's.
pub(super) fn slug_of(place: &Place) -> String {
    format!("{}-{}", place.theme.text().slug, place.slug)
}

/// The body in Markdown: situation, steps, the place's highlight, results.
fn body(theme: &ThemeText, place: &Place, highlight: &str) -> String {
    let steps: String = theme.steps.iter().map(|step| format!("- {step}\n")).collect();
    let text = format!(
        "## Ausgangslage\n\n{situation}\n\n## Vorgehen\n\n{steps}\n## Besonderheit\n\n{highlight}\n\n\
         ## Ergebnisse\n\n{results}\n\n{FICTIONAL}",
        situation = theme.situation,
        results = theme.results,
    );
    text.replace("{in}", place.in_place)
}

/// The practice of a place; `occurrence` counts the earlier places of the same theme.
fn new_practice(place: &Place, occurrence: usize) -> NewPractice {
    let theme = place.theme.text();
    let highlight = theme.highlights.get(occurrence).copied().unwrap_or_default();
    let strings = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect();
    NewPractice {
        agency_slug: agency_of(place.state).into(),
        slug: Some(slug_of(place)),
        status: PracticeStatus::Published,
        external_id: None,
        content: Content {
            title: theme.title.replace("{in}", place.in_place),
            summary: format!("{} {FICTIONAL}", theme.summary.replace("{in}", place.in_place)),
            body: body(theme, place, highlight),
            topics: strings(theme.topics),
            municipality_ags: strings(place.ags),
            target_groups: theme.target_groups.to_vec(),
            stages: theme.stages.to_vec(),
            contact: Contact {
                name: Some("Bildungsbüro".into()),
                role: Some(format!("{}, {}", theme.role, place.name)),
                email: None,
            },
            links: Vec::new(),
            license: Some("CC-BY-4.0".into()),
            source_url: None,
        },
    }
}

/// Whether every municipality of the place is on the map.
async fn on_the_map(writer: &Writer, place: &Place) -> AppResult<bool> {
    for ags in place.ags {
        if municipality_by_ags(writer.conn(), ags).await?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Creates the practices that do not exist yet; how many were created. A place missing from the
/// map (a server started with `--no-base-places`) is skipped with a warning rather than failing
/// the start.
pub(super) async fn create_practices(writer: &Writer, operator: &Viewer) -> AppResult<usize> {
    let mut count = 0;
    let mut missing = Vec::new();
    for (index, place) in PLACES.iter().enumerate() {
        if !on_the_map(writer, place).await? {
            missing.push(place.name);
            continue;
        }
        let occurrence = PLACES.iter().take(index).filter(|p| p.theme == place.theme).count();
        let input = new_practice(place, occurrence);
        count += usize::from(created(create_practice(writer, operator, input).await)?);
    }
    if !missing.is_empty() {
        tracing::warn!(
            ?missing,
            "showcase practices skipped: their districts are not on the map (started with --no-base-places?)"
        );
    }
    Ok(count)
}

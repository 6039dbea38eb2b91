//! Two more portals, each over the practices of its agency's Länder and with a collection of
//! recommended ones: the Transferagentur Bayern's and the Transferagentur Mitteldeutschland's.
//! (The compact demo's two portals reach the showcase too: NRW's shows its NRW practices,
//! RuhrFutur's every practice on education monitoring.)

use dkbm_entity::State;

use super::places::PLACES;
use super::practices::slug_of;
use crate::app::App;
use crate::auth::Viewer;
use crate::curation::service::{
    CollectionItemInput, NewCollection, NewPortal, ScopeInput, create_collection, create_portal, set_collection_items,
};
use crate::error::{AppError, AppResult};
use crate::portals::service::ItemId;
use crate::practices::service::practice_by_slug;

/// A portal to create: (slug = owner agency's slug, name, Länder, collection title).
const PORTALS: [(&str, &str, &[State], &str); 2] = [
    (
        "transferagentur-bayern",
        "Gute Praxis aus Bayern",
        &[State::By],
        "Empfehlungen aus bayerischen Kommunen",
    ),
    (
        "transferagentur-mitteldeutschland",
        "Bildungsmanagement in Mitteldeutschland",
        &[State::Sn, State::St, State::Th],
        "Empfehlungen aus Sachsen, Sachsen-Anhalt und Thüringen",
    ),
];

/// How many practices a portal's collection recommends.
const RECOMMENDED: usize = 3;

/// The first practices of the portal's Länder, as collection items.
async fn recommended(app: &App, operator: &Viewer, states: &[State]) -> AppResult<Vec<CollectionItemInput>> {
    let mut items = Vec::new();
    for place in PLACES.iter().filter(|place| states.contains(&place.state)) {
        if items.len() == RECOMMENDED {
            break;
        }
        if let Some(practice) = practice_by_slug(app.state.writer.conn(), operator, &slug_of(place)).await? {
            items.push(CollectionItemInput {
                item: ItemId::Practice(practice.id.into()),
                teaser: None,
                featured_until: None,
            });
        }
    }
    Ok(items)
}

/// Creates a portal with its collection unless the portal exists; whether it was created.
async fn create_one(
    app: &App,
    operator: &Viewer,
    (slug, name, states, title): (&str, &str, &[State], &str),
) -> AppResult<bool> {
    let writer = &app.state.writer;
    let input = NewPortal {
        slug: slug.into(),
        name: name.into(),
        agency_slug: slug.into(),
        origins: vec![format!("https://{slug}.example.org"), "http://localhost:5173".into()],
        scope: ScopeInput {
            states: states.to_vec(),
            ..ScopeInput::default()
        },
    };
    let portal = match create_portal(writer, &app.areas.portals.origins, operator, input).await {
        Ok(portal) => portal,
        Err(AppError::Conflict { .. }) => return Ok(false),
        Err(error) => return Err(error),
    };
    let collection = NewCollection {
        slug: "empfehlungen".into(),
        title: title.into(),
        description: "Praxisbeispiele, die wir anderen Kommunen empfehlen (fiktive Demo-Daten).".into(),
    };
    let collection = create_collection(writer, operator, portal.id.into(), collection).await?;
    let items = recommended(app, operator, states).await?;
    set_collection_items(writer, operator, collection.id.into(), items).await?;
    Ok(true)
}

/// Creates the portals that do not exist yet; how many were created.
pub(super) async fn create_portals(app: &App, operator: &Viewer) -> AppResult<usize> {
    let mut count = 0;
    for portal in PORTALS {
        count += usize::from(create_one(app, operator, portal).await?);
    }
    Ok(count)
}

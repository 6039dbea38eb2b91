//! Two demo portals over the same practices: the Transferagentur NRW's, scoped to NW, and
//! RuhrFutur's, scoped to education monitoring, with a collection and a hidden practice.

use dkbm_entity::State;

use crate::app::App;
use crate::auth::Viewer;
use crate::curation::service::{self, CollectionItemInput, NewCollection, NewPortal, ScopeInput};
use crate::error::{AppError, AppResult};
use crate::portals::service::ItemId;
use crate::practices::service::practice_by_slug;

/// Creates the demo portals unless they exist; how many were created.
pub async fn demo_portals(app: &App, operator: &Viewer) -> AppResult<usize> {
    let (writer, origins) = (&app.state.writer, &app.areas.portals.origins);
    let nrw = NewPortal {
        slug: "transferagentur-nrw".into(),
        name: "Wissensportal der Transferagentur NRW".into(),
        agency_slug: "transferagentur-nrw".into(),
        origins: vec![
            "https://www.transferagentur-nrw.de".into(),
            "http://localhost:5173".into(),
        ],
        scope: ScopeInput {
            states: vec![State::Nw],
            ..ScopeInput::default()
        },
    };
    let mut count = 0;
    match service::create_portal(writer, origins, operator, nrw).await {
        Ok(_) => count += 1,
        Err(AppError::Conflict { .. }) => {}
        Err(error) => return Err(error),
    }
    let ruhr = NewPortal {
        slug: "ruhrfutur".into(),
        name: "RuhrFutur: Bildung im Ruhrgebiet".into(),
        agency_slug: "ruhrfutur".into(),
        origins: vec!["https://www.ruhrfutur.de".into()],
        scope: ScopeInput {
            topics: vec!["education-monitoring".into()],
            ..ScopeInput::default()
        },
    };
    let portal = match service::create_portal(writer, origins, operator, ruhr).await {
        Ok(portal) => portal,
        Err(AppError::Conflict { .. }) => return Ok(count),
        Err(error) => return Err(error),
    };
    count += 1;
    let collection = service::create_collection(
        writer,
        operator,
        portal.id.into(),
        NewCollection {
            slug: "unsere-empfehlungen".into(),
            title: "Unsere Empfehlungen".into(),
            description: "Praxisbeispiele zum Bildungsmonitoring, die wir empfehlen.".into(),
        },
    )
    .await?;
    let mut items = Vec::new();
    for (slug, teaser) in [
        (
            "bildungsbericht-ruhr-regionales-monitoring",
            Some("Unser Bildungsbericht: Daten für das ganze Ruhrgebiet."),
        ),
        ("ag-bildungsmonitoring-rheinisches-revier", None),
    ] {
        if let Some(practice) = practice_by_slug(writer.conn(), operator, slug).await? {
            items.push(CollectionItemInput {
                item: ItemId::Practice(practice.id.into()),
                teaser: teaser.map(Into::into),
                featured_until: None,
            });
        }
    }
    service::set_collection_items(writer, operator, collection.id.into(), items).await?;
    if let Some(practice) = practice_by_slug(writer.conn(), operator, "stabsstelle-bildung-integriert-boerde").await? {
        service::hide_in_portal(writer, operator, portal.id.into(), ItemId::Practice(practice.id.into())).await?;
    }
    Ok(count)
}

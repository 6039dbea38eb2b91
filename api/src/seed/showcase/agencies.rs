//! The Transferagenturen of the other Länder, which share the showcase's practices and organise
//! its events. The names follow the federal Transferinitiative; the descriptions are invented.

use dkbm_entity::{AgencyKind, State};

use crate::auth::Viewer;
use crate::db::Writer;
use crate::directory::service::{self, NewAgency};
use crate::error::AppResult;
use crate::seed::{agency, created};

/// The agency that shares the practices of a Land's districts (NRW's is the compact demo's).
pub(super) fn agency_of(state: State) -> &'static str {
    match state {
        State::Nw => "transferagentur-nrw",
        State::By => "transferagentur-bayern",
        State::Ni => "transferagentur-niedersachsen",
        State::He => "transferagentur-hessen",
        State::Bw => "transferagentur-baden-wuerttemberg",
        State::Sn | State::St | State::Th => "transferagentur-mitteldeutschland",
        State::Be | State::Bb | State::Mv => "transferagentur-nord-ost",
        State::Rp | State::Sl => "transferagentur-rheinland-pfalz-saarland",
        State::Sh | State::Hh | State::Hb => "transferagentur-nord",
    }
}

/// (slug, name, Länder served, region named in the description)
const AGENCIES: &[(&str, &str, &[State], &str)] = &[
    (
        "transferagentur-bayern",
        "Transferagentur Bayern für Kommunales Bildungsmanagement",
        &[State::By],
        "in Bayern",
    ),
    (
        "transferagentur-niedersachsen",
        "Transferagentur Niedersachsen",
        &[State::Ni],
        "in Niedersachsen",
    ),
    (
        "transferagentur-hessen",
        "Transferagentur Hessen",
        &[State::He],
        "in Hessen",
    ),
    (
        "transferagentur-baden-wuerttemberg",
        "Transferagentur Baden-Württemberg",
        &[State::Bw],
        "in Baden-Württemberg",
    ),
    (
        "transferagentur-mitteldeutschland",
        "Transferagentur Mitteldeutschland",
        &[State::Sn, State::St, State::Th],
        "in Sachsen, Sachsen-Anhalt und Thüringen",
    ),
    (
        "transferagentur-nord-ost",
        "Transferagentur Nord-Ost",
        &[State::Be, State::Bb, State::Mv],
        "in Berlin, Brandenburg und Mecklenburg-Vorpommern",
    ),
    (
        "transferagentur-rheinland-pfalz-saarland",
        "Transferagentur Rheinland-Pfalz – Saarland",
        &[State::Rp, State::Sl],
        "in Rheinland-Pfalz und im Saarland",
    ),
    (
        "transferagentur-nord",
        "Transferagentur Nord",
        &[State::Sh, State::Hh, State::Hb],
        "in Schleswig-Holstein, Hamburg und Bremen",
    ),
];

/// The agencies to create, from [`AGENCIES`].
fn new_agencies() -> Vec<NewAgency> {
    AGENCIES
        .iter()
        .map(|(slug, name, states, region)| NewAgency {
            description: Some(format!(
                "Begleitet Kreise und kreisfreie Städte {region} beim Auf- und Ausbau eines datenbasierten \
                 kommunalen Bildungsmanagements: Beratung, Qualifizierung und Austausch guter Praxis. \
                 (Fiktiver Eintrag für die Demo-Daten; die Beschreibung ist erfunden.)"
            )),
            ..agency(slug, name, AgencyKind::TransferAgency, states)
        })
        .collect()
}

/// Creates the agencies that do not exist yet; how many were created.
pub(super) async fn create_agencies(writer: &Writer, operator: &Viewer) -> AppResult<usize> {
    let mut count = 0;
    for input in new_agencies() {
        count += usize::from(created(service::create_agency(writer, operator, input).await)?);
    }
    Ok(count)
}

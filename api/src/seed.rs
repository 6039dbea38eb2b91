//! The demo data set, drawn from the domain texts: Stadt Bottrop and its Zielvereinbarung with
//! the Transferagentur NRW (programme Bildungskommunen), ISA e.V. and RuhrFutur's
//! Kooperationsvereinbarung, the Netzwerkbüro Bildung Rheinisches Revier, Landkreis Börde in
//! Bildung integriert (01JL1815), Stadt Dortmund's Regionales Bildungsbüro and schul.inn.do.
//!
//! Loaded through the same services as the API (as the operator), so it is validated like any
//! input. Loading it twice changes nothing: what exists already is left alone.

use chrono::NaiveDate;
use dkbm_entity::{AgencyKind, AgreementKind, MunicipalityKind, State};
use sea_orm::DatabaseConnection;

use crate::auth::Viewer;
use crate::directory::service::{self, NewAgency, NewAgreement, NewMunicipality, NewParticipation, NewProgramme};
use crate::error::{AppError, AppResult};

/// Keeps a created value; a CONFLICT means it exists already, which is fine when seeding.
fn created<T>(result: AppResult<T>) -> AppResult<bool> {
    match result {
        Ok(_) => Ok(true),
        Err(AppError::Conflict { .. }) => Ok(false),
        Err(error) => Err(error),
    }
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn agency(slug: &str, name: &str, kind: AgencyKind, states: &[State]) -> NewAgency {
    NewAgency {
        slug: slug.into(),
        name: name.into(),
        kind,
        description: None,
        website: None,
        carrier_slug: None,
        carrier_name: None,
        states_served: states.to_vec(),
    }
}

fn agencies() -> Vec<NewAgency> {
    vec![
        NewAgency {
            description: Some(
                "Das Institut für soziale Arbeit e.V. (ISA) ist Träger der Transferagentur NRW und des \
                 Netzwerkbüros Bildung Rheinisches Revier."
                    .into(),
            ),
            website: Some("https://www.isa-muenster.de".into()),
            ..agency(
                "isa-ev",
                "Institut für soziale Arbeit e.V. (ISA)",
                AgencyKind::Association,
                &[State::Nw],
            )
        },
        NewAgency {
            description: Some(
                "Unterstützt Kreise und kreisfreie Städte in NRW beim Auf- und Ausbau eines datenbasierten \
                 kommunalen Bildungsmanagements: Auftragsklärung und Analyse, Fach- und Strategieberatung, \
                 Reflexion und Zielüberprüfung – für Kommunen mit Zielvereinbarung."
                    .into(),
            ),
            website: Some("https://www.transferagentur-nordrhein-westfalen.de".into()),
            carrier_slug: Some("isa-ev".into()),
            ..agency(
                "transferagentur-nrw",
                "Transferagentur Kommunales Bildungsmanagement NRW",
                AgencyKind::TransferAgency,
                &[State::Nw],
            )
        },
        NewAgency {
            description: Some(
                "Trägerin von RuhrFutur, der gemeinsamen Bildungsinitiative der Stiftung Mercator, des Landes \
                 NRW, des Regionalverbands Ruhr, von Städten, einem Kreis und Hochschulen; regionales \
                 Bildungsmonitoring im Ruhrgebiet (Bildungsbericht Ruhr)."
                    .into(),
            ),
            website: Some("https://www.ruhrfutur.de".into()),
            ..agency("ruhrfutur", "RuhrFutur gGmbH", AgencyKind::Association, &[State::Nw])
        },
        NewAgency {
            description: Some(
                "BMBF-Projekt, im Juli 2020 im ISA gestartet: baut im Rheinischen Braunkohlerevier gemeinsam \
                 mit den Bildungsakteur*innen vor Ort ein regionales Bildungsmonitoring auf (AG Bildungsmonitoring)."
                    .into(),
            ),
            carrier_slug: Some("isa-ev".into()),
            ..agency(
                "netzwerkbuero-rheinisches-revier",
                "Netzwerkbüro Bildung Rheinisches Revier",
                AgencyKind::NetworkOffice,
                &[State::Nw],
            )
        },
        NewAgency {
            description: Some(
                "Trägerverein des Regionalen Bildungsbüros Dortmund seit 2001: wickelt Projekte ab, gibt Ideen \
                 und bindet ehrenamtliches Engagement ein."
                    .into(),
            ),
            ..agency(
                "schul-inn-do",
                "Verein zur Förderung innovativer Schulentwicklungen e.V. (schul.inn.do)",
                AgencyKind::Association,
                &[State::Nw],
            )
        },
        NewAgency {
            description: Some(
                "Koordiniert im Fachbereich Schule der Stadt Dortmund Bildungsnetzwerke in vier Handlungsfeldern: \
                 Schulentwicklung, Übergang Schule–Arbeitswelt, Dienstleistungszentrum Bildung, Schulpsychologie."
                    .into(),
            ),
            carrier_name: Some("Stadt Dortmund, Fachbereich Schule".into()),
            ..agency(
                "regionales-bildungsbuero-dortmund",
                "Regionales Bildungsbüro Dortmund",
                AgencyKind::MunicipalOffice,
                &[State::Nw],
            )
        },
        NewAgency {
            description: Some(
                "Baut mit den Bildungsakteuren in Bottrop eine Datengrundlage im Bildungsbereich auf.".into(),
            ),
            carrier_name: Some("Stadt Bottrop".into()),
            ..agency(
                "bildungsbuero-bottrop",
                "Bildungsbüro der Stadt Bottrop",
                AgencyKind::MunicipalOffice,
                &[State::Nw],
            )
        },
    ]
}

fn municipality(ags: &str, name: &str, kind: MunicipalityKind, state: State, population: i64) -> NewMunicipality {
    NewMunicipality {
        ags: ags.into(),
        name: name.into(),
        kind,
        state,
        slug: None,
        population: Some(population),
        website: None,
        education_office: None,
    }
}

fn municipalities() -> Vec<NewMunicipality> {
    use MunicipalityKind::{Kreis, KreisfreieStadt};
    vec![
        NewMunicipality {
            website: Some("https://www.bottrop.de".into()),
            education_office: Some("Bildungsbüro".into()),
            ..municipality("05512000", "Stadt Bottrop", KreisfreieStadt, State::Nw, 117_565)
        },
        NewMunicipality {
            website: Some("https://www.dortmund.de".into()),
            education_office: Some("Regionales Bildungsbüro im Fachbereich Schule".into()),
            ..municipality("05913000", "Stadt Dortmund", KreisfreieStadt, State::Nw, 595_471)
        },
        NewMunicipality {
            website: Some("https://www.landkreis-boerde.de".into()),
            education_office: Some("Stabsstelle \"Bildung integriert\" im Amt für Bildung".into()),
            ..municipality("15083", "Landkreis Börde", Kreis, State::St, 169_914)
        },
        municipality("05113000", "Stadt Essen", KreisfreieStadt, State::Nw, 584_580),
        municipality("05513000", "Stadt Gelsenkirchen", KreisfreieStadt, State::Nw, 263_000),
        municipality("05562", "Kreis Recklinghausen", Kreis, State::Nw, 614_000),
        municipality("05358", "Kreis Düren", Kreis, State::Nw, 268_000),
        municipality("05362", "Rhein-Erft-Kreis", Kreis, State::Nw, 478_000),
    ]
}

/// Loads the demo data set; returns how many records were created.
pub async fn demo(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let operator = Viewer::Operator;
    let mut count = 0;
    for input in agencies() {
        count += usize::from(created(service::create_agency(db, &operator, input).await)?);
    }
    for input in municipalities() {
        count += usize::from(created(service::create_municipality(db, &operator, input).await)?);
    }
    let programmes = [
        NewProgramme {
            slug: "bildungskommunen".into(),
            name: "Bildungskommunen".into(),
            funder: "Bundesministerium für Bildung und Forschung (BMBF) und Europäischer Sozialfonds Plus".into(),
            description: Some(
                "Kommunen bauen ein datenbasiertes kommunales Bildungsmanagement auf, begleitet von den \
                 Transferagenturen."
                    .into(),
            ),
            website: None,
            starts_on: None,
            ends_on: None,
        },
        NewProgramme {
            slug: "bildung-integriert".into(),
            name: "Bildung integriert".into(),
            funder: "Bundesministerium für Bildung und Forschung (BMBF) und Europäischer Sozialfonds (ESF)".into(),
            description: Some(
                "Förderung eines datenbasierten kommunalen Bildungsmanagements in Kreisen und kreisfreien Städten."
                    .into(),
            ),
            website: None,
            starts_on: None,
            ends_on: None,
        },
    ];
    for input in programmes {
        count += usize::from(created(service::create_programme(db, &operator, input).await)?);
    }
    let participations = [
        NewParticipation {
            programme_slug: "bildungskommunen".into(),
            municipality_ags: "05512000".into(),
            funding_code: None,
            project_title: Some("Projekt Bildungskommune Bottrop".into()),
            starts_on: None,
            ends_on: None,
        },
        NewParticipation {
            programme_slug: "bildung-integriert".into(),
            municipality_ags: "15083".into(),
            funding_code: Some("01JL1815".into()),
            project_title: Some("Bildungslandschaft Börde – Hier fällt Bildung auf fruchtbaren Boden".into()),
            starts_on: date(2020, 3, 1),
            ends_on: date(2022, 3, 31),
        },
    ];
    for input in participations {
        count += usize::from(created(service::add_participation(db, &operator, input).await)?);
    }
    let agreements = [
        NewAgreement {
            kind: AgreementKind::TargetAgreement,
            title: "Zielvereinbarung Stadt Bottrop – Transferagentur NRW".into(),
            summary: Some(
                "Die Transferagentur NRW unterstützt die Stadt Bottrop mit Begleitungs- und Beratungsangeboten \
                 beim Auf- und Ausbau des datenbasierten kommunalen Bildungsmanagements im Programm \
                 Bildungskommunen."
                    .into(),
            ),
            agency_slug: "transferagentur-nrw".into(),
            municipality_ags: Some("05512000".into()),
            partner_agency_slug: None,
            signed_on: None,
        },
        NewAgreement {
            kind: AgreementKind::CooperationAgreement,
            title: "Kooperationsvereinbarung ISA e.V. – RuhrFutur gGmbH".into(),
            summary: Some(
                "Gemeinsamer Wissens- und Erfahrungsaustausch und abgestimmte Öffentlichkeitsarbeit; \
                 Schwerpunkt Aufbau und Weiterentwicklung eines regionalen Bildungsmonitorings."
                    .into(),
            ),
            agency_slug: "isa-ev".into(),
            municipality_ags: None,
            partner_agency_slug: Some("ruhrfutur".into()),
            signed_on: date(2021, 6, 22),
        },
        NewAgreement {
            kind: AgreementKind::CooperationAgreement,
            title: "Kooperationsvereinbarung schul.inn.do – Fachbereich Schule der Stadt Dortmund".into(),
            summary: Some("Grundlage der gemeinsamen Arbeit im Regionalen Bildungsbüro Dortmund.".into()),
            agency_slug: "schul-inn-do".into(),
            municipality_ags: Some("05913000".into()),
            partner_agency_slug: None,
            signed_on: None,
        },
    ];
    for input in agreements {
        count += usize::from(created(service::create_agreement(db, &operator, input).await)?);
    }
    Ok(count)
}

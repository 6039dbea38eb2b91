//! The demo data set, drawn from the domain texts: Stadt Bottrop and its Zielvereinbarung with
//! the Transferagentur NRW (programme Bildungskommunen), ISA e.V. and RuhrFutur's
//! Kooperationsvereinbarung, the Netzwerkbüro Bildung Rheinisches Revier, Landkreis Börde in
//! Bildung integriert (01JL1815), Stadt Dortmund's Regionales Bildungsbüro and schul.inn.do —
//! and a good practice of each, written from the same texts; and two portals over them.
//!
//! Loaded through the same services as the API (as the operator), so it is validated like any
//! input. Loading it twice changes nothing: what exists already is left alone.

mod accompaniment;
mod documents;
mod indicators;

use chrono::NaiveDate;
use dkbm_entity::{AgencyKind, AgreementKind, EducationStage, MunicipalityKind, PracticeStatus, State, TargetGroup};

mod portals;
mod showcase;

pub use showcase::showcase;

use crate::app::App;
use crate::auth::Viewer;
use crate::directory::service::{self, NewAgency, NewAgreement, NewMunicipality, NewParticipation, NewProgramme};
use crate::error::{AppError, AppResult};
use crate::practices;
use crate::practices::service::{Contact, Content, NewPractice};

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
        contact_email: None,
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
        NewAgency {
            description: Some(
                "Koordinierungs- und Schnittstelle für amtsübergreifende Bildungsvorhaben der Kreisverwaltung, \
                 verortet im Amt für Bildung."
                    .into(),
            ),
            carrier_name: Some("Landkreis Börde, Amt für Bildung".into()),
            ..agency(
                "bildung-integriert-boerde",
                "Stabsstelle \"Bildung integriert\" des Landkreises Börde",
                AgencyKind::MunicipalOffice,
                &[State::St],
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

/// Creates a demo municipality; where the real map has it already (Bottrop, Börde …), gives it
/// the demo's website and education office if it has none. Whether it was created.
async fn demo_municipality(app: &App, operator: &Viewer, input: NewMunicipality) -> AppResult<bool> {
    let (ags, website, education_office) = (input.ags.clone(), input.website.clone(), input.education_office.clone());
    if created(service::create_municipality(&app.state.writer, operator, input).await)? {
        return Ok(true);
    }
    let Some(place) = service::municipality_by_ags(app.state.conn(), &ags).await? else {
        return Ok(false);
    };
    let changes = service::MunicipalityChanges {
        website: place.website.is_none().then_some(website).filter(Option::is_some),
        education_office: place
            .education_office
            .is_none()
            .then_some(education_office)
            .filter(Option::is_some),
        ..Default::default()
    };
    if changes.website.is_some() || changes.education_office.is_some() {
        let directory = &app.areas.directory;
        service::update_municipality(&app.state.writer, directory, operator, place.id.into(), changes).await?;
    }
    Ok(false)
}

struct DemoPractice {
    agency: &'static str,
    slug: &'static str,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    topics: &'static [&'static str],
    municipalities: &'static [&'static str],
    target_groups: &'static [TargetGroup],
    stages: &'static [EducationStage],
    contact: (&'static str, &'static str),
}

fn practices() -> Vec<DemoPractice> {
    use EducationStage as E;
    use TargetGroup as T;
    vec![
        DemoPractice {
            agency: "bildungsbuero-bottrop",
            slug: "datengrundlage-bildungsbuero-bottrop",
            title: "Eine Datengrundlage für die Bildungslandschaft: das Bildungsbüro Bottrop",
            summary: "Im Programm Bildungskommunen baut das Bildungsbüro der Stadt Bottrop gemeinsam mit den \
                      Bildungsakteuren eine Datengrundlage auf, um strategische Entscheidungen für eine gute und \
                      gerechte Bildungslandschaft zu treffen.",
            body: "## Ausgangslage\n\nBottrop ist Teil der DKBM-Community in NRW: Mit der Zielvereinbarung begleitet die \
                   Transferagentur NRW die Stadt beim Auf- und Ausbau des datenbasierten kommunalen Bildungsmanagements.\n\n\
                   ## Vorgehen\n\n- Daten aus Schule, Jugendhilfe und Weiterbildung zusammenführen\n\
                   - die ämterübergreifende Zusammenarbeit ausbauen, insbesondere bei der Auswertung\n\
                   - Erfahrungen austauschen und von guten Beispielen lernen\n\n\
                   ## Themen\n\nLebenslanges Lernen, Bildungsgerechtigkeit und Teilhabechancen.",
            topics: &["education-monitoring", "cross-office-cooperation", "educational-equity"],
            municipalities: &["05512000"],
            target_groups: &[T::Administration, T::EducationProfessionals],
            stages: &[E::NonFormal, E::AdultEducation],
            contact: ("Team des Bildungsbüros", "Bildungsbüro der Stadt Bottrop"),
        },
        DemoPractice {
            agency: "bildung-integriert-boerde",
            slug: "stabsstelle-bildung-integriert-boerde",
            title: "Ämterübergreifend steuern: die Stabsstelle \"Bildung integriert\" im Landkreis Börde",
            summary: "Der Landkreis Börde baut ein datenbasiertes kommunales Bildungsmanagement auf: verlässliche \
                      Strukturen der Zusammenarbeit zwischen den Ämtern, eine Bildungsberichterstattung und \
                      Informationen über die Bildungslandschaft für die Bürgerinnen und Bürger.",
            body: "Bildung ist mehr als Schule: Menschen lernen ein Leben lang – in Kitas und Schulen, in Museen und \
                   Konzerten, im Jugendclub und beim Basteln im Hobbykeller.\n\n\
                   Das Vorhaben *Bildungslandschaft Börde – Hier fällt Bildung auf fruchtbaren Boden* \
                   (Förderkennzeichen 01JL1815) wurde von März 2020 bis März 2022 im Programm Bildung integriert \
                   gefördert.\n\n\
                   1. Strukturen der internen Zusammenarbeit verschiedener Ämter schaffen\n\
                   2. Eine Bildungsberichterstattung aufbauen, die datenbasierte Steuerung ermöglicht\n\
                   3. Den Zugang zu Bildungsangeboten für Bürgerinnen und Bürger erleichtern",
            topics: &["cross-office-cooperation", "education-monitoring", "lifelong-learning"],
            municipalities: &["15083"],
            target_groups: &[T::Administration, T::Adults],
            stages: &[E::NonFormal, E::AdultEducation, E::EarlyChildhood],
            contact: ("Stabsstelle Bildung integriert", "Amt für Bildung, Landkreis Börde"),
        },
        DemoPractice {
            agency: "regionales-bildungsbuero-dortmund",
            slug: "regionales-bildungsbuero-dortmund-uebergaenge",
            title: "Übergänge zwischen Schule und Arbeitswelt gestalten: das Regionale Bildungsbüro Dortmund",
            summary: "Seit 15 Jahren sorgt das Regionale Bildungsbüro dafür, dass Bildungs-, Erziehungs- und \
                      Beratungssysteme im Stadtteil, in der Stadt und in der Region systematisch zusammenarbeiten.",
            body: "Vier Handlungsfelder:\n\n\
                   - schulische Entwicklungsprozesse\n\
                   - die Gestaltung von Übergängen zwischen Schule und Arbeitswelt\n\
                   - Beratung für Familien im Dienstleistungszentrum Bildung\n\
                   - die Schulpsychologische Beratungsstelle\n\n\
                   Der Verein zur Förderung innovativer Schulentwicklungen e.V. (schul.inn.do) ist Trägerverein und \
                   Ideengeber.",
            topics: &[
                "transition-school-work",
                "school-development",
                "family-education",
                "school-psychology",
            ],
            municipalities: &["05913000"],
            target_groups: &[T::YoungPeople, T::ParentsAndFamilies, T::EducationProfessionals],
            stages: &[E::Secondary, E::TransitionSchoolWork],
            contact: ("Regionales Bildungsbüro", "Fachbereich Schule der Stadt Dortmund"),
        },
        DemoPractice {
            agency: "ruhrfutur",
            slug: "bildungsbericht-ruhr-regionales-monitoring",
            title: "Bildungsbericht Ruhr: ein regionales Bildungsmonitoring für das Ruhrgebiet",
            summary: "Ein kontinuierliches regionales Bildungsmonitoring und eine darauf aufbauende \
                      Bildungsberichterstattung schaffen die Voraussetzung für gemeinsames Handeln über kommunale \
                      Grenzen hinweg.",
            body: "Viele Kommunen stehen demografisch, sozial und ökonomisch vor ähnlichen Herausforderungen. \
                   Insbesondere bestehende Bildungsungleichheiten erfordern gemeinsames Handeln aller zentralen \
                   Bildungsakteurinnen und -akteure.",
            topics: &["education-monitoring", "educational-equity", "education-networks"],
            municipalities: &["05513000", "05113000", "05562"],
            target_groups: &[T::Administration, T::Children, T::YoungPeople],
            stages: &[E::Primary, E::Secondary],
            contact: ("RuhrFutur gGmbH", "Bildungsmonitoring"),
        },
        DemoPractice {
            agency: "netzwerkbuero-rheinisches-revier",
            slug: "ag-bildungsmonitoring-rheinisches-revier",
            title: "AG Bildungsmonitoring im Rheinischen Revier",
            summary: "Im Rheinischen Braunkohlerevier baut das Netzwerkbüro Bildung gemeinsam mit den \
                      Bildungsakteurinnen und -akteuren vor Ort ein regionales Bildungsmonitoring auf.",
            body: "Die AG Bildungsmonitoring bündelt Wissen zur Datenbasierung und zum regionalen Monitoring. \
                   Sie tauscht sich mit RuhrFutur und der Steuerungsgruppe der Transferagentur NRW aus.",
            topics: &["education-monitoring", "education-networks"],
            municipalities: &["05358", "05362"],
            target_groups: &[T::Administration, T::CivilSociety],
            stages: &[E::NonFormal],
            contact: (
                "Netzwerkbüro Bildung Rheinisches Revier",
                "Institut für soziale Arbeit e.V.",
            ),
        },
    ]
}

/// Loads the demo data set; returns how many records were created.
pub async fn demo(app: &App) -> anyhow::Result<usize> {
    let state = &app.state;
    let writer = &state.writer;
    let operator = Viewer::Operator;
    let mut count = 0;
    for input in agencies() {
        count += usize::from(created(service::create_agency(writer, &operator, input).await)?);
    }
    for input in municipalities() {
        count += usize::from(demo_municipality(app, &operator, input).await?);
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
        count += usize::from(created(service::create_programme(writer, &operator, input).await)?);
    }
    // "Bildung integriert" was succeeded by "Bildungskommunen" in 2022.
    let succession = service::OrganisationSuccession {
        kind: service::Organisation::Programme,
        from_slug: "bildung-integriert".into(),
        to_slug: "bildungskommunen".into(),
        since: date(2022, 1, 1).unwrap_or_default(),
        reason: dkbm_entity::SuccessionReason::Succeeded,
    };
    count += usize::from(created(
        service::record_succession(writer, &operator, succession).await,
    )?);
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
        count += usize::from(created(service::add_participation(writer, &operator, input).await)?);
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
        count += usize::from(created(service::create_agreement(writer, &operator, input).await)?);
    }
    for practice in practices() {
        let input = NewPractice {
            agency_slug: practice.agency.into(),
            slug: Some(practice.slug.into()),
            status: PracticeStatus::Published,
            external_id: None,
            content: Content {
                title: practice.title.into(),
                summary: practice.summary.into(),
                body: practice.body.into(),
                topics: practice.topics.iter().map(|s| (*s).to_owned()).collect(),
                municipality_ags: practice.municipalities.iter().map(|s| (*s).to_owned()).collect(),
                target_groups: practice.target_groups.to_vec(),
                stages: practice.stages.to_vec(),
                contact: Contact {
                    name: Some(practice.contact.0.into()),
                    role: Some(practice.contact.1.into()),
                    email: None,
                },
                links: Vec::new(),
                license: Some("CC-BY-4.0".into()),
                source_url: None,
            },
        };
        count += usize::from(created(
            practices::service::create_practice(writer, &operator, input).await,
        )?);
    }
    count += demo_events(writer, &operator).await?;
    count += indicators::demo_indicators(state, &operator).await?;
    count += accompaniment::demo_accompaniment(writer).await?;
    count += documents::demo_attachments(app, &operator).await?;
    for (slug, title, description, visibility) in [
        (
            "austausch",
            "Austausch der DKBM-Community",
            "Fragen und Erfahrungen rund um das datenbasierte kommunale Bildungsmanagement.",
            dkbm_entity::ForumVisibility::Public,
        ),
        (
            "ag-bildungsmonitoring",
            "AG Bildungsmonitoring",
            "Die Arbeitsgemeinschaft der Bildungsmonitorerinnen und -monitorer.",
            dkbm_entity::ForumVisibility::Group,
        ),
    ] {
        let input = crate::forums::service::NewForum {
            slug: slug.into(),
            title: title.into(),
            description: description.into(),
            visibility,
        };
        count += usize::from(created(
            crate::forums::service::create_forum(writer, &operator, input).await,
        )?);
    }
    count += portals::demo_portals(app, &operator).await?;
    Ok(count)
}

/// Three upcoming events (dated from the first seeding; their slugs keep a second seeding from
/// adding them again).
async fn demo_events(writer: &crate::db::Writer, operator: &Viewer) -> AppResult<usize> {
    use crate::events::service::{DEFAULT_TIME_ZONE, EventDraft, NewEvent, Venue, create_event};
    use dkbm_entity::EventFormat;
    let today = crate::db::now().date_naive();
    let at = |days: i64, hour: u32| {
        (today + chrono::Duration::days(days))
            .and_hms_opt(hour, 0, 0)
            .unwrap_or_default()
            .and_utc()
    };
    let events = [
        (
            "werkstatt-bildungsmonitoring",
            "Werkstatt Bildungsmonitoring: Übergänge sichtbar machen",
            "Wie kommunale Bildungsberichte Übergänge zwischen Schule und Beruf sichtbar machen – mit \
             Beispielen aus Bottrop und Dortmund.",
            EventFormat::Workshop,
            vec!["education-monitoring", "transition-school-work"],
            (21, 8, 21, 15),
            Some(Venue {
                name: Some("Rathaus Dortmund".into()),
                street: Some("Friedensplatz 1".into()),
                postal_code: Some("44135".into()),
                city: Some("Dortmund".into()),
            }),
            None,
            Some(25),
        ),
        (
            "webinar-datenschutz-bildungsdaten",
            "Webinar: Datenschutz bei Bildungsdaten",
            "Was Kommunen bei der Auswertung von Bildungsdaten beachten müssen.",
            EventFormat::Webinar,
            vec!["education-monitoring"],
            (10, 13, 10, 15),
            None,
            Some("https://webinar.example.org/dkbm-datenschutz".to_owned()),
            None,
        ),
        (
            "peer-austausch-ag-bildungsmonitoring",
            "Kollegialer Austausch der AG Bildungsmonitoring",
            "Kommunen der Transferagentur NRW stellen einander ihre Bildungsberichte vor.",
            EventFormat::PeerExchange,
            vec!["education-monitoring", "cross-office-cooperation"],
            (35, 9, 35, 13),
            Some(Venue {
                name: Some("Bildungsbüro Bottrop".into()),
                street: None,
                postal_code: Some("46236".into()),
                city: Some("Bottrop".into()),
            }),
            Some("https://konferenz.example.org/ag-bildungsmonitoring".to_owned()),
            Some(12),
        ),
    ];
    let mut count = 0;
    for (slug, title, description, format, topics, (d1, h1, d2, h2), venue, online_url, capacity) in events {
        let input = NewEvent {
            organizer_slug: "transferagentur-nrw".into(),
            slug: Some(slug.into()),
            draft: EventDraft {
                title: title.into(),
                description: description.into(),
                format,
                topics: topics.into_iter().map(str::to_owned).collect(),
                starts_at: at(d1, h1),
                ends_at: at(d2, h2),
                time_zone: DEFAULT_TIME_ZONE.into(),
                venue,
                online_url,
                capacity,
                waitlist_enabled: true,
                registration_opens_at: None,
                registration_closes_at: None,
            },
        };
        count += usize::from(created(create_event(writer, operator, input).await)?);
    }
    Ok(count)
}

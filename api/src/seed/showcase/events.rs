//! Twelve upcoming qualification events over the next six months, by several agencies: dated
//! from the day of the first load (their slugs keep a later load from adding them again).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use dkbm_entity::EventFormat::{self, Conference, PeerExchange, TrainingSeries, Webinar, Workshop};

use crate::auth::Viewer;
use crate::db::{Writer, now};
use crate::error::AppResult;
use crate::events::service::{DEFAULT_TIME_ZONE, EventDraft, NewEvent, Venue, create_event};
use crate::seed::created;

/// What every showcase event says of itself.
const FICTIONAL: &str = "(Fiktive Veranstaltung für die Demo-Daten.)";

/// A venue: (name, street, postal code, city).
type Address = (&'static str, &'static str, &'static str, &'static str);

/// An event as planned: days from today and hours (UTC) of its start and end.
struct Planned {
    slug: &'static str,
    /// The organising agency's slug.
    organizer: &'static str,
    title: &'static str,
    /// Without the note that it is fictional, which is appended.
    description: &'static str,
    format: EventFormat,
    /// Topic slugs.
    topics: &'static [&'static str],
    /// (days from today, hour UTC)
    starts: (i64, u32),
    /// (days from today, hour UTC)
    ends: (i64, u32),
    venue: Option<Address>,
    online_url: Option<&'static str>,
    /// Seats (`None`: unlimited); a limited event has a waiting list.
    capacity: Option<i32>,
}

// The venues: city halls of the host cities.
const MUENCHEN: Address = (
    "Rathaus München, Kleiner Sitzungssaal",
    "Marienplatz 8",
    "80331",
    "München",
);
const HANNOVER: Address = ("Neues Rathaus Hannover", "Trammplatz 2", "30159", "Hannover");
const POTSDAM: Address = ("Rathaus Potsdam", "Friedrich-Ebert-Straße 79/81", "14469", "Potsdam");
const MAINZ: Address = ("Rathaus Mainz", "Jockel-Fuchs-Platz 1", "55116", "Mainz");
const MUENSTER: Address = ("Rathaus Münster", "Prinzipalmarkt 10", "48143", "Münster");
const LEIPZIG: Address = ("Neues Rathaus Leipzig", "Martin-Luther-Ring 4–6", "04109", "Leipzig");
const NUERNBERG: Address = ("Rathaus Nürnberg", "Rathausplatz 2", "90403", "Nürnberg");
const FRANKFURT: Address = ("Römer, Frankfurt am Main", "Römerberg 23", "60311", "Frankfurt am Main");
const ESSEN: Address = ("Rathaus Essen", "Porscheplatz 1", "45127", "Essen");

/// The twelve events, by date.
const EVENTS: &[Planned] = &[
    Planned {
        slug: "einfuehrung-kommunales-bildungsmonitoring-bayern",
        organizer: "transferagentur-bayern",
        title: "Einführung in das kommunale Bildungsmonitoring",
        description: "Von der Fragestellung zum Indikator: wie Kommunen ein Bildungsmonitoring aufbauen, welche \
                      Daten sie brauchen und wie ein erster Bildungsbericht entsteht.",
        format: Workshop,
        topics: &["education-monitoring"],
        starts: (9, 8),
        ends: (9, 15),
        venue: Some(MUENCHEN),
        online_url: None,
        capacity: Some(30),
    },
    Planned {
        slug: "webinar-kita-daten-kleinraeumig",
        organizer: "transferagentur-mitteldeutschland",
        title: "Webinar: Kita-Daten kleinräumig auswerten",
        description: "Sozialraumindex, Schuleingangsuntersuchung, Kita-Besuchsquoten: Beispiele aus Kreisen und \
                      Städten, die ihre Kita-Planung auf kleinräumige Daten stützen.",
        format: Webinar,
        topics: &["early-education", "education-monitoring"],
        starts: (16, 9),
        ends: (16, 11),
        venue: None,
        online_url: Some("https://webinar.example.org/kita-daten"),
        capacity: Some(100),
    },
    Planned {
        slug: "fachtag-jugendberufsagenturen-niedersachsen",
        organizer: "transferagentur-niedersachsen",
        title: "Fachtag Übergang Schule–Beruf: Jugendberufsagenturen im Vergleich",
        description: "Drei Jugendberufsagenturen stellen ihre Arbeitsweise vor; Foren zu Übergangsmonitoring, \
                      Datenaustausch und aufsuchender Beratung.",
        format: Conference,
        topics: &["transition-school-work", "education-networks"],
        starts: (23, 8),
        ends: (23, 15),
        venue: Some(HANNOVER),
        online_url: None,
        capacity: Some(120),
    },
    Planned {
        slug: "qualifizierungsreihe-bildungsmanagement-nord-ost",
        organizer: "transferagentur-nord-ost",
        title: "Qualifizierungsreihe Kommunales Bildungsmanagement (vier Module)",
        description: "Vier Module über sechs Wochen: Steuerung und Strategie, Bildungsmonitoring, Netzwerkarbeit, \
                      Beteiligung. Präsenztermine in Potsdam, dazwischen Online-Sprechstunden.",
        format: TrainingSeries,
        topics: &["cross-office-cooperation", "education-monitoring", "education-networks"],
        starts: (30, 8),
        ends: (72, 14),
        venue: Some(POTSDAM),
        online_url: Some("https://konferenz.example.org/qualifizierungsreihe"),
        capacity: Some(24),
    },
    Planned {
        slug: "webinar-datenschutz-datenaustausch",
        organizer: "transferagentur-hessen",
        title: "Webinar: Datenschutz beim Datenaustausch zwischen Schule und Jugendhilfe",
        description: "Welche Rechtsgrundlagen tragen den Austausch von Bildungsdaten zwischen Ämtern? Mit \
                      Musterklauseln und Fragen aus der Praxis.",
        format: Webinar,
        topics: &["education-monitoring", "cross-office-cooperation"],
        starts: (37, 12),
        ends: (37, 14),
        venue: None,
        online_url: Some("https://webinar.example.org/datenschutz-datenaustausch"),
        capacity: None,
    },
    Planned {
        slug: "kollegialer-austausch-bildungskonferenzen",
        organizer: "transferagentur-rheinland-pfalz-saarland",
        title: "Bildungskonferenzen wirksam gestalten – kollegialer Austausch",
        description: "Geschäftsstellen von Bildungskonferenzen beraten einander: Formate, Beteiligung, und wie aus \
                      Empfehlungen Beschlüsse werden.",
        format: PeerExchange,
        topics: &["education-networks", "cross-office-cooperation"],
        starts: (51, 8),
        ends: (51, 13),
        venue: Some(MAINZ),
        online_url: None,
        capacity: Some(20),
    },
    Planned {
        slug: "werkstatt-elternarbeit-familien-bildungspartner",
        organizer: "transferagentur-nrw",
        title: "Werkstatt Elternarbeit: Familien als Bildungspartner gewinnen",
        description: "Bildungslotsen, Elterncafés, mehrsprachige Wegweiser: was Kommunen tun, um Familien zu \
                      erreichen, die Angebote bisher nicht nutzen.",
        format: Workshop,
        topics: &["family-education", "educational-equity"],
        starts: (58, 8),
        ends: (58, 14),
        venue: Some(MUENSTER),
        online_url: None,
        capacity: Some(25),
    },
    Planned {
        slug: "webinar-bildungskoordination-neuzugewanderte",
        organizer: "transferagentur-nord",
        title: "Webinar: Bildungskoordination für Neuzugewanderte – was wirkt?",
        description: "Erfahrungen aus Kreisen und Städten: Erstberatung, Netzwerke mit Jobcenter und \
                      Volkshochschule, Monitoring der Bildungswege.",
        format: Webinar,
        topics: &["integration", "education-networks"],
        starts: (72, 9),
        ends: (72, 11),
        venue: None,
        online_url: Some("https://webinar.example.org/neuzugewanderte"),
        capacity: Some(200),
    },
    Planned {
        slug: "fachtag-ganztag-grundschule-mitteldeutschland",
        organizer: "transferagentur-mitteldeutschland",
        title: "Fachtag Ganztag in der Grundschule: den Rechtsanspruch kommunal planen",
        description: "Bedarfsplanung, Räume, Personal und Qualität: wie Schulverwaltung und Jugendhilfe den Ganztag \
                      gemeinsam planen.",
        format: Conference,
        topics: &["school-development", "cross-office-cooperation"],
        starts: (86, 8),
        ends: (86, 15),
        venue: Some(LEIPZIG),
        online_url: None,
        capacity: Some(150),
    },
    Planned {
        slug: "netzwerktreffen-mint-regionen-bayern",
        organizer: "transferagentur-bayern",
        title: "Netzwerktreffen der MINT-Regionen",
        description: "MINT-Koordinatorinnen und -Koordinatoren tauschen sich über Bildungsketten, Angebote für \
                      Mädchen und die Zusammenarbeit mit Betrieben aus.",
        format: PeerExchange,
        topics: &["education-networks", "transition-school-work"],
        starts: (107, 8),
        ends: (107, 14),
        venue: Some(NUERNBERG),
        online_url: Some("https://konferenz.example.org/mint-regionen"),
        capacity: Some(40),
    },
    Planned {
        slug: "workshop-weiterbildungsberatung-kommunal",
        organizer: "transferagentur-hessen",
        title: "Workshop: Weiterbildungsberatung kommunal verankern",
        description: "Trägerneutrale Beratung, gemeinsame Angebotsdatenbanken und Grundbildung: Bausteine einer \
                      kommunalen Strategie für lebenslanges Lernen.",
        format: Workshop,
        topics: &["lifelong-learning"],
        starts: (135, 8),
        ends: (135, 14),
        venue: Some(FRANKFURT),
        online_url: None,
        capacity: Some(24),
    },
    Planned {
        slug: "jahrestagung-bildungsmonitoring-ruhr",
        organizer: "ruhrfutur",
        title: "Jahrestagung Bildungsmonitoring Ruhr",
        description: "Neue Daten aus dem regionalen Bildungsmonitoring, Foren zu Bildungsungleichheit und \
                      gemeinsamem Handeln über kommunale Grenzen hinweg.",
        format: Conference,
        topics: &["education-monitoring", "educational-equity"],
        starts: (166, 8),
        ends: (166, 15),
        venue: Some(ESSEN),
        online_url: None,
        capacity: Some(300),
    },
];

/// The moment `days` from `today` at `hour` (UTC).
fn at(today: NaiveDate, (days, hour): (i64, u32)) -> DateTime<Utc> {
    (today + Duration::days(days))
        .and_hms_opt(hour, 0, 0)
        .unwrap_or_default()
        .and_utc()
}

/// The event as the events service takes it, dated from `today`.
fn new_event(event: &Planned, today: NaiveDate) -> NewEvent {
    NewEvent {
        organizer_slug: event.organizer.into(),
        slug: Some(event.slug.into()),
        draft: EventDraft {
            title: event.title.into(),
            description: format!("{} {FICTIONAL}", event.description),
            format: event.format,
            topics: event.topics.iter().map(|topic| (*topic).to_owned()).collect(),
            starts_at: at(today, event.starts),
            ends_at: at(today, event.ends),
            time_zone: DEFAULT_TIME_ZONE.into(),
            venue: event.venue.map(|(name, street, postal_code, city)| Venue {
                name: Some(name.into()),
                street: Some(street.into()),
                postal_code: Some(postal_code.into()),
                city: Some(city.into()),
            }),
            online_url: event.online_url.map(Into::into),
            capacity: event.capacity,
            waitlist_enabled: event.capacity.is_some(),
            registration_opens_at: None,
            registration_closes_at: None,
        },
    }
}

/// Creates the events that do not exist yet; how many were created.
pub(super) async fn create_events(writer: &Writer, operator: &Viewer) -> AppResult<usize> {
    let today = now().date_naive();
    let mut count = 0;
    for event in EVENTS {
        count += usize::from(created(create_event(writer, operator, new_event(event, today)).await)?);
    }
    Ok(count)
}

//! A corpus of German good-practice texts for the search tests and benchmarks: written from
//! phrase banks on the fields of action, combined deterministically, so that every run (and
//! every backend) gets exactly the same texts. 240 practices by default.

use serde_json::{Value, json};

/// One theme: phrases for titles, summaries and bodies, and how it is classified.
struct Theme {
    titles: &'static [&'static str],
    summaries: &'static [&'static str],
    sentences: &'static [&'static str],
    topics: &'static [&'static str],
    target_groups: &'static [&'static str],
    stages: &'static [&'static str],
}

const THEMES: &[Theme] = &[
    Theme {
        titles: &[
            "Übergang Schule–Beruf gestalten",
            "Übergänge in die Ausbildung begleiten",
            "Berufsorientierung ab Klasse 8",
        ],
        summaries: &[
            "Jugendliche werden beim Übergang von der Schule in Ausbildung und Beruf verlässlich begleitet.",
            "Schulen, Betriebe und die Agentur für Arbeit stimmen ihre Angebote zur Berufsorientierung ab.",
            "Kein Abschluss ohne Anschluss: Übergänge werden früh geplant und gemeinsam gestaltet.",
        ],
        sentences: &[
            "Die Schulen bieten Praktika in Betrieben der Region an.",
            "Ein Übergangsmanagement sorgt dafür, dass kein Jugendlicher verloren geht.",
            "Berufseinstiegsbegleiterinnen beraten die Schülerinnen und Schüler individuell.",
            "Die Kammern und Betriebe beteiligen sich an Ausbildungsmessen.",
            "Daten zu Anschlüssen nach der Schule werden jährlich ausgewertet.",
            "Eltern werden in die Berufswahl ihrer Kinder einbezogen.",
        ],
        topics: &["transition-school-work"],
        target_groups: &["YOUNG_PEOPLE", "PARENTS_AND_FAMILIES"],
        stages: &["SECONDARY", "TRANSITION_SCHOOL_WORK", "VOCATIONAL"],
    },
    Theme {
        titles: &[
            "Frühkindliche Bildung in Kitas stärken",
            "Sprachbildung im Kita-Alltag",
            "Familienzentren als Bildungsorte",
        ],
        summaries: &[
            "Kitas und Familienzentren werden als erste Bildungsorte gestärkt.",
            "Alltagsintegrierte Sprachbildung erreicht alle Kinder in der Kindertagesbetreuung.",
            "Fachkräfte in Kitas werden für die Zusammenarbeit mit Familien qualifiziert.",
        ],
        sentences: &[
            "Die Kitas im Stadtteil arbeiten eng mit den Grundschulen zusammen.",
            "Fachberatungen begleiten die Teams bei der Sprachbildung.",
            "Der Übergang von der Kita in die Grundschule wird gemeinsam vorbereitet.",
            "Familienzentren bieten offene Sprechstunden für Eltern an.",
            "Die Betreuungsquote wird kleinräumig beobachtet.",
            "Kinder mit Förderbedarf werden früh erkannt und unterstützt.",
        ],
        topics: &["early-education", "family-education"],
        target_groups: &["CHILDREN", "PARENTS_AND_FAMILIES", "EDUCATION_PROFESSIONALS"],
        stages: &["EARLY_CHILDHOOD", "PRIMARY"],
    },
    Theme {
        titles: &[
            "Bildungsmonitoring aufbauen",
            "Ein kommunaler Bildungsbericht",
            "Kleinräumiges Bildungsmonitoring",
        ],
        summaries: &[
            "Ein datenbasiertes Bildungsmonitoring liefert die Grundlage für strategische Entscheidungen.",
            "Der kommunale Bildungsbericht macht die Bildungslandschaft sichtbar.",
            "Indikatoren zu Bildungsbeteiligung und Abschlüssen werden kleinräumig ausgewertet.",
        ],
        sentences: &[
            "Das Bildungsbüro führt Daten aus Schule, Jugendhilfe und Statistik zusammen.",
            "Ein Indikatorenset wurde mit den Fachämtern abgestimmt.",
            "Die Ergebnisse werden im Bildungsausschuss vorgestellt.",
            "Der Bildungsbericht erscheint alle zwei Jahre.",
            "Sozialräumliche Auswertungen zeigen Unterschiede zwischen den Stadtteilen.",
            "Die Transferagentur berät beim Aufbau des Monitorings.",
        ],
        topics: &["education-monitoring"],
        target_groups: &["ADMINISTRATION"],
        stages: &["NON_FORMAL"],
    },
    Theme {
        titles: &[
            "Ämterübergreifend zusammenarbeiten",
            "Eine Steuerungsgruppe Bildung",
            "Bildung als Querschnittsaufgabe der Verwaltung",
        ],
        summaries: &[
            "Verschiedene Ämter arbeiten in einer verbindlichen Struktur an gemeinsamen Bildungszielen.",
            "Eine Steuerungsgruppe bündelt die Bildungsvorhaben der Verwaltung.",
            "Die Zusammenarbeit zwischen Schulamt, Jugendamt und Sozialamt wird verstetigt.",
        ],
        sentences: &[
            "Die Amtsleitungen treffen sich viermal im Jahr.",
            "Gemeinsame Ziele wurden in einer Vereinbarung festgehalten.",
            "Die Stabsstelle koordiniert die ämterübergreifenden Vorhaben.",
            "Zuständigkeiten und Schnittstellen wurden klar beschrieben.",
            "Die Verwaltungsspitze unterstützt das Vorhaben ausdrücklich.",
            "Erfahrungen werden mit anderen Kommunen ausgetauscht.",
        ],
        topics: &["cross-office-cooperation"],
        target_groups: &["ADMINISTRATION"],
        stages: &["NON_FORMAL"],
    },
    Theme {
        titles: &[
            "Sprachförderung für Neuzugewanderte",
            "Willkommen in der Schule: Seiteneinstieg",
            "Bildungsberatung für Zugewanderte",
        ],
        summaries: &[
            "Neuzugewanderte Kinder und Jugendliche finden schnell einen Platz in Schule und Ausbildung.",
            "Sprachkurse und Bildungsberatung werden für Zugewanderte aufeinander abgestimmt.",
            "Ein kommunales Integrationszentrum koordiniert die Angebote.",
        ],
        sentences: &[
            "Seiteneinsteigerinnen und Seiteneinsteiger werden an den Schulen begleitet.",
            "Die Sprachförderung beginnt bereits in der Kita.",
            "Sprach- und Kulturmittler unterstützen die Elterngespräche.",
            "Die Anerkennung ausländischer Abschlüsse wird beraten.",
            "Ehrenamtliche Lernpaten helfen bei den Hausaufgaben.",
            "Die Zahl der Zuwanderungen wird im Monitoring beobachtet.",
        ],
        topics: &["integration"],
        target_groups: &["NEWLY_ARRIVED", "CHILDREN", "YOUNG_PEOPLE"],
        stages: &["PRIMARY", "SECONDARY", "ADULT_EDUCATION"],
    },
    Theme {
        titles: &[
            "Elternarbeit an Grundschulen",
            "Familienbildung im Quartier",
            "Bildungsberatung für Familien",
        ],
        summaries: &[
            "Familien werden rund um Bildungsfragen beraten und begleitet.",
            "Elterncafés an Grundschulen schaffen niedrigschwellige Zugänge.",
            "Ein Dienstleistungszentrum Bildung berät Familien aus einer Hand.",
        ],
        sentences: &[
            "Die Beratung ist kostenlos und mehrsprachig.",
            "Familien erhalten Informationen zu Schulwechseln und Förderangeboten.",
            "Elternbegleiterinnen besuchen die Familien zu Hause.",
            "Die Schulen laden regelmäßig zu Elternabenden ein.",
            "Die Familienbildungsstätte bietet Kurse für junge Eltern an.",
            "Schulpsychologische Beratung ergänzt das Angebot.",
        ],
        topics: &["family-education", "school-psychology"],
        target_groups: &["PARENTS_AND_FAMILIES", "CHILDREN"],
        stages: &["EARLY_CHILDHOOD", "PRIMARY"],
    },
    Theme {
        titles: &[
            "Kulturelle Bildung in Museen",
            "Musikschule und Schule kooperieren",
            "Kulturrucksack für Kinder",
        ],
        summaries: &[
            "Museen, Bibliotheken und Musikschulen werden zu Lernorten für alle.",
            "Kulturelle Bildung erreicht Kinder und Jugendliche unabhängig von ihrer Herkunft.",
            "Schulen und Kultureinrichtungen entwickeln gemeinsame Projekte.",
        ],
        sentences: &[
            "Die Museen bieten Workshops für Schulklassen an.",
            "Die Stadtbibliothek organisiert Leseclubs in den Ferien.",
            "Künstlerinnen arbeiten ein Schuljahr lang in den Klassen.",
            "Konzerte für Kinder finden in den Stadtteilen statt.",
            "Der Kulturrucksack finanziert Angebote für Zehn- bis Vierzehnjährige.",
            "Die Angebote sind für die Familien kostenfrei.",
        ],
        topics: &["cultural-education", "lifelong-learning"],
        target_groups: &["CHILDREN", "YOUNG_PEOPLE"],
        stages: &["PRIMARY", "SECONDARY", "NON_FORMAL"],
    },
    Theme {
        titles: &[
            "Inklusion in Kitas und Schulen",
            "Inklusive Bildungslandschaft",
            "Schulbegleitung neu organisiert",
        ],
        summaries: &[
            "Kinder mit und ohne Behinderung lernen gemeinsam.",
            "Die Schulbegleitung wird in Pools organisiert und verlässlicher.",
            "Ein Inklusionsbüro berät Schulen, Kitas und Familien.",
        ],
        sentences: &[
            "Multiprofessionelle Teams arbeiten an den Schulen.",
            "Barrieren in Gebäuden und Angeboten werden systematisch abgebaut.",
            "Fortbildungen für Lehrkräfte behandeln inklusiven Unterricht.",
            "Die Familien werden bei der Schulwahl beraten.",
            "Die Förderschulen öffnen sich als Kompetenzzentren.",
            "Inklusion wird im Bildungsbericht eigens dargestellt.",
        ],
        topics: &["inclusion", "school-development"],
        target_groups: &["CHILDREN", "EDUCATION_PROFESSIONALS"],
        stages: &["EARLY_CHILDHOOD", "PRIMARY", "SECONDARY"],
    },
    Theme {
        titles: &[
            "Lebenslanges Lernen im Quartier",
            "Grundbildung für Erwachsene",
            "Weiterbildungsberatung in der Volkshochschule",
        ],
        summaries: &[
            "Erwachsene finden in der Nachbarschaft Zugang zu Lern- und Beratungsangeboten.",
            "Die Volkshochschule berät zu Weiterbildung und Grundbildung.",
            "Ältere Menschen bleiben durch Bildungsangebote aktiv.",
        ],
        sentences: &[
            "Lerncafés öffnen zweimal wöchentlich im Stadtteilzentrum.",
            "Die Volkshochschule bietet Kurse zur Grundbildung an.",
            "Digitale Kompetenzen werden für Senioren vermittelt.",
            "Die Weiterbildungsberatung ist neutral und kostenlos.",
            "Arbeitgeber werden für Grundbildung am Arbeitsplatz gewonnen.",
            "Die Angebote werden mit den Trägern abgestimmt.",
        ],
        topics: &["lifelong-learning"],
        target_groups: &["ADULTS", "SENIORS"],
        stages: &["ADULT_EDUCATION", "NON_FORMAL"],
    },
    Theme {
        titles: &[
            "Bildungsnetzwerke im Stadtteil",
            "Regionales Bildungsnetzwerk",
            "Netzwerk Bildung und Sport",
        ],
        summaries: &[
            "Schulen, Vereine und Träger vernetzen sich im Stadtteil.",
            "Ein regionales Bildungsnetzwerk verbindet Kommunen und Land.",
            "Sportvereine werden zu Partnern der Ganztagsschulen.",
        ],
        sentences: &[
            "Die Netzwerkkonferenz tagt zweimal im Jahr.",
            "Ein Netzwerkbüro koordiniert die Zusammenarbeit.",
            "Vereine und Stiftungen bringen Angebote ein.",
            "Die Schulen öffnen ihre Räume am Nachmittag.",
            "Ehrenamtliche werden für ihre Arbeit qualifiziert.",
            "Die Netzwerke tauschen sich mit der Transferagentur aus.",
        ],
        topics: &["education-networks"],
        target_groups: &["CIVIL_SOCIETY", "EDUCATION_PROFESSIONALS"],
        stages: &["NON_FORMAL", "SECONDARY"],
    },
    Theme {
        titles: &[
            "Bildungsgerechtigkeit durch Sozialindex",
            "Schulen in schwieriger Lage unterstützen",
            "Teilhabe für alle Kinder",
        ],
        summaries: &[
            "Ressourcen werden nach einem Sozialindex dorthin gelenkt, wo sie am meisten bewirken.",
            "Schulen in herausfordernder Lage erhalten zusätzliche Unterstützung.",
            "Bildungsungleichheiten werden datenbasiert sichtbar gemacht und abgebaut.",
        ],
        sentences: &[
            "Der Sozialindex berücksichtigt Armut, Sprache und Bildungshintergrund.",
            "Zusätzliche Stellen für Schulsozialarbeit wurden geschaffen.",
            "Das Bildungs- und Teilhabepaket wird aktiv beworben.",
            "Die Verteilung der Mittel ist transparent.",
            "Die Wirkung wird im Bildungsmonitoring überprüft.",
            "Kinder aus armen Familien erhalten kostenlose Lernförderung.",
        ],
        topics: &["educational-equity", "education-monitoring"],
        target_groups: &["CHILDREN", "YOUNG_PEOPLE", "ADMINISTRATION"],
        stages: &["PRIMARY", "SECONDARY"],
    },
    Theme {
        titles: &[
            "Schulentwicklungsplanung neu gedacht",
            "Ganztagsschule qualitativ ausbauen",
            "Digitale Bildung an Schulen",
        ],
        summaries: &[
            "Die Schulentwicklungsplanung verbindet Schulbau, Ganztag und Bildungsqualität.",
            "Der Ganztag wird gemeinsam mit Trägern der Jugendhilfe weiterentwickelt.",
            "Schulen erhalten Unterstützung bei der Digitalisierung.",
        ],
        sentences: &[
            "Die Schülerzahlen werden für zehn Jahre vorausberechnet.",
            "Der Schulträger investiert in moderne Lernräume.",
            "Die Schulen entwickeln eigene Medienkonzepte.",
            "Lehrkräfte werden für digitalen Unterricht fortgebildet.",
            "Der Offene Ganztag wird an allen Grundschulen angeboten.",
            "Schulleitungen treffen sich in einem Qualitätszirkel.",
        ],
        topics: &["school-development"],
        target_groups: &["EDUCATION_PROFESSIONALS", "CHILDREN"],
        stages: &["PRIMARY", "SECONDARY"],
    },
];

/// Places the practices come from, with the AGS of a demo municipality for each.
const PLACES: &[(&str, &str)] = &[
    ("Bottrop", "05512000"),
    ("Dortmund", "05913000"),
    ("der Börde", "15083"),
    ("Essen", "05113000"),
    ("Gelsenkirchen", "05513000"),
    ("dem Kreis Recklinghausen", "05562"),
    ("dem Kreis Düren", "05358"),
    ("dem Rhein-Erft-Kreis", "05362"),
];

/// The agencies of the demo data that own practices.
const AGENCIES: &[&str] = &[
    "bildungsbuero-bottrop",
    "regionales-bildungsbuero-dortmund",
    "bildung-integriert-boerde",
    "ruhrfutur",
    "netzwerkbuero-rheinisches-revier",
    "transferagentur-nrw",
];

/// A small deterministic generator (an LCG): the same numbers on every run.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }
}

/// The `n`-th practice as a CreateGoodPracticeInput (published, with a unique slug).
pub fn practice(n: usize) -> Value {
    let mut numbers = Numbers(n as u64 * 7919 + 17);
    let theme = &THEMES[n % THEMES.len()];
    let other = &THEMES[(n / THEMES.len() + 3 * n) % THEMES.len()];
    let (place, ags) = PLACES[numbers.next(PLACES.len())];
    let title = format!("{} in {place}", theme.titles[numbers.next(theme.titles.len())]);
    let summary = theme.summaries[numbers.next(theme.summaries.len())].to_owned();
    let mut sentences = Vec::new();
    for _ in 0..4 + numbers.next(3) {
        sentences.push(theme.sentences[numbers.next(theme.sentences.len())]);
    }
    sentences.push(other.sentences[numbers.next(other.sentences.len())]);
    sentences.dedup();
    let body = format!(
        "## Ausgangslage in {place}\n\n{}\n\n## Erfahrungen\n\n{}",
        sentences[..sentences.len() / 2].join(" "),
        sentences[sentences.len() / 2..].join(" ")
    );
    json!({
        "agencySlug": AGENCIES[n % AGENCIES.len()],
        "slug": format!("korpus-{n:04}"),
        "title": title,
        "summary": summary,
        "body": body,
        "topics": theme.topics,
        "municipalityAgs": [ags],
        "targetGroups": theme.target_groups,
        "educationStages": theme.stages,
        "status": "PUBLISHED",
        "license": "CC-BY-4.0",
    })
}

/// The first `count` practices.
pub fn practices(count: usize) -> Vec<Value> {
    (0..count).map(practice).collect()
}

/// Loads the demo data and the first `count` corpus practices into a server (as the operator).
pub async fn load(server: &crate::TestServer, count: usize) {
    server.seed_demo().await;
    let create = "mutation ($input: CreateGoodPracticeInput!) { createGoodPractice(input: $input) { id } }";
    for input in practices(count) {
        let response = server.gql_admin(create, json!({ "input": input })).await;
        crate::data(&response);
    }
}

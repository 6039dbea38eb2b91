//! The twelve themes of the showcase's practices, in the fields of action of DKBM. A theme's
//! texts name the place through `{in}` ("im Landkreis Harz"); each of its five places gets one
//! of its five highlights, so that no two practices read alike.

use dkbm_entity::{EducationStage as E, TargetGroup as T};

/// A theme of a showcase practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Theme {
    /// Bildungsmonitoring: a first education report.
    Monitoring,
    /// Übergang Schule–Beruf: a youth employment agency.
    Transition,
    /// Bildungskonferenz.
    Conference,
    /// Frühkindliche Bildung: Kita data for planning.
    EarlyEducation,
    /// Datenschutz beim Datenaustausch between offices.
    DataProtection,
    /// Elternarbeit: education guides for families.
    Families,
    /// Bildungskoordination für Neuzugewanderte.
    Integration,
    /// Ganztag: all-day primary school, planned by school and youth services together.
    OpenAllDay,
    /// MINT (STEM) networks.
    Mint,
    /// Weiterbildung: guidance for adult learners.
    FurtherEducation,
    /// Kulturelle Bildung.
    CulturalEducation,
    /// Inklusion: pooled school assistance.
    Inclusion,
}

/// What a theme says; `{in}` stands for the place.
pub(super) struct ThemeText {
    /// The practice slug's first part (the place's follows).
    pub slug: &'static str,
    /// Names the place, so every title is distinct.
    pub title: &'static str,
    /// Without the note that it is fictional, which is appended.
    pub summary: &'static str,
    /// The situation before ("Ausgangslage").
    pub situation: &'static str,
    /// What was done ("Vorgehen").
    pub steps: [&'static str; 3],
    /// One per place of the theme, in the order of the places.
    pub highlights: [&'static str; 5],
    /// What came of it ("Ergebnisse").
    pub results: &'static str,
    /// Topic slugs (the fields of action seeded by the migrations).
    pub topics: &'static [&'static str],
    pub target_groups: &'static [T],
    pub stages: &'static [E],
    /// The contact's role, before the place's name.
    pub role: &'static str,
}

impl Theme {
    /// The theme's texts.
    pub(super) fn text(self) -> &'static ThemeText {
        match self {
            Theme::Monitoring => &MONITORING,
            Theme::Transition => &TRANSITION,
            Theme::Conference => &CONFERENCE,
            Theme::EarlyEducation => &EARLY_EDUCATION,
            Theme::DataProtection => &DATA_PROTECTION,
            Theme::Families => &FAMILIES,
            Theme::Integration => &INTEGRATION,
            Theme::OpenAllDay => &OPEN_ALL_DAY,
            Theme::Mint => &MINT,
            Theme::FurtherEducation => &FURTHER_EDUCATION,
            Theme::CulturalEducation => &CULTURAL_EDUCATION,
            Theme::Inclusion => &INCLUSION,
        }
    }
}

// The themes' texts, in the order of [`Theme`].
const MONITORING: ThemeText = ThemeText {
    slug: "bildungsbericht",
    title: "Der erste kommunale Bildungsbericht {in}",
    summary: "Mit einem indikatorengestützten Bildungsbericht schafft das Bildungsbüro {in} eine gemeinsame \
              Datengrundlage für Verwaltung, Politik und Bildungsakteure – von der Kita bis zur Weiterbildung.",
    situation: "Daten zu Kitas, Schulen, Übergängen und Weiterbildung lagen {in} verstreut in verschiedenen Ämtern \
                vor; eine gemeinsame Sicht auf die Bildungslandschaft fehlte.",
    steps: [
        "ein Indikatorenset mit rund 40 Kennzahlen, abgestimmt in einer ämterübergreifenden AG Bildungsmonitoring",
        "kleinräumige Auswertungen auf der Ebene der Sozialräume",
        "ein Bildungsbericht alle zwei Jahre, dazwischen kompakte Themenhefte",
    ],
    highlights: [
        "Ein interaktiver Online-Atlas macht die Indikatoren für alle Bürgerinnen und Bürger zugänglich.",
        "Schulleitungen erhalten jedes Jahr ein eigenes Schulprofil mit den Daten ihres Einzugsgebiets.",
        "Jugendhilfeplanung und Schulentwicklungsplanung nutzen seitdem dieselben Bevölkerungsprognosen.",
        "Ein Glossar in Leichter Sprache erklärt die wichtigsten Kennzahlen.",
        "Ein Schwerpunktkapitel widmet sich den Bildungswegen junger Menschen im ländlichen Raum.",
    ],
    results: "Der Bericht wird im Bildungsausschuss beraten; aus ihm sind Handlungsempfehlungen für die \
              Bildungskonferenz entstanden.",
    topics: &["education-monitoring", "cross-office-cooperation", "educational-equity"],
    target_groups: &[T::Administration, T::EducationProfessionals],
    stages: &[E::EarlyChildhood, E::Primary, E::Secondary, E::AdultEducation],
    role: "Bildungsmonitoring",
};

const TRANSITION: ThemeText = ThemeText {
    slug: "jugendberufsagentur",
    title: "Übergang Schule–Beruf {in}: die Jugendberufsagentur unter einem Dach",
    summary: "Agentur für Arbeit, Jobcenter, Jugendhilfe und Schulen beraten junge Menschen {in} gemeinsam an \
              einem Ort – damit beim Übergang in Ausbildung und Beruf niemand verloren geht.",
    situation: "Junge Menschen mussten {in} bis zu vier Stellen aufsuchen, um Beratung zu Ausbildung, Leistungen \
                und Unterstützung zu bekommen.",
    steps: [
        "eine gemeinsame Anlaufstelle mit abgestimmten Öffnungszeiten",
        "Fallbesprechungen der beteiligten Stellen, mit Einwilligung der Jugendlichen",
        "ein Übergangsmonitoring, das die Anschlüsse der Schulabgängerinnen und -abgänger jährlich auswertet",
    ],
    highlights: [
        "Berufsberaterinnen und -berater sind an festen Tagen direkt an den Schulen.",
        "Ein Azubi-Speed-Dating bringt Betriebe und Jugendliche jedes Frühjahr zusammen.",
        "Mobile Beratung erreicht auch Jugendliche in den Stadtteilen am Rand.",
        "Eine Kooperationsvereinbarung regelt den datenschutzkonformen Austausch zwischen den Partnern.",
        "Ehemalige Auszubildende begleiten als Ausbildungsbotschafterinnen und -botschafter die Berufsorientierung.",
    ],
    results: "Der Anteil der Jugendlichen, deren Verbleib nach der Schule unbekannt ist, ist deutlich gesunken.",
    topics: &[
        "transition-school-work",
        "education-networks",
        "cross-office-cooperation",
    ],
    target_groups: &[T::YoungPeople, T::YoungAdults],
    stages: &[E::Secondary, E::TransitionSchoolWork, E::Vocational],
    role: "Koordinierung Übergang Schule–Beruf",
};

const CONFERENCE: ThemeText = ThemeText {
    slug: "bildungskonferenz",
    title: "Bildungskonferenz {in}: alle Bildungsakteure an einem Tisch",
    summary: "Einmal im Jahr kommen Verwaltung, Schulen, Kitas, freie Träger, Wirtschaft und Zivilgesellschaft {in} \
              zur Bildungskonferenz zusammen und verständigen sich auf gemeinsame Ziele.",
    situation: "Viele Akteure arbeiteten {in} an denselben Themen, ohne voneinander zu wissen.",
    steps: [
        "eine jährliche Bildungskonferenz mit rund 150 Teilnehmenden",
        "ein Lenkungskreis unter Vorsitz der Verwaltungsspitze, der sie vorbereitet",
        "Arbeitsgruppen, die die vereinbarten Ziele zwischen den Konferenzen umsetzen",
    ],
    highlights: [
        "Jugendliche aus dem Jugendparlament gestalten ein eigenes Forum der Konferenz.",
        "Stadt und Landkreis veranstalten die Konferenz gemeinsam als eine Bildungsregion.",
        "Ein digitaler Ideenmarkt sammelt vorab Vorschläge aus Vereinen und Initiativen.",
        "Die Bürgermeisterinnen und Bürgermeister der kreisangehörigen Gemeinden sind fest eingebunden.",
        "Die Daten des Bildungsmonitorings werden als Impulse an Thementischen diskutiert.",
    ],
    results: "Die Konferenz hat ein gemeinsames Leitbild verabschiedet, an dem sich die Bildungsplanung orientiert.",
    topics: &["education-networks", "cross-office-cooperation", "lifelong-learning"],
    target_groups: &[T::Administration, T::CivilSociety, T::EducationProfessionals],
    stages: &[E::NonFormal],
    role: "Geschäftsstelle der Bildungskonferenz",
};

const EARLY_EDUCATION: ThemeText = ThemeText {
    slug: "kita-sozialraumdaten",
    title: "Frühe Bildung {in}: Kita-Daten für eine gerechte Bedarfsplanung",
    summary: "Kleinräumige Daten zu Kita-Besuch, Sprachförderbedarf und Familienlagen helfen {in}, Plätze und \
              Förderangebote dort zu schaffen, wo sie am dringendsten gebraucht werden.",
    situation: "Die Kita-Bedarfsplanung {in} beruhte auf Geburtenzahlen; über die Lebenslagen der Kinder wusste man \
                wenig.",
    steps: [
        "Daten aus Jugendhilfeplanung, Schuleingangsuntersuchung und Statistik zusammengeführt",
        "ein Sozialraumindex für jedes Kita-Einzugsgebiet",
        "zusätzliche Sprachförderkräfte für Kitas mit hohem Index",
    ],
    highlights: [
        "Kindertagespflegepersonen sind in die Planung einbezogen.",
        "Familienzentren an Kitas bieten Beratung für Eltern direkt im Wohnort.",
        "Die Ergebnisse fließen in den Kita-Ausbauplan des Kreistags ein.",
        "Ein Brückenangebot begleitet Kinder ohne Kita-Platz bis zum Einstieg.",
        "Der Übergang von der Kita in die Grundschule wird mit gemeinsamen Fortbildungen begleitet.",
    ],
    results: "Die Kita-Besuchsquote der unter Dreijährigen ist in den benachteiligten Sozialräumen gestiegen.",
    topics: &["early-education", "education-monitoring", "educational-equity"],
    target_groups: &[T::Children, T::ParentsAndFamilies],
    stages: &[E::EarlyChildhood],
    role: "Jugendhilfeplanung und Bildungsmonitoring",
};

const DATA_PROTECTION: ThemeText = ThemeText {
    slug: "datenaustausch-datenschutz",
    title: "Datenschutzkonform Daten teilen {in}: Vereinbarung zwischen Schulverwaltung und Jugendhilfe",
    summary: "Eine Vereinbarung regelt {in}, welche Bildungsdaten Schulverwaltung, Jugendamt und Bildungsbüro für \
              das Monitoring austauschen – anonymisiert, zweckgebunden und mit dem Datenschutz abgestimmt.",
    situation: "Für ein Bildungsmonitoring {in} brauchte es Daten mehrerer Ämter; unklar war, was rechtlich \
                zulässig ist.",
    steps: [
        "ein Verzeichnis der Verarbeitungstätigkeiten und eine Datenschutz-Folgenabschätzung",
        "Auswertungen nur mit aggregierten Daten; Fallzahlen unter fünf werden gesperrt",
        "ein Datenkatalog, der jede Kennzahl, ihre Quelle und ihren Zweck beschreibt",
    ],
    highlights: [
        "Eine Musterklausel für Kooperationsvereinbarungen steht anderen Kommunen zur Verfügung.",
        "Die kommunale Statistikstelle übernimmt die Anonymisierung als neutrale Stelle.",
        "Ein abgeschotteter Statistikbereich trennt Auswertung und Verwaltungsvollzug.",
        "Schulungen für alle Beteiligten klären Rollen und Pflichten.",
        "Ein Faltblatt informiert Eltern über Zweck und Umfang der Auswertungen.",
    ],
    results: "Die Daten liegen jetzt jährlich und verlässlich vor; Anfragen werden in Tagen statt Monaten \
              beantwortet.",
    topics: &["education-monitoring", "cross-office-cooperation"],
    target_groups: &[T::Administration],
    stages: &[E::Primary, E::Secondary],
    role: "Datenschutz und Bildungsmonitoring",
};

const FAMILIES: ThemeText = ThemeText {
    slug: "elternbegleitung",
    title: "Elternbegleitung {in}: Bildungslotsinnen und -lotsen für Familien",
    summary: "Geschulte Bildungslotsinnen und -lotsen begleiten Familien {in} an den Übergängen von der Kita bis \
              zur weiterführenden Schule – mehrsprachig, aufsuchend und vernetzt mit Schulen und Beratungsstellen.",
    situation: "Viele Eltern {in} kannten die Unterstützungsangebote nicht oder fanden keinen Zugang zu ihnen.",
    steps: [
        "Ehrenamtliche werden zu Bildungslotsinnen und -lotsen qualifiziert",
        "Sprechstunden in Kitas, Schulen und Stadtteilzentren",
        "ein Wegweiser Bildung in mehreren Sprachen",
    ],
    highlights: [
        "Elterncafés an Grundschulen senken die Schwelle für den ersten Kontakt.",
        "Eine Elternakademie bietet Abendkurse zu Schulsystem, Medien und Lernen.",
        "Die Lotsinnen und Lotsen begleiten auch zu Terminen bei Ämtern.",
        "Familienbildung und Schulsozialarbeit stimmen ihre Angebote in einem Netzwerk ab.",
        "In den ländlichen Gemeinden ist ein Elternmobil unterwegs.",
    ],
    results: "Mehr Eltern nehmen an Elternabenden und Beratungsgesprächen teil; die Zusammenarbeit mit den Schulen \
              ist enger geworden.",
    topics: &["family-education", "educational-equity", "education-networks"],
    target_groups: &[T::ParentsAndFamilies, T::Children],
    stages: &[E::EarlyChildhood, E::Primary],
    role: "Familienbildung",
};

const INTEGRATION: ThemeText = ThemeText {
    slug: "bildungskoordination-neuzugewanderte",
    title: "Bildungskoordination für Neuzugewanderte {in}",
    summary: "Eine Bildungskoordination verbindet {in} Sprachkurse, Schule, Ausbildung und die Anerkennung von \
              Abschlüssen zu durchgängigen Bildungswegen für neu zugewanderte Menschen.",
    situation: "Angebote für Zugewanderte gab es {in} viele – aber kaum abgestimmt, und die Wege zwischen ihnen \
                waren lang.",
    steps: [
        "eine Übersicht aller Sprach-, Bildungs- und Beratungsangebote",
        "ein Netzwerk aus Ausländerbehörde, Jobcenter, Schulamt, Volkshochschule und Migrantenorganisationen",
        "Erstberatung zu Schulplatz, Sprachkurs und Anerkennung an einem Ort",
    ],
    highlights: [
        "Ehrenamtliche Sprachmittlerinnen und -mittler begleiten die Beratungsgespräche.",
        "Ein Monitoring zeigt, wie lange der Weg vom Ankommen bis zum Schulbesuch dauert.",
        "Berufssprachkurse werden gemeinsam mit Betrieben vor Ort geplant.",
        "Die Koordination arbeitet mit den kreisangehörigen Gemeinden in einem Netzwerk zusammen.",
        "Eine Willkommensmappe für Familien erklärt das Schulsystem in zwölf Sprachen.",
    ],
    results: "Neu zugewanderte Kinder erhalten schneller einen Schulplatz; mehr Erwachsene beginnen nach dem \
              Integrationskurs eine Ausbildung.",
    topics: &["integration", "education-networks", "lifelong-learning"],
    target_groups: &[T::NewlyArrived, T::YoungAdults, T::Adults],
    stages: &[E::Secondary, E::Vocational, E::AdultEducation],
    role: "Bildungskoordination für Neuzugewanderte",
};

const OPEN_ALL_DAY: ThemeText = ThemeText {
    slug: "ganztag-planen",
    title: "Ganztag gemeinsam planen {in}: Schule und Jugendhilfe im Tandem",
    summary: "Mit Blick auf den Rechtsanspruch auf Ganztagsbetreuung im Grundschulalter planen Schulverwaltung und \
              Jugendhilfe {in} gemeinsam Räume, Personal und pädagogische Qualität.",
    situation: "Die Ganztagsangebote {in} waren je nach Schule sehr unterschiedlich ausgestattet; ab 2026 gilt \
                schrittweise der Rechtsanspruch.",
    steps: [
        "eine Bedarfsabfrage bei den Eltern aller Grundschulkinder",
        "eine gemeinsame Planungsgruppe von Schulverwaltung, Jugendamt und freien Trägern",
        "ein Qualitätsrahmen für Bildung, Bewegung und Erholung im Ganztag",
    ],
    highlights: [
        "Sportvereine und Musikschulen sind als feste Kooperationspartner eingebunden.",
        "Die kreisangehörigen Gemeinden planen den Ausbau gemeinsam mit dem Landkreis.",
        "Ein Fortbildungsprogramm richtet sich an Lehrkräfte und pädagogische Fachkräfte gemeinsam.",
        "Kinder werden über Kinderkonferenzen an der Gestaltung beteiligt.",
        "Ein Fahrdienst ermöglicht auch Kindern aus entlegenen Orten die Teilnahme.",
    ],
    results: "Für jede Grundschule liegt ein Ausbauplan vor; Lehrkräfte und pädagogische Fachkräfte planen den Tag \
              gemeinsam.",
    topics: &["school-development", "cross-office-cooperation", "educational-equity"],
    target_groups: &[T::Children, T::ParentsAndFamilies, T::EducationProfessionals],
    stages: &[E::Primary, E::NonFormal],
    role: "Schulentwicklungsplanung",
};

const MINT: ThemeText = ThemeText {
    slug: "mint-netzwerk",
    title: "MINT-Region {in}: ein Netzwerk für Technik und Naturwissenschaften",
    summary: "Schulen, Hochschulen, Unternehmen und außerschulische Lernorte verbinden {in} ihre Angebote in \
              Mathematik, Informatik, Naturwissenschaften und Technik zu einer durchgängigen MINT-Bildungskette.",
    situation: "Die MINT-Angebote {in} waren zahlreich, erreichten aber vor allem Kinder, die ohnehin interessiert \
                waren.",
    steps: [
        "eine Übersicht aller MINT-Angebote von der Kita bis zur Berufsorientierung",
        "ein Netzwerk mit einer Koordinierungsstelle im Bildungsbüro",
        "gezielte Angebote für Mädchen und für Schulen in benachteiligten Quartieren",
    ],
    highlights: [
        "Ein Forschermobil bringt Experimente in Kitas und Grundschulen im ganzen Kreis.",
        "Die Hochschule öffnet ihre Labore für Forschungsprojekte von Schülerinnen und Schülern.",
        "Unternehmen stellen Auszubildende als MINT-Botschafterinnen und -Botschafter frei.",
        "Ein Makerspace in der Stadtbibliothek steht Jugendlichen offen.",
        "Eine Sommerakademie verbindet Programmieren, Optik und Berufsorientierung.",
    ],
    results: "Mehr Schulen beteiligen sich an MINT-Angeboten; die Nachfrage nach technischen Ausbildungsberufen ist \
              gestiegen.",
    topics: &["education-networks", "school-development", "transition-school-work"],
    target_groups: &[T::Children, T::YoungPeople, T::EducationProfessionals],
    stages: &[E::Primary, E::Secondary, E::NonFormal],
    role: "MINT-Koordination",
};

const FURTHER_EDUCATION: ThemeText = ThemeText {
    slug: "weiterbildungsberatung",
    title: "Weiterbildungsberatung {in}: lebenslanges Lernen sichtbar machen",
    summary: "Eine trägerneutrale Weiterbildungsberatung und eine gemeinsame Angebotsdatenbank machen {in} \
              Bildungsangebote für Erwachsene sichtbar – von der Grundbildung bis zum berufsbegleitenden Studium.",
    situation: "Die Weiterbildungslandschaft {in} war für Erwachsene schwer zu überblicken; Menschen mit geringer \
                Grundbildung wurden kaum erreicht.",
    steps: [
        "eine trägerneutrale Beratungsstelle an der Volkshochschule",
        "eine gemeinsame Datenbank der Weiterbildungsanbieter",
        "aufsuchende Grundbildungsangebote in Quartieren und Betrieben",
    ],
    highlights: [
        "Ein Lernfest in der Innenstadt stellt Anbieter und Angebote einmal im Jahr vor.",
        "Sprechstunden in den Rathäusern der kreisangehörigen Gemeinden erreichen auch den ländlichen Raum.",
        "Die Hochschule bietet offene Vorlesungen für Erwachsene ohne Abitur an.",
        "Ein Alphabetisierungsnetzwerk schult Beschäftigte in Ämtern und Betrieben.",
        "Ältere Menschen finden in digitalen Sprechstunden Hilfe im Umgang mit Smartphone und Tablet.",
    ],
    results: "Die Beratung wird gut angenommen; besonders Beschäftigte kleiner Betriebe nutzen sie.",
    topics: &["lifelong-learning", "education-networks"],
    target_groups: &[T::Adults, T::Seniors],
    stages: &[E::AdultEducation, E::NonFormal],
    role: "Weiterbildung und lebenslanges Lernen",
};

const CULTURAL_EDUCATION: ThemeText = ThemeText {
    slug: "kulturrucksack",
    title: "Kulturelle Bildung {in}: ein Kulturrucksack für alle Schulen",
    summary: "Mit einem Kulturrucksack erhält jede Schule {in} ein Budget für Besuche in Theater, Museum und \
              Musikschule – damit alle Kinder und Jugendlichen kulturelle Bildung erleben, unabhängig vom Elternhaus.",
    situation: "Ob Kinder {in} Theater, Museen oder die Musikschule kennenlernten, hing stark vom Elternhaus und von \
                einzelnen engagierten Lehrkräften ab.",
    steps: [
        "ein Budget für jede Schule, verbindlich für jede Jahrgangsstufe",
        "ein Angebotskatalog der Kultureinrichtungen, abgestimmt mit den Lehrplänen",
        "eine Koordinierungsstelle, die Schulen und Kulturschaffende vernetzt",
    ],
    highlights: [
        "Künstlerinnen und Künstler kommen auch in die Schulen der Bergdörfer.",
        "Jugendliche kuratieren einmal im Jahr eine eigene Ausstellung.",
        "Ein Theaterjugendclub steht allen Schülerinnen und Schülern offen.",
        "Sorbische/wendische Kultur und Sprache sind fester Teil des Angebots.",
        "Schulklassen erkunden die römische Geschichte ihrer Stadt an den Originalschauplätzen.",
    ],
    results: "Jedes Kind besucht mindestens einmal im Jahr eine Kultureinrichtung; viele Schulen haben feste \
              Kulturpartnerschaften.",
    topics: &["cultural-education", "educational-equity", "education-networks"],
    target_groups: &[T::Children, T::YoungPeople],
    stages: &[E::Primary, E::Secondary, E::NonFormal],
    role: "Kulturelle Bildung",
};

const INCLUSION: ThemeText = ThemeText {
    slug: "inklusive-bildung",
    title: "Inklusive Bildung {in}: Schulbegleitung im Pool",
    summary: "Statt einzelner Schulbegleitungen für einzelne Kinder arbeitet {in} ein Pool von Fachkräften an den \
              Schulen – abgestimmt zwischen Jugendhilfe, Eingliederungshilfe und Schulen, begleitet von der \
              Schulpsychologie.",
    situation: "Die Zahl der Einzelfallhilfen an den Schulen {in} wuchs stark; Kinder wechselten oft ihre \
                Begleitpersonen, und die Schulen hatten viele Einzelkräfte zu koordinieren.",
    steps: [
        "Poollösungen an ausgewählten Grund- und Förderschulen",
        "eine gemeinsame Steuerung durch Jugendamt, Sozialamt und Schulamt",
        "Beratung der Lehrkräfte durch die Schulpsychologie",
    ],
    highlights: [
        "Eltern sind über einen Beirat an der Weiterentwicklung beteiligt.",
        "Ein Inklusionsmonitoring zeigt, wie sich Förderquoten und Abschlüsse entwickeln.",
        "Fortbildungen für ganze Kollegien begleiten den Wechsel zum Pool.",
        "Die Kinder- und Jugendpsychiatrie berät die Fachkräfte des Pools regelmäßig.",
        "Die Poollösung gilt auch für die Ganztagsangebote am Nachmittag.",
    ],
    results: "Kinder mit Unterstützungsbedarf werden verlässlicher begleitet; die Schulen berichten von ruhigeren \
              Abläufen.",
    topics: &["inclusion", "school-development", "school-psychology"],
    target_groups: &[T::Children, T::ParentsAndFamilies, T::EducationProfessionals],
    stages: &[E::Primary, E::Secondary],
    role: "Inklusion und Schulpsychologie",
};

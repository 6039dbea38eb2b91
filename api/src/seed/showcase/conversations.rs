//! What is said in the showcase's three forums: two threads each, with replies, written by the
//! demo members (invented, like the members themselves).

use dkbm_entity::ForumVisibility;

/// Who writes: an index into the demo members (0 Miriam Albrecht, Stadt Leipzig; 1 Jonas
/// Petersen, Kreis Rendsburg-Eckernförde; 2 Aylin Demir, Stadt Frankfurt am Main; 3 Thomas
/// Berger, Transferagentur Mitteldeutschland).
pub(super) type Author = usize;

/// A thread: its title, tags, first post and replies, each with its author.
pub(super) struct Conversation {
    /// One line.
    pub title: &'static str,
    pub tags: &'static [&'static str],
    pub opening: (Author, &'static str),
    pub replies: &'static [(Author, &'static str)],
}

/// A forum and its threads.
pub(super) struct ShowcaseForum {
    pub slug: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub visibility: ForumVisibility,
    pub threads: &'static [Conversation],
}

/// The three forums.
pub(super) const FORUMS: &[ShowcaseForum] = &[
    ShowcaseForum {
        slug: "uebergang-schule-beruf",
        title: "Übergang Schule–Beruf",
        description: "Jugendberufsagenturen, Berufsorientierung, Übergangsmonitoring: Erfahrungen aus Kreisen und \
                      Städten. (Die Beiträge in diesem Forum sind fiktive Demo-Daten.)",
        visibility: ForumVisibility::Public,
        threads: &[
            Conversation {
                title: "Jugendberufsagentur: wie teilt ihr Fallinformationen zwischen den Partnern?",
                tags: &["jugendberufsagentur", "datenaustausch"],
                opening: (
                    1,
                    "Wir bauen im Kreis gerade eine Jugendberufsagentur auf. Agentur für Arbeit, Jobcenter und \
                     Jugendamt sind dabei, die Schulen sollen folgen.\n\nKnackpunkt ist der Austausch von \
                     Fallinformationen: Arbeitet ihr mit einer Einwilligung der Jugendlichen, oder habt ihr eine \
                     andere Rechtsgrundlage gefunden? Und wie dokumentiert ihr gemeinsame Fallbesprechungen?",
                ),
                replies: &[
                    (
                        2,
                        "Bei uns läuft alles über eine schriftliche Einwilligung, die die Jugendlichen beim \
                         Erstgespräch unterschreiben – widerrufbar und auf die beteiligten Stellen beschränkt.\n\n\
                         Für die Fallbesprechungen nutzen wir ein gemeinsames Protokollformular, das jede Stelle in \
                         ihrer eigenen Akte ablegt. Eine gemeinsame Datenbank haben wir bewusst nicht.",
                    ),
                    (
                        0,
                        "Ergänzend aus Sicht des Monitorings: Für die Auswertung der Anschlüsse brauchen wir keine \
                         Einzelfalldaten. Wir bekommen von der Jugendberufsagentur jährlich aggregierte Zahlen nach \
                         Schulform und Verbleib – das hat die Diskussion um den Datenschutz sehr entspannt.",
                    ),
                    (
                        1,
                        "Danke euch beiden! Die Trennung zwischen Fallarbeit (mit Einwilligung) und Monitoring (nur \
                         aggregiert) nehme ich so in unsere Kooperationsvereinbarung auf.",
                    ),
                ],
            },
            Conversation {
                title: "Berufsorientierung ab Klasse 8: wer koordiniert bei euch die Praktika?",
                tags: &["berufsorientierung"],
                opening: (
                    2,
                    "Unsere Schulen organisieren die Praktikumsplätze bisher jede für sich, und die Betriebe klagen \
                     über zu viele Anfragen zur selben Zeit. Gibt es bei euch eine kommunale Koordination, etwa eine \
                     gemeinsame Praktikumsbörse?",
                ),
                replies: &[
                    (
                        3,
                        "In mehreren Kreisen hat sich eine Praktikumsbörse bewährt, die Kammern und Bildungsbüro \
                         gemeinsam betreiben. Wichtig war ein abgestimmter Praktikumszeitraum für alle Schulen einer \
                         Region.",
                    ),
                    (
                        1,
                        "Wir haben die Praktikumszeiträume der Schulen in einem gemeinsamen Kalender sichtbar \
                         gemacht. Das allein hat die Spitzen bei den Betrieben schon deutlich entzerrt.",
                    ),
                ],
            },
        ],
    },
    ShowcaseForum {
        slug: "fruehe-bildung",
        title: "Frühe Bildung und Kita-Daten",
        description: "Kita-Bedarfsplanung, Sprachförderung, Übergang Kita–Grundschule: Daten und Praxis der frühen \
                      Bildung. (Die Beiträge in diesem Forum sind fiktive Demo-Daten.)",
        visibility: ForumVisibility::Public,
        threads: &[
            Conversation {
                title: "Kleinräumige Kita-Bedarfsplanung: welche Indikatoren nutzt ihr?",
                tags: &["kita", "indikatoren"],
                opening: (
                    3,
                    "In unserer Qualifizierungsreihe kam die Frage auf, welche Indikatoren sich für einen \
                     Sozialraumindex in der Kita-Planung bewährt haben. Bisher gesammelt:\n\n\
                     - Anteil der Kinder in Bedarfsgemeinschaften nach SGB II\n\
                     - Sprachförderbedarf laut Schuleingangsuntersuchung\n\
                     - Kita-Besuchsquote der unter Dreijährigen\n\n\
                     Was nutzt ihr noch – und auf welcher räumlichen Ebene?",
                ),
                replies: &[
                    (
                        0,
                        "Wir arbeiten auf der Ebene der statistischen Bezirke und ergänzen die Familiensprache und \
                         den Anteil Alleinerziehender. Wichtig: Die Daten der Schuleingangsuntersuchung kommen ein \
                         Jahr zeitversetzt – das sollte man im Bericht offen sagen.",
                    ),
                    (
                        2,
                        "Bei uns fließen zusätzlich die Wartelisten der Kitas ein. Die sind zwar unscharf \
                         (Mehrfachanmeldungen), zeigen aber früh, wo Plätze fehlen.",
                    ),
                    (
                        3,
                        "Sehr hilfreich, danke! Ich nehme die Punkte in die Unterlagen zum nächsten Modul auf.",
                    ),
                ],
            },
            Conversation {
                title: "Sprachstandsdaten im Bildungsbericht – wie stellt ihr sie dar?",
                tags: &["sprachfoerderung", "bildungsbericht"],
                opening: (
                    0,
                    "Wir möchten im nächsten Bildungsbericht die Ergebnisse der Sprachstandsfeststellung kleinräumig \
                     zeigen. Die Kitas befürchten, dass einzelne Einrichtungen an den Pranger gestellt werden. Wie \
                     geht ihr damit um?",
                ),
                replies: &[
                    (
                        1,
                        "Wir zeigen nur Sozialräume, nie einzelne Einrichtungen, und sperren Werte bei weniger als \
                         zehn Kindern. Vor der Veröffentlichung haben wir die Ergebnisse mit den Kita-Trägern \
                         besprochen – das hat viel Vertrauen geschaffen.",
                    ),
                    (
                        3,
                        "Hilfreich ist auch, die Daten mit zusätzlichen Ressourcen zu verbinden: Wo der Bedarf hoch \
                         ist, gibt es mehr Sprachförderkräfte. Dann wird der Bericht als Unterstützung wahrgenommen, \
                         nicht als Ranking.",
                    ),
                ],
            },
        ],
    },
    ShowcaseForum {
        slug: "datenschutz-datenaustausch",
        title: "Datenschutz beim Datenaustausch",
        description: "Rechtsgrundlagen, Anonymisierung und Vereinbarungen für den Austausch von Bildungsdaten \
                      zwischen Ämtern und Partnern; nur für angemeldete Mitglieder. (Die Beiträge in diesem Forum \
                      sind fiktive Demo-Daten.)",
        visibility: ForumVisibility::Members,
        threads: &[
            Conversation {
                title: "Schuldaten vom Statistischen Landesamt: Auftragsverarbeitung oder Übermittlung?",
                tags: &["dsgvo", "schulstatistik"],
                opening: (
                    2,
                    "Wir wollen Daten der amtlichen Schulstatistik für unser Monitoring nutzen. Das Landesamt fragt, \
                     ob wir einen Vertrag zur Auftragsverarbeitung abschließen wollen; unser \
                     Datenschutzbeauftragter hält es für eine Übermittlung in eigener Verantwortung. Wie habt ihr \
                     das gelöst?",
                ),
                replies: &[
                    (
                        0,
                        "Bei uns ist es eine Übermittlung aggregierter Daten auf Grundlage des Schulgesetzes, also \
                         keine Auftragsverarbeitung. Wir bekommen ohnehin nur Tabellen ohne Personenbezug, ab einer \
                         Mindestfallzahl.",
                    ),
                    (
                        1,
                        "Genauso bei uns. Einen Vertrag zur Auftragsverarbeitung bräuchte es nur, wenn das Landesamt \
                         in eurem Auftrag Daten verarbeiten würde, die ihr selbst erhoben habt.",
                    ),
                ],
            },
            Conversation {
                title: "Kleine Fallzahlen: ab welcher Zahl sperrt ihr?",
                tags: &["anonymisierung"],
                opening: (
                    0,
                    "Im Monitoring sperren wir bisher Werte unter fünf. Bei kleinräumigen Auswertungen reicht das \
                     manchmal nicht, weil sich Werte aus Summen zurückrechnen lassen. Wie geht ihr mit dieser \
                     Rückrechnung um?",
                ),
                replies: &[
                    (
                        3,
                        "Wir empfehlen neben der Mindestfallzahl eine sekundäre Sperrung: In jeder Zeile und Spalte \
                         wird mindestens ein weiterer Wert gesperrt, sodass sich der gesperrte Wert nicht aus der \
                         Summe ergibt.",
                    ),
                    (
                        2,
                        "Wir runden zusätzlich auf Fünferschritte. Das ist für die Steuerung genau genug und erspart \
                         in vielen Tabellen die sekundäre Sperrung.",
                    ),
                    (
                        0,
                        "Danke! Wir probieren das Runden in den Sozialraumprofilen aus und behalten die Sperrung für \
                         die Schultabellen.",
                    ),
                ],
            },
        ],
    },
];

//! The fields of action (Handlungsfelder): reference data every instance needs, seeded once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Topic {
    Table,
    Id,
    Slug,
    LabelDe,
    LabelEn,
    Description,
    Position,
    FacetBit,
    CreatedAt,
    UpdatedAt,
}

/// (slug, German label, English label, description)
const TOPICS: &[(&str, &str, &str, &str)] = &[
    (
        "education-monitoring",
        "Bildungsmonitoring und Bildungsberichterstattung",
        "Education monitoring and reporting",
        "Indikatoren, Bildungsberichte und kleinräumige Daten als Grundlage kommunaler Steuerung.",
    ),
    (
        "cross-office-cooperation",
        "Ämterübergreifende Zusammenarbeit",
        "Cross-departmental cooperation",
        "Verlässliche Strukturen der Zusammenarbeit zwischen Ämtern und Fachbereichen der Verwaltung.",
    ),
    (
        "education-networks",
        "Bildungsnetzwerke und Kooperation",
        "Education networks and cooperation",
        "Vernetzung mit externen Bildungsakteuren: Träger, Vereine, Stiftungen, Hochschulen.",
    ),
    (
        "early-education",
        "Frühkindliche Bildung",
        "Early childhood education",
        "Bildung, Betreuung und Erziehung in Kita und Kindertagespflege.",
    ),
    (
        "school-development",
        "Schulentwicklung",
        "School development",
        "Schulische Entwicklungsprozesse und Schulentwicklungsplanung.",
    ),
    (
        "transition-school-work",
        "Übergang Schule–Beruf",
        "Transition from school to work",
        "Berufsorientierung und die Gestaltung von Übergängen zwischen Schule und Arbeitswelt.",
    ),
    (
        "family-education",
        "Familienbildung und Bildungsberatung",
        "Family education and education advice",
        "Beratung von Familien rund um Bildung, z. B. in Bildungsberatungsstellen.",
    ),
    (
        "school-psychology",
        "Schulpsychologische Beratung",
        "School psychology counselling",
        "Schulpsychologische Beratungsstellen und ihre Kooperation mit Schulen.",
    ),
    (
        "integration",
        "Integration und Zuwanderung",
        "Integration and migration",
        "Bildungszugänge für Zugewanderte und Neuzugewanderte.",
    ),
    (
        "inclusion",
        "Inklusion",
        "Inclusive education",
        "Inklusive Bildung in allen Lebensphasen.",
    ),
    (
        "educational-equity",
        "Bildungsgerechtigkeit und Teilhabe",
        "Educational equity and participation",
        "Abbau von Bildungsungleichheiten und faire Bildungschancen für alle.",
    ),
    (
        "lifelong-learning",
        "Lebenslanges Lernen",
        "Lifelong learning",
        "Formale, non-formale und informelle Bildung über die ganze Lebensspanne.",
    ),
    (
        "cultural-education",
        "Kulturelle Bildung",
        "Cultural education",
        "Bildung in Museen, Musikschulen, Bibliotheken und Jugendkultur.",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let now = sea_orm_migration::sea_orm::prelude::ChronoUtc::now();
        let mut insert = Query::insert()
            .into_table(Topic::Table)
            .columns([
                Topic::Id,
                Topic::Slug,
                Topic::LabelDe,
                Topic::LabelEn,
                Topic::Description,
                Topic::Position,
                Topic::FacetBit,
                Topic::CreatedAt,
                Topic::UpdatedAt,
            ])
            .to_owned();
        for (position, (slug, label_de, label_en, description)) in TOPICS.iter().enumerate() {
            let bit = <i32 as TryFrom<usize>>::try_from(position).unwrap_or(i32::MAX);
            insert
                .values([
                    Uuid::now_v7().into(),
                    (*slug).into(),
                    (*label_de).into(),
                    (*label_en).into(),
                    (*description).into(),
                    ((bit + 1) * 10).into(),
                    bit.into(),
                    now.into(),
                    now.into(),
                ])
                .map_err(|error| DbErr::Custom(error.to_string()))?;
        }
        manager.exec_stmt(insert).await
    }
}

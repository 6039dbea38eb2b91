//! Demo indicators with invented values for the demo municipalities (their source says so),
//! loaded through the services like any import.

use dkbm_entity::Polarity;

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::indicators::service::{IndicatorDraft, import_values, list_indicators, save_indicator};
use crate::state::AppState;

const SOURCE: &str = "Demo-Werte (erfunden) nach dem Muster der Regionaldatenbank Deutschland \
                      (Statistische Ämter des Bundes und der Länder)";

/// The values, 2019 to 2023, as an `ags;year;code;value` file with German decimal commas.
const VALUES: &str = include_str!("../../assets/indicators-demo.csv");

fn draft(code: &str, names: (&str, &str), topic: &str, polarity: Polarity, description: &str) -> IndicatorDraft {
    IndicatorDraft {
        code: code.into(),
        name_de: names.0.into(),
        name_en: names.1.into(),
        description: Some(description.into()),
        unit: "%".into(),
        source: SOURCE.into(),
        topic: Some(topic.into()),
        polarity,
        decimals: 1,
    }
}

fn indicators() -> Vec<IndicatorDraft> {
    vec![
        draft(
            "SCHULAB_OHNE",
            (
                "Schulabgänger/-innen ohne Ersten Schulabschluss",
                "School leavers without a first school-leaving certificate",
            ),
            "transition-school-work",
            Polarity::LowerIsBetter,
            "Anteil an allen Abgängerinnen und Abgängern allgemeinbildender Schulen des Jahres.",
        ),
        draft(
            "SCHULAB_ABI",
            (
                "Schulabgänger/-innen mit allgemeiner Hochschulreife",
                "School leavers with the general higher education entrance qualification",
            ),
            "school-development",
            Polarity::HigherIsBetter,
            "Anteil an allen Abgängerinnen und Abgängern allgemeinbildender Schulen des Jahres.",
        ),
        draft(
            "BETREUUNG_U3",
            (
                "Betreuungsquote der Kinder unter 3 Jahren",
                "Childcare rate of children under 3",
            ),
            "early-education",
            Polarity::HigherIsBetter,
            "Kinder unter 3 Jahren in Kindertageseinrichtungen und Kindertagespflege je 100 Kinder der Altersgruppe (1. März).",
        ),
        draft(
            "SGB2_U15",
            (
                "Kinder unter 15 Jahren in SGB-II-Bedarfsgemeinschaften",
                "Children under 15 in households receiving basic income support (SGB II)",
            ),
            "educational-equity",
            Polarity::LowerIsBetter,
            "Anteil an allen Kindern unter 15 Jahren (Dezember).",
        ),
        draft(
            "SCHUELER_AUSL",
            (
                "Ausländische Schüler/-innen an allgemeinbildenden Schulen",
                "Foreign pupils at general education schools",
            ),
            "integration",
            Polarity::Neutral,
            "Anteil an allen Schülerinnen und Schülern allgemeinbildender Schulen.",
        ),
    ]
}

/// Defines the demo indicators (only those missing: a second seeding changes nothing) and
/// imports their values; returns how many indicators and values were new.
pub async fn demo_indicators(state: &AppState, operator: &Viewer) -> AppResult<usize> {
    let known = list_indicators(state.conn(), None).await?;
    let mut created = 0;
    for draft in indicators() {
        if known.iter().all(|row| row.code != draft.code) {
            save_indicator(&state.writer, operator, draft).await?;
            created += 1;
        }
    }
    let report = import_values(&state.writer, operator, VALUES.as_bytes(), false).await?;
    Ok(created + report.created)
}

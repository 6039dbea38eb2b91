//! The indicators the map brings: population, area and density, with their sources.

use dkbm_entity::Polarity;

use crate::indicators::service::{IndicatorDraft, Reading, ValueLine};

/// Einwohnerinnen und Einwohner.
pub const POPULATION: &str = "BEVOELKERUNG";
/// Fläche in km².
pub const AREA: &str = "FLAECHE_KM2";
/// Einwohner je km².
pub const DENSITY: &str = "BEV_DICHTE";

/// Where the districts' figures come from (both sources, as their licences ask).
pub const DISTRICTS_SOURCE: &str = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis: Kreisfreie Städte und \
    Landkreise nach Fläche, Bevölkerung und Bevölkerungsdichte, Stand 31.12.2018, Datenlizenz Deutschland – \
    Namensnennung – Version 2.0; übernommen aus dem npm-Paket landkreise-deutschland 3.0.0 (CC-BY-4.0); \
    neuere Werte aus dem Gemeindeverzeichnis GV100AD";

fn draft(code: &str, names: (&str, &str), unit: &str, decimals: i32, description: &str) -> IndicatorDraft {
    IndicatorDraft {
        code: code.to_owned(),
        name_de: names.0.to_owned(),
        name_en: names.1.to_owned(),
        description: Some(description.to_owned()),
        unit: unit.to_owned(),
        source: DISTRICTS_SOURCE.to_owned(),
        topic: None,
        polarity: Polarity::Neutral,
        decimals,
    }
}

/// The three indicators of the map.
pub fn map_indicators() -> Vec<IndicatorDraft> {
    vec![
        draft(
            POPULATION,
            ("Einwohnerinnen und Einwohner", "Population"),
            "Personen",
            0,
            "Bevölkerung am 31. Dezember des Jahres.",
        ),
        draft(AREA, ("Fläche in km²", "Area in km²"), "km²", 2, "Gebietsfläche."),
        draft(
            DENSITY,
            ("Einwohner je km²", "Inhabitants per km²"),
            "Einwohner je km²",
            0,
            "Bevölkerung geteilt durch die Fläche, ohne Nachkommastellen.",
        ),
    ]
}

/// A place's area (km²) and population.
pub struct Figures {
    pub ags: String,
    pub area_km2: f64,
    pub population: i64,
}

fn line(ags: &str, code: &str, year: i32, value: f64) -> ValueLine {
    ValueLine {
        line: 0,
        ags: ags.to_owned(),
        year,
        code: code.to_owned(),
        reading: Reading::Number(value),
    }
}

/// Population and area of each place for `year`.
pub fn population_and_area_lines(figures: impl Iterator<Item = Figures>, year: i32) -> Vec<ValueLine> {
    figures
        .flat_map(|place| {
            [
                line(&place.ags, POPULATION, year, place.population as f64),
                line(&place.ags, AREA, year, (place.area_km2 * 100.0).round() / 100.0),
            ]
        })
        .collect()
}

/// The density of a place: population ÷ area, no decimals.
pub fn density_line(place: &Figures, year: i32) -> Option<ValueLine> {
    (place.area_km2 > 0.0).then(|| {
        line(
            &place.ags,
            DENSITY,
            year,
            (place.population as f64 / place.area_km2).round(),
        )
    })
}

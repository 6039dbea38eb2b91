//! The districts every server starts with: the 16 Länder and the 401 Kreise and kreisfreie
//! Städte of 31 December 2018 (`assets/kreise-2018.csv`, Destatis via the npm package
//! `landkreise-deutschland`), with population, area and density, and the one change since that
//! the seed records itself: Eisenach joined the Wartburgkreis on 1 July 2021.

use chrono::NaiveDate;
use dkbm_entity::{MunicipalityKind, State};
use sea_orm::Iterable;

use super::apply::{MapUpdate, PlaceDraft};
use super::names::{district_name, town_name};
use super::values::{Figures, density_line, population_and_area_lines};

const DISTRICTS: &str = include_str!("../../../assets/kreise-2018.csv");

/// The day the districts' figures describe.
pub fn reference() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 12, 31).unwrap_or_default()
}

/// The year of the districts' figures.
pub const YEAR: i32 = 2018;

/// Eisenach (a kreisfreie Stadt until 30 June 2021) and the Kreis it joined.
pub const EISENACH: &str = "16056000";
pub const WARTBURGKREIS: &str = "16063";

/// The day Eisenach joined the Wartburgkreis.
pub fn eisenach_merged() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 7, 1).unwrap_or_default()
}

/// The name of each Land, by its state.
fn land_name(state: State) -> &'static str {
    match state {
        State::Sh => "Schleswig-Holstein",
        State::Hh => "Hamburg",
        State::Ni => "Niedersachsen",
        State::Hb => "Bremen",
        State::Nw => "Nordrhein-Westfalen",
        State::He => "Hessen",
        State::Rp => "Rheinland-Pfalz",
        State::Bw => "Baden-Württemberg",
        State::By => "Bayern",
        State::Sl => "Saarland",
        State::Be => "Berlin",
        State::Bb => "Brandenburg",
        State::Mv => "Mecklenburg-Vorpommern",
        State::Sn => "Sachsen",
        State::St => "Sachsen-Anhalt",
        State::Th => "Thüringen",
    }
}

/// One line of the file: `AGS;type;name;NUTS3;area_km2;population;…`.
struct District<'a> {
    key: &'a str,
    kind: &'a str,
    name: &'a str,
    area_km2: f64,
    population: i64,
}

fn districts() -> impl Iterator<Item = District<'static>> {
    DISTRICTS.lines().skip(1).filter_map(|line| {
        let fields: Vec<&str> = line.split(';').collect();
        Some(District {
            key: fields.first()?,
            kind: fields.get(1)?,
            name: fields.get(2)?,
            area_km2: fields.get(4)?.parse().ok()?,
            population: fields.get(5)?.parse().ok()?,
        })
    })
}

/// The Länder and districts, their figures for 2018, only added where missing.
pub fn base_map() -> MapUpdate {
    let mut places: Vec<PlaceDraft> = State::iter()
        .map(|state| PlaceDraft {
            ags: state.ags_prefix().to_owned(),
            name: land_name(state).to_owned(),
            kind: MunicipalityKind::Land,
            state,
            parent: None,
            population: None,
        })
        .collect();
    let mut figures = Vec::new();
    for district in districts() {
        let Some(state) = State::iter().find(|state| district.key.starts_with(state.ags_prefix())) else {
            continue;
        };
        let city = matches!(district.kind, "Kreisfreie Stadt" | "Stadtkreis");
        let (ags, name, kind) = if city {
            (
                format!("{}000", district.key),
                town_name(district.name),
                MunicipalityKind::KreisfreieStadt,
            )
        } else {
            (
                district.key.to_owned(),
                district_name(district.name, district.kind),
                MunicipalityKind::Kreis,
            )
        };
        figures.push(Figures {
            ags: ags.clone(),
            area_km2: district.area_km2,
            population: district.population,
        });
        places.push(PlaceDraft {
            ags,
            name,
            kind,
            state,
            parent: Some(state.ags_prefix().to_owned()),
            population: Some(district.population),
        });
    }
    let mut values: Vec<_> = figures.iter().filter_map(|place| density_line(place, YEAR)).collect();
    values.extend(population_and_area_lines(figures.into_iter(), YEAR));
    MapUpdate {
        places,
        values,
        reference: reference(),
        retire_within: Vec::new(),
        only_missing: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_laender_and_401_districts() {
        let map = base_map();
        let laender = map.places.iter().filter(|p| p.kind == MunicipalityKind::Land).count();
        assert_eq!(laender, 16);
        assert_eq!(map.places.len(), 16 + 401);
        let bottrop = map.places.iter().find(|p| p.ags == "05512000").expect("Bottrop");
        assert_eq!(
            (bottrop.name.as_str(), bottrop.population),
            ("Stadt Bottrop", Some(117_383))
        );
        let boerde = map.places.iter().find(|p| p.ags == "15083").expect("Börde");
        assert_eq!(boerde.name, "Landkreis Börde");
        // Three values for each district.
        assert_eq!(map.values.len(), 3 * 401);
    }
}

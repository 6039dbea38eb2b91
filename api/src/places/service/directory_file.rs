//! From the records of a GV100AD file to places: a kreisfreie Stadt is one place with its 8-digit
//! AGS (its Kreis record and its Gemeinde record together), a Gemeinde belongs to its
//! Gemeindeverband where it has one and otherwise to its Kreis, a Kreis to its Land. Population
//! and area come with each Gemeinde; a Kreis has the sums of its Gemeinden.

use std::collections::{HashMap, HashSet};

use dkbm_entity::{MunicipalityKind, State};
use sea_orm::Iterable;

use super::apply::{MapUpdate, PlaceDraft};
use super::gv100ad::{Directory, Malformed, Record, RecordKind};
use super::names::{district_name, town_name};
use super::values::{Figures, population_and_area_lines};
use crate::messages::{Message, MessageKey};

/// The Textkennzeichen of a Kreis record that make it a kreisfreie Stadt (41) or a Stadtkreis (42).
const CITY_CODES: [u8; 2] = [41, 42];
/// The Textkennzeichen of a Gemeindeverband record that stands for one verbandsfreie Gemeinde.
const ASSOCIATION_OF_ONE: u8 = 50;

fn state_of(record: &Record) -> Result<State, Malformed> {
    State::iter()
        .find(|state| record.key.starts_with(state.ags_prefix()))
        .ok_or_else(|| Malformed {
            line: record.line,
            reason: Message::new(MessageKey::DirectoryBadKey).with("key", &record.key),
        })
}

fn kreis_word(text_code: Option<u8>) -> &'static str {
    match text_code {
        Some(44) => "Landkreis",
        Some(45) => "Regionalverband",
        _ => "Kreis",
    }
}

/// The place of one record, if it is kept as one.
fn place_of(
    record: &Record,
    cities: &HashSet<&str>,
    associations: &HashSet<&str>,
) -> Result<Option<PlaceDraft>, Malformed> {
    let state = state_of(record)?;
    let district = record.key.get(..5).unwrap_or_default();
    let (ags, name, kind, parent) = match record.kind {
        RecordKind::Land => (record.key.clone(), record.name.clone(), MunicipalityKind::Land, None),
        RecordKind::Regierungsbezirk => (
            record.key.clone(),
            record.name.clone(),
            MunicipalityKind::Regierungsbezirk,
            Some(record.key[..2].to_owned()),
        ),
        RecordKind::Region => return Ok(None),
        RecordKind::Kreis if cities.contains(district) => (
            format!("{district}000"),
            town_name(&record.name),
            MunicipalityKind::KreisfreieStadt,
            Some(record.key[..2].to_owned()),
        ),
        RecordKind::Kreis => (
            record.key.clone(),
            district_name(&record.name, kreis_word(record.text_code)),
            MunicipalityKind::Kreis,
            Some(record.key[..2].to_owned()),
        ),
        RecordKind::Gemeindeverband if associations.contains(record.key.as_str()) => (
            record.key.clone(),
            record.name.clone(),
            MunicipalityKind::Gemeindeverband,
            Some(district.to_owned()),
        ),
        RecordKind::Gemeindeverband => return Ok(None),
        // The city itself: its Kreis record is its place.
        RecordKind::Gemeinde if cities.contains(district) && record.key == format!("{district}000") => return Ok(None),
        RecordKind::Gemeinde => {
            let parent = match record.association.as_deref() {
                Some(association) if associations.contains(association) => association.to_owned(),
                _ if cities.contains(district) => format!("{district}000"),
                _ => district.to_owned(),
            };
            (
                record.key.clone(),
                town_name(&record.name),
                MunicipalityKind::KreisangehoerigeGemeinde,
                Some(parent),
            )
        }
    };
    Ok(Some(PlaceDraft {
        ags,
        name,
        kind,
        state,
        parent,
        population: None,
    }))
}

/// The places and values of a parsed file.
pub fn map_of(directory: &Directory) -> Result<MapUpdate, Malformed> {
    let records = &directory.records;
    let cities: HashSet<&str> = records
        .iter()
        .filter(|r| r.kind == RecordKind::Kreis && r.text_code.is_some_and(|code| CITY_CODES.contains(&code)))
        .map(|r| r.key.as_str())
        .collect();
    let associations: HashSet<&str> = records
        .iter()
        .filter(|r| r.kind == RecordKind::Gemeindeverband)
        .filter(|r| r.text_code != Some(ASSOCIATION_OF_ONE) && !cities.contains(&r.key[..5]))
        .map(|r| r.key.as_str())
        .collect();
    // Population and area of every Gemeinde, and their sums per Kreis.
    let mut figures: HashMap<String, (i64, i64)> = HashMap::new();
    for record in records.iter().filter(|r| r.kind == RecordKind::Gemeinde) {
        let (hectares, population) = (record.area_hectares.unwrap_or(0), record.population.unwrap_or(0));
        let district = &record.key[..5];
        let district_ags = if cities.contains(district) {
            format!("{district}000")
        } else {
            district.to_owned()
        };
        if district_ags != record.key {
            figures.insert(record.key.clone(), (hectares, population));
        }
        let sum = figures.entry(district_ags).or_insert((0, 0));
        sum.0 += hectares;
        sum.1 += population;
    }
    let mut places = Vec::with_capacity(records.len());
    for record in records {
        if let Some(mut place) = place_of(record, &cities, &associations)? {
            place.population = figures.get(&place.ags).map(|(_, population)| *population);
            places.push(place);
        }
    }
    let year = chrono::Datelike::year(&directory.reference);
    let values = population_and_area_lines(
        places.iter().filter_map(|place| {
            let (hectares, population) = figures.get(&place.ags)?;
            Some(Figures {
                ags: place.ags.clone(),
                area_km2: *hectares as f64 / 100.0,
                population: *population,
            })
        }),
        year,
    );
    let mut lands: Vec<String> = records.iter().map(|r| r.key[..2].to_owned()).collect();
    lands.sort();
    lands.dedup();
    Ok(MapUpdate {
        places,
        values,
        reference: directory.reference,
        retire_within: lands,
        only_missing: false,
    })
}

//! Where a place sits in the administrative hierarchy: its level follows from its kind, and its
//! key's length from both (2 digits for a Land, 3 for a Regierungsbezirk, 5 for a Kreis, the
//! 8-digit AGS for a kreisfreie Stadt or a Gemeinde, 9 for a Gemeindeverband).

use dkbm_entity::MunicipalityKind;

/// The levels of the hierarchy, from the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceLevel {
    /// A Land (2-digit key).
    State,
    /// A Regierungsbezirk (3 digits).
    GovernmentRegion,
    /// A Kreis (5 digits) or a kreisfreie Stadt (its 8-digit AGS).
    District,
    /// A Gemeindeverband (the district key and the 4-digit association key).
    MunicipalAssociation,
    /// A kreisangehörige Gemeinde (8 digits).
    Municipality,
}

impl PlaceLevel {
    /// The level of a place of this kind.
    pub fn of(kind: MunicipalityKind) -> PlaceLevel {
        match kind {
            MunicipalityKind::Land => PlaceLevel::State,
            MunicipalityKind::Regierungsbezirk => PlaceLevel::GovernmentRegion,
            MunicipalityKind::Kreis | MunicipalityKind::Region | MunicipalityKind::KreisfreieStadt => {
                PlaceLevel::District
            }
            MunicipalityKind::Gemeindeverband => PlaceLevel::MunicipalAssociation,
            MunicipalityKind::KreisangehoerigeGemeinde => PlaceLevel::Municipality,
        }
    }

    /// The kinds of places at this level.
    pub fn kinds(self) -> &'static [MunicipalityKind] {
        match self {
            PlaceLevel::State => &[MunicipalityKind::Land],
            PlaceLevel::GovernmentRegion => &[MunicipalityKind::Regierungsbezirk],
            PlaceLevel::District => &[
                MunicipalityKind::Kreis,
                MunicipalityKind::Region,
                MunicipalityKind::KreisfreieStadt,
            ],
            PlaceLevel::MunicipalAssociation => &[MunicipalityKind::Gemeindeverband],
            PlaceLevel::Municipality => &[MunicipalityKind::KreisangehoerigeGemeinde],
        }
    }
}

/// How many digits the key of a place of this kind has.
pub fn key_length(kind: MunicipalityKind) -> usize {
    match kind {
        MunicipalityKind::Land => 2,
        MunicipalityKind::Regierungsbezirk => 3,
        MunicipalityKind::Kreis | MunicipalityKind::Region => 5,
        MunicipalityKind::KreisfreieStadt | MunicipalityKind::KreisangehoerigeGemeinde => 8,
        MunicipalityKind::Gemeindeverband => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn every_kind_has_one_level_that_lists_it() {
        for kind in MunicipalityKind::iter() {
            assert!(PlaceLevel::of(kind).kinds().contains(&kind), "{kind:?}");
        }
    }
}

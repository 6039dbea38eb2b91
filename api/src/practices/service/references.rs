//! The topics and municipalities inputs refer to, loaded once for one or many contents; a
//! retired place named is resolved to its current successors.

use std::collections::{BTreeSet, HashMap};

use dkbm_entity::{municipality, topic};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::content::{Content, field, unique};
use crate::error::{AppError, AppResult};
use crate::ids::MunicipalityId;
use crate::messages::{Message, MessageKey};

/// The topics and municipalities inputs refer to, loaded once for one or many contents.
#[derive(Debug, Default)]
pub struct References {
    pub(super) topics: HashMap<String, topic::Model>,
    municipalities: HashMap<String, municipality::Model>,
    /// The current successors of the retired places named, by the retired AGS.
    successors: HashMap<String, Vec<municipality::Model>>,
}

impl References {
    /// Loads every topic and the municipalities the contents name (two statements), and the
    /// successors of those that are retired (a few more, only when some are).
    pub async fn load(db: &impl ConnectionTrait, contents: &[&Content]) -> AppResult<References> {
        let topics = topic::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.slug.clone(), t))
            .collect();
        let ags: BTreeSet<String> = contents
            .iter()
            .flat_map(|c| c.municipality_ags.iter().map(|a| a.trim().to_owned()))
            .collect();
        let municipalities = if ags.is_empty() {
            HashMap::new()
        } else {
            municipality::Entity::find()
                .filter(municipality::Column::Ags.is_in(ags))
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.ags.clone(), m))
                .collect()
        };
        let successors = successors_of_retired(db, &municipalities).await?;
        Ok(References {
            topics,
            municipalities,
            successors,
        })
    }

    /// The places a content names, each once, in the order named: a retired one replaced by its
    /// current successors (the caller says so: [`Self::retired_warnings`]).
    pub fn places(&self, prefix: &str, named: &[String]) -> AppResult<Vec<municipality::Model>> {
        let ags_list = unique(&named.iter().map(|s| s.trim().to_owned()).collect::<Vec<_>>());
        let mut places: Vec<municipality::Model> = Vec::with_capacity(ags_list.len());
        let mut add = |place: &municipality::Model| {
            if places.iter().all(|known| known.id != place.id) {
                places.push(place.clone());
            }
        };
        for ags in &ags_list {
            if let Some(successors) = self.successors.get(ags) {
                successors.iter().for_each(&mut add);
                continue;
            }
            let place = self.municipalities.get(ags).ok_or_else(|| {
                AppError::bad_input(
                    field(prefix, "municipalityAgs"),
                    Message::new(MessageKey::NoSuchMunicipality).with("ags", ags),
                )
            })?;
            add(place);
        }
        Ok(places)
    }

    /// What a content naming retired places hears: each such AGS linked to its successors.
    pub fn retired_warnings(&self, ags_list: &[String]) -> Vec<Message> {
        let mut seen = BTreeSet::new();
        ags_list
            .iter()
            .map(|ags| ags.trim())
            .filter(|ags| seen.insert(*ags))
            .filter_map(|ags| {
                let successors = self.successors.get(ags)?;
                let retired = self.municipalities.get(ags)?;
                let names: Vec<String> = successors
                    .iter()
                    .map(|place| format!("{} ({})", place.name, place.ags))
                    .collect();
                Some(
                    Message::new(MessageKey::SyncRetiredAgs)
                        .with("ags", ags)
                        .with("name", &retired.name)
                        .with("successor", names.join(", ")),
                )
            })
            .collect()
    }
}

/// The current successors of the retired places among `municipalities`, by the retired AGS.
async fn successors_of_retired(
    db: &impl ConnectionTrait,
    municipalities: &HashMap<String, municipality::Model>,
) -> AppResult<HashMap<String, Vec<municipality::Model>>> {
    let today = chrono::Utc::now().date_naive();
    let retired: Vec<MunicipalityId> = municipalities
        .values()
        .filter(|place| place.valid_until.is_some_and(|last| last < today))
        .map(|place| MunicipalityId::from(place.id))
        .collect();
    if retired.is_empty() {
        return Ok(HashMap::new());
    }
    let found = crate::directory::service::current_successors(db, &retired).await?;
    Ok(municipalities
        .iter()
        .filter_map(|(ags, place)| Some((ags.clone(), found.get(&MunicipalityId::from(place.id))?.clone())))
        .collect())
}

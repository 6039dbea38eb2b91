//! Free slugs and external ids: what a new or changed practice may be called.

use dkbm_entity::good_practice;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::content::slug_for;
use crate::error::{AppError, AppResult};
use crate::ids::{AgencyId, PracticeId};
use crate::messages::{Message, MessageKey};
use crate::validate;

pub(super) fn check_external_id(field: &str, value: Option<&str>) -> AppResult<Option<String>> {
    validate::optional_text(field, value, 200)
}

/// A slug that is free: the one asked for (taken: CONFLICT), or one derived from the title
/// with a number appended until it is free.
pub(super) async fn free_slug(
    db: &impl ConnectionTrait,
    wanted: Option<&str>,
    title: &str,
    field: &str,
) -> AppResult<String> {
    if let Some(wanted) = wanted {
        let slug = validate::slug(field, wanted)?;
        let taken = good_practice::Entity::find()
            .filter(good_practice::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
            .is_some();
        if taken {
            return Err(AppError::conflict(
                field,
                Message::new(MessageKey::PracticeSlugIsTaken).with("slug", slug),
            ));
        }
        return Ok(slug);
    }
    // The title's slug, else the first free of base-2, base-3, …; when even those are taken, a
    // unique suffix.
    let derived = free_slugs(db, &[title]).await?.and_then(|mut slugs| slugs.pop());
    Ok(derived.unwrap_or_else(|| format!("{}-{}", slug_for(title), Uuid::now_v7().simple())))
}

/// Slugs derived from these titles, as [`free_slug`] would pick them one after the other:
/// free, and distinct among each other. A few statements whatever the number of titles;
/// `None` when a title has no free slug among its first thousand candidates.
pub(super) async fn free_slugs(db: &impl ConnectionTrait, titles: &[&str]) -> AppResult<Option<Vec<String>>> {
    use std::collections::{HashMap, HashSet, VecDeque};
    let bases: Vec<String> = titles.iter().map(|title| slug_for(title)).collect();
    let mut needed: HashMap<&str, usize> = HashMap::new();
    for base in &bases {
        *needed.entry(base.as_str()).or_default() += 1;
    }
    let candidate = |base: &str, n: usize| if n == 0 { base.to_owned() } else { format!("{base}-{n}") };
    // Per base: the free candidates found so far, and the first suffix not yet looked at.
    let mut free: HashMap<&str, VecDeque<String>> = HashMap::new();
    let mut looked: HashMap<&str, usize> = needed.keys().map(|base| (*base, 0)).collect();
    for _ in 0..16 {
        let short: Vec<(&str, usize)> = needed
            .iter()
            .filter_map(|(base, n)| {
                let found = free.get(base).map_or(0, VecDeque::len);
                (found < *n).then(|| (*base, n - found))
            })
            .collect();
        if short.is_empty() {
            break;
        }
        let mut window: Vec<(&str, String)> = Vec::new();
        for (base, missing) in short {
            let from = looked[base];
            let to = from + missing + 64;
            window.extend((from..to).filter(|n| *n != 1).map(|n| (base, candidate(base, n))));
            looked.insert(base, to);
        }
        let mut taken: HashSet<String> = HashSet::new();
        for chunk in window.chunks(5_000) {
            taken.extend(
                good_practice::Entity::find()
                    .select_only()
                    .column(good_practice::Column::Slug)
                    .filter(good_practice::Column::Slug.is_in(chunk.iter().map(|(_, slug)| slug.clone())))
                    .into_tuple::<String>()
                    .all(db)
                    .await?,
            );
        }
        for (base, slug) in window {
            if !taken.contains(&slug) {
                free.entry(base).or_default().push_back(slug);
            }
        }
    }
    let mut slugs = Vec::with_capacity(bases.len());
    for base in &bases {
        match free.get_mut(base.as_str()).and_then(VecDeque::pop_front) {
            Some(slug) => slugs.push(slug),
            None => return Ok(None),
        }
    }
    Ok(Some(slugs))
}

pub(super) async fn ensure_external_id_free(
    db: &impl ConnectionTrait,
    agency_id: AgencyId,
    external_id: Option<&str>,
    except: Option<PracticeId>,
    field: &str,
) -> AppResult<()> {
    let Some(external_id) = external_id else { return Ok(()) };
    let mut select = good_practice::Entity::find()
        .filter(good_practice::Column::OwnerAgencyId.eq(agency_id))
        .filter(good_practice::Column::ExternalId.eq(external_id));
    if let Some(id) = except {
        select = select.filter(good_practice::Column::Id.ne(id));
    }
    if select.one(db).await?.is_some() {
        return Err(AppError::conflict(
            field,
            Message::new(MessageKey::ExternalIdExists).with("external_id", external_id),
        ));
    }
    Ok(())
}

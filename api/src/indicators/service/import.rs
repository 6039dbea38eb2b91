//! Importing indicator values from a file (administrators, and the command line as the
//! operator). All or nothing: a file with one rejected line writes nothing, and the report names
//! every rejected line with its number and reason. Importing the same file again finds every
//! value unchanged and writes nothing.

use std::collections::HashMap;

use dkbm_entity::{MunicipalityKind, ValueFlag, indicator, indicator_value, municipality};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::parse::{ImportFormat, Reading, Rejection, ValueLine, parse};
use crate::auth::{Viewer, ensure_admin};
use crate::db::bulk::{IndicatorValueRow, write_indicator_values};
use crate::db::{UnitOfWork, Writer, now};
use crate::error::AppResult;
use crate::ids::{IndicatorId, MunicipalityId, TypedId};
use crate::messages::{Message, MessageKey};

/// What an import did (or, when lines were rejected or it was a dry run, would have done).
#[derive(Debug, Default)]
pub struct ImportReport {
    pub format: Option<ImportFormat>,
    /// Value lines read (rejected ones included).
    pub lines: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
    /// Whether the values were written: no line was rejected and it was not a dry run.
    pub committed: bool,
}

impl ImportReport {
    /// One line for people: what was (or would have been) done.
    pub fn summary(&self) -> String {
        let outcome = if self.committed { "imported" } else { "not imported" };
        format!(
            "{outcome}: {} lines, {} created, {} updated, {} unchanged, {} rejected",
            self.lines,
            self.created,
            self.updated,
            self.unchanged,
            self.rejected.len()
        )
    }
}

/// The advisory lock an import holds from reading what is stored until it commits: two imports
/// of overlapping files would otherwise both find a value missing and both insert it.
const IMPORT_LOCK: i64 = 0x494E_4449_4341;

/// The key of one value.
type ValueKey = (MunicipalityId, IndicatorId, i32);

/// A stored value as read back: its key's parts, the number and the sign.
type StoredRow = (Uuid, Uuid, i32, Option<f64>, Option<ValueFlag>);

/// Finds municipalities by AGS. A 5-digit district key also finds the independent city whose
/// AGS is that key followed by `000` (the statistical offices list cities among the districts).
struct Places(HashMap<String, (MunicipalityId, MunicipalityKind)>);

impl Places {
    async fn load(db: &impl ConnectionTrait) -> AppResult<Places> {
        let rows: Vec<(Uuid, String, MunicipalityKind)> = municipality::Entity::find()
            .select_only()
            .columns([
                municipality::Column::Id,
                municipality::Column::Ags,
                municipality::Column::Kind,
            ])
            .into_tuple()
            .all(db)
            .await?;
        Ok(Places(
            rows.into_iter()
                .map(|(id, ags, kind)| (ags, (MunicipalityId::from(id), kind)))
                .collect(),
        ))
    }

    fn find(&self, ags: &str) -> Option<MunicipalityId> {
        if let Some((id, _)) = self.0.get(ags) {
            return Some(*id);
        }
        match self.0.get(&format!("{ags}000")) {
            Some((id, MunicipalityKind::KreisfreieStadt)) if ags.len() == 5 => Some(*id),
            _ => None,
        }
    }
}

/// The lines resolved to keys, or the reasons they cannot be.
fn resolve(
    lines: Vec<ValueLine>,
    places: &Places,
    codes: &HashMap<String, IndicatorId>,
    rejected: &mut Vec<Rejection>,
) -> Vec<(ValueKey, Reading)> {
    let mut first_line: HashMap<ValueKey, u64> = HashMap::with_capacity(lines.len());
    let mut resolved = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(municipality_id) = places.find(&line.ags) else {
            let reason = Message::new(MessageKey::LineUnknownAgs).with("ags", &line.ags);
            rejected.push(Rejection::new(line.line, reason));
            continue;
        };
        let Some(indicator_id) = codes.get(&line.code) else {
            let reason = Message::new(MessageKey::LineUnknownCode).with("code", &line.code);
            rejected.push(Rejection::new(line.line, reason));
            continue;
        };
        let key = (municipality_id, *indicator_id, line.year);
        if let Some(first) = first_line.get(&key) {
            let reason = Message::new(MessageKey::LineDuplicate).with("first", first);
            rejected.push(Rejection::new(line.line, reason));
            continue;
        }
        first_line.insert(key, line.line);
        resolved.push((key, line.reading));
    }
    resolved
}

fn stored(reading: Reading) -> (Option<f64>, Option<ValueFlag>) {
    match reading {
        Reading::Number(number) => (Some(number), None),
        Reading::Sign(flag) => (None, Some(flag)),
    }
}

/// Imports the values of a file. Only administrators (and the command line) may.
pub async fn import_values(writer: &Writer, viewer: &Viewer, content: &[u8], dry_run: bool) -> AppResult<ImportReport> {
    ensure_admin(viewer)?;
    let parsed = parse(content);
    let mut report = ImportReport {
        format: parsed.format,
        lines: parsed.lines.len() + parsed.rejected.len(),
        rejected: parsed.rejected,
        ..ImportReport::default()
    };
    let db = writer.conn();
    let places = Places::load(db).await?;
    let codes = indicator_codes(db).await?;
    let resolved = resolve(parsed.lines, &places, &codes, &mut report.rejected);
    report.rejected.sort_by_key(|rejection| rejection.line);

    if !report.rejected.is_empty() || dry_run {
        // Counted on what is stored now, without holding the write lock.
        changed_values(db, resolved, &mut report).await?;
        return Ok(report);
    }
    let work = UnitOfWork::begin(writer).await?;
    work.advisory(IMPORT_LOCK).await?;
    let changes = changed_values(&work, resolved, &mut report).await?;
    if !changes.created.is_empty() || !changes.updated.is_empty() {
        write_indicator_values(&work, &changes.created, &changes.updated, now()).await?;
        super::matrix::bump_revision(&work).await?;
    }
    work.commit().await?;
    report.committed = true;
    Ok(report)
}

/// Every indicator's id by its code.
async fn indicator_codes(db: &impl ConnectionTrait) -> AppResult<HashMap<String, IndicatorId>> {
    Ok(indicator::Entity::find()
        .select_only()
        .columns([indicator::Column::Code, indicator::Column::Id])
        .into_tuple::<(String, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(code, id)| (code, IndicatorId::from(id)))
        .collect())
}

/// Stores values another area brings along (the official municipality directory, the districts
/// the server starts with) inside that area's unit of work, where the places they name may have
/// been written just before. With `keep_stored`, values stored already stay as they are and only
/// missing ones are added. Every line must name a known place and indicator (the caller's data,
/// not a person's file): an unknown one is an internal error.
pub async fn store_values(work: &UnitOfWork, lines: Vec<ValueLine>, keep_stored: bool) -> AppResult<ImportReport> {
    let mut report = ImportReport {
        lines: lines.len(),
        ..ImportReport::default()
    };
    let places = Places::load(work).await?;
    let codes = indicator_codes(work).await?;
    let resolved = resolve(lines, &places, &codes, &mut report.rejected);
    if let Some(rejection) = report.rejected.first() {
        return Err(crate::error::AppError::Internal(anyhow::anyhow!(
            "a value for line {} cannot be stored: {}",
            rejection.line,
            rejection.reason
        )));
    }
    let mut changes = changed_values(work, resolved, &mut report).await?;
    if keep_stored {
        report.unchanged += changes.updated.len();
        report.updated = 0;
        changes.updated.clear();
    }
    if !changes.created.is_empty() || !changes.updated.is_empty() {
        write_indicator_values(work, &changes.created, &changes.updated, now()).await?;
        super::matrix::bump_revision(work).await?;
    }
    report.committed = true;
    Ok(report)
}

/// The rows an import writes: values not stored yet, and stored ones that differ.
#[derive(Default)]
struct Changes {
    created: Vec<IndicatorValueRow>,
    updated: Vec<IndicatorValueRow>,
}

fn row_of((municipality_id, indicator_id, year): ValueKey, reading: Reading) -> IndicatorValueRow {
    let (value, flag) = stored(reading);
    IndicatorValueRow {
        municipality_id: municipality_id.uuid(),
        indicator_id: indicator_id.uuid(),
        year,
        value,
        flag,
    }
}

/// The values that are new or differ from what is stored, counting each kind in the report.
async fn changed_values(
    db: &impl ConnectionTrait,
    resolved: Vec<(ValueKey, Reading)>,
    report: &mut ImportReport,
) -> AppResult<Changes> {
    let mut indicator_ids: Vec<IndicatorId> = resolved.iter().map(|((_, id, _), _)| *id).collect();
    indicator_ids.sort_unstable();
    indicator_ids.dedup();
    let mut stored_values: HashMap<ValueKey, (Option<f64>, Option<ValueFlag>)> = HashMap::new();
    for ids in indicator_ids.chunks(100) {
        let rows: Vec<StoredRow> = indicator_value::Entity::find()
            .select_only()
            .columns([
                indicator_value::Column::MunicipalityId,
                indicator_value::Column::IndicatorId,
                indicator_value::Column::Year,
                indicator_value::Column::Value,
                indicator_value::Column::Flag,
            ])
            .filter(indicator_value::Column::IndicatorId.is_in(ids.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (municipality_id, indicator_id, year, value, flag) in rows {
            let key = (municipality_id.into(), indicator_id.into(), year);
            stored_values.insert(key, (value, flag));
        }
    }
    let mut changes = Changes::default();
    for (key, reading) in resolved {
        let row = row_of(key, reading);
        match stored_values.get(&key) {
            None => changes.created.push(row),
            Some((old_value, old_flag))
                if old_value.map(f64::to_bits) == row.value.map(f64::to_bits) && *old_flag == row.flag =>
            {
                report.unchanged += 1;
            }
            Some(_) => changes.updated.push(row),
        }
    }
    report.created = changes.created.len();
    report.updated = changes.updated.len();
    Ok(changes)
}

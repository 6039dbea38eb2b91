//! Rules and database work of the real map:
//! - `districts`: the Länder and districts every server starts with;
//! - `gv100ad`: reading Destatis' official municipality directory (pure);
//! - `directory_file`: its records as places and values;
//! - `apply`: writing a map (create, update, retire, values) in a few statements;
//! - `names`, `values`: names as people write them, and the map's indicators.

mod apply;
mod directory_file;
mod districts;
mod gv100ad;
mod names;
mod values;

pub use apply::MapReport;
pub use districts::{EISENACH, WARTBURGKREIS};
pub use gv100ad::Malformed;

use dkbm_entity::{SuccessionReason, SuccessionSubject};

use crate::auth::{Viewer, ensure_admin};
use crate::db::{UnitOfWork, Writer};
use crate::directory::service::{insert_successions, municipality_by_ags};
use crate::error::{AppError, AppResult};
use crate::indicators::service::{list_indicators, save_indicator};
use crate::messages::{Message, MessageKey};

/// The lock a map write holds from reading what is stored until it commits: two instances
/// starting at once, or two imports, would otherwise both create the same places.
const MAP_LOCK: i64 = 0x504C_4143_4553;

/// What an import of the official directory did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct DirectoryImport {
    pub reference: chrono::NaiveDate,
    pub report: MapReport,
    pub dry_run: bool,
}

impl DirectoryImport {
    /// The line the command line ends with.
    pub fn summary(&self) -> String {
        let r = &self.report;
        format!(
            "created {} updated {} unchanged {} retired {}",
            r.created, r.updated, r.unchanged, r.retired
        )
    }
}

/// Defines the map's indicators where they are missing (as the operator). Another instance
/// starting at the same time may define one first: that one's definition stands.
async fn ensure_indicators(writer: &Writer) -> AppResult<()> {
    let known = list_indicators(writer.conn(), None).await?;
    for draft in values::map_indicators() {
        if known.iter().any(|row| row.code == draft.code) {
            continue;
        }
        let code = draft.code.clone();
        if let Err(error) = save_indicator(writer, &Viewer::Operator, draft).await {
            let defined_meanwhile = list_indicators(writer.conn(), Some(&[code]))
                .await?
                .into_iter()
                .next()
                .is_some();
            if !defined_meanwhile {
                return Err(error);
            }
        }
    }
    Ok(())
}

/// Imports Destatis' GV100AD file (administrators, and the command line as the operator): all
/// or nothing; a malformed line refuses the whole file (BAD_USER_INPUT on `field`, the line named).
pub async fn import_directory(
    writer: &Writer,
    viewer: &Viewer,
    field: &str,
    content: &[u8],
    dry_run: bool,
) -> AppResult<DirectoryImport> {
    ensure_admin(viewer)?;
    let refuse = |malformed: Malformed| {
        let message = Message::new(MessageKey::DirectoryLine)
            .with("line", malformed.line)
            .with_messages("reason", vec![malformed.reason]);
        AppError::bad_input(field, message)
    };
    let directory = gv100ad::parse(content).map_err(refuse)?;
    let map = directory_file::map_of(&directory).map_err(refuse)?;
    ensure_indicators(writer).await?;
    let work = UnitOfWork::begin(writer).await?;
    work.advisory(MAP_LOCK).await?;
    let report = apply::apply(&work, map, dry_run).await?;
    if !dry_run {
        work.commit().await?;
        if report.created > 0 {
            crate::db::analyze(writer.conn(), "municipality").await?;
        }
    }
    Ok(DirectoryImport {
        reference: directory.reference,
        report,
        dry_run,
    })
}

/// Adds the Länder and districts of 2018 with their figures where they are missing, and retires
/// Eisenach into the Wartburgkreis once. Stored places and values stay as they are, so a later
/// import of a newer directory is never undone; a server that has them all reads one row count.
pub async fn ensure_base_places(writer: &Writer) -> AppResult<MapReport> {
    let map = districts::base_map();
    let wanted = map.places.len() as u64;
    if crate::directory::service::count_places(writer.conn(), map.places.iter().map(|p| p.ags.clone())).await? == wanted
    {
        return Ok(MapReport::default());
    }
    ensure_indicators(writer).await?;
    let work = UnitOfWork::begin(writer).await?;
    work.advisory(MAP_LOCK).await?;
    let report = apply::apply(&work, map, false).await?;
    if report.created > 0 {
        retire_eisenach(&work).await?;
    }
    work.commit().await?;
    if report.created > 0 {
        crate::db::analyze(writer.conn(), "municipality").await?;
    }
    Ok(report)
}

/// Eisenach joined the Wartburgkreis on 1 July 2021: the real example of a retired place.
async fn retire_eisenach(work: &UnitOfWork) -> AppResult<()> {
    let (Some(eisenach), Some(kreis)) = (
        municipality_by_ags(work, EISENACH).await?,
        municipality_by_ags(work, WARTBURGKREIS).await?,
    ) else {
        return Ok(());
    };
    if eisenach.valid_until.is_some() {
        return Ok(());
    }
    let since = districts::eisenach_merged();
    match insert_successions(
        work,
        SuccessionSubject::Municipality,
        &[(eisenach.id, kreis.id)],
        since,
        SuccessionReason::Merged,
    )
    .await
    {
        Ok(()) | Err(AppError::Conflict { .. }) => {}
        Err(error) => return Err(error),
    }
    crate::directory::service::retire_places(work, &[eisenach.id], since).await
}

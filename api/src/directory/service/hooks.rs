//! What the directory tells the areas that keep something derived from its places: the
//! directory names none of them; the assembly wires each area's [`OnMunicipalityChange`] into
//! the [`Directory`] handle, and the directory's writes call them inside their unit of work.

use std::sync::Arc;

use crate::db::UnitOfWork;
use crate::error::AppResult;
use crate::ids::MunicipalityId;

/// What changed about a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MunicipalityChange {
    pub id: MunicipalityId,
    /// Its state (Land) changed.
    pub state_changed: bool,
    /// Its administrative kind changed.
    pub kind_changed: bool,
}

/// An area that keeps something derived from a municipality (practices' state masks, the
/// indicators' cached matrices) and brings it up to date inside the change's unit of work.
#[async_trait::async_trait]
pub trait OnMunicipalityChange: Send + Sync {
    async fn municipality_changed(&self, work: &UnitOfWork, change: &MunicipalityChange) -> AppResult<()>;
}

/// The directory's handle: what its writes tell the areas above it.
#[derive(Clone, Default)]
pub struct Directory {
    on_change: Vec<Arc<dyn OnMunicipalityChange>>,
}

impl Directory {
    /// The directory telling `hooks` of every change of a municipality.
    pub fn new(hooks: Vec<Arc<dyn OnMunicipalityChange>>) -> Self {
        Directory { on_change: hooks }
    }

    /// Tells every hook of `change`, inside `work`.
    pub async fn municipality_changed(&self, work: &UnitOfWork, change: &MunicipalityChange) -> AppResult<()> {
        for hook in &self.on_change {
            hook.municipality_changed(work, change).await?;
        }
        Ok(())
    }
}

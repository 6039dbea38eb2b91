//! What the indicators area keeps per instance ([`Indicators`]), and what it does when the
//! directory changes a municipality ([`MatrixRevision`]).

use std::sync::Arc;

use super::matrix::{MatrixCache, bump_revision};
use crate::db::UnitOfWork;
use crate::directory::service::{MunicipalityChange, OnMunicipalityChange};
use crate::error::AppResult;

/// The indicators area's handle: built once per instance by the assembly, read by the
/// resolvers (`ctx.get::<Indicators>()`). Cheap to clone: clones share the cache.
#[derive(Clone, Default)]
pub struct Indicators {
    /// This instance's matrices of indicator values (checked against the database's revision
    /// before each use).
    pub matrices: Arc<MatrixCache>,
}

impl Indicators {
    /// An empty cache: matrices are built when a similarity first asks for them.
    pub fn new() -> Self {
        Indicators::default()
    }
}

/// Keeps the cached matrices honest when a municipality changes: similarity compares the
/// municipalities of one kind, so a change of kind raises the revision (inside the change's
/// unit of work), and every instance rebuilds its matrices.
pub struct MatrixRevision;

#[async_trait::async_trait]
impl OnMunicipalityChange for MatrixRevision {
    async fn municipality_changed(&self, work: &UnitOfWork, change: &MunicipalityChange) -> AppResult<()> {
        if change.kind_changed {
            bump_revision(work).await?;
        }
        Ok(())
    }
}

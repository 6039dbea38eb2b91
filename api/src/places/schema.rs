//! GraphQL of the map: the administrators' import of the official municipality directory.

use async_graphql::{Context, InputObject, Object};

use super::service::{self, DirectoryImport};
use crate::error::AppError;
use crate::graphql::{ContextExt, Date, FileUpload};
use crate::messages::MessageKey;

/// An official municipality directory to import.
#[derive(InputObject)]
pub struct ImportMunicipalityDirectoryInput {
    /// Destatis' GV100AD file (fixed-width UTF-8 text), sent as a GraphQL multipart upload.
    pub file: FileUpload,
    /// Only check and count; write nothing (default false).
    pub dry_run: Option<bool>,
}

/// What an import of the official directory did (or, in a dry run, would do).
pub struct MunicipalityDirectoryImport(pub DirectoryImport);

/// What an import of the official directory did (or, in a dry run, would do).
#[Object]
impl MunicipalityDirectoryImport {
    /// The file's Gebietsstand: the day it describes.
    async fn reference_date(&self) -> Date {
        Date(self.0.reference)
    }

    /// Whether nothing was written.
    async fn dry_run(&self) -> bool {
        self.0.dry_run
    }

    /// Places created.
    async fn created(&self) -> usize {
        self.0.report.created
    }

    /// Places changed (name, kind, parent, population).
    async fn updated(&self) -> usize {
        self.0.report.updated
    }

    /// Places as the file has them already.
    async fn unchanged(&self) -> usize {
        self.0.report.unchanged
    }

    /// Places of the covered Länder that the file no longer names, now retired.
    async fn retired(&self) -> usize {
        self.0.report.retired
    }

    /// Population and area values created (not counted in a dry run).
    async fn values_created(&self) -> usize {
        self.0.report.values_created
    }

    /// Population and area values changed.
    async fn values_updated(&self) -> usize {
        self.0.report.values_updated
    }

    /// Population and area values as the file has them already.
    async fn values_unchanged(&self) -> usize {
        self.0.report.values_unchanged
    }
}

/// Mutations of the map.
#[derive(Default)]
pub struct PlacesMutation;

/// Mutations of the map.
#[Object]
impl PlacesMutation {
    /// Imports Destatis' official municipality directory (administrators): creates and updates
    /// places and their hierarchy, sets BEVOELKERUNG and FLAECHE_KM2 for the file's year, and
    /// retires places of the covered Länder that the file no longer names. All or nothing: a
    /// malformed line refuses the whole file (BAD_USER_INPUT on `input.file`, the line named);
    /// importing the same file again changes nothing.
    async fn import_municipality_directory(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file.")] input: ImportMunicipalityDirectoryInput,
    ) -> async_graphql::Result<MunicipalityDirectoryImport> {
        let state = ctx.state()?;
        let viewer = ctx.viewer()?;
        crate::auth::ensure_admin(viewer)?;
        let content = input
            .file
            .content(ctx)
            .ok_or_else(|| AppError::bad_input("input.file", MessageKey::NoFileSent))?;
        let import = service::import_directory(
            &state.writer,
            viewer,
            "input.file",
            &content,
            input.dry_run.unwrap_or(false),
        )
        .await?;
        Ok(MunicipalityDirectoryImport(import))
    }
}

//! Inputs and the import report of indicators in GraphQL.

use async_graphql::{Context, Enum, InputObject, Object};

use super::Polarity;
use crate::indicators::service::{self, ImportReport};
use crate::messages::Locale;

/// An indicator to define or change (its code identifies it).
#[derive(InputObject)]
pub struct SaveIndicatorInput {
    /// The code imports name it by: 1 to 64 characters of A-Z, a-z, 0-9, `_`, `-`, `.`, `:`. For
    /// a GENESIS file, the value variable (e.g. `BIL002`), followed by `:` and the attribute code of
    /// each further breakdown (e.g. `BIL003:OHNE`).
    pub code: String,
    /// German name.
    pub name_de: String,
    /// English name.
    pub name_en: String,
    /// What it measures and how.
    pub description: Option<String>,
    /// The unit of its values (e.g. `%`).
    pub unit: String,
    /// Where the values come from.
    pub source: String,
    /// The slug of the field of action it belongs to.
    pub topic: Option<String>,
    /// Whether higher is better, worse, or neither (default NEUTRAL).
    pub polarity: Option<Polarity>,
    /// Decimal places its values are shown with (0 to 6, default 1).
    pub decimals: Option<i32>,
}

impl From<SaveIndicatorInput> for service::IndicatorDraft {
    fn from(input: SaveIndicatorInput) -> Self {
        service::IndicatorDraft {
            code: input.code,
            name_de: input.name_de,
            name_en: input.name_en,
            description: input.description,
            unit: input.unit,
            source: input.source,
            topic: input.topic,
            polarity: input.polarity.map_or(dkbm_entity::Polarity::Neutral, Into::into),
            decimals: input.decimals.unwrap_or(1),
        }
    }
}

/// A file of indicator values to import.
#[derive(InputObject)]
pub struct ImportIndicatorValuesInput {
    /// The file's text (UTF-8, `;`-separated): a GENESIS flat CSV (`ffcsv`) or `ags;year;code;value`.
    pub content: String,
    /// Only check and count; write nothing (default false).
    pub dry_run: Option<bool>,
}

/// The format an import file was read as.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "service::ImportFormat")]
pub enum ImportFormat {
    /// The flat CSV of the GENESIS databases (ffcsv).
    Genesis,
    /// `ags;year;code;value`.
    Plain,
}

/// What an import did.
pub struct IndicatorImportReport(pub ImportReport);

/// What an import did, or (when a line was rejected, or on a dry run) would have done: a file
/// is imported whole or not at all.
#[Object]
impl IndicatorImportReport {
    /// Whether the values were written.
    async fn committed(&self) -> bool {
        self.0.committed
    }

    /// The format the file was read as (null when its first line fits neither).
    async fn format(&self) -> Option<ImportFormat> {
        self.0.format.map(Into::into)
    }

    /// Value lines read.
    async fn lines(&self) -> usize {
        self.0.lines
    }

    /// Values new to the database.
    async fn created(&self) -> usize {
        self.0.created
    }

    /// Values that replaced a different one.
    async fn updated(&self) -> usize {
        self.0.updated
    }

    /// Values the database held already.
    async fn unchanged(&self) -> usize {
        self.0.unchanged
    }

    /// The lines that cannot be imported, in file order.
    async fn rejected(&self, ctx: &Context<'_>) -> Vec<RejectedLine> {
        let locale = ctx.data_opt::<Locale>().copied().unwrap_or(Locale::En);
        self.0
            .rejected
            .iter()
            .map(|rejection| RejectedLine {
                line: rejection.line,
                reason: rejection.reason.render(locale),
            })
            .collect()
    }
}

/// A line of an import file that cannot be imported.
#[derive(async_graphql::SimpleObject)]
pub struct RejectedLine {
    /// Its number in the file (1 is the first line, the header).
    pub line: u64,
    /// Why, in the request's language.
    pub reason: String,
}

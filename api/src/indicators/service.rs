//! Rules and database work of education monitoring indicators. The map:
//! - `catalog`: defining indicators (administrators) and finding them by code;
//! - `parse`: reading an import file (GENESIS flat CSV or `ags;year;code;value`), pure;
//! - `import`: resolving and writing a file's values, all or nothing;
//! - `values`: time series, comparison tables, the series of a chart;
//! - `similar`: similar municipalities by standardised distance;
//! - `matrix`: the numbers of a kind and year in memory, checked against the revision counter;
//! - `handle`: the area's handle ([`Indicators`]: the matrices of this instance) and its hook on
//!   the directory's changes ([`MatrixRevision`]).

mod catalog;
mod handle;
mod import;
mod matrix;
mod parse;
mod similar;
mod values;

pub use catalog::*;
pub use handle::{Indicators, MatrixRevision};
pub use import::*;
pub use matrix::{MatrixCache, bump_revision};
pub use parse::{ImportFormat, Reading, Rejection, ValueLine};
pub use similar::*;
pub use values::*;

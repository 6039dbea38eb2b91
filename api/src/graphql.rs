//! The GraphQL framework every area builds on: typed access to what a request carries, global
//! ids ([`node`]), fields a higher area answers ([`later`]), objects answered from their rows
//! ([`direct`], [`shape`]), scalars, connections, and the one schema extension with the limits
//! and checks after parsing. It names no area: the schema of all areas is assembled above them
//! (`crate::schema`).

mod connection;
pub mod direct;
mod document;
mod errors;
mod extension;
mod field_order;
mod int_range;
pub mod later;
pub mod leaf;
mod limits;
pub mod node;
mod scalars;
pub mod shape;
mod text_input;
mod upload;

use std::any::Any;

pub(crate) use connection::connection_type;
pub use connection::{OrderDirection, PageInfo};
pub use errors::{ClientAddress, RequestId};
pub use extension::Guard;
pub use scalars::{DATE_TIME_DESCRIPTION, Date, JSON_DESCRIPTION, Uuid};
pub use upload::FileUpload;

use async_graphql::context::ContextBase;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::loader::{AreaLoaders, Lazy};
use crate::state::AppState;

/// Typed access to what a request carries.
pub trait ContextExt {
    /// Request or schema data of type `T`; missing data is a server bug, reported as internal.
    fn get<T: Any + Send + Sync>(&self) -> AppResult<&T>;

    fn state(&self) -> AppResult<&AppState> {
        self.get::<AppState>()
    }

    fn viewer(&self) -> AppResult<&Viewer> {
        self.get::<Viewer>()
    }

    /// An area's DataLoaders for this request (built on first use).
    fn loaders<L: AreaLoaders>(&self) -> AppResult<&L> {
        Ok(self.get::<Lazy<L>>()?.get())
    }
}

impl<T> ContextExt for ContextBase<'_, T> {
    fn get<D: Any + Send + Sync>(&self) -> AppResult<&D> {
        self.data_opt::<D>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("request data {} missing", std::any::type_name::<D>())))
    }
}

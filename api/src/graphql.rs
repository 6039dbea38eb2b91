//! The GraphQL schema: the areas' Query and Mutation objects merged into one, the protective
//! limits, error reporting, and what every request carries (viewer, DataLoaders).

mod connection;
pub(crate) mod direct;
mod document;
mod errors;
mod extension;
mod field_order;
mod int_range;
mod limits;
pub mod node;
mod scalars;
pub(crate) mod shape;
mod text_input;

use std::any::Any;

use async_graphql::{MergedObject, MergedSubscription, Request, SDLExportOptions, Schema, SchemaBuilder};

pub(crate) use connection::connection_type;
pub use connection::{OrderDirection, PageInfo};
pub use errors::{ClientAddress, RequestId};
pub use scalars::{Date, Uuid};

use crate::auth::Viewer;
use crate::config::Limits;
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{DirectoryMutation, DirectoryQuery};
use crate::error::{AppError, AppResult};
use crate::events::loaders::EventLoaders;
use crate::events::schema::{EventsMutation, EventsQuery, EventsSubscription};
use crate::forums::loaders::ForumLoaders;
use crate::forums::schema::{ForumsMutation, ForumsQuery, ForumsSubscription};
use crate::indicators::loaders::IndicatorLoaders;
use crate::indicators::schema::{IndicatorsMutation, IndicatorsQuery};
use crate::loader::BatchGate;
use crate::mail::schema::{MailMutation, MailQuery};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::{AccountMailMutation, MembersMutation, MembersQuery};
use crate::messages::Locale;
use crate::portals::loaders::PortalLoaders;
use crate::portals::schema::{PortalsMutation, PortalsQuery, RequestPortal};
use crate::practices::loaders::PracticeLoaders;
use crate::practices::schema::{PracticesMutation, PracticesQuery, PracticesSubscription, SyncMutation, SyncQuery};
use crate::search::schema::SearchQueryRoot;
use crate::state::AppState;

/// Every root query field of every area.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    DirectoryQuery,
    MembersQuery,
    PracticesQuery,
    SyncQuery,
    EventsQuery,
    ForumsQuery,
    SearchQueryRoot,
    MailQuery,
    IndicatorsQuery,
    PortalsQuery,
);

/// Every mutation of every area.
#[derive(MergedObject, Default)]
pub struct Mutation(
    DirectoryMutation,
    MembersMutation,
    AccountMailMutation,
    PracticesMutation,
    SyncMutation,
    EventsMutation,
    ForumsMutation,
    MailMutation,
    IndicatorsMutation,
    PortalsMutation,
);

/// Every subscription of every area.
#[derive(MergedSubscription, Default)]
pub struct Subscription(PracticesSubscription, EventsSubscription, ForumsSubscription);

/// The schema type served by every instance.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription::default())
        .override_output_type_description::<chrono::DateTime<chrono::Utc>>(scalars::DATE_TIME_DESCRIPTION)
        .override_output_type_description::<async_graphql::Json<serde_json::Value>>(scalars::JSON_DESCRIPTION)
}

/// Builds the schema of one instance, with its state and limits.
pub fn schema(state: &AppState) -> AppSchema {
    let limits: &Limits = &state.config.limits;
    let mut builder = builder()
        .data(state.clone())
        .extension(extension::Guard::new(limits.into(), state.metrics().clone()));
    if !limits.field_suggestions {
        builder = builder.disable_suggestions();
    }
    if limits.disable_introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The SDL of the schema, as committed in `schema.graphql`, with each scalar's `@specifiedBy`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(SDLExportOptions::new().include_specified_by())
}

/// Adds what one request carries: the viewer, the request id, the language its messages are
/// to be in, the portal it names (`X-Portal-Key`), and fresh DataLoaders whose batches pass
/// `gate`.
pub fn prepare_request(
    request: Request,
    state: &AppState,
    (viewer, portal): (Viewer, RequestPortal),
    (request_id, locale): (RequestId, Locale),
    gate: &BatchGate,
) -> Request {
    let member_id = viewer.member_id();
    request
        .data(viewer)
        .data(portal)
        .data(PortalLoaders::new(state.conn(), gate))
        .data(request_id)
        .data(locale)
        .data(DirectoryLoaders::new(state.conn(), gate))
        .data(MemberLoaders::new(state.conn(), gate))
        .data(PracticeLoaders::new(state.conn(), gate))
        .data(EventLoaders::new(state.conn(), gate, member_id))
        .data(ForumLoaders::new(state.conn(), gate, member_id))
        .data(IndicatorLoaders::new(state.conn(), gate))
}

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
}

impl ContextExt for async_graphql::Context<'_> {
    fn get<T: Any + Send + Sync>(&self) -> AppResult<&T> {
        self.data_opt::<T>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("request data {} missing", std::any::type_name::<T>())))
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_schema;
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    /// Every type, field, argument, input field and enum value of the schema has a description.
    #[test]
    fn everything_is_described() {
        let document = parse_schema(super::sdl()).expect("the SDL parses");
        let mut missing = Vec::new();
        for definition in &document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let ty = &ty.node;
            let name = ty.name.node.as_str();
            if ty.description.is_none() {
                missing.push(name.to_owned());
            }
            match &ty.kind {
                TypeKind::Object(object) => {
                    for field in &object.fields {
                        let field_name = format!("{name}.{}", field.node.name.node);
                        if field.node.description.is_none() {
                            missing.push(field_name.clone());
                        }
                        for argument in &field.node.arguments {
                            if argument.node.description.is_none() {
                                missing.push(format!("{field_name}({})", argument.node.name.node));
                            }
                        }
                    }
                }
                TypeKind::Interface(interface) => {
                    for field in &interface.fields {
                        if field.node.description.is_none() {
                            missing.push(format!("{name}.{}", field.node.name.node));
                        }
                    }
                }
                TypeKind::InputObject(input) => {
                    for field in &input.fields {
                        if field.node.description.is_none() {
                            missing.push(format!("{name}.{}", field.node.name.node));
                        }
                    }
                }
                TypeKind::Enum(values) => {
                    for value in &values.values {
                        if value.node.description.is_none() {
                            missing.push(format!("{name}.{}", value.node.value.node));
                        }
                    }
                }
                TypeKind::Scalar | TypeKind::Union(_) => {}
            }
        }
        assert!(missing.is_empty(), "undescribed in the schema: {missing:#?}");
    }
}

//! The GraphQL schema of all areas, assembled above them: the areas' Query, Mutation and
//! Subscription roots merged into one, the `Node` interface and its dispatch over every kind
//! ([`node`]), the answers to the fields a lower area declares and a higher one answers
//! ([`crate::graphql::later`]), and what every request carries: the viewer, its portal, its
//! language, and each area's DataLoaders, built when the request first uses them.

pub mod node;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContainerType, Context, ContextSelectionSet, MergedObject, MergedSubscription, ObjectType, OutputType, Positioned,
    Request, SDLExportOptions, Schema, SchemaBuilder, ServerResult, Value,
};

use crate::accompaniment::loaders::AccompanimentLoaders;
use crate::accompaniment::schema::{
    AccompanimentAnswers, AccompanimentMutation, AgreementActivity, AgreementGoal, AgreementReview,
    AgreementTimelineConnection,
};
use crate::app::App;
use crate::auth::Viewer;
use crate::curation::schema::{CurationMutation, CurationQuery};
use crate::directory::loaders::DirectoryLoaders;
use crate::directory::schema::{
    AgreementActivities, AgreementGoals, AgreementReviews, AgreementTimeline, DirectoryMutation, DirectoryQuery,
    MunicipalityIndicators,
};
use crate::documents::loaders::DocumentLoaders;
use crate::documents::schema::{Attachment, AttachmentsOfTarget, DocumentsMutation};
use crate::events::loaders::EventLoaders;
use crate::events::schema::{EventsMutation, EventsQuery, EventsSubscription};
use crate::forums::loaders::ForumLoaders;
use crate::forums::schema::{ForumsMutation, ForumsQuery, ForumsSubscription};
use crate::graphql::later::{Answers, AttachmentsOf};
use crate::graphql::{DATE_TIME_DESCRIPTION, Guard, JSON_DESCRIPTION, RequestId};
use crate::ids::{EventId, PostId, PracticeId};
use crate::indicators::loaders::IndicatorLoaders;
use crate::indicators::schema::{IndicatorValue, IndicatorsMutation, IndicatorsOfMunicipality, IndicatorsQuery};
use crate::loader::{BatchGate, Lazy, LoaderSource};
use crate::members::loaders::MemberLoaders;
use crate::members::schema::{AccountMailMutation, MembersMutation, MembersQuery};
use crate::messages::Locale;
use crate::outbox_admin::schema::{OutboxAdminMutation, OutboxAdminQuery};
use crate::places::schema::PlacesMutation;
use crate::portals::loaders::PortalLoaders;
use crate::portals::schema::RequestPortal;
use crate::practices::loaders::PracticeLoaders;
use crate::practices::schema::{PracticesMutation, PracticesQuery, PracticesSubscription, SyncMutation, SyncQuery};
use crate::search::schema::SearchQueryRoot;
use crate::state::AppState;
use crate::webhooks::schema::{WebhooksMutation, WebhooksQuery};

/// Declares a root type made of the areas' parts: its fields are the parts' fields, in the
/// parts' order (the SDL is that of a `MergedObject` of them), and each root field is answered
/// by the part that declares it, found by name, instead of asking every part in turn until one
/// answers (which is what `MergedObject` does: a list's root field passed through every area).
macro_rules! root {
    ($(#[$doc:meta])* $name:ident as $graphql:literal, parts $parts:ident: $($index:tt $part:ty),* $(,)?) => {
        $(#[$doc])*
        #[derive(MergedObject, Default)]
        #[graphql(name = $graphql)]
        pub struct $parts($($part),*);

        $(#[$doc])*
        #[derive(Default)]
        pub struct $name($parts);

        impl OutputType for $name {
            fn type_name() -> Cow<'static, str> {
                <$parts as OutputType>::type_name()
            }

            fn create_type_info(registry: &mut Registry) -> String {
                <$parts as OutputType>::create_type_info(registry)
            }

            async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
                async_graphql::resolver_utils::resolve_container(ctx, self).await
            }
        }

        impl ContainerType for $name {
            async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
                static OWNERS: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
                    let mut owners = HashMap::new();
                    $(owners.extend(field_names::<$part>().into_iter().map(|field| (field, $index)));)*
                    owners
                });
                match OWNERS.get(ctx.item.node.name.node.as_str()) {
                    $(Some($index) => (self.0).$index.resolve_field(ctx).await,)*
                    _ => Ok(None),
                }
            }
        }

        impl ObjectType for $name {}
    };
}

/// The names of the fields an object type declares.
fn field_names<T: OutputType>() -> Vec<String> {
    let mut registry = Registry::default();
    T::create_type_info(&mut registry);
    registry
        .types
        .get(T::type_name().as_ref())
        .and_then(|ty| ty.fields())
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default()
}

root!(
    /// Every root query field of every area.
    Query as "Query", parts QueryParts:
    0 node::NodeQuery,
    1 DirectoryQuery,
    2 MembersQuery,
    3 PracticesQuery,
    4 SyncQuery,
    5 EventsQuery,
    6 ForumsQuery,
    7 SearchQueryRoot,
    8 OutboxAdminQuery,
    9 IndicatorsQuery,
    10 CurationQuery,
    11 WebhooksQuery,
);

root!(
    /// Every mutation of every area.
    Mutation as "Mutation", parts MutationParts:
    0 DirectoryMutation,
    1 MembersMutation,
    2 AccountMailMutation,
    3 PracticesMutation,
    4 SyncMutation,
    5 EventsMutation,
    6 ForumsMutation,
    7 OutboxAdminMutation,
    8 IndicatorsMutation,
    9 CurationMutation,
    10 PlacesMutation,
    11 WebhooksMutation,
    12 AccompanimentMutation,
    13 DocumentsMutation,
);

/// Every subscription of every area.
#[derive(MergedSubscription, Default)]
pub struct Subscription(PracticesSubscription, EventsSubscription, ForumsSubscription);

/// The schema type served by every instance.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The schema's types and roots, with the types that only a declared field names.
fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription::default())
        .register_output_type::<IndicatorValue>()
        .register_output_type::<AgreementGoal>()
        .register_output_type::<AgreementActivity>()
        .register_output_type::<AgreementReview>()
        .register_output_type::<AgreementTimelineConnection>()
        .register_output_type::<Attachment>()
        .override_output_type_description::<chrono::DateTime<chrono::Utc>>(DATE_TIME_DESCRIPTION)
        .override_output_type_description::<async_graphql::Json<serde_json::Value>>(JSON_DESCRIPTION)
}

/// The answers to the fields a lower area declares and a higher one answers.
fn answers() -> Answers {
    let mut answers = Answers::default();
    answers.insert::<MunicipalityIndicators>(IndicatorsOfMunicipality);
    answers.insert::<AttachmentsOf<PracticeId>>(AttachmentsOfTarget);
    answers.insert::<AttachmentsOf<EventId>>(AttachmentsOfTarget);
    answers.insert::<AttachmentsOf<PostId>>(AttachmentsOfTarget);
    answers
        .insert::<AgreementGoals>(AccompanimentAnswers)
        .insert::<AgreementActivities>(AccompanimentAnswers)
        .insert::<AgreementReviews>(AccompanimentAnswers)
        .insert::<AgreementTimeline>(AccompanimentAnswers);
    answers
}

/// Builds the schema of one instance: its state, every area's handle, the limits.
pub fn build(app: &App) -> AppSchema {
    let state = &app.state;
    let limits = &state.config.limits;
    let areas = &app.areas;
    let mut builder = builder()
        .data(state.clone())
        .data(answers())
        .data(areas.directory.clone())
        .data(areas.indicators.clone())
        .data(areas.members.clone())
        .data(areas.portals.clone())
        .data(areas.events.clone())
        .data(areas.forums.clone())
        .extension(Guard::new(limits.into(), state.metrics().clone()));
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
/// to be in, the portal it names (`X-Portal-Key`), and each area's DataLoaders (built when
/// first used), whose batches pass `gate`.
pub fn prepare_request(
    request: Request,
    state: &AppState,
    (viewer, portal): (Viewer, RequestPortal),
    (request_id, locale): (RequestId, Locale),
    gate: &BatchGate,
) -> Request {
    let source = Arc::new(LoaderSource {
        db: state.conn().clone(),
        gate: gate.clone(),
        member_id: viewer.member_id().map(Into::into),
    });
    request
        .data(viewer)
        .data(portal)
        .data(request_id)
        .data(locale)
        .data(Lazy::<DirectoryLoaders>::new(source.clone()))
        .data(Lazy::<IndicatorLoaders>::new(source.clone()))
        .data(Lazy::<MemberLoaders>::new(source.clone()))
        .data(Lazy::<PortalLoaders>::new(source.clone()))
        .data(Lazy::<PracticeLoaders>::new(source.clone()))
        .data(Lazy::<EventLoaders>::new(source.clone()))
        .data(Lazy::<ForumLoaders>::new(source.clone()))
        .data(Lazy::<AccompanimentLoaders>::new(source.clone()))
        .data(Lazy::<DocumentLoaders>::new(source))
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

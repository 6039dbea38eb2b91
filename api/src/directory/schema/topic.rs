//! Topics in GraphQL: the fields of action (Handlungsfelder) with their labels.

use async_graphql::{ID, Object};
use dkbm_entity::topic;
use dkbm_macros::fields;

use crate::graphql::direct::direct_object;
use crate::graphql::node::NodeKind;

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
pub struct Topic(pub topic::Model);

impl From<topic::Model> for Topic {
    fn from(model: topic::Model) -> Self {
        Topic(model)
    }
}

direct_object!(node Topic: topic::Model => TopicFields);

/// The fields of a [`Topic`], on its row.
pub struct TopicFields<'a>(&'a topic::Model);

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
#[fields(object = Topic)]
#[Object(name = "Topic")]
impl<'a> TopicFields<'a> {
    /// The topic's global id.
    #[direct]
    async fn id(&self) -> ID {
        Topic::global_id(self.0.id.into())
    }

    /// Stable, URL-safe name (e.g. `transition-school-work`); filters take it.
    #[direct]
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// German label (e.g. "Übergang Schule–Beruf").
    #[direct]
    async fn label_de(&self) -> &str {
        &self.0.label_de
    }

    /// English label (e.g. "Transition from school to work").
    #[direct]
    async fn label_en(&self) -> &str {
        &self.0.label_en
    }

    /// The label in the requested language: `de` (default) or `en`.
    async fn label(&self, #[graphql(desc = "Language code: de or en.", default = "de")] lang: String) -> &str {
        if lang.eq_ignore_ascii_case("en") {
            &self.0.label_en
        } else {
            &self.0.label_de
        }
    }

    /// What the field of action covers.
    #[direct]
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Position in the display order.
    #[direct]
    async fn position(&self) -> i32 {
        self.0.position
    }
}

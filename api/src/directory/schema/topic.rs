//! Topics in GraphQL: the fields of action (Handlungsfelder) with their labels.

use async_graphql::{ID, Object, Value};
use dkbm_entity::topic;

use crate::graphql::direct::{DirectFields, direct_object, leaf};
use crate::graphql::node::NodeKind;

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
pub struct Topic(pub topic::Model);

impl From<topic::Model> for Topic {
    fn from(model: topic::Model) -> Self {
        Topic(model)
    }
}

direct_object!(node Topic: topic::Model => TopicFields);

impl DirectFields for Topic {
    fn direct(&self, name: &str) -> Option<Value> {
        let row = &self.0;
        Some(match name {
            "id" => leaf::scalar(&Self::global_id(row.id)),
            "slug" => leaf::text(&row.slug),
            "labelDe" => leaf::text(&row.label_de),
            "labelEn" => leaf::text(&row.label_en),
            "description" => leaf::optional_text(row.description.as_deref()),
            "position" => leaf::scalar(&row.position),
            _ => return None,
        })
    }
}

/// The fields of a [`Topic`], on its row.
pub struct TopicFields<'a>(&'a topic::Model);

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
#[Object(name = "Topic")]
impl<'a> TopicFields<'a> {
    /// The topic's global id.
    async fn id(&self) -> ID {
        Topic::global_id(self.0.id)
    }

    /// Stable, URL-safe name (e.g. `transition-school-work`); filters take it.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// German label (e.g. "Übergang Schule–Beruf").
    async fn label_de(&self) -> &str {
        &self.0.label_de
    }

    /// English label (e.g. "Transition from school to work").
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
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Position in the display order.
    async fn position(&self) -> i32 {
        self.0.position
    }
}

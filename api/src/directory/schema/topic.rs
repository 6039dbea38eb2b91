//! Topics in GraphQL: the fields of action (Handlungsfelder) with their labels.

use async_graphql::{ID, Object};
use dkbm_entity::topic;

use crate::graphql::node::NodeKind;

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
pub struct Topic(pub topic::Model);

impl From<topic::Model> for Topic {
    fn from(model: topic::Model) -> Self {
        Topic(model)
    }
}

/// A field of action (Handlungsfeld) that good practices and events are tagged with.
#[Object]
impl Topic {
    /// The topic's global id.
    pub async fn id(&self) -> ID {
        Self::global_id(self.0.id)
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

//! Fixtures a session starts from: the demo data (optionally without its events), an agency's
//! editor, an event with seats. The GraphQL documents stay in the tests; what only the
//! database can arrange (the API deletes no events) is a named helper here.

use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::{Role, Session, TestServer, data};

/// The agency the event fixtures organise for (in the demo data).
pub const ORGANISER: &str = "transferagentur-nrw";

impl TestServer {
    /// The demo data without its training events, for tests that count their own events.
    /// The API deletes no events (they are cancelled), so the rows are deleted directly;
    /// registrations and topics go with them (ON DELETE CASCADE).
    pub async fn seed_demo_without_events(&self) {
        self.seed_demo().await;
        dkbm_entity::training_event::Entity::delete_many()
            .exec(self.state.conn())
            .await
            .expect("delete the demo events");
    }

    /// An editor of the organising agency ([`ORGANISER`]), signed in.
    pub async fn event_planner(&self) -> Session {
        self.member_with_role("planung@transferagentur.nrw", Role::Editor, Some(ORGANISER))
            .await
    }

    /// Creates a training event as `editor` with the `createTrainingEvent` document `create`
    /// (its `$input`); the payload.
    pub async fn create_event(&self, editor: &Session, create: &str, input: Value) -> Value {
        let response = self.gql_as(editor, create, json!({ "input": input })).await;
        data(&response)["createTrainingEvent"].clone()
    }
}

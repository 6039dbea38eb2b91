//! GraphQL over WebSocket at `/graphql/ws` (protocol graphql-transport-ws).

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;

use super::HttpState;
use crate::auth::Viewer;
use crate::directory::loaders::DirectoryLoaders;
use crate::graphql::RequestId;
use crate::loader::BatchGate;

/// Upgrades to a WebSocket speaking graphql-transport-ws.
pub async fn upgrade(State(state): State<HttpState>, protocol: GraphQLProtocol, upgrade: WebSocketUpgrade) -> Response {
    upgrade.protocols(["graphql-transport-ws"]).on_upgrade(move |stream| {
        let app = state.app.clone();
        GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
            .on_connection_init(move |_payload| async move {
                let mut data = Data::default();
                data.insert(Viewer::Anonymous);
                data.insert(RequestId(uuid::Uuid::now_v7().to_string()));
                data.insert(DirectoryLoaders::new(app.conn(), &BatchGate::immediate()));
                Ok(data)
            })
            .serve()
    })
}

//! GraphQL over WebSocket at `/graphql/ws`, speaking the graphql-transport-ws protocol
//! (<https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>) exactly: async-graphql's
//! own implementation deviates from it (a refused `connection_init` closes with 1002 instead of
//! 4403, a `subscribe` before the acknowledgement with 1011 instead of 4401, a duplicate id
//! replaces the running subscription instead of closing with 4409, a malformed message closes
//! with 1002 instead of 4400, and there is no initialisation timeout), so the protocol is
//! handled here and only execution is left to the schema.
//!
//! - `connection_init` with an optional `{"Authorization": "Bearer …"}` payload → `connection_ack`;
//!   credentials that do not verify close with 4403; a second `connection_init` closes with 4429;
//!   none within the timeout closes with 4408.
//! - `ping` → `pong` at any time; `pong` is ignored.
//! - `subscribe` before the acknowledgement closes with 4401; an id in use closes with 4409;
//!   results come as `next`, the end as `complete`; a request error as one `error` message.
//! - `complete` from the client stops the operation.
//! - Anything malformed closes with 4400.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::Variables;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::HttpState;
use crate::auth::{self, Viewer};
use crate::graphql::RequestId;
use crate::loader::BatchGate;
use crate::messages::Locale;
use crate::schema::prepare_request;

/// The subprotocol spoken.
const PROTOCOL: &str = "graphql-transport-ws";

/// Initial read and write buffer of a connection. Subscribers mostly sit idle with small
/// messages; the buffers grow when a message needs it (tungstenite's default is 128 KiB each,
/// which a thousand subscribers would pay for idling).
const BUFFER_BYTES: usize = 4 * 1024;

/// Whether a browser page from the upgrade's `Origin` may open a socket: the configured
/// origins and the API's own (see `AllowedOrigins::allow_upgrade`), and the origins of any portal
/// (a portal's front-end subscribes from its own site).
async fn origin_allowed(state: &HttpState, headers: &HeaderMap) -> bool {
    if state.origins.allow_upgrade(headers) {
        return true;
    }
    match headers
        .get(axum::http::header::ORIGIN)
        .and_then(|origin| origin.to_str().ok())
    {
        Some(origin) => state.areas.portals.origins.allows(state.app.conn(), origin, None).await,
        None => false,
    }
}

/// Upgrades to a WebSocket speaking graphql-transport-ws; a browser page from an origin the
/// CORS settings and the portals do not allow is refused with 403 before the upgrade.
pub async fn upgrade(State(state): State<HttpState>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    if !origin_allowed(&state, &headers).await {
        return (StatusCode::FORBIDDEN, "origin not allowed\n").into_response();
    }
    let max = state.app.config.limits.max_body_bytes;
    // The upgrade request's language holds for every operation of the connection.
    let locale = super::graphql_http::locale(&headers);
    upgrade
        .protocols([PROTOCOL])
        .read_buffer_size(BUFFER_BYTES)
        .write_buffer_size(BUFFER_BYTES)
        .max_message_size(max)
        .on_upgrade(move |socket| Connection::new(state, locale).run(socket))
}

/// A message from the client.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Value>,
    },
    Ping {
        #[serde(default)]
        payload: Option<Value>,
    },
    Pong {
        #[serde(default)]
        #[expect(dead_code, reason = "a pong's payload is allowed and ignored")]
        payload: Option<Value>,
    },
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    Complete {
        id: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscribePayload {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    #[serde(default)]
    variables: Option<Value>,
    #[serde(default)]
    extensions: Option<serde_json::Map<String, Value>>,
}

/// What the connection sends: a text frame, or the close frame that ends it.
enum Outgoing {
    Text(String),
    Close(u16, &'static str),
}

/// An event of a running operation, reported to the connection.
enum OperationEvent {
    Finished(String),
}

struct Connection {
    state: HttpState,
    /// Set by `connection_init`: who the operations run for.
    viewer: Option<Viewer>,
    request_id: RequestId,
    locale: Locale,
    operations: HashMap<String, JoinHandle<()>>,
}

fn close_frame(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from(reason),
    }))
}

/// The `Authorization` value of a `connection_init` payload (any capitalisation of the key).
fn authorization(payload: Option<&Value>) -> Option<String> {
    let object = payload?.as_object()?;
    object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, value)| value.as_str().map(str::to_owned))
}

impl Connection {
    fn new(state: HttpState, locale: Locale) -> Self {
        Connection {
            state,
            viewer: None,
            request_id: RequestId(uuid::Uuid::now_v7().to_string()),
            locale,
            operations: HashMap::new(),
        }
    }

    async fn run(mut self, socket: WebSocket) {
        // Counted until its close frame is sent: a closing instance waits for that.
        let _open = self.state.app.lifecycle.open_socket();
        let (mut sink, mut stream) = socket.split();
        let (outgoing, mut queue) = mpsc::channel::<Outgoing>(64);
        let writer = tokio::spawn(async move {
            while let Some(message) = queue.recv().await {
                match message {
                    Outgoing::Text(text) => {
                        if sink.send(Message::Text(text.into())).await.is_err() {
                            break;
                        }
                    }
                    Outgoing::Close(code, reason) => {
                        let _ = sink.send(close_frame(code, reason)).await;
                        break;
                    }
                }
            }
            let _ = sink.close().await;
        });
        let (events, mut finished) = mpsc::unbounded_channel::<OperationEvent>();
        let init_timeout = Duration::from_secs(self.state.app.config.limits.ws_init_timeout_secs);
        let init_deadline = tokio::time::sleep(init_timeout);
        tokio::pin!(init_deadline);
        let lifecycle = self.state.app.lifecycle.clone();
        let closing = lifecycle.closed();
        tokio::pin!(closing);

        loop {
            tokio::select! {
                message = stream.next() => {
                    let Some(Ok(message)) = message else { break };
                    let text = match message {
                        Message::Text(text) => text.to_string(),
                        Message::Binary(_) => {
                            let _ = outgoing.send(Outgoing::Close(4400, "binary messages are not part of the protocol")).await;
                            break;
                        }
                        Message::Close(_) => break,
                        Message::Ping(_) | Message::Pong(_) => continue,
                    };
                    if !self.handle(&text, &outgoing, &events).await {
                        break;
                    }
                }
                Some(OperationEvent::Finished(id)) = finished.recv() => {
                    self.operations.remove(&id);
                }
                // The instance is going: the client reconnects (to another instance) and
                // subscribes again behind its last cursor.
                () = &mut closing => {
                    let _ = outgoing.send(Outgoing::Close(1001, "Server shutting down")).await;
                    break;
                }
                () = &mut init_deadline, if self.viewer.is_none() => {
                    let _ = outgoing.send(Outgoing::Close(4408, "Connection initialisation timeout")).await;
                    break;
                }
            }
        }
        for (_, operation) in self.operations.drain() {
            operation.abort();
        }
        drop(outgoing);
        let _ = writer.await;
    }

    /// Handles one client message; returns false when the connection is to close.
    async fn handle(
        &mut self,
        text: &str,
        outgoing: &mpsc::Sender<Outgoing>,
        events: &mpsc::UnboundedSender<OperationEvent>,
    ) -> bool {
        let message: ClientMessage = match serde_json::from_str(text) {
            Ok(message) => message,
            Err(_) => {
                let _ = outgoing.send(Outgoing::Close(4400, "Invalid message received")).await;
                return false;
            }
        };
        match message {
            ClientMessage::ConnectionInit { payload } => {
                if self.viewer.is_some() {
                    let _ = outgoing
                        .send(Outgoing::Close(4429, "Too many initialisation requests"))
                        .await;
                    return false;
                }
                match auth::authenticate(&self.state.app.auth, authorization(payload.as_ref()).as_deref()).await {
                    Ok(viewer) => {
                        self.viewer = Some(viewer);
                        let _ = outgoing
                            .send(Outgoing::Text(json!({ "type": "connection_ack" }).to_string()))
                            .await;
                        true
                    }
                    Err(_) => {
                        let _ = outgoing.send(Outgoing::Close(4403, "Forbidden")).await;
                        false
                    }
                }
            }
            ClientMessage::Ping { payload } => {
                let mut pong = json!({ "type": "pong" });
                if let Some(payload) = payload {
                    pong["payload"] = payload;
                }
                let _ = outgoing.send(Outgoing::Text(pong.to_string())).await;
                true
            }
            ClientMessage::Pong { .. } => true,
            ClientMessage::Subscribe { id, payload } => {
                let Some(viewer) = self.viewer.clone() else {
                    let _ = outgoing.send(Outgoing::Close(4401, "Unauthorized")).await;
                    return false;
                };
                if self.operations.contains_key(&id) {
                    let _ = outgoing
                        .send(Outgoing::Close(4409, "Subscriber for this id already exists"))
                        .await;
                    return false;
                }
                let operation = self.start(id.clone(), payload, viewer, outgoing.clone(), events.clone());
                self.operations.insert(id, operation);
                true
            }
            ClientMessage::Complete { id } => {
                if let Some(operation) = self.operations.remove(&id) {
                    operation.abort();
                }
                true
            }
        }
    }

    /// Runs one operation on its own task, forwarding its results.
    fn start(
        &self,
        id: String,
        payload: SubscribePayload,
        viewer: Viewer,
        outgoing: mpsc::Sender<Outgoing>,
        events: mpsc::UnboundedSender<OperationEvent>,
    ) -> JoinHandle<()> {
        let mut request = async_graphql::Request::new(payload.query);
        if let Some(name) = payload.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = payload.variables {
            request = request.variables(Variables::from_json(variables));
        }
        for (key, value) in payload.extensions.unwrap_or_default() {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
        let request = prepare_request(
            request,
            &self.state.app,
            // Subscriptions are not scoped by a portal: live events name one object each.
            (viewer, crate::portals::schema::RequestPortal::default()),
            (self.request_id.clone(), self.locale),
            &BatchGate::immediate(),
        );
        let schema = self.state.schema.clone();
        let span = tracing::debug_span!(
            "graphql.subscription",
            otel.name = "subscription",
            request_id = %self.request_id.0,
            subscription_id = %id,
        );
        let operation = async move {
            let mut results = schema.execute_stream(request);
            let mut first = true;
            while let Some(response) = results.next().await {
                // A request error (nothing executed) is one `error` message, with no `complete`.
                if first && super::graphql_http::is_request_error(&response) {
                    let errors = serde_json::to_value(&response.errors).unwrap_or_else(|_| json!([]));
                    let _ = outgoing
                        .send(Outgoing::Text(
                            json!({ "id": id, "type": "error", "payload": errors }).to_string(),
                        ))
                        .await;
                    let _ = events.send(OperationEvent::Finished(id));
                    return;
                }
                first = false;
                let payload = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
                let message = json!({ "id": id, "type": "next", "payload": payload });
                if outgoing.send(Outgoing::Text(message.to_string())).await.is_err() {
                    return;
                }
            }
            let _ = outgoing
                .send(Outgoing::Text(json!({ "id": id, "type": "complete" }).to_string()))
                .await;
            let _ = events.send(OperationEvent::Finished(id));
        };
        tokio::spawn(tracing::Instrument::instrument(operation, span))
    }
}

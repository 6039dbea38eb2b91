//! A graphql-transport-ws client for tests.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// What the server sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// A protocol message.
    Message(Value),
    /// The close frame's code and reason.
    Closed(u16, String),
    /// Nothing within the wait.
    Nothing,
}

/// A WebSocket connection speaking graphql-transport-ws.
pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>,
}

impl WsClient {
    /// Connects to `base` (`http://…`) at `/graphql/ws`.
    pub async fn connect(base: &str) -> WsClient {
        Self::connect_with(base, &[]).await
    }

    /// Connects with extra headers on the upgrade request (`Accept-Language`, `Origin`).
    pub async fn connect_with(base: &str, headers: &[(&'static str, &str)]) -> WsClient {
        let mut request = format!("{}/graphql/ws", base.replacen("http", "ws", 1))
            .into_client_request()
            .expect("request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().expect("header"),
        );
        for (name, value) in headers {
            request.headers_mut().insert(*name, value.parse().expect("header"));
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
        WsClient { socket }
    }

    /// Connects and completes the handshake (with a bearer token if given); panics unless acknowledged.
    pub async fn connect_and_init(base: &str, token: Option<&str>) -> WsClient {
        let mut client = Self::connect(base).await;
        client.init(token).await;
        match client.receive(Duration::from_secs(5)).await {
            Received::Message(message) if message["type"] == "connection_ack" => client,
            other => panic!("no connection_ack: {other:?}"),
        }
    }

    /// Sends `connection_init`.
    pub async fn init(&mut self, token: Option<&str>) {
        let payload = match token {
            Some(token) => json!({ "Authorization": format!("Bearer {token}") }),
            None => json!({}),
        };
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    /// Sends a protocol message.
    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    /// Sends raw text.
    pub async fn send_text(&mut self, text: &str) {
        self.socket.send(Message::text(text)).await.expect("send");
    }

    /// Starts an operation.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next thing the server sends, waiting at most `wait`.
    pub async fn receive(&mut self, wait: Duration) -> Received {
        loop {
            match tokio::time::timeout(wait, self.socket.next()).await {
                Err(_) => return Received::Nothing,
                Ok(None) => return Received::Closed(1006, "ended without a close frame".into()),
                Ok(Some(Err(error))) => return Received::Closed(1006, error.to_string()),
                Ok(Some(Ok(Message::Text(text)))) => {
                    return Received::Message(serde_json::from_str(text.as_str()).expect("JSON"));
                }
                Ok(Some(Ok(Message::Close(frame)))) => {
                    return match frame {
                        Some(frame) => Received::Closed(u16::from(frame.code), frame.reason.to_string()),
                        None => Received::Closed(u16::from(CloseCode::Status), String::new()),
                    };
                }
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The next protocol message (panics on anything else).
    pub async fn next_message(&mut self) -> Value {
        match self.receive(Duration::from_secs(5)).await {
            Received::Message(message) => message,
            other => panic!("expected a message, got {other:?}"),
        }
    }
}

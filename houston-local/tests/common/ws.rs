//! Websocket helpers for subscription tests: connect with a sub-protocol, send JSON, read
//! frames with a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::Srv;

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(s: &Srv, protocol: &str) -> Ws {
    let mut req = s.h.ws_url().into_client_request().unwrap();
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", protocol.parse().unwrap());
    let (ws, resp) = tokio_tungstenite::connect_async(req)
        .await
        .expect("ws connect");
    assert_eq!(
        resp.headers().get("sec-websocket-protocol").unwrap(),
        protocol
    );
    ws
}

pub async fn send(ws: &mut Ws, v: Value) {
    ws.send(Message::text(v.to_string())).await.unwrap();
}

/// Next JSON frame (None on close), within 5 s.
pub async fn next(ws: &mut Ws) -> Option<Value> {
    next_within(ws, Duration::from_secs(5)).await
}

/// Next JSON frame (None on close), within `limit`.
pub async fn next_within(ws: &mut Ws, limit: Duration) -> Option<Value> {
    loop {
        let m = tokio::time::timeout(limit, ws.next())
            .await
            .unwrap_or_else(|_| panic!("no frame within {limit:?}"))?;
        match m.ok()? {
            Message::Text(t) => return Some(serde_json::from_str(&t).unwrap()),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

/// Frames until `complete` (or close), with an overall deadline.
pub async fn frames_until_complete(ws: &mut Ws, within: Duration) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + within;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let f = tokio::time::timeout(left, next(ws))
            .await
            .unwrap_or_else(|_| panic!("no complete within {within:?}: {seen:?}"));
        let Some(f) = f else { break };
        let done = f["type"] == "complete";
        seen.push(f);
        if done {
            break;
        }
    }
    seen
}

/// A legacy (`graphql-ws`) connection, initialised with `token`, running `query` as
/// operation `id`.
pub async fn legacy_subscription(s: &Srv, token: &str, query: &str, vars: Value, id: &str) -> Ws {
    let mut ws = connect(s, "graphql-ws").await;
    send(
        &mut ws,
        json!({"type": "connection_init", "payload": {"authorization": token}}),
    )
    .await;
    assert_eq!(next(&mut ws).await.unwrap()["type"], "connection_ack");
    send(
        &mut ws,
        json!({"type": "start", "id": id, "payload": {"query": query, "variables": vars}}),
    )
    .await;
    ws
}

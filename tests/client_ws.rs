//! The log stream against a canned legacy `graphql-ws` server.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// tungstenite's handshake callback type fixes the (large) error type.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use astrodash::houston::ws::LogSubscription;
use astrodash::houston::{ApiError, tls};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// The system's trust, as a client without a `ca_file` has.
fn default_tls() -> Arc<rustls::ClientConfig> {
    tls::client_config(&tls::TrustOptions::default()).unwrap()
}

/// What the server saw from the client.
#[derive(Debug)]
struct Seen {
    path: String,
    protocol: Option<String>,
    init: Value,
    start: Option<Value>,
}

/// A server that answers `connection_init` with `reply_to_init`, then (after `start`) sends
/// `frames`. Returns the HTTP endpoint URL (the client derives `/ws`).
async fn server(reply_to_init: Value, frames: Vec<Value>) -> (String, oneshot::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (path_tx, path_rx) = std::sync::mpsc::channel();
        let mut ws =
            tokio_tungstenite::accept_hdr_async(stream, |req: &Request, mut resp: Response| {
                let protocol = req
                    .headers()
                    .get("sec-websocket-protocol")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                path_tx
                    .send((req.uri().path().to_string(), protocol))
                    .unwrap();
                resp.headers_mut().insert(
                    "sec-websocket-protocol",
                    HeaderValue::from_static("graphql-ws"),
                );
                Ok(resp)
            })
            .await
            .unwrap();
        let (path, protocol) = path_rx.recv().unwrap();
        let text = |m: Message| serde_json::from_str::<Value>(m.to_text().unwrap()).unwrap();
        let init = text(ws.next().await.unwrap().unwrap());
        let refused = reply_to_init["type"] == "connection_error";
        ws.send(Message::text(json!({"type": "ka"}).to_string()))
            .await
            .unwrap();
        ws.send(Message::text(reply_to_init.to_string()))
            .await
            .unwrap();
        let mut seen = Seen {
            path,
            protocol,
            init,
            start: None,
        };
        if refused {
            let _ = ws.close(None).await;
            let _ = tx.send(seen);
            return;
        }
        seen.start = Some(text(ws.next().await.unwrap().unwrap()));
        let _ = tx.send(seen);
        for frame in frames {
            if ws.send(Message::text(frame.to_string())).await.is_err() {
                return;
            }
        }
        // Wait for the client's `stop` (or its going away).
        while let Some(Ok(_)) = ws.next().await {}
    });
    (url, rx)
}

fn log_frame(id: &str, message: &str) -> Value {
    json!({"id": "1", "type": "data", "payload": {"data": {"log": {
        "id": id, "timestamp": "2026-11-27T03:00:00.000Z", "component": "scheduler",
        "level": "info", "message": message,
    }}}})
}

#[tokio::test]
async fn streams_lines_until_complete() {
    let (url, seen) = server(
        json!({"type": "connection_ack"}),
        vec![
            log_frame("a", "first"),
            json!({"type": "ka"}),
            log_frame("b", "second"),
            json!({"id": "1", "type": "complete"}),
        ],
    )
    .await;
    let mut sub = LogSubscription::start(
        &url,
        Some("Bearer tok"),
        default_tls(),
        "dep-1",
        Some("scheduler"),
        None,
    )
    .await
    .unwrap();
    let first = sub.next().await.unwrap().unwrap();
    assert_eq!(first.id, "a");
    assert_eq!(first.message, "first");
    assert_eq!(first.component.as_deref(), Some("scheduler"));
    assert_eq!(sub.next().await.unwrap().unwrap().message, "second");
    assert!(sub.next().await.is_none(), "complete ends the stream");

    let seen = seen.await.unwrap();
    assert_eq!(seen.path, "/ws");
    assert_eq!(seen.protocol.as_deref(), Some("graphql-ws"));
    assert_eq!(seen.init["type"], "connection_init");
    assert_eq!(seen.init["payload"]["authorization"], "tok");
    let start = seen.start.unwrap();
    assert_eq!(start["type"], "start");
    assert_eq!(start["id"], "1");
    assert_eq!(start["payload"]["variables"]["deploymentUuid"], "dep-1");
    assert_eq!(start["payload"]["variables"]["component"], "scheduler");
    assert_eq!(start["payload"]["variables"]["search"], Value::Null);
    assert!(
        start["payload"]["query"]
            .as_str()
            .unwrap()
            .contains("log(deploymentUuid: $deploymentUuid")
    );
}

#[tokio::test]
async fn refused_token_is_forbidden() {
    let (url, _seen) = server(
        json!({"type": "connection_error", "payload": {"message": "Prohibited connection!"}}),
        vec![],
    )
    .await;
    let err = LogSubscription::start(&url, Some("expired"), default_tls(), "dep-1", None, None)
        .await
        .err()
        .unwrap();
    assert_eq!(err, ApiError::Forbidden("Prohibited connection!".into()));
}

#[tokio::test]
async fn error_frame_ends_the_stream_with_its_message() {
    let (url, _seen) = server(
        json!({"type": "connection_ack"}),
        vec![
            json!({"id": "1", "type": "data", "payload": {"data": null, "errors": [
            {"message": "You do not have the appropriate permissions for that",
             "extensions": {"code": "FORBIDDEN"}}]}}),
        ],
    )
    .await;
    let mut sub = LogSubscription::start(&url, Some("t"), default_tls(), "dep-1", None, None)
        .await
        .unwrap();
    assert_eq!(
        sub.next().await.unwrap().unwrap_err(),
        ApiError::Forbidden("You do not have the appropriate permissions for that".into())
    );
    assert!(sub.next().await.is_none());
}

#[tokio::test]
async fn server_closing_is_reported() {
    // Unlike `server`, this one hangs up right after `start`.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut ws =
            tokio_tungstenite::accept_hdr_async(stream, |_: &Request, mut resp: Response| {
                resp.headers_mut().insert(
                    "sec-websocket-protocol",
                    HeaderValue::from_static("graphql-ws"),
                );
                Ok(resp)
            })
            .await
            .unwrap();
        let _init = ws.next().await;
        ws.send(Message::text(json!({"type": "connection_ack"}).to_string()))
            .await
            .unwrap();
        let _start = ws.next().await;
        ws.close(None).await.unwrap();
    });
    let mut sub = LogSubscription::start(&url, Some("t"), default_tls(), "dep-1", None, None)
        .await
        .unwrap();
    assert!(matches!(
        sub.next().await.unwrap(),
        Err(ApiError::Network(_))
    ));
}

#[tokio::test]
async fn nothing_listening_is_a_network_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let err = LogSubscription::start(
        &format!("http://127.0.0.1:{port}/v1"),
        None,
        default_tls(),
        "d",
        None,
        None,
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(err, ApiError::Network(_)), "{err:?}");
}

//! Subscriptions (log, metrics, status) and the stream manager against a canned legacy
//! `graphql-ws` server.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// tungstenite's handshake callback type fixes the (large) error type.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use astrodash::app::streams::{Inbox, Pacer, StreamEvent, StreamManager};
use astrodash::houston::metrics::{MetricType, Point};
use astrodash::houston::model::DeploymentStatus;
use astrodash::houston::subscription::{StreamItem, Subscription};
use astrodash::houston::ws::{LogSubscription, SubscriptionStream};
use astrodash::houston::{ApiError, HoustonClient, Secret, tls};
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
    let (url, seen, _later) = server_with_tail(reply_to_init, frames).await;
    (url, seen)
}

/// Like `server`; also what the client sends after the frames (`stop`, and `"close"` when the
/// socket closes).
async fn server_with_tail(
    reply_to_init: Value,
    frames: Vec<Value>,
) -> (
    String,
    oneshot::Receiver<Seen>,
    tokio::sync::mpsc::UnboundedReceiver<Value>,
) {
    let (later_tx, later) = tokio::sync::mpsc::unbounded_channel();
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
        while let Some(Ok(message)) = ws.next().await {
            let value = match message {
                Message::Text(t) => serde_json::from_str(t.as_str()).unwrap_or(Value::Null),
                Message::Close(_) => json!("close"),
                _ => continue,
            };
            let _ = later_tx.send(value);
        }
    });
    (url, rx, later)
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
        // Read as a token where it enters, once: the socket sends it as it is.
        Secret::token("Bearer tok").as_ref(),
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
    let err = LogSubscription::start(
        &url,
        Some(&Secret::from("expired")),
        default_tls(),
        "dep-1",
        None,
        None,
    )
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
    let mut sub = LogSubscription::start(
        &url,
        Some(&Secret::from("t")),
        default_tls(),
        "dep-1",
        None,
        None,
    )
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
    let mut sub = LogSubscription::start(
        &url,
        Some(&Secret::from("t")),
        default_tls(),
        "dep-1",
        None,
        None,
    )
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

fn metrics_subscription() -> Subscription {
    Subscription::Metrics {
        deployment: "dep-1".into(),
        types: vec![MetricType::DeploymentTasks, MetricType::DeploymentStatus],
        since_minutes: 60,
        step_secs: 60,
    }
}

#[tokio::test]
async fn the_metrics_subscription_sends_its_variables_and_parses_prometheus_results() {
    let snapshot = json!({"id": "1", "type": "data", "payload": {"data": {"metrics": [
        {"label": "runningTasks", "result": [
            {"metric": {"deployment": "r"}, "values": [[1764500000, "2"], [1764500060, "3.5"]]}]},
        {"label": "schedulerHeartbeat", "result": [
            {"metric": {"type": "counter"}, "value": [1764500060.5, "0.2"]}]},
        {"label": "broken", "result": {"not": "prometheus"}},
    ]}}});
    let (url, seen) = server(
        json!({"type": "connection_ack"}),
        vec![snapshot, json!({"id": "1", "type": "complete"})],
    )
    .await;
    let mut stream = SubscriptionStream::start(
        &url,
        Some(&Secret::from("tok")),
        default_tls(),
        metrics_subscription(),
    )
    .await
    .unwrap();
    let Some(Ok(StreamItem::Metrics(list))) = stream.next().await else {
        panic!("a metrics snapshot");
    };
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].label, "runningTasks");
    assert_eq!(
        list[0].series[0].points,
        vec![
            Point {
                at: 1764500000.0,
                value: 2.0
            },
            Point {
                at: 1764500060.0,
                value: 3.5
            }
        ]
    );
    assert_eq!(list[1].series[0].latest(), Some(0.2));
    assert!(
        list[2].series.is_empty(),
        "an odd result is no series, not a panic"
    );
    assert!(stream.next().await.is_none(), "complete ends it");

    let start = seen.await.unwrap().start.unwrap();
    assert_eq!(start["payload"]["operationName"], "Metrics");
    assert_eq!(
        start["payload"]["variables"],
        json!({"deploymentUuid": "dep-1", "metricType": ["DEPLOYMENT_TASKS", "DEPLOYMENT_STATUS"],
               "since": 60, "step": 60})
    );
    assert!(
        start["payload"]["query"]
            .as_str()
            .unwrap()
            .contains("metrics(deploymentUuid: $deploymentUuid, metricType: $metricType, since: $since, step: $step)")
    );
}

#[tokio::test]
async fn the_status_subscription_reports_each_change() {
    let status = |s: &str| json!({"id": "1", "type": "data", "payload": {"data": {"deploymentStatus": {"status": s}}}});
    let (url, seen) = server(
        json!({"type": "connection_ack"}),
        vec![status("DEPLOYING"), status("HEALTHY")],
    )
    .await;
    let subscription = Subscription::DeploymentStatus {
        release_name: "quantum-nebula-1234".into(),
    };
    let mut stream =
        SubscriptionStream::start(&url, Some(&Secret::from("t")), default_tls(), subscription)
            .await
            .unwrap();
    assert_eq!(
        stream.next().await.unwrap().unwrap(),
        StreamItem::Status(DeploymentStatus::Deploying)
    );
    assert_eq!(
        stream.next().await.unwrap().unwrap(),
        StreamItem::Status(DeploymentStatus::Healthy)
    );
    let start = seen.await.unwrap().start.unwrap();
    assert_eq!(
        start["payload"]["variables"],
        json!({"releaseName": "quantum-nebula-1234"})
    );
}

#[tokio::test]
async fn stop_tells_houston_then_closes() {
    let (url, _seen, mut later) =
        server_with_tail(json!({"type": "connection_ack"}), vec![log_frame("a", "x")]).await;
    let mut stream = SubscriptionStream::start(
        &url,
        Some(&Secret::from("t")),
        default_tls(),
        metrics_subscription(),
    )
    .await
    .unwrap();
    // A log frame on a metrics subscription carries nothing for it: skipped, not an error.
    let next = tokio::time::timeout(std::time::Duration::from_millis(200), stream.next()).await;
    assert!(next.is_err(), "still waiting: {next:?}");
    stream.stop().await;
    assert_eq!(
        later.recv().await.unwrap(),
        json!({"id": "1", "type": "stop"})
    );
    assert_eq!(later.recv().await.unwrap(), json!("close"));
}

/// Every event of stream `id` until it is over, taken from the inbox as the event loop does.
async fn events_until_over(inbox: &Inbox, id: u64) -> Vec<StreamEvent> {
    let mut pacer = Pacer::default();
    let mut events = Vec::new();
    loop {
        let batch = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            inbox.next_batch(&mut pacer),
        )
        .await
        .expect("the stream reports in time");
        for (stream, event) in batch {
            assert_eq!(stream, id);
            let over = matches!(event, StreamEvent::Failed(_) | StreamEvent::Ended);
            events.push(event);
            if over {
                return events;
            }
        }
    }
}

#[tokio::test]
async fn the_stream_manager_delivers_lines_and_how_the_stream_ended() {
    let (url, _seen) = server(
        json!({"type": "connection_ack"}),
        vec![
            log_frame("a", "first"),
            log_frame("b", "second"),
            log_frame("c", "third"),
            json!({"id": "1", "type": "complete"}),
        ],
    )
    .await;
    let client = HoustonClient::new(&url, Some("token".into())).unwrap();
    let mut manager = StreamManager::default();
    let subscription = Subscription::Log {
        deployment: "dep-1".into(),
        component: Some("scheduler".into()),
        after: None,
        search: None,
    };
    manager.subscribe(&client, 7, subscription);
    let events = events_until_over(&manager.inbox(), 7).await;
    assert_eq!(events.first(), Some(&StreamEvent::Started));
    assert_eq!(events.last(), Some(&StreamEvent::Ended));
    let messages: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Lines { lines, dropped } => {
                assert_eq!(*dropped, 0);
                Some(lines.iter().map(|l| l.message.clone()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(messages, ["first", "second", "third"]);
}

#[tokio::test]
async fn a_refused_stream_reaches_the_inbox_as_forbidden() {
    let (url, _seen) = server(
        json!({"type": "connection_error", "payload": {"message": "Prohibited connection!"}}),
        vec![],
    )
    .await;
    let client = HoustonClient::new(&url, Some("expired".into())).unwrap();
    let mut manager = StreamManager::default();
    manager.subscribe(&client, 3, metrics_subscription());
    let events = events_until_over(&manager.inbox(), 3).await;
    assert_eq!(
        events,
        [StreamEvent::Failed(ApiError::Forbidden(
            "Prohibited connection!".into()
        ))]
    );
}

#[tokio::test]
async fn unsubscribing_stops_the_stream_politely() {
    let (url, _seen, mut later) =
        server_with_tail(json!({"type": "connection_ack"}), vec![log_frame("a", "x")]).await;
    let client = HoustonClient::new(&url, Some("t".into())).unwrap();
    let mut manager = StreamManager::default();
    let subscription = Subscription::Log {
        deployment: "dep-1".into(),
        component: None,
        after: None,
        search: None,
    };
    manager.subscribe(&client, 1, subscription);
    let inbox = manager.inbox();
    let mut pacer = Pacer::default();
    // Started and the line arrive.
    let mut seen_line = false;
    while !seen_line {
        for (_, event) in inbox.next_batch(&mut pacer).await {
            seen_line |= matches!(event, StreamEvent::Lines { .. });
        }
    }
    assert_eq!(manager.running(), 1);
    manager.unsubscribe(1);
    assert_eq!(
        later.recv().await.unwrap(),
        json!({"id": "1", "type": "stop"})
    );
    assert_eq!(later.recv().await.unwrap(), json!("close"));
    assert!(
        !inbox.has_pending(),
        "nothing of a stopped stream is delivered"
    );
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while manager.running() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "the task ends");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

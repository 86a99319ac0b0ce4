//! Log streaming over Houston's legacy WebSocket protocol (subscriptions-transport-ws,
//! sub-protocol `graphql-ws`): `connection_init` with the token, `start`, then one `data` frame
//! per log record.
//!
//! The subscription document lives here rather than in `queries/`: every document there is
//! also run over HTTP POST, which a subscription cannot be.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::Connector;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use super::ApiError;
use super::convert::parse_timestamp;
use super::model::LogLine;
use super::transport::{graphql_error, normalize_token};

/// The `log` subscription astrodash starts. Its arguments and fields are all in the 0.23 schema
/// (`DeploymentLog { id timestamp release component level message }`), so it has one form.
pub const LOG_SUBSCRIPTION: &str =
    "subscription Log($deploymentUuid: Uuid!, $component: String, $search: String) {
  log(deploymentUuid: $deploymentUuid, component: $component, search: $search) {
    id
    timestamp
    component
    level
    message
  }
}";

/// How long to wait for the socket and Houston's `connection_ack`.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// `https://houston.x/v1` → `wss://houston.x/ws` (Houston serves subscriptions on `/ws`).
pub fn ws_url(http_url: &str) -> Result<String, ApiError> {
    let mut url = reqwest::Url::parse(http_url.trim())
        .map_err(|e| ApiError::Network(format!("invalid URL '{http_url}': {e}")))?;
    let scheme = match url.scheme() {
        "https" => "wss",
        "http" => "ws",
        other => {
            return Err(ApiError::Network(format!(
                "invalid URL '{http_url}': unsupported scheme {other}"
            )));
        }
    };
    url.set_scheme(scheme)
        .map_err(|_| ApiError::Network(format!("invalid URL '{http_url}'")))?;
    // Replace the last path segment (`v1`) with `ws`, keeping any prefix a proxy may add.
    let path = url.path().trim_end_matches('/');
    let base = path.rsplit_once('/').map_or("", |(base, _)| base);
    url.set_path(&format!("{base}/ws"));
    url.set_query(None);
    Ok(url.to_string())
}

/// A running log subscription. Dropping it closes the socket.
pub struct LogSubscription {
    lines: mpsc::Receiver<Result<LogLine, ApiError>>,
    task: JoinHandle<()>,
}

impl LogSubscription {
    /// Connect to `http_url`'s `/ws`, authenticate and start streaming the logs of one
    /// deployment (optionally one component, optionally filtered by `search`). Fails if the
    /// socket or the handshake fails, so the caller can fall back to polling.
    /// `tls` is the HTTP client's configuration (`HoustonClient::subscribe_logs` passes it), so
    /// a `ca_file` or `insecure_skip_verify` applies to the socket too.
    pub async fn start(
        http_url: &str,
        token: Option<&str>,
        tls: Arc<rustls::ClientConfig>,
        deployment_id: &str,
        component: Option<&str>,
        search: Option<&str>,
    ) -> Result<LogSubscription, ApiError> {
        let url = ws_url(http_url)?;
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| ApiError::Network(e.to_string()))?;
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_static("graphql-ws"),
        );
        let connect = tokio_tungstenite::connect_async_tls_with_config(
            request,
            None,
            false,
            Some(Connector::Rustls(tls)),
        );
        let (mut socket, _response) = tokio::time::timeout(HANDSHAKE_TIMEOUT, connect)
            .await
            .map_err(|_| ApiError::Timeout)?
            .map_err(|e| match super::tls::certificate_problem(&e) {
                Some(problem) => ApiError::Certificate(format!("{problem} ({url})")),
                None => ApiError::Network(format!("log stream: {e}")),
            })?;

        let init = json!({
            "type": "connection_init",
            "payload": { "authorization": token.map(normalize_token).unwrap_or("") },
        });
        socket
            .send(Message::text(init.to_string()))
            .await
            .map_err(|e| ApiError::Network(format!("log stream: {e}")))?;
        tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
            loop {
                let frame = next_json(&mut socket).await?;
                match frame.get("type").and_then(Value::as_str) {
                    Some("connection_ack") => return Ok(()),
                    Some("connection_error") => {
                        let message = frame
                            .pointer("/payload/message")
                            .and_then(Value::as_str)
                            .unwrap_or("connection refused");
                        return Err(ApiError::Forbidden(message.to_string()));
                    }
                    _ => continue, // `ka` and anything unknown
                }
            }
        })
        .await
        .map_err(|_| ApiError::Timeout)??;

        let start = json!({
            "id": "1",
            "type": "start",
            "payload": {
                "query": LOG_SUBSCRIPTION,
                "operationName": "Log",
                "variables": {
                    "deploymentUuid": deployment_id,
                    "component": component.filter(|c| !c.is_empty()),
                    "search": search.filter(|s| !s.is_empty()),
                },
            },
        });
        socket
            .send(Message::text(start.to_string()))
            .await
            .map_err(|e| ApiError::Network(format!("log stream: {e}")))?;

        let (tx, lines) = mpsc::channel(256);
        let task = tokio::spawn(async move {
            loop {
                let frame = match next_json(&mut socket).await {
                    Ok(frame) => frame,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                match frame_event(&frame) {
                    FrameEvent::Line(line) => {
                        if tx.send(Ok(line)).await.is_err() {
                            break; // nobody listens any more
                        }
                    }
                    FrameEvent::Error(e) => {
                        let _ = tx.send(Err(e)).await;
                        break;
                    }
                    FrameEvent::Complete => break,
                    FrameEvent::Ignore => {}
                }
            }
            let _ = socket
                .send(Message::text(
                    json!({"id": "1", "type": "stop"}).to_string(),
                ))
                .await;
            let _ = socket.close(None).await;
        });
        Ok(LogSubscription { lines, task })
    }

    /// The next log line, an error (after which the stream ends), or `None` when it has ended.
    pub async fn next(&mut self) -> Option<Result<LogLine, ApiError>> {
        self.lines.recv().await
    }
}

impl Drop for LogSubscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next text frame as JSON; pings and binary frames are skipped, a close is an error.
async fn next_json(socket: &mut Socket) -> Result<Value, ApiError> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => return parse_frame(text.as_str()),
            Some(Ok(Message::Close(frame))) => {
                let reason = frame
                    .map(|f| format!(" ({} {})", u16::from(f.code), f.reason))
                    .unwrap_or_default();
                return Err(ApiError::Network(format!(
                    "log stream closed by the server{reason}"
                )));
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(ApiError::Network(format!("log stream: {e}"))),
            None => return Err(ApiError::Network("log stream closed".into())),
        }
    }
}

/// One text frame as JSON; what is wrong with it, in words, when it is not.
pub fn parse_frame(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|e| {
        ApiError::Decode(format!(
            "a log stream message {}",
            match super::reply::plain_serde_error(&e) {
                detail if detail.starts_with("it ") => detail.replacen("it ", "", 1),
                detail => format!("is not valid: {detail}"),
            }
        ))
    })
}

/// What one server frame means to the subscriber.
#[derive(Debug, PartialEq)]
pub enum FrameEvent {
    Line(LogLine),
    Error(ApiError),
    Complete,
    Ignore,
}

/// Interpret one frame after the handshake. Never panics on odd frames.
pub fn frame_event(frame: &Value) -> FrameEvent {
    match frame.get("type").and_then(Value::as_str) {
        Some("data") => {
            let payload = frame.get("payload").unwrap_or(&Value::Null);
            if let Some(error) = graphql_error(payload) {
                return FrameEvent::Error(error);
            }
            match payload.pointer("/data/log") {
                Some(log) if log.is_object() => FrameEvent::Line(log_line(log)),
                _ => FrameEvent::Ignore,
            }
        }
        Some("error") => {
            let payload = frame.get("payload").unwrap_or(&Value::Null);
            let message = payload
                .get("message")
                .and_then(Value::as_str)
                .or_else(|| {
                    payload
                        .as_array()
                        .and_then(|a| a.first())
                        .and_then(|e| e.get("message"))
                        .and_then(Value::as_str)
                })
                .unwrap_or("subscription rejected");
            // A document this Houston's schema cannot run is rejected here, before any data.
            if super::unsupported::is_schema_mismatch(message) {
                FrameEvent::Error(ApiError::unsupported(message))
            } else {
                FrameEvent::Error(ApiError::graphql(message))
            }
        }
        Some("complete") => FrameEvent::Complete,
        _ => FrameEvent::Ignore,
    }
}

/// A `DeploymentLog` JSON object → `LogLine`.
pub fn log_line(log: &Value) -> LogLine {
    let text = |k: &str| {
        log.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    LogLine {
        id: text("id").unwrap_or_default(),
        timestamp: parse_timestamp(log.get("timestamp").and_then(Value::as_str)),
        component: text("component"),
        level: text("level"),
        message: text("message").unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_urls() {
        assert_eq!(
            ws_url("https://houston.example.com/v1").unwrap(),
            "wss://houston.example.com/ws"
        );
        assert_eq!(
            ws_url("http://127.0.0.1:8871/v1/").unwrap(),
            "ws://127.0.0.1:8871/ws"
        );
        assert_eq!(
            ws_url("https://proxy.example.com/houston/v1").unwrap(),
            "wss://proxy.example.com/houston/ws"
        );
        assert!(ws_url("ftp://x/v1").is_err());
    }

    #[test]
    fn frames() {
        let data = json!({"id":"1","type":"data","payload":{"data":{"log":{
            "id":"l1","timestamp":"2026-11-27T03:00:00Z","component":"scheduler","level":"info","message":"started"}}}});
        match frame_event(&data) {
            FrameEvent::Line(l) => {
                assert_eq!(l.id, "l1");
                assert_eq!(l.component.as_deref(), Some("scheduler"));
                assert_eq!(l.message, "started");
                assert!(l.timestamp.is_some());
            }
            other => panic!("{other:?}"),
        }
        let forbidden = json!({"type":"data","payload":{"data":null,"errors":[{"message":"no","extensions":{"code":"FORBIDDEN"}}]}});
        assert_eq!(
            frame_event(&forbidden),
            FrameEvent::Error(ApiError::Forbidden("no".into()))
        );
        let error = json!({"type":"error","id":"1","payload":{"message":"bad query"}});
        assert_eq!(
            frame_event(&error),
            FrameEvent::Error(ApiError::graphql("bad query"))
        );
        assert_eq!(
            frame_event(&json!({"type":"complete","id":"1"})),
            FrameEvent::Complete
        );
        let mismatch = json!({"type":"error","id":"1","payload":[{"message":"Cannot query field \"level\" on type \"DeploymentLog\"."}]});
        assert_eq!(
            frame_event(&mismatch),
            FrameEvent::Error(ApiError::unsupported(
                "Cannot query field \"level\" on type \"DeploymentLog\"."
            ))
        );
        assert_eq!(frame_event(&json!({"type":"ka"})), FrameEvent::Ignore);
        assert_eq!(frame_event(&json!([1])), FrameEvent::Ignore);
        assert_eq!(
            frame_event(&json!({"type":"data","payload":{"data":{"log":null}}})),
            FrameEvent::Ignore
        );
    }
}

//! Subscriptions over Houston's legacy WebSocket protocol (subscriptions-transport-ws,
//! sub-protocol `graphql-ws`): `connection_init` with the token, `start` with any
//! [`Subscription`] document, then one `data` frame per event until `complete`, an error, or
//! `stop`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::Connector;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use super::ApiError;
use super::model::{DeploymentId, LogLine};
use super::secret::Secret;
use super::subscription::{StreamItem, Subscription};
use super::transport::graphql_error;

pub use super::subscription::{LOG_SUBSCRIPTION, log_line};

/// How long to wait for the socket and Houston's `connection_ack`.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a polite `stop` and close may take before the socket is simply dropped.
const STOP_TIMEOUT: Duration = Duration::from_secs(2);
/// The operation id astrodash uses (one subscription per socket).
const OPERATION_ID: &str = "1";

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

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A running subscription that owns its socket: read it with [`next`](Self::next), end it
/// with [`stop`](Self::stop) (dropping it just closes the connection).
pub struct SubscriptionStream {
    socket: Socket,
    subscription: Subscription,
    ended: bool,
}

impl SubscriptionStream {
    /// Connect to `http_url`'s `/ws`, authenticate and start `subscription`. Fails if the
    /// socket or the handshake fails (so the caller can fall back to polling); a refused token
    /// is `ApiError::Forbidden`. `tls` is the HTTP client's configuration
    /// (`HoustonClient::subscribe` passes it), so a `ca_file` or `insecure_skip_verify`
    /// applies to the socket too.
    pub async fn start(
        http_url: &str,
        token: Option<&Secret>,
        tls: Arc<rustls::ClientConfig>,
        subscription: Subscription,
    ) -> Result<SubscriptionStream, ApiError> {
        let what = subscription.what();
        let mut socket = connect(http_url, token, tls, what).await?;
        let start = json!({
            "id": OPERATION_ID,
            "type": "start",
            "payload": subscription.payload(),
        });
        socket
            .send(Message::text(start.to_string()))
            .await
            .map_err(|e| ApiError::Network(format!("{what}: {e}")))?;
        Ok(SubscriptionStream {
            socket,
            subscription,
            ended: false,
        })
    }

    pub fn subscription(&self) -> &Subscription {
        &self.subscription
    }

    /// The next item; an error ends the stream (`None` after it), as does Houston's
    /// `complete`. Cancel-safe: a frame is consumed only when its item is returned.
    pub async fn next(&mut self) -> Option<Result<StreamItem, ApiError>> {
        if self.ended {
            return None;
        }
        let what = self.subscription.what();
        loop {
            let frame = match next_json(&mut self.socket, what).await {
                Ok(frame) => frame,
                Err(e) => {
                    self.ended = true;
                    return Some(Err(e));
                }
            };
            match frame_event(&frame) {
                FrameEvent::Data(data) => {
                    if let Some(item) = self.subscription.item(&data) {
                        return Some(Ok(item));
                    }
                }
                FrameEvent::Error(e) => {
                    self.ended = true;
                    return Some(Err(e));
                }
                FrameEvent::Complete => {
                    self.ended = true;
                    return None;
                }
                FrameEvent::Ignore => {}
            }
        }
    }

    /// Tell Houston to stop, then close the socket (bounded: a dead server does not hold it).
    pub async fn stop(mut self) {
        let _ = tokio::time::timeout(STOP_TIMEOUT, async {
            if !self.ended {
                let stop = json!({"id": OPERATION_ID, "type": "stop"});
                let _ = self.socket.send(Message::text(stop.to_string())).await;
            }
            let _ = self.socket.close(None).await;
        })
        .await;
    }
}

/// Open the socket with the `graphql-ws` sub-protocol and wait for `connection_ack`.
async fn connect(
    http_url: &str,
    token: Option<&Secret>,
    tls: Arc<rustls::ClientConfig>,
    what: &str,
) -> Result<Socket, ApiError> {
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
            None => ApiError::Network(format!("{what}: {e}")),
        })?;

    let init = json!({
        "type": "connection_init",
        "payload": { "authorization": token.map_or("", Secret::expose) },
    });
    socket
        .send(Message::text(init.to_string()))
        .await
        .map_err(|e| ApiError::Network(format!("{what}: {e}")))?;
    tokio::time::timeout(HANDSHAKE_TIMEOUT, async {
        loop {
            let frame = next_json(&mut socket, what).await?;
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
    Ok(socket)
}

/// A running log subscription (the `log` document alone). Dropping it closes the socket.
pub struct LogSubscription {
    stream: SubscriptionStream,
}

impl LogSubscription {
    /// Connect to `http_url`'s `/ws`, authenticate and start streaming the logs of one
    /// deployment (optionally one component, optionally filtered by `search`). Fails if the
    /// socket or the handshake fails, so the caller can fall back to polling. `tls` as for
    /// [`SubscriptionStream::start`].
    pub async fn start(
        http_url: &str,
        token: Option<&Secret>,
        tls: Arc<rustls::ClientConfig>,
        deployment_id: &str,
        component: Option<&str>,
        search: Option<&str>,
    ) -> Result<LogSubscription, ApiError> {
        let subscription = Subscription::Log {
            deployment: DeploymentId::from(deployment_id),
            component: component.map(str::to_string),
            after: None,
            search: search.map(str::to_string),
        };
        let stream = SubscriptionStream::start(http_url, token, tls, subscription).await?;
        Ok(LogSubscription { stream })
    }

    /// The next log line, an error (after which the stream ends), or `None` when it has ended.
    pub async fn next(&mut self) -> Option<Result<LogLine, ApiError>> {
        loop {
            match self.stream.next().await? {
                Ok(StreamItem::Log(line)) => return Some(Ok(line)),
                Ok(_) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// The next text frame as JSON; pings and binary frames are skipped, a close is an error.
async fn next_json(socket: &mut Socket, what: &str) -> Result<Value, ApiError> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => return parse_frame_of(text.as_str(), what),
            Some(Ok(Message::Close(frame))) => {
                let reason = frame
                    .map(|f| format!(" ({} {})", u16::from(f.code), f.reason))
                    .unwrap_or_default();
                return Err(ApiError::Network(format!(
                    "{what} closed by the server{reason}"
                )));
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(ApiError::Network(format!("{what}: {e}"))),
            None => return Err(ApiError::Network(format!("{what} closed"))),
        }
    }
}

/// One text frame of the log stream as JSON; what is wrong with it, in words, when it is not.
pub fn parse_frame(text: &str) -> Result<Value, ApiError> {
    parse_frame_of(text, "log stream")
}

/// One text frame of `what` ("metrics stream" …) as JSON, or what is wrong with it in words.
pub(crate) fn parse_frame_of(text: &str, what: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|e| {
        ApiError::Decode(format!(
            "a {what} message {}",
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
    /// A `data` frame's `payload.data` (errors already checked).
    Data(Value),
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
            match payload.get("data") {
                Some(data) if data.is_object() => FrameEvent::Data(data.clone()),
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
        let sub = Subscription::Log {
            deployment: "d".into(),
            component: None,
            after: None,
            search: None,
        };
        match frame_event(&data) {
            FrameEvent::Data(d) => match sub.item(&d) {
                Some(StreamItem::Log(l)) => {
                    assert_eq!(l.id, "l1");
                    assert_eq!(l.component.as_deref(), Some("scheduler"));
                    assert_eq!(l.message, "started");
                    assert!(l.timestamp.is_some());
                }
                other => panic!("{other:?}"),
            },
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
            frame_event(&json!({"type":"data","payload":{"data":null}})),
            FrameEvent::Ignore
        );
    }
}

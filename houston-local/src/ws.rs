//! WebSocket subscriptions at `/ws`, hand-rolled for both protocols:
//! - legacy Apollo `graphql-ws` (subscriptions-transport-ws), including astro-cli's quirks:
//!   a `start` without `id`, sent right after `connection_init` without waiting for the ack
//!   (messages are handled in order, and a `start` before any init is queued until it);
//! - `graphql-transport-ws` (connection_init/ack, subscribe/next/error/complete, ping/pong).
//!
//! Auth comes from `connection_init.payload.authorization` (raw or `Bearer`); a bad token gets
//! `connection_error` "Prohibited connection!" then close 1011 (legacy), or close 4403.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Variables;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::limits::budget::{self, Budget, Outcome};
use crate::limits::document::Checker;
use crate::principal::{Caller, ConnectionCredential, authenticate};
use crate::schema::HoustonSchema;
use crate::state::State;

/// Operations accepted before `connection_init` (astro-cli sends one); more close the socket
/// with 4429.
const MAX_PENDING: usize = 32;
/// Outbound frames buffered per connection; a slow reader applies back-pressure.
const OUTBOUND: usize = 256;

type Out = mpsc::Sender<Message>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Legacy,
    Transport,
}

pub(crate) fn upgrade(
    schema: HoustonSchema,
    state: Arc<State>,
    checker: Arc<Checker>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let offered = headers
        .get("sec-websocket-protocol")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let protocol = if offered
        .split(',')
        .any(|p| p.trim() == "graphql-transport-ws")
    {
        Protocol::Transport
    } else {
        Protocol::Legacy
    };
    let upgrade = match protocol {
        Protocol::Transport => upgrade.protocols(["graphql-transport-ws"]),
        Protocol::Legacy => upgrade.protocols(["graphql-ws"]),
    };
    // Documents arrive in messages: the HTTP body limit applies to them too.
    let max = state.limits.max_body_bytes;
    let upgrade = upgrade.max_message_size(max).max_frame_size(max);
    upgrade.on_upgrade(move |socket| run(socket, schema, state, checker, protocol))
}

fn text(v: Value) -> Message {
    Message::Text(v.to_string().into())
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.to_string().into(),
    }))
}

/// Operation id as sent (string or number); `None` when absent (astro-cli).
fn op_id(msg: &Value) -> Option<Value> {
    msg.get("id").filter(|v| !v.is_null()).cloned()
}

fn id_key(id: &Option<Value>) -> String {
    match id {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

fn frame(kind: &str, id: &Option<Value>, payload: Option<Value>) -> Message {
    let mut m = serde_json::Map::new();
    m.insert("type".into(), json!(kind));
    if let Some(id) = id {
        m.insert("id".into(), id.clone());
    }
    if let Some(p) = payload {
        m.insert("payload".into(), p);
    }
    text(Value::Object(m))
}

async fn run(
    socket: WebSocket,
    schema: HoustonSchema,
    state: Arc<State>,
    checker: Arc<Checker>,
    protocol: Protocol,
) {
    let (mut sink, mut stream) = socket.split();
    let (out, mut out_rx) = mpsc::channel::<Message>(OUTBOUND);
    let writer = tokio::spawn(async move {
        while let Some(m) = out_rx.recv().await {
            let is_close = matches!(m, Message::Close(_));
            if sink.send(m).await.is_err() || is_close {
                break;
            }
        }
        let _ = sink.close().await;
    });

    let mut caller: Option<(Caller, ConnectionCredential)> = None;
    let mut pending: Vec<Value> = Vec::new();
    let mut ops: HashMap<String, JoinHandle<()>> = HashMap::new();

    while let Some(Ok(msg)) = stream.next().await {
        let raw = match msg {
            Message::Text(t) => t.to_string(),
            Message::Binary(b) => String::from_utf8_lossy(&b).into_owned(),
            Message::Close(_) => break,
            _ => continue,
        };
        let Ok(msg) = serde_json::from_str::<Value>(&raw) else {
            if protocol == Protocol::Transport {
                let _ = out.send(close(4400, "Invalid message")).await;
                break;
            }
            let _ = out
                .send(frame(
                    "error",
                    &None,
                    Some(json!({"message": "Message must be JSON"})),
                ))
                .await;
            continue;
        };
        let kind = msg.get("type").and_then(Value::as_str).unwrap_or("");
        match (protocol, kind) {
            (_, "connection_init") => {
                let payload = msg.get("payload").cloned().unwrap_or(Value::Null);
                let token = payload
                    .get("authorization")
                    .or_else(|| payload.get("Authorization"))
                    .and_then(Value::as_str);
                match authenticate(&state, token) {
                    Some(p) => {
                        caller = Some((
                            Caller(Some(p)),
                            ConnectionCredential(token.map(str::to_string)),
                        ));
                        let _ = out.send(frame("connection_ack", &None, None)).await;
                        for m in std::mem::take(&mut pending) {
                            start_op(&schema, &out, &mut ops, &caller, protocol, &m, &checker)
                                .await;
                        }
                    }
                    None => {
                        match protocol {
                            Protocol::Legacy => {
                                let _ = out
                                    .send(frame(
                                        "connection_error",
                                        &None,
                                        Some(json!({"message": "Prohibited connection!"})),
                                    ))
                                    .await;
                                let _ = out.send(close(1011, "Prohibited connection!")).await;
                            }
                            Protocol::Transport => {
                                let _ = out.send(close(4403, "Forbidden")).await;
                            }
                        }
                        break;
                    }
                }
            }
            (Protocol::Legacy, "start") | (Protocol::Transport, "subscribe") => {
                if caller.is_none() {
                    if protocol == Protocol::Transport {
                        let _ = out.send(close(4401, "Unauthorized")).await;
                        break;
                    }
                    if pending.len() >= MAX_PENDING {
                        let _ = out
                            .send(close(4429, "Too many messages before connection_init"))
                            .await;
                        break;
                    }
                    pending.push(msg);
                    continue;
                }
                start_op(&schema, &out, &mut ops, &caller, protocol, &msg, &checker).await;
            }
            (Protocol::Legacy, "stop") | (Protocol::Transport, "complete") => {
                let id = op_id(&msg);
                if let Some(h) = ops.remove(&id_key(&id)) {
                    h.abort();
                }
                if protocol == Protocol::Legacy {
                    let _ = out.send(frame("complete", &id, None)).await;
                }
            }
            (Protocol::Legacy, "connection_terminate") => break,
            (Protocol::Transport, "ping") => {
                let _ = out.send(frame("pong", &None, None)).await;
            }
            (Protocol::Transport, "pong") => {}
            _ => {
                if protocol == Protocol::Transport {
                    let _ = out.send(close(4400, "Unknown message type")).await;
                    break;
                }
                let _ = out
                    .send(frame(
                        "error",
                        &op_id(&msg),
                        Some(json!({"message": format!("Unknown message type: {kind}")})),
                    ))
                    .await;
            }
        }
    }
    for (_, h) in ops.drain() {
        h.abort();
    }
    drop(out);
    let _ = writer.await;
}

async fn start_op(
    schema: &HoustonSchema,
    out: &Out,
    ops: &mut HashMap<String, JoinHandle<()>>,
    caller: &Option<(Caller, ConnectionCredential)>,
    protocol: Protocol,
    msg: &Value,
    checker: &Checker,
) {
    let id = op_id(msg);
    let key = id_key(&id);
    if protocol == Protocol::Transport && ops.get(&key).is_some_and(|h| !h.is_finished()) {
        let _ = out
            .send(close(4409, &format!("Subscriber for {key} already exists")))
            .await;
        return;
    }
    if let Some(old) = ops.remove(&key) {
        old.abort();
    }
    let payload = msg.get("payload").cloned().unwrap_or(Value::Null);
    let query = payload.get("query").and_then(Value::as_str).unwrap_or("");
    let mut req = async_graphql::Request::new(query);
    if let Some(v) = payload.get("variables").filter(|v| v.is_object()) {
        req = req.variables(Variables::from_json(v.clone()));
    }
    if let Some(op) = payload.get("operationName").and_then(Value::as_str) {
        req = req.operation_name(op);
    }
    let limits = checker.limits();
    let shape = match checker.check_request(&mut req) {
        Ok(shape) => shape,
        Err(refusal) => {
            let error = refusal.to_error();
            let payload = match protocol {
                Protocol::Legacy => error,
                Protocol::Transport => json!([error]),
            };
            let _ = out.send(frame("error", &id, Some(payload))).await;
            return;
        }
    };
    // Every event may resolve `max_resolved` values; queries and mutations sent over the
    // socket also get the request deadline.
    let work = Budget::new(limits.max_resolved);
    let deadline = (!shape.subscription).then(|| Instant::now() + limits.request_timeout);
    let timeout = limits.request_timeout;
    let (who, credential) = caller.clone().unwrap_or_default();
    let req = req.data(who).data(credential).data(work.clone());
    let schema = schema.clone();
    let out = out.clone();
    let task = tokio::spawn(async move {
        let mut stream = schema.execute_stream(req);
        let mut first = true;
        loop {
            let next = tokio::select! {
                biased;
                _ = work.exceeded() => Outcome::TooLarge { max: work.max() },
                _ = budget::sleep_until(deadline) => Outcome::TimedOut { after: timeout },
                next = stream.next() => Outcome::Done(next),
            };
            let resp = match next {
                Outcome::Done(Some(resp)) => resp,
                Outcome::Done(None) => break,
                stopped => {
                    // Stopped by a limit: one error, and the operation is over.
                    let error = stopped.error().unwrap_or_default();
                    let payload = match protocol {
                        Protocol::Legacy => error,
                        Protocol::Transport => json!([error]),
                    };
                    let _ = out.send(frame("error", &id, Some(payload))).await;
                    return;
                }
            };
            work.reset();
            let failed = resp.data == async_graphql::Value::Null && !resp.errors.is_empty();
            let rejected = first && failed;
            first = false;
            if failed && !rejected {
                // A running stream that failed (permission lost): an error, then complete.
                let body = serde_json::to_value(&resp).unwrap_or(Value::Null);
                let m = match protocol {
                    Protocol::Legacy => {
                        let errors = body.get("errors").cloned().unwrap_or(json!([]));
                        frame(
                            "error",
                            &id,
                            Some(errors.get(0).cloned().unwrap_or(json!({}))),
                        )
                    }
                    // An `error` message would end the operation without `complete`.
                    Protocol::Transport => frame("next", &id, Some(body)),
                };
                let _ = out.send(m).await;
                break;
            }
            let body = serde_json::to_value(&resp).unwrap_or(Value::Null);
            let m = if rejected {
                let errors = body.get("errors").cloned().unwrap_or(json!([]));
                match protocol {
                    Protocol::Legacy => {
                        let first_err = errors.get(0).cloned().unwrap_or(json!({}));
                        frame("error", &id, Some(first_err))
                    }
                    Protocol::Transport => frame("error", &id, Some(errors)),
                }
            } else {
                match protocol {
                    Protocol::Legacy => frame("data", &id, Some(body)),
                    Protocol::Transport => frame("next", &id, Some(body)),
                }
            };
            if out.send(m).await.is_err() {
                return;
            }
            if rejected {
                // Neither protocol sends `complete` after an operation `error`.
                return;
            }
        }
        let _ = out.send(frame("complete", &id, None)).await;
    });
    ops.insert(key, task);
}

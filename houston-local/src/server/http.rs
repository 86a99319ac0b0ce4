//! The HTTP handlers: `POST /v1` (GraphQL over HTTP), `GET /healthz` and the websocket
//! upgrade, and the JSON error responses they share.

use async_graphql::Variables;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{App, Running};

use crate::db::store;
use crate::limits::budget::{self, Budget, Outcome};
use crate::limits::document::Refusal;
use crate::principal::{Caller, authenticate};
use crate::rbac::PrincipalKind;

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn request_error(msg: &str) -> Response {
    let body =
        serde_json::json!({"errors": [{"message": msg, "extensions": {"code": "BAD_REQUEST"}}]});
    json_response(StatusCode::BAD_REQUEST, body.to_string().into_bytes())
}

/// One GraphQL error in a response of its own.
fn errors_response(status: StatusCode, error: serde_json::Value) -> Response {
    let body = serde_json::json!({"errors": [error]});
    json_response(status, body.to_string().into_bytes())
}

/// A body that could not be read: too large (413), or broken.
fn body_refused(rejection: &BytesRejection, max: usize) -> Response {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return errors_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            serde_json::json!({
                "message": format!("Request body too large: at most {max} bytes"),
                "extensions": {"code": "PAYLOAD_TOO_LARGE", "limit": "body", "max": max},
            }),
        );
    }
    request_error(&format!("cannot read the request body: {rejection}"))
}

/// A document refused by a limit before it ran: HTTP 400, like any document that fails
/// validation.
fn refused(refusal: &Refusal) -> Response {
    errors_response(StatusCode::BAD_REQUEST, refusal.to_error())
}

pub(super) async fn graphql(
    AxState(app): AxState<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let limits = &app.state.limits;
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return body_refused(&rejection, limits.max_body_bytes),
    };
    let v: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return request_error("POST body must be JSON: {\"query\": ..., \"variables\": ...}");
        }
    };
    let Some(query) = v.get("query").and_then(|q| q.as_str()) else {
        return request_error("POST body is missing the \"query\" string");
    };
    let mut req = async_graphql::Request::new(query);
    if let Some(vars) = v.get("variables").filter(|x| x.is_object()) {
        req = req.variables(Variables::from_json(vars.clone()));
    }
    if let Some(op) = v.get("operationName").and_then(|o| o.as_str()) {
        req = req.operation_name(op);
    }
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok());
    let caller = authenticate(&app.state, token);
    let cacheable = crate::cache::cacheable(query);
    let who = match caller.as_deref().map(|p| &p.kind) {
        Some(PrincipalKind::User(id)) => format!("u:{id}"),
        Some(PrincipalKind::ServiceAccount(id)) => format!("s:{id}"),
        None => "-".to_string(),
    };
    // Read the generation before executing: a write racing with this request invalidates it.
    let generation = app.state.db.generation();
    let now = store::now_ms();
    if cacheable && let Some(hit) = app.cache.get(&who, &body, generation, now) {
        return json_response(StatusCode::OK, hit.to_vec());
    }
    let shape = match app.checker.check_request(&mut req) {
        Ok(shape) => shape,
        Err(refusal) => return refused(&refusal),
    };
    // Limited in work and time; dropping this future (client gone) cancels the request.
    let _running = Running::start(&app.running);
    let work = Budget::new(limits.max_resolved);
    let schema = if shape.metered {
        &app.schema
    } else {
        &app.unmetered
    };
    let execution = schema.execute(req.data(Caller(caller)).data(work.clone()));
    let resp = match budget::run(&work, limits.request_timeout, execution).await {
        Outcome::Done(resp) => resp,
        stopped => {
            let error = stopped.error().unwrap_or_default();
            return errors_response(StatusCode::OK, error);
        }
    };
    if let Some(r) = rejected_document(&resp, query) {
        return r;
    }
    let ok = resp.errors.is_empty();
    match serde_json::to_vec(&resp) {
        Ok(b) => {
            if cacheable && ok {
                let until = app
                    .state
                    .db
                    .read(|c| store::next_status_change(c, now))
                    .ok()
                    .flatten()
                    .unwrap_or(i64::MAX);
                app.cache
                    .put(who, body, generation, until, Bytes::from(b.clone()));
            }
            json_response(StatusCode::OK, b)
        }
        Err(e) => serialization_failure(&e),
    }
}

/// The response could not be encoded: a server fault (HTTP 500), not a bad request.
fn serialization_failure(e: &dyn std::fmt::Display) -> Response {
    tracing::error!("cannot serialise a GraphQL response: {e}");
    let body = serde_json::json!({"errors": [{"message": "Internal server error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]});
    json_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        body.to_string().into_bytes(),
    )
}

/// Parse and validation failures (no data, no error path) get Apollo Server 2's treatment:
/// HTTP 400, code GRAPHQL_VALIDATION_FAILED / GRAPHQL_PARSE_FAILED, and graphql-js wording for
/// unknown fields (`Cannot query field "x" on type "T".`), which astro-cli string-matches.
/// Parse failures are told apart from validation failures by re-parsing the document (only
/// on this error path), not by the wording of the message.
fn rejected_document(resp: &async_graphql::Response, query: &str) -> Option<Response> {
    if resp.errors.is_empty()
        || resp.data != async_graphql::Value::Null
        || resp.errors.iter().any(|e| !e.path.is_empty())
    {
        return None;
    }
    let parse_failed = async_graphql::parser::parse_query(query).is_err();
    let errors: Vec<serde_json::Value> = resp
        .errors
        .iter()
        .map(|e| {
            let (message, code) = match e.message.strip_prefix("Unknown field ") {
                Some(rest) => (format!("Cannot query field {rest}"), "GRAPHQL_VALIDATION_FAILED"),
                None if parse_failed => (e.message.clone(), "GRAPHQL_PARSE_FAILED"),
                None => (e.message.clone(), "GRAPHQL_VALIDATION_FAILED"),
            };
            let locations: Vec<_> = e
                .locations
                .iter()
                .map(|l| serde_json::json!({"line": l.line, "column": l.column}))
                .collect();
            serde_json::json!({"message": message, "locations": locations, "extensions": {"code": code}})
        })
        .collect();
    let body = serde_json::json!({"errors": errors});
    Some(json_response(
        StatusCode::BAD_REQUEST,
        body.to_string().into_bytes(),
    ))
}

pub(super) async fn healthz() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], "{}")
}

pub(super) async fn ws_handler(
    AxState(app): AxState<App>,
    headers: HeaderMap,
    upgrade: axum::extract::ws::WebSocketUpgrade,
) -> Response {
    crate::ws::upgrade(app.schema, app.state, app.checker, headers, upgrade)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialization_failure_is_a_server_error() {
        let r = serialization_failure(&"boom");
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}

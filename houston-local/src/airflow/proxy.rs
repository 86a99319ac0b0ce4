//! `serve --airflow-upstream`: a deployment's `/<release>/airflow/*` forwarded to a real
//! Airflow once the guard let the request through, with the Authorization header replaced by
//! the upstream's credentials: basic auth for Airflow 2's `/api/v1`; for Airflow 3's `/api/v2`,
//! which takes no basic auth, a JWT its `POST /auth/token` issues for the same user and password
//! (kept per upstream until it answers 401, then asked for once more).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::Airflow;

/// Airflow 3 upstreams' JWTs, by upstream base URL.
#[derive(Default)]
pub(super) struct Tokens(Mutex<HashMap<String, String>>);

impl Tokens {
    fn get(&self, base: &str) -> Option<String> {
        self.0.lock().ok()?.get(base).cloned()
    }

    fn put(&self, base: &str, token: Option<String>) {
        if let Ok(mut tokens) = self.0.lock() {
            match token {
                Some(t) => tokens.insert(base.to_string(), t),
                None => tokens.remove(base),
            };
        }
    }
}

/// An upstream URL split into (base without credentials, `user:pass` if it had any).
fn split_credentials(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.trim_end_matches('/').to_string(), None);
    };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    match authority.rsplit_once('@') {
        Some((creds, host)) => {
            let base = format!("{scheme}://{host}/{path}");
            (
                base.trim_end_matches('/').to_string(),
                Some(super::query::decode(creds)),
            )
        }
        None => (url.trim_end_matches('/').to_string(), None),
    }
}

pub(super) async fn forward(air: &Airflow, upstream: &str, rest: &str, req: Request) -> Response {
    let (base, creds) = split_credentials(upstream);
    let creds = creds.or_else(|| {
        let user = air.config.upstream_user.as_ref()?;
        Some(format!(
            "{user}:{}",
            air.config.upstream_password.as_deref().unwrap_or("")
        ))
    });
    let mut url = format!("{base}/{rest}");
    if let Some(q) = req.uri().query() {
        url.push('?');
        url.push_str(q);
    }
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, air.state.limits.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return super::problem::payload_too_large(),
    };
    let send = |authorization: Option<String>| {
        send(
            air,
            &parts.method,
            &url,
            &parts.headers,
            body.clone(),
            authorization,
        )
    };
    let resp = match creds {
        // Airflow 3's API: a JWT, asked for when none is held or the one held expired.
        Some(creds) if rest.starts_with("api/v2") => {
            let held = air.upstream_tokens.get(&base);
            let first = match &held {
                Some(token) => Some(send(Some(format!("Bearer {token}"))).await),
                None => None,
            };
            match first {
                Some(Ok(resp)) if resp.status() != StatusCode::UNAUTHORIZED => Ok(resp),
                Some(Err(e)) => Err(e),
                _ => {
                    let token = issue_token(air, &base, &creds).await;
                    air.upstream_tokens.put(&base, token.clone());
                    send(token.map(|t| format!("Bearer {t}"))).await
                }
            }
        }
        Some(creds) => {
            let basic = base64::engine::general_purpose::STANDARD.encode(creds);
            send(Some(format!("Basic {basic}"))).await
        }
        None => send(None).await,
    };
    let resp = match resp {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!("Airflow upstream {base} unreachable: {e}");
            return bad_gateway();
        }
    };
    let status = resp.status();
    let content_type = resp.headers().get(header::CONTENT_TYPE).cloned();
    let location = resp.headers().get(header::LOCATION).cloned();
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(_) => return bad_gateway(),
    };
    let mut reply = Response::new(Body::from(bytes));
    *reply.status_mut() = status;
    if let Some(ct) = content_type {
        reply.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    if let Some(l) = location {
        reply.headers_mut().insert(header::LOCATION, l);
    }
    reply
}

/// One request to the upstream, with the caller's Accept and Content-Type.
async fn send(
    air: &Airflow,
    method: &Method,
    url: &str,
    headers: &HeaderMap,
    body: Bytes,
    authorization: Option<String>,
) -> Result<reqwest::Response, reqwest::Error> {
    let mut out = air.http.request(method.clone(), url).body(body);
    for name in [header::ACCEPT, header::CONTENT_TYPE] {
        if let Some(v) = headers.get(&name) {
            out = out.header(name, v);
        }
    }
    if let Some(value) = authorization {
        out = out.header(header::AUTHORIZATION, value);
    }
    out.send().await
}

/// A JWT from an Airflow 3 upstream for `user:pass`; `None` when it refuses (the request then
/// goes without one, and the upstream's 401 is what the client sees).
async fn issue_token(air: &Airflow, base: &str, creds: &str) -> Option<String> {
    let (user, password) = creds.split_once(':').unwrap_or((creds, ""));
    let reply = air
        .http
        .post(format!("{base}/auth/token"))
        .json(&serde_json::json!({ "username": user, "password": password }))
        .send()
        .await;
    let reply = match reply {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            tracing::warn!("Airflow upstream {base} refused a token: {}", r.status());
            return None;
        }
        Err(e) => {
            tracing::warn!("Airflow upstream {base} unreachable for a token: {e}");
            return None;
        }
    };
    let body: serde_json::Value = reply.json().await.ok()?;
    body["access_token"].as_str().map(str::to_string)
}

/// nginx's page when the upstream does not answer.
fn bad_gateway() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/html"))],
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_credentials_out_of_the_url() {
        assert_eq!(
            split_credentials("http://admin:p%40ss@127.0.0.1:8080/"),
            (
                "http://127.0.0.1:8080".to_string(),
                Some("admin:p@ss".to_string())
            )
        );
        assert_eq!(
            split_credentials("http://127.0.0.1:8080/base"),
            ("http://127.0.0.1:8080/base".to_string(), None)
        );
    }
}

//! `serve --airflow-upstream`: a deployment's `/<release>/airflow/*` forwarded to a real
//! Airflow webserver once the guard let the request through, with the Authorization header
//! replaced by the upstream's basic-auth credentials.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::Airflow;

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
    let mut out = air.http.request(parts.method, &url).body(body);
    for name in [header::ACCEPT, header::CONTENT_TYPE] {
        if let Some(v) = parts.headers.get(&name) {
            out = out.header(name, v);
        }
    }
    if let Some(creds) = creds {
        let basic = base64::engine::general_purpose::STANDARD.encode(creds);
        out = out.header(header::AUTHORIZATION, format!("Basic {basic}"));
    }
    let resp = match out.send().await {
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

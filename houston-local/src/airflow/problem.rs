//! Error replies as each server gives them: Airflow 2's RFC 7807 problem JSON, Airflow 3's
//! FastAPI `{"detail": …}`, and the ingress's nginx HTML pages.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Which REST API a deployment serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Api {
    /// Airflow 2: `/api/v1`, problem JSON errors.
    V1,
    /// Airflow 3: `/api/v2`, `{"detail": …}` errors.
    V2,
}

pub(super) fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

pub(super) fn ok(body: &serde_json::Value) -> Response {
    json(StatusCode::OK, body)
}

/// An error of `api`: `title` names the kind (Airflow 2's problem title).
pub(super) fn error(api: Api, status: StatusCode, title: &str, detail: &str) -> Response {
    match api {
        Api::V1 => {
            let kind = match status {
                StatusCode::BAD_REQUEST => "BadRequest",
                StatusCode::UNAUTHORIZED => "Unauthenticated",
                StatusCode::FORBIDDEN => "PermissionDenied",
                StatusCode::NOT_FOUND => "NotFound",
                StatusCode::CONFLICT => "AlreadyExists",
                _ => "Unknown",
            };
            let body = json!({
                "detail": detail,
                "status": status.as_u16(),
                "title": title,
                "type": format!("https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/{kind}"),
            });
            (
                status,
                [(header::CONTENT_TYPE, "application/problem+json")],
                body.to_string(),
            )
                .into_response()
        }
        Api::V2 => json(status, &json!({"detail": detail})),
    }
}

pub(super) fn not_found(api: Api, title: &str, detail: &str) -> Response {
    error(api, StatusCode::NOT_FOUND, title, detail)
}

pub(super) fn bad_request(api: Api, detail: &str) -> Response {
    error(api, StatusCode::BAD_REQUEST, "Bad Request", detail)
}

/// What Airflow's own RBAC answers a Viewer who tries to change something.
pub(super) fn forbidden(api: Api) -> Response {
    error(
        api,
        StatusCode::FORBIDDEN,
        "Forbidden",
        "You do not have permission to perform this action",
    )
}

/// A path no route of that API serves.
pub(super) fn no_route(api: Api) -> Response {
    match api {
        Api::V1 => error(
            api,
            StatusCode::NOT_FOUND,
            "Not Found",
            "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
        ),
        Api::V2 => json(StatusCode::NOT_FOUND, &json!({"detail": "Not Found"})),
    }
}

/// Flask's own 404 page (an Airflow 2 webserver asked for a path it does not serve).
pub(super) fn flask_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
    )
        .into_response()
}

/// The ingress's default backend: nothing is served at that path.
pub(super) fn plain_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html")],
        "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    )
        .into_response()
}

pub(super) fn payload_too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/html")],
        "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    )
        .into_response()
}

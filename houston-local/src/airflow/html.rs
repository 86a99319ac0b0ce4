//! The small HTML pages: each deployment's Airflow and Flower UI root (so opening the URL
//! in a browser shows something real) and the login page the guard redirects to.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::query::decode;
use super::{Airflow, model};
use crate::db::store::DeploymentRow;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    );
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

pub(super) fn airflow_root(air: &Airflow, d: &DeploymentRow) -> Response {
    let root = super::ui_url(&air.state, &d.release_name, "airflow");
    let api = if model::airflow_major(d) >= 3 {
        ("api/v2", "monitor/health")
    } else {
        ("api/v1", "health")
    };
    let body = format!(
        "<h1>Airflow — {label}</h1>\n<p>Release <code>{release}</code>, Airflow {version}, {executor} (simulated by houston-local).</p>\n<ul>\n<li><a href=\"{root}/{a}/dags\">DAGs</a></li>\n<li><a href=\"{root}/{a}/importErrors\">Import errors</a></li>\n<li><a href=\"{root}/{a}/{h}\">Health</a></li>\n</ul>",
        label = escape(&d.label),
        release = escape(&d.release_name),
        version = escape(&d.airflow_version),
        executor = escape(&d.executor),
        a = api.0,
        h = api.1,
    );
    page(&format!("Airflow — {}", d.label), &body)
}

pub(super) fn flower_root(air: &Airflow, d: &DeploymentRow) -> Response {
    let root = super::ui_url(&air.state, &d.release_name, "flower");
    let body = format!(
        "<h1>Flower — {label}</h1>\n<p>Celery workers of <code>{release}</code> (simulated by houston-local).</p>\n<ul>\n<li><a href=\"{root}/api/workers\">Workers</a></li>\n<li><a href=\"{root}/api/tasks\">Tasks</a></li>\n<li><a href=\"{root}/healthcheck\">Health check</a></li>\n<li><a href=\"{root}/metrics\">Metrics</a></li>\n</ul>",
        label = escape(&d.label),
        release = escape(&d.release_name),
    );
    page(&format!("Flower — {}", d.label), &body)
}

/// Where the guard sends a refused request (`/login?rd=<url>`): says why, offers no form.
pub(super) fn login_page(query: Option<&str>) -> Response {
    let rd = query
        .unwrap_or("")
        .split('&')
        .find_map(|p| p.strip_prefix("rd="))
        .map(decode)
        .unwrap_or_default();
    let body = format!(
        "<h1>Log in to Astronomer</h1>\n<p>houston-local: send a Houston token (<code>Authorization: Bearer &lt;token&gt;</code>) or a service-account key whose roles allow Airflow access to open:</p>\n<p><code>{}</code></p>",
        escape(&rd)
    );
    page("Log in", &body)
}
